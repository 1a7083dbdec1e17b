"""The held-out manifest lists exactly the train videos of the held-out groups, ready for `callshield eval`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from training.heldout_manifest import heldout_rows, main

HEADER = "file,split,label,method,group,source,licence,kind,w,h,fps,frames,dur_s,md5\n"


def _manifest(tmp_path: Path, *rows: str) -> Path:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(HEADER + "".join(row + "\n" for row in rows))
    return manifest


def test_only_held_out_train_videos_with_absolute_paths(tmp_path: Path) -> None:
    manifest = _manifest(
        tmp_path,
        "train/real/a.mp4,train,real,m,g1,s,l,video,1,1,25,10,0.4,x",
        "train/fake/a.mp4,train,fake,m,g1,s,l,video,1,1,25,10,0.4,x",
        "train/real/a.jpg,train,real,m,g1,s,l,image,1,1,,,,x",
        "train/real/b.mp4,train,real,m,g2,s,l,video,1,1,25,10,0.4,x",
        "eval/real/c.mp4,eval,real,m,g1,s,l,video,1,1,25,10,0.4,x",
    )
    rows = heldout_rows(manifest, {"g1"})
    assert [(r["file"], r["split"], r["label"]) for r in rows] == [
        (str(tmp_path / "train/real/a.mp4"), "heldout", "real"),
        (str(tmp_path / "train/fake/a.mp4"), "heldout", "fake"),
    ]


def test_the_unseen_dataset_of_a_run_is_written_instead_of_its_validation_groups(tmp_path: Path) -> None:
    manifest = _manifest(
        tmp_path,
        "train/real/a.mp4,train,real,m,dfl:a,s,l,video,1,1,25,10,0.4,x",
        "train/real/v.mp4,train,real,m,vox2:1,s,l,video,1,1,25,10,0.4,x",
    )
    provenance = tmp_path / "training.json"
    provenance.write_text(json.dumps({"val_groups": ["dfl:a"], "unseen_groups": ["vox2:1"]}))
    out = tmp_path / "unseen.csv"
    main(["--manifest", str(manifest), "--provenance", str(provenance), "--groups", "unseen-dataset", "--out", str(out)])
    with out.open(newline="") as f:
        assert [r["group"] for r in csv.DictReader(f)] == ["vox2:1"]
    # A run that left no dataset out has nothing to write, and says so instead of writing an empty manifest.
    provenance.write_text(json.dumps({"val_groups": ["dfl:a"], "unseen_groups": []}))
    with pytest.raises(SystemExit, match="unseen-dataset groups"):
        main(["--manifest", str(manifest), "--provenance", str(provenance), "--groups", "unseen-dataset",
              "--out", str(out)])
