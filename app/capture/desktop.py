"""The live desktop: Qt's screens paired with mss's monitors, and where a widget sits in capture pixels."""

from __future__ import annotations

import mss
from PySide6.QtCore import QPoint
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from app.capture.screens import Rect, ScreenMapping, ScreenRegion, mapping_for_capture, mapping_for_logical, match_screens


def mss_monitors() -> list[dict]:
    """The monitors (index 1…) as mss sees them now; a fresh instance, since mss caches the layout."""
    with mss.MSS() as sct:
        return [dict(m) for m in sct.monitors[1:]]


def screen_mappings(monitors: list[dict] | None = None) -> list[ScreenMapping]:
    """Every Qt screen paired with its mss monitor."""
    qt = []
    for s in QGuiApplication.screens():
        g = s.geometry()
        qt.append((Rect(g.x(), g.y(), g.width(), g.height()), s.devicePixelRatio(), s.name()))
    return match_screens(qt, mss_monitors() if monitors is None else monitors)


def widget_logical_rect(widget: QWidget) -> Rect:
    """A widget's on-screen rectangle in Qt logical pixels."""
    top_left = widget.mapToGlobal(QPoint(0, 0))
    return Rect(top_left.x(), top_left.y(), widget.width(), widget.height())


def widget_capture_region(widget: QWidget, mappings: list[ScreenMapping]) -> ScreenRegion:
    """The capture region that shows exactly `widget`; ValueError when it is on no known screen."""
    logical = widget_logical_rect(widget)
    mapping = mapping_for_logical(mappings, logical)
    if mapping is None:
        raise ValueError(f"the window at {logical.describe()} is on no screen that can be captured")
    r = mapping.to_capture(logical)
    return ScreenRegion(r.left, r.top, r.width, r.height)


def region_mapping(region: ScreenRegion, mappings: list[ScreenMapping]) -> ScreenMapping | None:
    return mapping_for_capture(mappings, region)
