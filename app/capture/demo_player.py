"""A window that plays video clips in a loop: the demo's "caller", and the screen content of tests and benches.

Run alone (`python -m app.capture.demo_player CLIP… --size 1280x720`) it prints the capture region of its video as
one JSON line once shown, so a bench can watch it from another process, as CallShield watches a call.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QImage, QMoveEvent, QPixmap
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.language import translate


def letterbox(rgb: np.ndarray, width: int, height: int) -> np.ndarray:
    """`rgb` scaled to fit width×height with its aspect kept, centred on black."""
    h, w = rgb.shape[:2]
    s = min(width / w, height / h)
    nw, nh = max(1, round(w * s)), max(1, round(h * s))
    out = np.zeros((height, width, 3), np.uint8)
    x, y = (width - nw) // 2, (height - nh) // 2
    interp = cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR
    out[y:y + nh, x:x + nw] = cv2.resize(rgb, (nw, nh), interpolation=interp)
    return out


class DemoPlayer(QWidget):
    """Plays `clips` one after another (looped) in a QLabel, decoding with OpenCV on a QTimer."""

    clip_started = Signal(str)  # file name of the clip now on screen
    frame_shown = Signal(object)  # the RGB frame just put up (H×W×3 uint8, never written to afterwards)
    moved = Signal()  # the video may now sit elsewhere on screen
    closed = Signal()

    def __init__(self, clips: list[Path], display_size: tuple[int, int] | None = None, loop: bool = True,
                 captions: dict[str, str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if not clips:
            raise ValueError("DemoPlayer needs at least one clip")
        self.clips = [Path(c) for c in clips]
        self.loop = loop
        self.captions = captions or {}
        self.display_size = display_size or self._clip_size(self.clips[0])
        self.setWindowTitle(translate("DemoPlayer", "CallShield demo — the caller's video"))
        self.video = QLabel()
        self.video.setFixedSize(QSize(*self.display_size))
        self.video.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.video.setStyleSheet("background: black;")
        self.caption = QLabel()  # outside the video: the detector must only see the clip
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        # Room for the overlay's frame between caption and video; its banner goes below the window.
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(16)
        layout.addWidget(self.caption)
        layout.addWidget(self.video)
        self.clip_index = -1
        self.frames_shown = 0
        self.clip_shown_at: float | None = None  # monotonic time the current clip's first frame was put up
        self._cap: cv2.VideoCapture | None = None
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._next_frame)
        self.finished = False

    @staticmethod
    def _clip_size(path: Path) -> tuple[int, int]:
        cap = cv2.VideoCapture(str(path))
        try:
            w, h = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
        finally:
            cap.release()
        if w <= 0 or h <= 0:
            raise ValueError(f"{path}: not a readable video")
        return w, h

    def start(self) -> None:
        self._open(0)

    def stop(self) -> None:
        self._timer.stop()
        if self._cap is not None:
            self._cap.release()
            self._cap = None

    def _open(self, index: int) -> None:
        self.stop()
        self.clip_index = index
        path = self.clips[index]
        self._cap = cv2.VideoCapture(str(path))
        fps = self._cap.get(cv2.CAP_PROP_FPS) or 25.0
        self._timer.start(max(1, round(1000 / (fps if 1 <= fps <= 120 else 25.0))))
        self.caption.setText(self.captions.get(path.name, path.name))
        self.clip_shown_at = None
        self._next_frame()

    def _next_frame(self) -> None:
        if self._cap is None:
            return
        ok, bgr = self._cap.read()
        if not ok or bgr is None:
            nxt = self.clip_index + 1
            if nxt >= len(self.clips) and not self.loop:
                self.stop()
                self.finished = True
                return
            self._open(nxt % len(self.clips))
            return
        rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        w, h = self.display_size
        if rgb.shape[1] != w or rgb.shape[0] != h:
            rgb = letterbox(rgb, w, h)
        image = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888)
        self.video.setPixmap(QPixmap.fromImage(image))  # fromImage copies, so `rgb` may go
        self.frames_shown += 1
        self.frame_shown.emit(rgb)
        if self.clip_shown_at is None:
            self.clip_shown_at = time.monotonic()
            self.clip_started.emit(self.clips[self.clip_index].name)

    def moveEvent(self, event: QMoveEvent) -> None:
        super().moveEvent(event)
        self.moved.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop()
        super().closeEvent(event)
        self.closed.emit()


def main(argv: list[str] | None = None) -> int:
    """Standalone player for benches: prints {"region": [left, top, width, height]} once on screen."""
    from PySide6.QtWidgets import QApplication

    from app.capture.desktop import screen_mappings, widget_capture_region

    p = argparse.ArgumentParser(prog="python -m app.capture.demo_player")
    p.add_argument("clips", nargs="+")
    p.add_argument("--size", default="", help="WIDTHxHEIGHT to letterbox the clips into")
    p.add_argument("--pos", default="40,40", help="X,Y of the window in logical pixels")
    a = p.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    size = tuple(int(v) for v in a.size.lower().split("x")) if a.size else None
    player = DemoPlayer([Path(c) for c in a.clips], size)  # type: ignore[arg-type]
    x, y = (int(v) for v in a.pos.split(","))
    player.move(x, y)
    player.show()
    player.start()

    def announce() -> None:
        region = widget_capture_region(player.video, screen_mappings())
        print(json.dumps({"region": [region.left, region.top, region.width, region.height]}), flush=True)

    QTimer.singleShot(500, announce)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
