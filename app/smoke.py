"""`callshield --smoke-test`: runs the app on the bundled demo and reports, as one JSON line, whether it worked.

Where the platform has no screen to grab (Qt's offscreen platform), the worker reads the demo player's frames
instead of the screen, so the window, the worker and the engine are still tested end to end.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QEvent, QObject, Signal, Slot
from PySide6.QtGui import QGuiApplication

from app.capture.capture import CaptureError, FrameSource
from app.capture.screens import Rect, ScreenMapping, ScreenRegion
from detectors.records import EngineInfo, Frame, MonitorState, Verdict

if TYPE_CHECKING:
    from app.capture.demo_player import DemoPlayer
    from app.main import CallShieldApp

DEFAULT_SECONDS = 20.0
# How long the model may take to load (or fail to) before the smoke test gives up on it: a busy machine is slow.
ENGINE_LOAD_LIMIT_S = 120.0
NO_SCREEN_PLATFORMS = ("offscreen", "minimal")


def screen_capture_possible() -> bool:
    """False on Qt platforms that draw nowhere a screen grab could see."""
    return QGuiApplication.platformName() not in NO_SCREEN_PLATFORMS


def logical_screen_mappings() -> list[ScreenMapping]:
    """Qt's screens as their own capture space: enough to place the overlay where nothing is captured."""
    out = []
    for s in QGuiApplication.screens():
        g = s.geometry()
        r = Rect(g.x(), g.y(), g.width(), g.height())
        out.append(ScreenMapping(r, r, s.name()))
    return out


class DemoFrames:
    """The demo player's newest frame, shared with the worker thread as a frame source."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rgb: np.ndarray | None = None

    def follow(self, player: DemoPlayer) -> None:
        player.frame_shown.connect(self.put)

    def put(self, rgb: np.ndarray) -> None:
        with self._lock:
            self._rgb = rgb

    def latest(self) -> np.ndarray | None:
        with self._lock:
            return self._rgb

    def source(self, region: ScreenRegion) -> FrameSource:
        """A `SourceFactory`: the region is the demo's video, whose pixels these are."""
        return _DemoFrameSource(self)


class _DemoFrameSource:
    def __init__(self, frames: DemoFrames) -> None:
        self._frames = frames
        self._index = 0

    def grab(self) -> Frame:
        rgb = self._frames.latest()
        if rgb is None:
            raise CaptureError("the demo has shown no frame yet")
        self._index += 1
        return Frame(rgb.copy(), time.monotonic(), self._index)

    def close(self) -> None:
        pass


class SmokeReport(QObject):
    """Watches one `CallShieldApp` and sums up what a user would have got from it."""

    engine_settled = Signal()  # once: the engine loaded, or it could not be loaded

    def __init__(self, shell: CallShieldApp, capture: str) -> None:
        super().__init__(shell)
        self.capture = capture  # "screen" (mss) or "demo-frames" (no screen to grab)
        self.window_shown = False
        self.engine: EngineInfo | None = None
        self.verdicts = 0
        self.states: Counter[str] = Counter()
        self.errors: list[str] = []
        self._settled = False
        shell.window.installEventFilter(self)
        shell.controller.engine_changed.connect(self._engine_changed)
        shell.controller.verdict_seen.connect(self._verdict)
        worker = shell.controller.worker
        worker.failed.connect(self._error)
        worker.engine_unavailable.connect(self._engine_unavailable)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            self.window_shown = True
        return False

    @Slot(object)
    def _engine_changed(self, info: EngineInfo | None) -> None:
        if info:
            self.engine = info
            self._settle()

    @Slot(str)
    def _engine_unavailable(self, message: str) -> None:
        self._error(message)
        self._settle()

    def _settle(self) -> None:
        if not self._settled:
            self._settled = True
            self.engine_settled.emit()

    @Slot(object)
    def _verdict(self, verdict: Verdict) -> None:
        self.verdicts += 1
        self.states[verdict.state.value] += 1
        if verdict.state is MonitorState.NOT_MONITORING and verdict.message.startswith("engine error"):
            self._error(verdict.message)

    @Slot(str)
    def _error(self, message: str) -> None:
        if message not in self.errors:
            self.errors.append(message)

    def result(self) -> dict:
        return {
            "window_shown": self.window_shown,
            "engine_ready": self.engine is not None,
            "device": self.engine.device if self.engine else None,
            "model": self.engine.model if self.engine else None,
            "verdicts": self.verdicts,
            "states": dict(self.states),
            "errors": list(self.errors),
            "capture": self.capture,
        }

    @property
    def passed(self) -> bool:
        return self.window_shown and self.engine is not None and self.verdicts > 0

    def finish(self) -> tuple[str, int]:
        """The JSON line to print and the exit status: 0 only if the window showed, the engine loaded and verdicts came."""
        return json.dumps(self.result(), ensure_ascii=False), 0 if self.passed else 1
