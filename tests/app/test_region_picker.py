"""Rubber-band picking over a frozen screenshot, in logical pixels, returned in capture pixels."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from app.capture.region_picker import RegionPicker
from app.capture.screens import Rect, ScreenMapping, ScreenRegion


def drag(qtbot: QtBot, widget, start: QPoint, end: QPoint) -> None:
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(widget, end)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=end)


def hidpi_picker(qtbot: QtBot, current: ScreenRegion | None = None) -> RegionPicker:
    mapping = ScreenMapping(Rect(0, 0, 960, 540), Rect(0, 0, 1920, 1080))
    shot = np.zeros((1080, 1920, 3), np.uint8)
    picker = RegionPicker([mapping], [shot], current)
    for pane in picker.panes:
        qtbot.addWidget(pane)
    picker.show()
    return picker


def test_drag_on_a_hidpi_screen_gives_physical_pixels(qtbot: QtBot) -> None:
    picker = hidpi_picker(qtbot)
    pane = picker.panes[0]
    with qtbot.waitSignal(picker.picked, timeout=2000) as picked:
        drag(qtbot, pane, QPoint(100, 50), QPoint(420, 290))
    assert picked.args[0] == ScreenRegion(200, 100, 640, 480)
    assert not picker.panes  # closed after picking


def test_a_click_without_a_drag_keeps_the_picker_open(qtbot: QtBot) -> None:
    picker = hidpi_picker(qtbot)
    pane = picker.panes[0]
    with qtbot.assertNotEmitted(picker.picked):
        drag(qtbot, pane, QPoint(100, 50), QPoint(105, 52))
    assert "Too small" in pane.note and picker.panes


def test_escape_cancels(qtbot: QtBot) -> None:
    picker = hidpi_picker(qtbot, current=ScreenRegion(200, 100, 640, 480))
    assert picker.panes[0].current == Rect(100, 50, 320, 240)  # the old region is drawn for reference
    with qtbot.waitSignal(picker.cancelled, timeout=2000):
        qtbot.keyClick(picker.panes[0], Qt.Key.Key_Escape)
    assert not picker.panes
