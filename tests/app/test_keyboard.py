"""The whole app from the keyboard alone: pick a region, start, acknowledge a warning, open and change settings."""

from __future__ import annotations

import json
from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.capture.region_picker import KEY_STEP
from app.capture.screens import ScreenMapping, ScreenRegion
from app.main import CallShieldApp
from app.monitoring.audit_log import AuditLog
from app.monitoring.settings import SettingsStore
from app.monitoring.status import RunMode, ShieldLevel
from app.style import apply_text_size
from app.windows.dialogs import SettingsDialog
from detectors.records import EngineInfo, MonitorState, TrackState
from tests.app.conftest import ScriptedEngine, SyntheticSource, face, verdict

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def shell(qtbot: QtBot, store: SettingsStore, audit_log: AuditLog, flat_screen: list[ScreenMapping],
          monkeypatch: pytest.MonkeyPatch) -> Iterator[CallShieldApp]:
    # The frozen screenshot the picker shows: a blank screen (offscreen Qt has nothing to grab).
    monkeypatch.setattr("app.main.grab_screens", lambda mappings: [np.zeros((1080, 1920, 3), np.uint8)])
    store.update(welcome_shown=True, sound=False)
    app = CallShieldApp(store, lambda cfg: ScriptedEngine(), SyntheticSource, audit_log, lambda: flat_screen)
    qtbot.addWidget(app.window)
    app.window.show()
    app.controller.handle_engine_ready(EngineInfo("cpu", "test-model", 0.6))  # as if the worker had loaded it
    yield app
    app.shutdown()
    apply_text_size(False)


def focused(fallback: QWidget) -> QWidget:
    """Where Qt delivers a key now: a keyboard grab (the region picker) first, else the focus widget."""
    return QWidget.keyboardGrabber() or QApplication.focusWidget() or fallback


def press(qtbot: QtBot, fallback: QWidget, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
          times: int = 1) -> None:
    """A key press where the keyboard focus is, as a user would type it."""
    for _ in range(times):
        qtbot.keyClick(focused(fallback), key, modifiers)


def tab_to(qtbot: QtBot, window: QWidget, target: QWidget, limit: int = 40) -> None:
    for _ in range(limit):
        if focused(window) is target:
            return
        press(qtbot, window, Qt.Key.Key_Tab)
    pytest.fail(f"Tab never reached {target!r}; stuck at {focused(window)!r}")


def activate(qtbot: QtBot, window: QWidget) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)


def test_keyboard_only_pick_start_acknowledge_and_settings(shell: CallShieldApp, qtbot: QtBot, store: SettingsStore,
                                                           audit_log: AuditLog) -> None:
    w, c = shell.window, shell.controller
    activate(qtbot, w)
    # Ctrl+R opens the picker; the first arrow key puts a box in the middle of the screen, arrows move it,
    # Shift+arrows resize it, Enter confirms: monitoring starts on it.
    press(qtbot, w, Qt.Key.Key_R, CTRL)
    qtbot.waitUntil(lambda: shell.picker is not None, timeout=3000)
    pane = shell.picker.panes[0]
    press(qtbot, pane, Qt.Key.Key_Right)
    press(qtbot, pane, Qt.Key.Key_Right, times=2)
    press(qtbot, pane, Qt.Key.Key_Down)
    press(qtbot, pane, Qt.Key.Key_Left, SHIFT, times=3)
    with qtbot.waitSignal(c.region_changed, timeout=2000):
        press(qtbot, pane, Qt.Key.Key_Return)
    wanted = ScreenRegion(480 + 2 * KEY_STEP, 270 + KEY_STEP, 960 - 3 * KEY_STEP, 540)
    assert c.region == wanted and store.load().region == wanted and c.mode is RunMode.RUNNING
    # Stop, then start again with Ctrl+Enter.
    activate(qtbot, w)
    tab_to(qtbot, w, w.stop_button)
    press(qtbot, w, Qt.Key.Key_Space)
    assert c.mode is RunMode.STOPPED
    press(qtbot, w, Qt.Key.Key_Return, CTRL)
    assert c.mode is RunMode.RUNNING
    # A warning: Tab reaches "I verified this caller", Space acknowledges it.
    alert = verdict(MonitorState.POSSIBLE_SWAP, face(4, TrackState.POSSIBLE_SWAP, 0.94))
    c.handle_verdict(alert)
    assert w.verify_button.isVisible() and w.verify_action.isEnabled()
    tab_to(qtbot, w, w.verify_button)
    press(qtbot, w, Qt.Key.Key_Space)
    c.handle_verdict(alert)
    assert c.status.level is ShieldLevel.VERIFIED and not w.verify_button.isVisible()
    assert [json.loads(x)["track_id"] for x in audit_log.path.read_text().splitlines()] == [4]
    # Ctrl+, opens Settings; Tab to "large text", Space ticks it, Enter saves.
    seen: list[str] = []
    failed: list[BaseException] = []

    def in_dialog(tries: int = 100) -> None:
        shown = [d for d in QApplication.topLevelWidgets() if isinstance(d, SettingsDialog) and d.isVisible()]
        if not shown:
            if tries:  # not shown yet (a loaded machine): look again shortly
                QTimer.singleShot(100, lambda: in_dialog(tries - 1))
            else:
                failed.append(AssertionError("Ctrl+, showed no settings dialog within 10 s"))
            return
        dialog = shown[0]
        if not dialog.isAncestorOf(QApplication.focusWidget()) and tries:  # shown, not yet given the keyboard
            dialog.activateWindow()
            QTimer.singleShot(100, lambda: in_dialog(tries - 1))
            return
        try:
            seen.append(dialog.windowTitle())
            tab_to(qtbot, dialog, dialog.large_text)
            press(qtbot, dialog, Qt.Key.Key_Space)
            press(qtbot, dialog, Qt.Key.Key_Return)
        except BaseException as err:  # a failed step must close the modal dialog, or exec() waits for ever
            failed.append(err)
            dialog.reject()

    QTimer.singleShot(100, in_dialog)
    activate(qtbot, w)
    press(qtbot, w, Qt.Key.Key_Comma, CTRL)
    assert not failed, failed
    assert seen == ["CallShield settings"] and store.load().large_text


def test_ctrl_shift_v_acknowledges_without_the_mouse(shell: CallShieldApp, qtbot: QtBot) -> None:
    w, c = shell.window, shell.controller
    c.set_region(ScreenRegion(200, 150, 640, 480))
    assert c.start()
    c.handle_verdict(verdict(MonitorState.POSSIBLE_SWAP, face(2, TrackState.POSSIBLE_SWAP, 0.9)))
    activate(qtbot, w)
    press(qtbot, w, Qt.Key.Key_V, CTRL | SHIFT)
    assert c.tracker.acknowledged == frozenset({2})


def test_escape_cancels_the_picker_and_a_sliver_is_refused(shell: CallShieldApp, qtbot: QtBot) -> None:
    activate(qtbot, shell.window)
    press(qtbot, shell.window, Qt.Key.Key_R, CTRL)
    qtbot.waitUntil(lambda: shell.picker is not None, timeout=3000)
    pane = shell.picker.panes[0]
    press(qtbot, pane, Qt.Key.Key_Down)
    press(qtbot, pane, Qt.Key.Key_Up, SHIFT, times=60)  # shrunk to a sliver
    press(qtbot, pane, Qt.Key.Key_Return)
    assert shell.picker is not None and "Too small" in pane.note
    press(qtbot, pane, Qt.Key.Key_Escape)
    assert shell.picker is None and shell.controller.region is None
