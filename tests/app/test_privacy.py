"""Privacy: the app's paths (start, monitor the demo, alert, report, stop) make no network connection, and no frame
or face crop reaches the disk unless the user opted in to evidence frames."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from app.audit.cli import report_main
from app.audit.event_log import default_log_folder
from app.audit.sessions import load_sessions
from app.main import run_app
from detectors.records import Frame, MonitorState, TrackState, Verdict
from tests.app.conftest import ScriptedEngine, face, verdict

PIXEL_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".webp", ".mp4", ".avi", ".npy", ".npz", ".raw"}


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every way Python code opens a connection or sends a datagram, recorded and refused."""
    attempts: list[str] = []

    def refuse(name: str):
        def blocked(*args: object, **kwargs: object) -> None:
            attempts.append(f"{name}{args[1:] if name.startswith('socket.') else args}")
            raise OSError(f"network blocked by the privacy test ({name})")
        return blocked

    for name in ("connect", "connect_ex", "sendto", "sendmsg"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    yield attempts


def alerting_engine() -> ScriptedEngine:
    """Looks at the demo's frames and, after a second of them, flags the face (an alert, as a swap would give)."""
    def answer(frame: Frame) -> Verdict:
        state = TrackState.POSSIBLE_SWAP if frame.index > 10 else TrackState.ANALYSING
        return verdict(MonitorState.POSSIBLE_SWAP if frame.index > 10 else MonitorState.ANALYSING,
                       face(1, state, 0.97, box=(10.0, 10.0, 110.0, 130.0)), timestamp=frame.timestamp)
    return ScriptedEngine(answer)


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def monitor_demo_and_report(user_home: Path, evidence: bool) -> list[Path]:
    """Starts the app on the demo, lets it alert, stops it, writes the call report; returns every file it left."""
    QSettings("CallShield", "CallShield").setValue("call_centre/evidence_frames", evidence)
    engine = alerting_engine()
    status = run_app(["--smoke-test", "--quit-after", "3", "--operator", "privacy", "--call-ref", "P-1"],
                     engine_factory=lambda cfg: engine)
    assert status == 0 and engine.frames > 10
    sessions = load_sessions(default_log_folder())
    assert len(sessions) == 1 and next(iter(sessions.values())).count("alert") >= 1
    report_dir = user_home / "reports"
    assert report_main([next(iter(sessions)), "--out", str(report_dir)]) == 0
    return files_under(user_home)


def test_no_connection_and_no_pixels_on_disk_by_default(user_home: Path, no_network: list[str],
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    files = monitor_demo_and_report(user_home, evidence=False)
    assert no_network == []
    assert [p for p in files if p.suffix.lower() in PIXEL_SUFFIXES] == []
    written = {p.suffix for p in files}
    assert written <= {".conf", ".ini", ".log", ".jsonl", ".html", ".pdf"}, written


def test_opted_in_evidence_keeps_only_alerting_face_crops(user_home: Path, no_network: list[str],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    files = monitor_demo_and_report(user_home, evidence=True)
    assert no_network == []
    pixels = [p for p in files if p.suffix.lower() in PIXEL_SUFFIXES]
    assert pixels and all(p.suffix == ".png" and "evidence" in p.parts for p in pixels)
