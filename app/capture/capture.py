"""Frame sources for the worker: the screen region via mss in the app, anything else in tests and benches."""

from __future__ import annotations

import time
from typing import Protocol

import cv2
import mss
import numpy as np

from app.capture.screens import ScreenRegion, off_screen_problem
from app.language import translate
from detectors.records import Frame


class CaptureError(Exception):
    """The region cannot be captured now (off screen, display gone); the worker retries later."""


class FrameSource(Protocol):
    """Hands out the newest frame on request; created and used on the worker thread only."""

    def grab(self) -> Frame: ...

    def close(self) -> None: ...


class MssRegionSource:
    """Grabs one screen region with mss; rechecks the monitor layout now and then, as mss caches it."""

    RECHECK_S = 5.0

    def __init__(self, region: ScreenRegion) -> None:
        self.region = region
        self._index = 0
        self._sct: mss.MSS | None = None
        self._checked_at = 0.0
        self._reopen()

    def _reopen(self) -> None:
        self.close()
        try:
            # mss keeps per-thread display handles: this constructor must run on the worker thread.
            self._sct = mss.MSS()
            monitors = self._sct.monitors[1:]
        except mss.ScreenShotError as err:
            self.close()
            raise CaptureError(translate("Capture", "screen capture is not available: {error}").format(error=err)) from None
        if problem := off_screen_problem(self.region, monitors):
            self.close()
            raise CaptureError(problem)
        self._checked_at = time.monotonic()

    def grab(self) -> Frame:
        if self._sct is None or time.monotonic() - self._checked_at > self.RECHECK_S:
            self._reopen()
        assert self._sct is not None
        try:
            shot = self._sct.grab(self.region.as_mss())
        except mss.ScreenShotError as err:
            self.close()
            raise CaptureError(translate("Capture", "screen capture failed: {error}").format(error=err)) from None
        # On macOS mss grabs more pixels than the region's points; the engine takes whatever size it gets.
        bgra = np.asarray(shot)
        self._index += 1
        return Frame(cv2.cvtColor(bgra, cv2.COLOR_BGRA2RGB), time.monotonic(), self._index)

    def close(self) -> None:
        if self._sct is not None:
            self._sct.close()
            self._sct = None


def mss_source_factory(region: ScreenRegion) -> FrameSource:
    return MssRegionSource(region)
