"""Helpers for the app's tests: a small scripted engine, synthetic frame sources, temporary settings,
and a guard that fails any test leaving a QThread running."""

from __future__ import annotations

import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QObject, QSettings, QThread, Signal
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.capture.screens import Rect, ScreenMapping, ScreenRegion
from app.log_file import close_log_file
from app.main import CallShieldApp
from app.monitoring.audit_log import AuditLog
from app.monitoring.settings import SettingsStore
from detectors.records import EngineInfo, FaceAssessment, Frame, MonitorState, TrackState, Verdict

SCREEN = Rect(0, 0, 1920, 1080)
REGION = ScreenRegion(200, 150, 640, 480)


@pytest.fixture(autouse=True)
def english(qapp: object) -> Iterator[None]:
    """The app's English (its plural forms), as `run_app` installs it; a test may switch to another and is switched back."""
    from app.language import install_language

    install_language("en")
    yield
    install_language("en")


@pytest.fixture(autouse=True)
def no_dangling_qthreads(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fails a test that leaves a QThread it started still running (as napari's fixture does)."""
    started: list[weakref.ref[QThread]] = []
    original = QThread.start

    def tracking_start(self: QThread, *args: object) -> None:
        started.append(weakref.ref(self))
        original(self, *args)

    monkeypatch.setattr(QThread, "start", tracking_start)
    yield
    running = [t for ref in started if (t := ref()) is not None and t.isRunning()]
    for t in running:  # stop them so the next test starts clean, then fail this one
        t.quit()
        t.wait(5000)
    if running:
        names = ", ".join(t.objectName() or repr(t) for t in running)
        pytest.fail(f"test left QThread(s) running: {names}")


class MainThreadRelay(QObject):
    """Re-emits a worker's signals from the GUI thread.

    PySide6 calls a plain Python callable (such as pytest-qt's waitSignal blocker) on the emitting thread;
    a blocker woken from the worker thread races its own event loop. Signal-to-signal connections to a
    QObject of the GUI thread are queued, so waiting on these is safe.
    """

    verdict_ready = Signal(object)
    failed = Signal(str)
    stats = Signal(object)
    engine_ready = Signal(object)
    engine_unavailable = Signal(str)
    engine_broken = Signal(str)
    finished = Signal()

    def __init__(self, worker: QObject) -> None:
        super().__init__()
        for name in ("verdict_ready", "failed", "stats", "engine_ready", "engine_unavailable", "engine_broken", "finished"):
            getattr(worker, name).connect(getattr(self, name))


def face(track_id: int = 1, state: TrackState = TrackState.LOOKS_REAL, score: float | None = 0.1,
         box: tuple[float, float, float, float] = (200.0, 100.0, 360.0, 300.0)) -> FaceAssessment:
    return FaceAssessment(track_id, box, score, score, state, frames_scored=10, evidence_s=1.5,
                          alert_since_s=0.0 if state is TrackState.POSSIBLE_SWAP else None)


def verdict(state: MonitorState, *faces: FaceAssessment, timestamp: float | None = None, message: str = "") -> Verdict:
    """A verdict stamped now (monotonic), as the worker's frames are."""
    ts = time.monotonic() if timestamp is None else timestamp
    return Verdict(ts, 0, state, tuple(faces), message=message, stage_ms={"detect": 1.0})


class ScriptedEngine:
    """A stand-in for `Pipeline`: answers each frame with `answer(frame)`; records what the worker asked."""

    def __init__(self, answer: Callable[[Frame], Verdict] | None = None) -> None:
        self.answer = answer or (lambda f: verdict(MonitorState.LOOKS_REAL, face(), timestamp=f.timestamp))
        self.frames = 0
        self.resets = 0
        self.configs: list[object] = []
        self.thread_names: set[str] = set()

    def process(self, frame: Frame) -> Verdict:
        self.frames += 1
        self.thread_names.add(threading.current_thread().name)
        return self.answer(frame)

    def reset(self) -> None:
        self.resets += 1

    def reconfigure(self, config: object) -> None:
        self.configs.append(config)

    def info(self) -> EngineInfo:
        return EngineInfo("cpu", "scripted", 0.5)


class SyntheticSource:
    """Grey frames of the region's size; `fail_next` makes grabs raise, as an unplugged monitor would."""

    instances = 0

    def __init__(self, region: ScreenRegion) -> None:
        SyntheticSource.instances += 1
        self.region = region
        self.index = 0
        self.fail_next = 0
        self.closed = False

    def grab(self) -> Frame:
        if self.fail_next:
            self.fail_next -= 1
            raise OSError("display went away")
        self.index += 1
        return Frame(np.full((self.region.height, self.region.width, 3), 128, np.uint8), time.monotonic(), self.index)

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def store(tmp_path: Path) -> SettingsStore:
    """Settings in a temporary INI file, never the user's own."""
    return SettingsStore(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def audit_log(tmp_path: Path) -> AuditLog:
    return AuditLog(tmp_path / "data" / "audit-log.jsonl")


@pytest.fixture
def flat_screen() -> list[ScreenMapping]:
    """One 1920×1080 screen whose logical and capture pixels coincide."""
    return [ScreenMapping(SCREEN, SCREEN, "test")]


def have_x_display() -> bool:
    from PySide6.QtGui import QGuiApplication

    return bool(os.environ.get("DISPLAY")) and QGuiApplication.platformName() == "xcb"


@pytest.fixture
def x_display(qapp: object) -> None:
    """Skips unless Qt runs on a real X display (scripts/test.sh runs the xvfb tests under xvfb-run)."""
    if not have_x_display():
        pytest.skip("needs a real X display (run under xvfb-run with QT_QPA_PLATFORM=xcb, as scripts/test.sh does)")


@pytest.fixture
def user_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> Iterator[Path]:
    """A fresh home for run_app: its settings and log file go here; the app's names are put back afterwards."""
    for var, sub in (("HOME", "home"), ("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data")):
        monkeypatch.setenv(var, str(tmp_path / sub))
    names = qapp.organizationName(), qapp.applicationName(), qapp.quitOnLastWindowClosed()
    yield tmp_path
    close_log_file()
    qapp.setOrganizationName(names[0])
    qapp.setApplicationName(names[1])
    qapp.setQuitOnLastWindowClosed(names[2])


@pytest.fixture
def shell(qtbot: QtBot, store: SettingsStore, audit_log: AuditLog,
          flat_screen: list[ScreenMapping]) -> Iterator[CallShieldApp]:
    """The app with a scripted engine and a synthetic screen, its window shown and a region picked."""
    store.update(welcome_shown=True, sound=False)
    app = CallShieldApp(store, lambda cfg: ScriptedEngine(), SyntheticSource, audit_log, lambda: flat_screen)
    qtbot.addWidget(app.window)
    app.window.show()
    app.controller.set_region(REGION)
    app.place_overlay()
    yield app
    app.shutdown()
