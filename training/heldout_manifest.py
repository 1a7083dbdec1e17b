"""Writes a manifest of a model's own held-out train videos under split `heldout`, with absolute paths, so that
`callshield eval` can run the whole engine on footage the model never saw. `--groups val` (default): the footage groups
its training provenance kept for validation, from datasets it did train on. `--groups unseen-dataset`: the whole
dataset a run left out with `train --hold-out-dataset`. Together they tell a shift between datasets (what eval's false
alerts look like) apart from a threshold that is wrong on train's own footage. Measuring only; nothing here ships.

    python -m training.heldout_manifest --out /tmp/heldout.csv
    callshield eval /tmp/heldout.csv --split heldout --low-quality --threads 1
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from detectors.assets import assets_dir


def heldout_rows(manifest: Path, groups: set[str]) -> list[dict[str, str]]:
    """The train videos of `groups`, relabelled split `heldout`, their file paths made absolute."""
    root = manifest.resolve().parent
    with manifest.open(newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["split"] == "train" and r["kind"] == "video" and r["group"] in groups]
    return [{**r, "split": "heldout", "file": str(root / r["file"])} for r in rows]


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--manifest", type=Path, default=Path("../shared/data/manifest.csv"))
    p.add_argument("--provenance", type=Path, help="a training.json (default: the shipped model's)")
    p.add_argument("--groups", choices=("val", "unseen-dataset"), default="val",
                   help="the run's validation groups, or the dataset it left out (train --hold-out-dataset)")
    p.add_argument("--out", type=Path, required=True)
    a = p.parse_args(argv)
    provenance = a.provenance or assets_dir() / "models/callshield-lite0.training.json"
    groups = json.loads(provenance.read_text()).get("val_groups" if a.groups == "val" else "unseen_groups") or []
    rows = heldout_rows(a.manifest, set(groups))
    if not rows:
        raise SystemExit(f"no train video of {provenance}'s {a.groups} groups is in {a.manifest}")
    with a.out.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} held-out videos ({sum(r['label'] == 'fake' for r in rows)} swapped) -> {a.out}")


if __name__ == "__main__":
    main()
