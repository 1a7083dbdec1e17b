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


def test_peers_are_scored_on_the_same_photos_and_compared_paired(pipeline, tmp_path: Path):
    from detectors.offline.evaluate import LabelledItem, evaluate, format_report
    from detectors.offline.peers import load_peer, mesonet_dir
    from detectors.offline.scan import FileScanner

    if not (mesonet_dir() / "Meso4_DF.h5").is_file():
        pytest.skip(f"needs MesoNet's weights in {mesonet_dir()} (../shared/models beside this checkout)")
    pytest.importorskip("h5py", reason="reading Keras weights needs h5py (the dev extra)")
    photos = [("real/wuhuikai+FaceSwap__test1.jpg", 0), ("real/wuhuikai+FaceSwap__test2.jpg", 0),
              ("fake/wuhuikai+FaceSwap__output6_1.jpg", 1), ("fake/wuhuikai+FaceSwap__output6_3.jpg", 1)]
    items = [LabelledItem(fixture_path(rel), y, "FaceSwap", "image", "m") for rel, y in photos]
    peers = {"meso4-df": load_peer("meso4-df", pipeline.device)}
    report, results = evaluate(items, FileScanner(pipeline), verbose=False, peers=peers)
    assert pipeline.classifier is not None and not hasattr(pipeline.classifier, "take")  # ours is put back
    table = report["peers"]["image"]
    assert table["real"] == 2 and table["fake"] == 2
    assert table["auc"] == report["image"]["overall"]["auc"]  # the same files, judged as the photo table does
    row = table["peers"]["meso4-df"]
    assert 0.0 <= row["auc"] <= 1.0 and row["auc_ci"][0] <= row["auc"] <= row["auc_ci"][1]
    assert row["ours_minus_peer"] == pytest.approx(table["auc"] - row["auc"])
    assert table["peers"]["ours"]["ours_minus_peer"] == 0.0  # ours aggregated as the peers: a photo's top face
    for item, r in zip(report["items"], results):
        assert item["peer_scores"]["ours"] == pytest.approx(r.score)
    text = format_report(report)
    assert "peers on the same faces" in text and "meso4-df" in text and "95% CI" in text
