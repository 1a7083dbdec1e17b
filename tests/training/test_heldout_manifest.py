"""The held-out manifest lists exactly the train videos of the held-out groups, ready for `callshield eval`."""

from __future__ import annotations

from pathlib import Path

from training.heldout_manifest import heldout_rows

HEADER = "file,split,label,method,group,source,licence,kind,w,h,fps,frames,dur_s,md5\n"


def test_only_held_out_train_videos_with_absolute_paths(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        HEADER
        + "train/real/a.mp4,train,real,m,g1,s,l,video,1,1,25,10,0.4,x\n"
        + "train/fake/a.mp4,train,fake,m,g1,s,l,video,1,1,25,10,0.4,x\n"
        + "train/real/a.jpg,train,real,m,g1,s,l,image,1,1,,,,x\n"
        + "train/real/b.mp4,train,real,m,g2,s,l,video,1,1,25,10,0.4,x\n"
        + "eval/real/c.mp4,eval,real,m,g1,s,l,video,1,1,25,10,0.4,x\n"
    )
    rows = heldout_rows(manifest, {"g1"})
    assert [(r["file"], r["split"], r["label"]) for r in rows] == [
        (str(tmp_path / "train/real/a.mp4"), "heldout", "real"),
        (str(tmp_path / "train/fake/a.mp4"), "heldout", "fake"),
    ]
