"""Each overlay look: a frame just outside the region, a banner beside it, never over the analysed pixels."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.capture.screens import Rect, ScreenMapping, ScreenRegion
from app.monitoring.status import ALERT_TEXT, FaceStatus, ShieldLevel, ShieldStatus
from app.overlay.overlay import LOOKS, OverlayLook, OverlayWindow
from app.style import LARGE_TEXT_FACTOR, apply_text_size
from detectors.records import TrackState
from tests.app.conftest import REGION, SCREEN


@pytest.fixture
def overlay(qtbot: QtBot) -> Iterator[OverlayWindow]:
    o = OverlayWindow()
    for w in o.windows:
        qtbot.addWidget(w)
    yield o
    o.hide()


def region_qrect(r: Rect) -> QRect:
    return QRect(r.left, r.top, r.width, r.height)


def status(level: ShieldLevel, *alert_boxes: tuple[float, float, float, float]) -> ShieldStatus:
    faces = tuple(FaceStatus(i + 1, 0.9, 0.9, TrackState.POSSIBLE_SWAP, box, False) for i, box in enumerate(alert_boxes))
    return ShieldStatus(level, "why: test", faces)


@pytest.mark.parametrize(("level", "look"), [
    (ShieldLevel.NOT_MONITORING, OverlayLook.IDLE),
    (ShieldLevel.NO_FACE, OverlayLook.IDLE),
    (ShieldLevel.ANALYSING, OverlayLook.NEUTRAL),
    (ShieldLevel.LOOKS_REAL, OverlayLook.NEUTRAL),
    (ShieldLevel.VERIFIED, OverlayLook.VERIFIED),
    (ShieldLevel.POSSIBLE_SWAP, OverlayLook.ALERT),
])
def test_every_look_stays_outside_the_region(overlay: OverlayWindow, level: ShieldLevel, look: OverlayLook) -> None:
    overlay.set_region(REGION, ScreenMapping(SCREEN, SCREEN))
    overlay.show_status(status(level, (100.0, 100.0, 200.0, 240.0)) if level is ShieldLevel.POSSIBLE_SWAP
                        else status(level))
    assert overlay.look is look
    inside = region_qrect(REGION)
    thickness = LOOKS[look][0]
    for w in overlay.windows:
        assert w.isVisible()
        assert not w.geometry().intersects(inside), f"{w.windowTitle()} covers the analysed pixels"
    top, left = overlay.edges["top"].geometry(), overlay.edges["left"].geometry()
    assert top.bottom() + 1 == REGION.top and top.height() == thickness
    assert left.right() + 1 == REGION.left and left.width() == thickness
    assert overlay.banner.geometry().top() > REGION.bottom  # below the region, room permitting


def test_texts_per_look(overlay: OverlayWindow) -> None:
    overlay.set_region(REGION, ScreenMapping(SCREEN, SCREEN))
    overlay.show_status(status(ShieldLevel.NOT_MONITORING))
    assert overlay.banner.text() == "✕ CallShield is NOT monitoring — why: test"
    assert overlay.edges["top"].dashed and not overlay.edges["top"].striped
    overlay.show_status(status(ShieldLevel.LOOKS_REAL))
    assert overlay.banner.text() == "◉ CallShield · Watching — no sign of a face swap so far"
    assert not overlay.edges["top"].dashed and not overlay.edges["top"].striped
    overlay.show_status(status(ShieldLevel.POSSIBLE_SWAP, (0.0, 0.0, 64.0, 48.0)))
    assert overlay.banner.text() == f"⚠ {ALERT_TEXT}" and overlay.banner.font().bold()
    assert overlay.edges["top"].striped and overlay.banner.accessibleName() == overlay.banner.text()
    assert overlay.edges["left"].marks == [(0, 48)] and overlay.edges["right"].marks == [(0, 48)]
    assert overlay.edges["bottom"].marks == [(10, 10 + 64)]


def test_overlay_windows_are_click_through_and_never_take_focus(overlay: OverlayWindow) -> None:
    for w in overlay.windows:
        flags = w.windowFlags()
        assert flags & Qt.WindowType.WindowTransparentForInput
        assert flags & Qt.WindowType.WindowDoesNotAcceptFocus
        assert flags & Qt.WindowType.WindowStaysOnTopHint
        assert flags & Qt.WindowType.FramelessWindowHint
        assert w.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        assert w.focusPolicy() == Qt.FocusPolicy.NoFocus


def test_banner_goes_above_when_the_region_reaches_the_screen_bottom(overlay: OverlayWindow) -> None:
    low = ScreenRegion(200, 500, 640, 560)
    overlay.set_region(low, ScreenMapping(SCREEN, SCREEN))
    overlay.show_status(status(ShieldLevel.POSSIBLE_SWAP))
    assert overlay.banner.geometry().bottom() < low.top - LOOKS[OverlayLook.ALERT][0]


def test_banner_goes_beside_a_full_height_region(overlay: OverlayWindow) -> None:
    tall = ScreenRegion(100, 0, 800, 1080)
    overlay.set_region(tall, ScreenMapping(SCREEN, SCREEN))
    overlay.show_status(status(ShieldLevel.POSSIBLE_SWAP))
    banner = overlay.banner.geometry()
    assert not banner.intersects(region_qrect(tall)) and banner.left() > tall.right


def test_hidpi_region_is_framed_in_logical_pixels(overlay: OverlayWindow) -> None:
    # Capture pixels 640×480 at (400, 300) on a 200 % screen are 320×240 at (200, 150) for Qt.
    mapping = ScreenMapping(Rect(0, 0, 960, 540), Rect(0, 0, 1920, 1080))
    overlay.set_region(ScreenRegion(400, 300, 640, 480), mapping)
    overlay.show_status(status(ShieldLevel.LOOKS_REAL))
    top = overlay.edges["top"].geometry()
    assert (top.left(), top.bottom() + 1, top.width()) == (200 - 3, 150, 320 + 6)


def test_no_region_hides_everything(overlay: OverlayWindow) -> None:
    overlay.set_region(REGION, ScreenMapping(SCREEN, SCREEN))
    overlay.show_status(status(ShieldLevel.LOOKS_REAL))
    overlay.set_region(None, None)
    overlay.show_status(status(ShieldLevel.LOOKS_REAL))
    assert overlay.look is OverlayLook.HIDDEN and not any(w.isVisible() for w in overlay.windows)


def test_text_sizes_follow_the_app_font(overlay: OverlayWindow, qapp: QApplication) -> None:
    """No absolute point sizes: the banner grows with the system's font and the "large text" setting."""
    overlay.set_region(REGION, ScreenMapping(SCREEN, SCREEN))
    base = QApplication.font().pointSizeF()
    overlay.show_status(status(ShieldLevel.POSSIBLE_SWAP))
    assert overlay.banner.font().pointSizeF() == pytest.approx(base * LOOKS[OverlayLook.ALERT][4])
    try:
        apply_text_size(True)
        overlay.refresh()
        assert overlay.banner.font().pointSizeF() == pytest.approx(base * LARGE_TEXT_FACTOR * LOOKS[OverlayLook.ALERT][4])
    finally:
        apply_text_size(False)
    assert QApplication.font().pointSizeF() == pytest.approx(base)
