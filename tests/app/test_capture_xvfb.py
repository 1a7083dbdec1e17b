"""Real screen capture and the real overlay on an X display (Xvfb): what mss grabs is what Qt shows."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.capture.capture import CaptureError, MssRegionSource
from app.capture.desktop import region_mapping, screen_mappings, widget_capture_region
from app.capture.screens import ScreenRegion
from app.monitoring.status import FaceStatus, ShieldLevel, ShieldStatus
from app.overlay.overlay import OverlayWindow
from detectors.records import TrackState

pytestmark = [pytest.mark.xvfb, pytest.mark.usefixtures("x_display")]

MAGENTA = (255, 0, 255)


def solid_window(qtbot: QtBot, colour: str, x: int, y: int, w: int, h: int) -> QLabel:
    label = QLabel()
    label.setStyleSheet(f"background: {colour};")
    label.setWindowFlags(Qt.WindowType.FramelessWindowHint)
    label.setGeometry(x, y, w, h)
    qtbot.addWidget(label)
    label.show()
    qtbot.waitExposed(label)
    return label


def grab(region: ScreenRegion) -> np.ndarray:
    source = MssRegionSource(region)
    try:
        return source.grab().pixels
    finally:
        source.close()


@pytest.fixture
def overlay() -> Iterator[OverlayWindow]:
    o = OverlayWindow()
    yield o
    o.close()


def test_mss_grabs_exactly_the_window_qt_shows(qtbot: QtBot) -> None:
    label = solid_window(qtbot, "#ff00ff", 300, 200, 400, 300)
    region = widget_capture_region(label, screen_mappings())
    assert (region.width, region.height) == (400, 300)

    def shows_magenta() -> bool:
        return bool((grab(region) == MAGENTA).all())

    qtbot.waitUntil(shows_magenta, timeout=3000)


def test_overlay_is_never_in_the_captured_pixels_and_paints_no_black(qtbot: QtBot, overlay: OverlayWindow) -> None:
    backdrop = solid_window(qtbot, "#ffffff", 0, 0, 1200, 900)
    label = solid_window(qtbot, "#ff00ff", 300, 200, 400, 300)
    mappings = screen_mappings()
    region = widget_capture_region(label, mappings)
    overlay.set_region(region, region_mapping(region, mappings))
    face = FaceStatus(1, 0.97, 0.97, TrackState.POSSIBLE_SWAP, (100.0, 50.0, 220.0, 200.0), False)
    overlay.show_status(ShieldStatus(ShieldLevel.POSSIBLE_SWAP, "test", (face,)))
    for w in overlay.windows:
        qtbot.waitExposed(w)
    around = ScreenRegion(region.left - 40, region.top - 40, region.width + 80, region.height + 80)

    def frame_is_drawn() -> bool:  # the red of the striped alert edge, just above the region
        return [224, 0, 0] in grab(around)[40 - 5, 40:40 + region.width].tolist()

    qtbot.waitUntil(frame_is_drawn, timeout=3000)
    assert (grab(region) == MAGENTA).all(), "the overlay shows up in the analysed pixels"
    shot = grab(around)
    assert [255, 255, 255] in shot[40 - 5, 40:40 + 90].tolist()  # red and white stripes: not colour alone
    assert shot[40 - 5, 40 + 150].tolist() == [255, 214, 0]  # the face mark on the top edge (x 100…220)
    # Outside the 10 px frame, left and above, the white backdrop shows: no black "transparent" areas.
    assert (shot[:25, :] == 255).all() and (shot[:, :25] == 255).all()
    backdrop.close()


def test_overlay_does_not_take_focus(qtbot: QtBot, overlay: OverlayWindow) -> None:
    call = QWidget()
    call.setWindowTitle("the call")
    call.setGeometry(100, 100, 500, 400)
    qtbot.addWidget(call)
    call.show()
    call.activateWindow()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is call.windowHandle(), timeout=3000)
    mappings = screen_mappings()
    region = ScreenRegion(150, 150, 300, 200)
    overlay.set_region(region, region_mapping(region, mappings))
    overlay.show_status(ShieldStatus(ShieldLevel.POSSIBLE_SWAP, "test"))
    for w in overlay.windows:
        qtbot.waitExposed(w)
    assert QGuiApplication.focusWindow() is call.windowHandle()


def test_region_off_screen_is_reported() -> None:
    with pytest.raises(CaptureError, match="off screen"):
        MssRegionSource(ScreenRegion(1800, 100, 640, 480))  # the Xvfb screen is 1920 wide


HIDPI_SCRIPT = textwrap.dedent("""
    import numpy as np
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QLabel
    from app.capture.capture import MssRegionSource
    from app.capture.desktop import screen_mappings, widget_capture_region
    app = QApplication([])
    label = QLabel()
    label.setStyleSheet("background: #ff00ff;")
    label.setWindowFlags(Qt.WindowType.FramelessWindowHint)
    label.setGeometry(150, 100, 200, 150)
    label.show()
    def check():
        region = widget_capture_region(label, screen_mappings())
        pixels = MssRegionSource(region).grab().pixels
        print(app.primaryScreen().devicePixelRatio(), region.to_text(), bool((pixels == (255, 0, 255)).all()))
        app.quit()
    QTimer.singleShot(1500, check)
    app.exec()
""")


def test_hidpi_region_maps_to_physical_pixels() -> None:
    # Qt at 200 %: logical 200×150 at (150, 100) is physical 400×300 at (300, 200); mss must grab exactly that.
    env = {**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": "xcb"}
    out = subprocess.run([sys.executable, "-c", HIDPI_SCRIPT], env=env, capture_output=True, text=True, timeout=60,
                         check=True)
    assert out.stdout.split() == ["2.0", "300,200,400,300", "True"], out.stderr
