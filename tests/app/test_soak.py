"""`callshield soak`: the engine and the worker fed a call's frames as fast as they go, without leaking."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.soak import Soak, compose, demo_faces, scene_at
from detectors.records import EngineInfo, Frame, MonitorState, TrackState, Verdict
from tests.app.conftest import face, verdict


class PixelEngine:
    """A fast stand-in for the engine: a face wherever the frame is not the plain background."""

    def __init__(self, config: object) -> None:
        self.resets = 0

    def process(self, frame: Frame) -> Verdict:
        if frame.pixels.std() < 1.0:
            return Verdict(frame.timestamp, frame.index, MonitorState.NO_FACE)
        return verdict(MonitorState.LOOKS_REAL, face(1, TrackState.LOOKS_REAL), timestamp=frame.timestamp)

    def reset(self) -> None:
        self.resets += 1

    def reconfigure(self, config: object) -> None:
        pass

    def info(self) -> EngineInfo:
        return EngineInfo("cpu", "pixel", 0.5)


def test_the_call_alternates_faces_no_face_and_two_faces() -> None:
    faces = [np.full((100, 80, 3), 200, np.uint8)]
    assert [scene_at(t) for t in (5, 25, 35, 55, 65)] == ["one face", "no face", "two faces", "one face", "one face"]
    assert compose("no face", faces, 0, (320, 240)).std() == 0
    two = compose("two faces", faces, 0, (320, 240))
    assert two.shape == (240, 320, 3) and (two[:, :160] == 200).any() and (two[:, 160:] == 200).any()


def test_worker_soak_judges_every_frame_and_leaks_no_threads_or_files(qapp, tmp_path: Path) -> None:
    hours = 150 / 3600  # every scene twice, and two region changes
    soak = Soak(hours, PixelEngine, samples=4, log_dir=tmp_path, region_every_s=60)
    report = soak.run()
    summary = report.summary()
    assert report.errors == []
    # Every frame of the call judged: as many verdicts as frames handed out (the run ends between two checks).
    assert report.frames >= hours * 36000 - 1 and abs(report.frames - soak.clock() * 10) <= 2
    assert report.states["no_face"] > 0 and report.states["looks_real"] > report.states["no_face"]
    assert summary["threads"][1] <= summary["threads"][0] and summary["open_files"][1] <= summary["open_files"][0]
    assert summary["rss_growth_mb"] < 30


@pytest.mark.slow
def test_engine_soak_runs_the_real_engine_through_every_scene(qapp, tmp_path: Path) -> None:
    from app.monitoring.worker import load_pipeline

    report = Soak(36 / 3600, load_pipeline, samples=2, log_dir=tmp_path).run()  # one face, no face, two faces
    assert report.errors == [] and report.frames == pytest.approx(360, abs=15)
    assert report.states["no_face"] > 0 and report.states["looks_real"] + report.states["analysing"] > 0
    assert len(demo_faces()) > 10
