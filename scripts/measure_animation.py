"""Measures the animated-photo detector on the videos of a split, once, with the thresholds shipped in the model (chosen
on train by training/fit_animation.py): per clip its verdict, swap score and animation score; then the animation
score's AUC, the animated clips alerted, and the real clips alerted by the swap detector alone and with the
animation detector beside it (the swap detector's judgement never depends on the animation detector's).

    nice -n 10 .venv/bin/python scripts/measure_animation.py --split eval-animation --out runs/animation-eval-animation.json
    nice -n 10 .venv/bin/python scripts/measure_animation.py --split eval --out runs/animation-eval.json
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from detectors.offline.evaluate import roc_auc  # noqa: E402
from detectors.offline.scan import FileScanner  # noqa: E402
from detectors.pipeline import Pipeline, PipelineConfig  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"


def videos(manifest: Path, split: str) -> list[tuple[Path, int]]:
    with open(manifest, newline="") as f:
        return [(manifest.parent / r["file"], int(r["label"] == "fake")) for r in csv.DictReader(f)
                if r["split"] == split and r["kind"] == "video"]


def summary(rows: list[dict]) -> dict:
    real = [r for r in rows if r["label"] == 0]
    fake = [r for r in rows if r["label"] == 1]
    scored = [r for r in rows if r["animation"] is not None]
    return {
        "clips": len(rows), "real": len(real), "fake": len(fake),
        "animation_auc": roc_auc([r["animation"] for r in scored], [r["label"] for r in scored]) if scored else None,
        "animation_scored": len(scored),
        "fake_alerted_animation": sum(r["animation_alert_s"] is not None for r in fake),
        "fake_alerted_swap": sum(r["swap_alert_s"] is not None for r in fake),
        "fake_alerted_any": sum(r["verdict"] in ("possible_swap", "possible_animation") for r in fake),
        "real_alerted_swap_only": sum(r["swap_alert_s"] is not None for r in real),
        "real_alerted_with_animation": sum(r["verdict"] in ("possible_swap", "possible_animation") for r in real),
        "real_alerted_by_animation": sum(r["animation_alert_s"] is not None for r in real),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--manifest", type=Path, default=SHARED / "manifest.csv")
    ap.add_argument("--split", default="eval-animation")
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    scanner = FileScanner(Pipeline.load(PipelineConfig(backend="onnx", detect_animation=True)))
    rows = []
    for path, label in videos(a.manifest, a.split):
        r = scanner.scan(path)
        rows.append({"file": str(path.relative_to(a.manifest.parent)), "label": label, "verdict": r.verdict,
                     "swap": r.score, "animation": r.animation_score, "swap_alert_s": r.first_alert_s,
                     "animation_alert_s": r.first_animation_alert_s})
        print(json.dumps(rows[-1]), flush=True)
    s = summary(rows)
    print(json.dumps(s, indent=2))
    if a.out:
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text(json.dumps({"summary": s, "clips": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
