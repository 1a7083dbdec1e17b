"""`callshield eval` on a small manifest in the shared format: per-source table, JSON report, low-quality copies."""

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from detectors.offline.evaluate import read_manifest, roc_auc
from tests.conftest import fixture_path

PAIR = ("real/iperov+DeepFaceLive__Kim_Jarrey_1__left_real.mp4", "fake/iperov+DeepFaceLive__Kim_Jarrey_1__right_fake.mp4")


def test_roc_auc_counts_ties_half():
    assert roc_auc([0.1, 0.9], [0, 1]) == 1.0
    assert roc_auc([0.9, 0.1], [0, 1]) == 0.0
    assert roc_auc([0.5, 0.5], [0, 1]) == 0.5


@pytest.fixture
def small_manifest(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    rows = []
    for rel in PAIR:
        src = fixture_path(rel)
        dst = data / "eval" / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, dst)
        rows.append({"file": f"eval/{rel}", "split": "eval", "label": rel.split("/")[0], "method": "m", "group": "g",
                     "source": "DeepFaceLive twins", "licence": "", "kind": "video", "w": "", "h": "", "fps": "",
                     "frames": "", "dur_s": "", "md5": ""})
    with open(data / "manifest.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return data / "manifest.csv"


def test_read_manifest_keeps_labelled_media_of_the_split(small_manifest: Path):
    items = read_manifest(small_manifest, "eval")
    assert [it.label for it in items] == [0, 1]
    with pytest.raises(ValueError, match="no labelled rows"):
        read_manifest(small_manifest, "train")


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg (scripts/setup.sh installs it)")
def test_eval_prints_tables_and_writes_json_with_low_quality_copies(small_manifest: Path, tmp_path: Path):
    out = tmp_path / "report.json"
    proc = subprocess.run(
        [sys.executable, "-m", "app.cli", "eval", str(small_manifest), "--json", str(out), "--low-quality",
         "--cache", str(tmp_path / "cache")],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert "DeepFaceLive twins" in proc.stdout and "per-frame baseline" in proc.stdout
    report = json.loads(out.read_text())
    overall = report["video"]["overall"]
    assert overall["real"] == 1 and overall["fake"] == 1 and 0.0 <= overall["auc"] <= 1.0
    assert report["false_alerts_low_quality"]["clips"] == 1
    copies = list((tmp_path / "cache" / "low-quality").glob("*.mp4"))
    assert len(copies) == 1
    import cv2

    assert int(cv2.VideoCapture(str(copies[0])).get(cv2.CAP_PROP_FRAME_HEIGHT)) == 360
