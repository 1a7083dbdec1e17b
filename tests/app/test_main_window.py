"""The app's window, overlay and controller on a scripted sequence of verdicts (no engine, no screen)."""

from __future__ import annotations

import json
import time
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from app.capture.screens import ScreenMapping
from app.main import CallShieldApp
from app.monitoring.audit_log import AuditLog
from app.monitoring.settings import AppSettings, SettingsStore
from app.monitoring.status import ALERT_TEXT, RunMode, ShieldLevel
from app.overlay.overlay import OverlayLook
from app.windows.main_window import DAMAGED_FILE_TITLE
from detectors.records import EngineInfo, MonitorState, TrackState
from tests.app.conftest import REGION, ScriptedEngine, SyntheticSource, face, verdict

CALM = "Watching — no sign of a face swap so far"




def running(shell: CallShieldApp) -> CallShieldApp:
    """As if the worker had loaded the engine and monitoring had started; verdicts are then fed by hand."""
    shell.controller.handle_engine_ready(EngineInfo("cpu", "test-model", 0.6))
    assert shell.controller.start()
    return shell


def test_scripted_verdicts_drive_window_and_overlay(shell: CallShieldApp, qtbot: QtBot) -> None:
    c, w, o = shell.controller, shell.window, shell.overlay
    assert w.banner.text() == "Not monitoring" and o.look is OverlayLook.IDLE
    running(shell)
    script = [
        (verdict(MonitorState.NO_FACE), "Not monitoring — no face", OverlayLook.IDLE),
        (verdict(MonitorState.ANALYSING, face(state=TrackState.ANALYSING, score=None)), "Watching — checking the face…",
         OverlayLook.NEUTRAL),
        (verdict(MonitorState.LOOKS_REAL, face(score=0.12)), CALM, OverlayLook.NEUTRAL),
        (verdict(MonitorState.POSSIBLE_SWAP, face(state=TrackState.POSSIBLE_SWAP, score=0.93)), "POSSIBLE AI FACE SWAP",
         OverlayLook.ALERT),
        (verdict(MonitorState.NOT_MONITORING, message="engine error: RuntimeError: boom"), "Not monitoring",
         OverlayLook.IDLE),
        (verdict(MonitorState.LOOKS_REAL, face(score=0.2)), CALM, OverlayLook.NEUTRAL),
    ]
    for v, headline, look in script:
        with qtbot.waitSignal(c.status_changed, timeout=1000):
            c.handle_verdict(v)
        assert w.banner.text() == headline, v.state
        assert o.look is look, v.state
    assert w.faces.rowCount() == 1 and w.faces.item(0, 1).text() == "0.20"
    assert "engine error" not in w.detail.text()


def test_alert_shows_banner_verify_button_and_marks_the_face(shell: CallShieldApp, qtbot: QtBot) -> None:
    running(shell)
    c = shell.controller
    with qtbot.waitSignal(c.alert_raised, timeout=1000) as raised:
        c.handle_verdict(verdict(MonitorState.POSSIBLE_SWAP,
                                 face(3, TrackState.POSSIBLE_SWAP, 0.95, box=(160.0, 120.0, 320.0, 360.0))))
    assert [f.track_id for f in raised.args[0]] == [3]
    assert ALERT_TEXT in shell.overlay.text
    assert shell.overlay.face_spans == [((0.25, 0.5), (0.25, 0.75))]  # box / 640×480 region
    top = shell.overlay.edges["top"]
    assert top.marks == [(10 + 160, 10 + 320)]  # inside the 10 px alert edge, offset by its overhang
    assert shell.window.verify_button.isVisible()
    assert shell.window.verify_button.text() == "I verified this caller (face 3)"


def test_acknowledge_quiets_that_face_only_and_is_logged(shell: CallShieldApp, qtbot: QtBot,
                                                         audit_log: AuditLog) -> None:
    running(shell)
    c, w = shell.controller, shell.window
    two = verdict(MonitorState.POSSIBLE_SWAP, face(1, TrackState.POSSIBLE_SWAP, 0.91),
                  face(2, TrackState.POSSIBLE_SWAP, 0.88, box=(400.0, 100.0, 500.0, 220.0)))
    c.handle_verdict(two)
    assert w.verify_button.menu() is not None  # two faces: the user picks which one was verified
    record = c.acknowledge(1)
    assert record is not None and record["track_id"] == 1 and record["score"] == 0.91
    c.handle_verdict(two)
    assert c.status.level is ShieldLevel.POSSIBLE_SWAP and [f.track_id for f in c.status.alert_faces] == [2]
    assert shell.overlay.look is OverlayLook.ALERT and len(shell.overlay.face_spans) == 1
    qtbot.mouseClick(w.verify_button, Qt.MouseButton.LeftButton)  # one alerting face left: a plain button
    c.handle_verdict(two)
    assert c.status.level is ShieldLevel.VERIFIED and shell.overlay.look is OverlayLook.VERIFIED
    assert w.faces.item(0, 3).text() == "verified by you"
    lines = [json.loads(line) for line in audit_log.path.read_text().splitlines()]
    assert [(r["event"], r["track_id"]) for r in lines] == [("caller_verified", 1), ("caller_verified", 2)]
    assert all(r["model"] == "test-model" and r["region"] == REGION.to_text() and "time" in r for r in lines)
    assert c.acknowledge(2) is None  # once per face


def test_verdict_turns_stale_without_fresh_analysis(shell: CallShieldApp, qtbot: QtBot) -> None:
    running(shell)
    c = shell.controller
    c.handle_verdict(verdict(MonitorState.LOOKS_REAL, face(), timestamp=time.monotonic() - 1.7))
    assert c.status.level is ShieldLevel.LOOKS_REAL
    with qtbot.waitSignal(c.status_changed, timeout=2000,
                          check_params_cb=lambda s: s.level is ShieldLevel.NOT_MONITORING):
        pass  # the stale check runs on its own timer: no new verdict needed
    assert shell.window.banner.text() == "Not monitoring" and "no fresh analysis" in shell.window.detail.text()
    assert shell.overlay.look is OverlayLook.IDLE and "NOT monitoring" in shell.overlay.text


def test_pause_shortcut_and_buttons(shell: CallShieldApp, qtbot: QtBot) -> None:
    running(shell)
    c, w = shell.controller, shell.window
    c.handle_verdict(verdict(MonitorState.LOOKS_REAL, face()))
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=2000)
    qtbot.keyClick(w, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert c.mode is RunMode.PAUSED and w.banner.text() == "Not monitoring" and "paused" in w.detail.text()
    assert w.pause_button.text().startswith("Resume")
    c.handle_verdict(verdict(MonitorState.LOOKS_REAL, face()))  # one that was in flight when paused
    assert c.status.level is ShieldLevel.NOT_MONITORING
    qtbot.keyClick(w, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert c.mode is RunMode.RUNNING
    qtbot.mouseClick(w.stop_button, Qt.MouseButton.LeftButton)
    assert c.mode is RunMode.STOPPED and w.start_button.isEnabled() and "stopped" in w.detail.text()


def test_model_not_loaded_says_so(shell: CallShieldApp, qtbot: QtBot) -> None:
    c = shell.controller
    assert c.start()
    c.handle_engine_unavailable("model not loaded — assets/models/callshield-lite0.json is missing")
    c.handle_verdict(verdict(MonitorState.LOOKS_REAL, face()))  # cannot happen, but must not look safe
    assert shell.window.banner.text() == "Not monitoring"
    assert "callshield-lite0.json is missing" in shell.window.detail.text()
    assert "callshield-lite0.json is missing" in shell.overlay.text
    assert shell.window.engine_label.text() == "model not loaded"


def test_controller_with_real_worker_thread_delivers_on_the_gui_thread(
        qtbot: QtBot, store: SettingsStore, audit_log: AuditLog, flat_screen: list[ScreenMapping]) -> None:
    store.update(welcome_shown=True, sound=False, max_fps=30.0)
    app = CallShieldApp(store, lambda cfg: ScriptedEngine(), SyntheticSource, audit_log, lambda: flat_screen)
    qtbot.addWidget(app.window)
    app.controller.set_region(REGION)
    try:
        with qtbot.waitSignal(app.controller.engine_changed, timeout=30_000):
            app.controller.start_worker()
        with qtbot.waitSignal(app.controller.status_changed, timeout=5000,
                              check_params_cb=lambda s: s.level is ShieldLevel.LOOKS_REAL):
            app.controller.start()
    finally:
        app.shutdown()
    assert not app.controller.thread.isRunning()


def test_first_start_welcomes_then_plays_the_demo(qtbot: QtBot, store: SettingsStore, audit_log: AuditLog,
                                                  flat_screen: list[ScreenMapping]) -> None:
    app = CallShieldApp(store, lambda cfg: ScriptedEngine(), SyntheticSource, audit_log, lambda: flat_screen)
    qtbot.addWidget(app.window)
    try:
        app.launch()
        assert app.welcome is not None and app.welcome.isVisible()
        assert "cannot prove" in app.welcome.findChildren(QLabel)[0].text()
        demo_button = next(b for b in app.welcome.findChildren(QPushButton) if b.text() == "Try the demo")
        with qtbot.waitSignal(app.controller.region_changed, timeout=5000):
            qtbot.mouseClick(demo_button, Qt.MouseButton.LeftButton)
        assert store.load().welcome_shown
        assert app.demo is not None and app.controller.mode is RunMode.RUNNING
        assert store.load().region is None  # the demo's region is not the user's
        app.demo.close()  # closing the demo goes back to the user's own region: none yet, so stopped
        assert app.demo is None and app.controller.region is None and app.controller.mode is RunMode.STOPPED
    finally:
        app.shutdown()


def test_settings_dialog_edits_reach_the_worker(qtbot: QtBot, shell: CallShieldApp, store: SettingsStore,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from app.windows.dialogs import SettingsDialog

    def fake_exec(dialog: SettingsDialog) -> int:
        dialog.sensitivity.setValue(5)
        dialog.max_fps.setValue(4)
        dialog.device.setCurrentIndex(dialog.device.findData("cpu"))
        dialog.sound.setChecked(True)
        return 1

    monkeypatch.setattr(SettingsDialog, "exec", fake_exec)
    shell.edit_settings()
    saved = store.load()
    assert (saved.sensitivity, saved.max_fps, saved.device, saved.sound) == (0.5, 4.0, "cpu", True)
    assert saved.region is None  # the dialog leaves the region alone
    config = shell.controller.worker.config
    assert (config.sensitivity, config.max_fps, config.device) == (0.5, 4.0, "cpu")
    assert config.pipeline_config().sensitivity == 0.5 and config.pipeline_config().device == "cpu"


def test_damaged_model_shows_one_message_per_problem_and_stays_not_monitoring(
        qtbot: QtBot, store: SettingsStore, audit_log: AuditLog, flat_screen: list[ScreenMapping],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from detectors.classifiers.weights import WeightsError

    monkeypatch.setattr("app.monitoring.worker.ENGINE_RETRY_S", 0.05)
    problem = ["model file assets/models/callshield-lite0.pt has 12 bytes, expected 13: truncated or replaced"]
    attempts: list[object] = []

    def damaged(cfg: object) -> ScriptedEngine:
        attempts.append(cfg)
        raise WeightsError(problem[0])

    store.update(welcome_shown=True, sound=False)
    app = CallShieldApp(store, damaged, SyntheticSource, audit_log, lambda: flat_screen)
    qtbot.addWidget(app.window)
    app.window.show()
    app.controller.set_region(REGION)

    def boxes() -> list[QMessageBox]:
        return [b for b in app.window.findChildren(QMessageBox) if b.windowTitle() == DAMAGED_FILE_TITLE]

    try:
        app.controller.start_worker()
        assert app.controller.start()
        qtbot.waitUntil(lambda: len(attempts) >= 4 and len(boxes()) == 1, timeout=30_000)
        qtbot.wait(200)  # the reports of later retries have arrived too
        assert len(boxes()) == 1  # one message for the same damage, however often the worker retries
        box = boxes()[0]
        assert box.text() == f"{problem[0]}\n\nPlease reinstall CallShield."
        assert box.icon() is QMessageBox.Icon.Critical and box.isVisible()
        assert app.window.banner.text() == "Not monitoring" and "truncated or replaced" in app.window.detail.text()
        assert app.overlay.look is OverlayLook.IDLE and "NOT monitoring" in app.overlay.text
        box.close()  # deletes itself: nothing piles up
        qtbot.waitUntil(lambda: not boxes(), timeout=2000)
        problem[0] = "model config assets/models/callshield-lite0.json is missing"
        qtbot.waitUntil(lambda: len(boxes()) == 1, timeout=5000)  # a different damage is news
        assert "callshield-lite0.json is missing" in boxes()[0].text()
        assert app.controller.status.level is ShieldLevel.NOT_MONITORING
    finally:
        app.shutdown()


def test_optional_alarm_repeats_while_a_warning_stands(shell: CallShieldApp, qtbot: QtBot,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QApplication

    beeps: list[int] = []
    monkeypatch.setattr(QApplication, "beep", lambda: beeps.append(1))
    running(shell)
    c = shell.controller
    alert = verdict(MonitorState.POSSIBLE_SWAP, face(1, TrackState.POSSIBLE_SWAP, 0.93))
    assert AppSettings().sound is False  # off by default
    c.handle_verdict(alert)
    assert not beeps and not shell._alarm.isActive()
    c.handle_verdict(verdict(MonitorState.LOOKS_REAL, face()))
    c.apply_settings(replace(c.settings, sound=True))
    shell._alarm.setInterval(50)
    c.handle_verdict(verdict(MonitorState.POSSIBLE_SWAP, face(2, TrackState.POSSIBLE_SWAP, 0.95)))
    qtbot.waitUntil(lambda: len(beeps) >= 3, timeout=2000)  # the first beep, then repeats
    c.handle_verdict(verdict(MonitorState.LOOKS_REAL, face()))
    assert not shell._alarm.isActive()
