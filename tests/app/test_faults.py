"""Injected faults end in a state the user can see, and recover by themselves where they can (docs/faults.md)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.main import CallShieldApp
from app.monitoring.audit_log import AuditLog
from app.monitoring.settings import AppSettings, SettingsStore
from app.monitoring.status import ShieldLevel
from detectors.records import Frame, MonitorState, Verdict
from tests.app.conftest import REGION, ScriptedEngine, SyntheticSource, face, verdict


def test_damaged_settings_file_is_set_aside_and_the_app_starts_with_defaults(qtbot: QtBot, tmp_path: Path,
                                                                              flat_screen: list) -> None:
    path = tmp_path / "settings.ini"
    path.write_bytes(b"\x00\xff\xfe garbage \x00\n[engine\nsensitivity=")
    store = SettingsStore(QSettings(str(path), QSettings.Format.IniFormat))
    assert store.damaged_file is not None and store.damaged_file.read_bytes().startswith(b"\x00\xff\xfe")
    assert store.load() == AppSettings()
    store.update(welcome_shown=True)  # the fresh file is writable and readable again
    assert SettingsStore(QSettings(str(path), QSettings.Format.IniFormat)).load().welcome_shown
    app = CallShieldApp(store, lambda cfg: ScriptedEngine(), SyntheticSource, AuditLog(tmp_path / "a.jsonl"),
                        lambda: flat_screen)
    qtbot.addWidget(app.window)
    try:
        app.launch()
        notice = app.window.findChild(QMessageBox, "settings-reset-notice")
        assert notice is not None and notice.isVisible() and str(store.damaged_file) in notice.text()
    finally:
        app.shutdown()


class StallingEngine(ScriptedEngine):
    """Answers at once until `stall` is set; then one frame hangs until `release` is set (a stuck driver)."""

    def __init__(self) -> None:
        super().__init__(lambda f: verdict(MonitorState.LOOKS_REAL, face(), timestamp=time.monotonic()))
        self.stall, self.release = threading.Event(), threading.Event()

    def process(self, frame: Frame) -> Verdict:
        if self.stall.is_set():
            self.release.wait(20)
            self.stall.clear()
        return super().process(frame)


def test_a_stalled_worker_shows_not_monitoring_within_2_s_and_recovers(qtbot: QtBot, store: SettingsStore,
                                                                       audit_log: AuditLog, flat_screen: list) -> None:
    engine = StallingEngine()
    store.update(welcome_shown=True, sound=False)
    app = CallShieldApp(store, lambda cfg: engine, SyntheticSource, audit_log, lambda: flat_screen)
    qtbot.addWidget(app.window)
    c = app.controller
    try:
        with qtbot.waitSignal(c.engine_changed, timeout=30_000):
            app.launch()
        c.set_region(REGION)
        c.start()
        qtbot.waitUntil(lambda: c.status.level is ShieldLevel.LOOKS_REAL, timeout=5000)
        engine.stall.set()
        stalled_at = time.monotonic()
        qtbot.waitUntil(lambda: c.status.level is ShieldLevel.NOT_MONITORING, timeout=4000)
        assert time.monotonic() - stalled_at < 2.0 + 0.6 + 0.3  # stale after 2 s, checked every 0.5 s
        assert "no fresh analysis" in c.status.detail and "NOT monitoring" in app.overlay.text
        engine.release.set()
        qtbot.waitUntil(lambda: c.status.level is ShieldLevel.LOOKS_REAL, timeout=5000)
    finally:
        engine.release.set()
        app.shutdown()
