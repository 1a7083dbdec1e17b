"""Call-centre mode in the app: sessions from the controller's signals, the Sessions dialog and its report, the
settings group, and a failing SIEM forwarder in the status line (offscreen Qt, no engine, no screen)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths
from pytestqt.qtbot import QtBot

from app.audit.chain import verify_file
from app.audit.event_log import EventLog, data_folder, day_files
from app.audit.sessions import load_sessions, read_events
from app.capture.screens import ScreenMapping
from app.main import CallShieldApp, parse_args
from app.monitoring.audit_log import AuditLog
from app.monitoring.call_centre import CallIdentity
from app.monitoring.settings import AppSettings, SettingsStore
from app.monitoring.status import ShieldLevel
from detectors.records import EngineInfo, MonitorState, TrackState
from tests.app.conftest import REGION, ScriptedEngine, SyntheticSource, face, verdict


@pytest.fixture
def shell(qtbot: QtBot, store: SettingsStore, audit_log: AuditLog,
          flat_screen: list[ScreenMapping]) -> Iterator[CallShieldApp]:
    store.update(welcome_shown=True, sound=False, operator="agent-42")
    app = CallShieldApp(store, lambda cfg: ScriptedEngine(), SyntheticSource, audit_log, lambda: flat_screen,
                        identity=CallIdentity(call_ref="CASE-9"))
    qtbot.addWidget(app.window)
    app.window.show()
    app.controller.set_region(REGION)
    yield app
    app.shutdown()


def _events(shell: CallShieldApp) -> list[dict]:
    [path] = day_files(shell.call_centre.folder)
    return read_events(path)


def test_a_monitored_call_is_one_complete_session(shell: CallShieldApp, qtbot: QtBot) -> None:
    c = shell.controller
    c.handle_engine_ready(EngineInfo("cpu", "test-model", 0.6))
    assert shell.call_centre.folder.parent == shell.controller.audit_log.path.parent  # beside the decisions log
    c.start()
    c.handle_verdict(verdict(MonitorState.LOOKS_REAL, face(1, score=0.2)))
    c.handle_verdict(verdict(MonitorState.POSSIBLE_SWAP, face(1, TrackState.POSSIBLE_SWAP, 0.95)))
    c.acknowledge(1)
    c.pause()
    c.start()
    c.handle_verdict(verdict(MonitorState.LOOKS_REAL, face(1, score=0.2)))
    shell.call_centre.session.challenge_result("turn_head", passed=True)
    c.stop()
    events = _events(shell)
    kinds = [e["event"] for e in events if e["event"] != "scores"]
    assert kinds[:2] == ["log_opened", "session_started"] and kinds[-1] == "session_stopped"
    paused = next(i for i, e in enumerate(e for e in events if e["event"] != "scores")
                  if e["event"] == "not_monitoring" and e["reason"].startswith("paused"))
    assert kinds.index("alert") < kinds.index("acknowledged") < paused < kinds.index("challenge_result")
    started = events[1]
    assert (started["operator"], started["call_ref"], started["model"], started["device"]) == (
        "agent-42", "CASE-9", "test-model", "cpu")
    assert started["region"] == REGION.to_text() and started["settings"]["max_fps"] == 10.0
    states = [e["state"] for e in events if e["event"] == "state_changed"]
    assert states[:3] == ["not_monitoring", "looks_real", "possible_swap"] and "verified" in states
    alert = next(e for e in events if e["event"] == "alert")
    assert alert["alerting"] == [1] and alert["faces"][0]["score"] == 0.95
    ack = next(e for e in events if e["event"] == "acknowledged")
    assert ack["by"] == "agent-42" and ack["track_id"] == 1
    gap = next(e for e in events if e["event"] == "not_monitoring" and e["reason"].startswith("paused"))
    assert gap["seconds"] >= 0
    assert len({e["session"] for e in events[1:]}) == 1 and verify_file(day_files(shell.call_centre.folder)[0]).ok


def test_sessions_dialog_writes_the_report_of_a_finished_session(shell: CallShieldApp, qtbot: QtBot,
                                                                  tmp_path: Path) -> None:
    c = shell.controller
    c.handle_engine_ready(EngineInfo("cpu", "test-model", 0.6))
    c.start()
    c.handle_verdict(verdict(MonitorState.POSSIBLE_SWAP, face(2, TrackState.POSSIBLE_SWAP, 0.97)))
    c.stop()
    c.start()  # a second session, still running
    dialog = shell.call_centre_ui.show_sessions()  # the window owns it; it deletes itself on close
    assert dialog.table.rowCount() == 2
    dialog.reports = tmp_path / "reports"
    dialog.table.selectRow(0)  # newest first: the running one
    assert not dialog.report_button.isEnabled()
    dialog.table.selectRow(1)
    assert dialog.report_button.isEnabled() and dialog.table.item(1, 2).text() == "CASE-9"
    html, pdf = dialog.write_report()
    assert html.exists() and pdf.read_bytes()[:5] == b"%PDF-" and "Report written" in dialog.message.text()
    dialog.close()


def test_the_call_reference_typed_in_the_bar_names_the_next_session(shell: CallShieldApp) -> None:
    shell.call_centre_ui.bar.call_ref.setText("  TICKET-77 ")
    shell.controller.start()
    shell.controller.stop()
    assert [s.started["call_ref"] for s in load_sessions(shell.call_centre.folder).values()] == ["TICKET-77"]
    assert "agent-42" in shell.call_centre_ui.bar.operator.text()


def test_call_centre_settings_survive_a_restart(tmp_path: Path) -> None:
    path = str(tmp_path / "settings.ini")
    wanted = AppSettings(operator="Ana (ID 17)", retention_days=30, evidence_frames=True, syslog_enabled=True,
                         syslog_host="siem.example", syslog_port=6514, syslog_protocol="tcp", json_file_enabled=True,
                         json_file_path="/var/log/cs.jsonl")
    SettingsStore(QSettings(path, QSettings.Format.IniFormat)).save(wanted)
    assert SettingsStore(QSettings(path, QSettings.Format.IniFormat)).load() == wanted
    defaults = AppSettings()
    assert not defaults.syslog_enabled and not defaults.json_file_enabled and not defaults.evidence_frames


def test_settings_dialog_call_centre_group(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.windows.dialogs import SettingsDialog

    dialog = SettingsDialog(AppSettings())
    qtbot.addWidget(dialog)
    group = dialog.call_centre
    group.operator.setText("agent-5")
    group.syslog.setChecked(True)
    warnings: list[str] = []
    monkeypatch.setattr("app.windows.dialogs.QMessageBox.warning", lambda parent, title, text: warnings.append(text))
    dialog.accept()
    assert "no host" in warnings[0] and dialog.result() == 0  # not accepted: forwarding on needs a host
    group.syslog_host.setText("127.0.0.1")
    group.syslog_protocol.setCurrentIndex(1)
    group.retention.setValue(14)
    dialog.accept()
    s = dialog.result_settings()
    assert dialog.result() == 1 and len(warnings) == 1
    assert (s.operator, s.syslog_enabled, s.syslog_host, s.syslog_protocol, s.retention_days) == (
        "agent-5", True, "127.0.0.1", "tcp", 14)


def test_a_failing_forwarder_is_shown_and_monitoring_goes_on(shell: CallShieldApp, qtbot: QtBot) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends: connections are refused
    new = AppSettings(**{**shell.settings.__dict__, "syslog_enabled": True, "syslog_host": "127.0.0.1",
                         "syslog_port": port, "syslog_protocol": "tcp"})
    shell.call_centre_ui.settings_applied(new)
    c = shell.controller
    c.handle_engine_ready(EngineInfo("cpu", "test-model", 0.6))
    c.start()
    label = shell.call_centre_ui.forwarding
    qtbot.waitUntil(label.isVisible, timeout=5000)
    assert "SIEM forwarding failing" in label.text() and "ConnectionRefusedError" in label.text()
    c.handle_verdict(verdict(MonitorState.LOOKS_REAL, face()))
    assert c.status.level is ShieldLevel.LOOKS_REAL  # monitoring is untouched
    assert any(e["event"] == "session_started" for e in _events(shell))


def test_command_line_names_operator_and_call(tmp_path: Path) -> None:
    args, rest = parse_args(["--operator", "agent-3", "--call-ref", "C-1", "-platform", "offscreen"])
    assert (args.operator, args.call_ref, rest) == ("agent-3", "C-1", ["-platform", "offscreen"])


def test_the_cli_finds_the_log_where_the_app_writes_it(qapp: object, monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    """platformdirs (no Qt, for `callshield report`) and Qt's AppDataLocation name the same folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setenv("APPDATA", str(tmp_path))
    qapp.setOrganizationName("CallShield")  # type: ignore[attr-defined]
    qapp.setApplicationName("CallShield")  # type: ignore[attr-defined]
    qt = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    assert Path(qt) == data_folder()
    assert EventLog(tmp_path / "x").folder.is_dir()


def test_evidence_crops_of_an_alert_come_from_the_real_worker_when_opted_in(
        qtbot: QtBot, store: SettingsStore, audit_log: AuditLog, flat_screen: list[ScreenMapping]) -> None:
    store.update(welcome_shown=True, sound=False, max_fps=30.0, evidence_frames=True)
    swap = ScriptedEngine(lambda f: verdict(MonitorState.POSSIBLE_SWAP, face(4, TrackState.POSSIBLE_SWAP, 0.96),
                                            timestamp=f.timestamp))
    app = CallShieldApp(store, lambda cfg: swap, SyntheticSource, audit_log, lambda: flat_screen)
    qtbot.addWidget(app.window)
    app.controller.set_region(REGION)
    try:
        with qtbot.waitSignal(app.controller.engine_changed, timeout=30_000):
            app.controller.start_worker()
        with qtbot.waitSignal(app.controller.alert_raised, timeout=5000):
            app.controller.start()
        alert = next(e for e in _events(app) if e["event"] == "alert")
    finally:
        app.shutdown()
    [item] = alert["evidence"]
    png = app.call_centre.folder / item["file"]
    assert item["track_id"] == 4 and png.read_bytes()[:4] == b"\x89PNG"
    assert verify_file(day_files(app.call_centre.folder)[0]).ok


def test_no_evidence_leaves_the_worker_unless_opted_in(shell: CallShieldApp) -> None:
    assert not shell.controller.worker.config.keep_evidence


def test_quitting_ends_the_session_as_closed(shell: CallShieldApp) -> None:
    shell.controller.start()
    shell.shutdown()
    events = _events(shell)
    assert events[2]["event"] == "state_changed" and events[2]["detail"].startswith("loading")
    assert events[-1]["event"] == "session_stopped" and events[-1]["reason"] == "CallShield closed"
    assert verify_file(day_files(shell.call_centre.folder)[0]).ok
