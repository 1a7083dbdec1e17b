"""`callshield scan` on real fixture clips: swaps flagged, twins quiet, bad files reported without stopping the rest."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from detectors.assets import DEMO_SWAP_CLIP
from detectors.offline.scan import FileScanner
from detectors.records import MonitorState
from tests.conftest import fixture_path

DFL = "iperov+DeepFaceLive__{}__{}.mp4"


@pytest.fixture(scope="module")
def scanner(pipeline) -> FileScanner:
    return FileScanner(pipeline)


@pytest.mark.parametrize("clip", ["Kim_Jarrey_1", "Tim_Chrys_3"])
def test_deepfacelive_swap_is_flagged_and_its_real_twin_is_not(scanner, clip):
    fake = scanner.scan(fixture_path("fake/" + DFL.format(clip, "right_fake")))
    real = scanner.scan(fixture_path("real/" + DFL.format(clip, "left_real")))
    assert fake.verdict == "possible_swap", fake
    assert real.verdict == "looks_real", real
    assert fake.score > real.score
    assert fake.first_alert_s is not None and real.first_alert_s is None


def test_no_face_photo_gives_no_face(scanner):
    r = scanner.scan(fixture_path("other/davisking+dlib__dogs.jpg"))
    assert r.verdict == "no_face" and r.score is None and r.error is None


def test_pipeline_says_no_face_on_a_blank_frame(pipeline):
    import numpy as np

    from detectors.records import Frame

    pipeline.reset()
    v = pipeline.process(Frame(np.full((360, 640, 3), 90, np.uint8), 0.0))
    assert v.state is MonitorState.NO_FACE and v.faces == ()


def test_bad_files_give_errors_while_the_other_inputs_are_analysed(tmp_path: Path):
    good = fixture_path("real/" + DFL.format("Kim_Jarrey_1", "left_real"))
    corrupt = tmp_path / "corrupt.mp4"
    corrupt.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40)
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    missing = tmp_path / "nope.mp4"
    out = subprocess.run(
        [sys.executable, "-m", "app.cli", "scan", "--json", str(corrupt), str(good), str(empty), str(missing)],
        capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 2, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["file"] for r in rows] == [str(corrupt), str(good), str(empty), str(missing)]
    by_file = {Path(r["file"]).name: r for r in rows}
    for name, words in (("corrupt.mp4", "corrupt"), ("empty.mp4", "empty"), ("nope.mp4", "no such file")):
        assert by_file[name]["verdict"] == "error" and words in by_file[name]["error"], by_file[name]
        assert by_file[name]["score"] is None
    ok = by_file[good.name]
    assert ok["verdict"] in ("looks_real", "possible_swap", "possible_animation") and ok["error"] is None
    assert set(ok) == {"file", "verdict", "score", "scores", "frames_analysed", "faces", "first_alert_s",
                       "first_animation_alert_s", "error"}
    assert set(ok["scores"]) == {"swap", "animation"}
    assert ok["frames_analysed"] > 10 and ok["faces"][0].keys() == {"track_id", "score", "frames"}


def test_scan_exits_zero_and_prints_the_verdict_it_reached(scanner):
    clip = fixture_path("real/" + DFL.format("Kim_Jarrey_1", "left_real"))
    out = subprocess.run([sys.executable, "-m", "app.cli", "scan", str(clip)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    expected = scanner.scan(clip)  # the same engine in this process: the text must say what it concluded
    line = out.stdout.strip()
    assert line.startswith(f"{clip}: ") and f"score {expected.score:.2f}" in line, line
    assert ("POSSIBLE AI FACE-SWAP" in line) == (expected.verdict == "possible_swap"), line
    assert f"{expected.frames_analysed} frames analysed" in line


@pytest.mark.parametrize("fps", [10, 2])
def test_one_person_gives_one_track_through_the_clip(pipeline, fps):
    from detectors.classifiers.weights import assets_dir
    from detectors.media import iter_frames

    pipeline.reset()
    ids, counts = set(), []
    for frame in iter_frames(assets_dir() / DEMO_SWAP_CLIP, max_fps=fps):
        v = pipeline.process(frame)
        counts.append(len(v.faces))
        ids |= {f.track_id for f in v.faces}
    assert len(ids) == 1 and max(counts) == 1
    assert v.faces[0].frames_scored >= (15 if fps == 10 else 4)


def test_photo_with_faces_is_scored_face_by_face(scanner):
    r = scanner.scan(fixture_path("real/davisking+dlib__bald_guys.jpg"))
    assert r.verdict in ("looks_real", "possible_swap") and r.error is None
    assert len(r.faces) >= 2 and r.score == max(f.score for f in r.faces)
    assert all(0.0 <= f.score <= 1.0 and f.frames == 1 for f in r.faces)
