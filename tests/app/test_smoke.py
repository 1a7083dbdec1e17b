"""`callshield --smoke-test`: the JSON line and exit status, with the scripted engine instead of the real one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.capture.screens import ScreenMapping
from app.main import CallShieldApp, run_app
from app.monitoring.audit_log import AuditLog
from app.monitoring.settings import SettingsStore
from app.smoke import DemoFrames, SmokeReport
from tests.app.conftest import ScriptedEngine

KEYS = {"window_shown", "engine_ready", "device", "model", "verdicts", "states", "errors"}


def test_smoke_test_prints_one_json_line_and_exits_0(user_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import detectors.pipeline  # noqa: F401  (torch, imported here so that the run's seconds go to monitoring)

    engine = ScriptedEngine()
    status = run_app(["--smoke-test", "--quit-after", "3"], engine_factory=lambda cfg: engine)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1, lines
    result = json.loads(lines[0])
    assert status == 0, result
    assert KEYS <= result.keys()
    assert result["window_shown"] and result["engine_ready"] and result["device"] == "cpu"
    assert result["verdicts"] > 0 and result["states"] == {"looks_real": result["verdicts"]}
    assert result["errors"] == [] and result["capture"] == "demo-frames"  # offscreen: nothing to grab on screen
    assert engine.frames >= result["verdicts"]  # the engine saw the demo's own frames
    log = (user_home / "data" / "CallShield" / "CallShield" / "logs" / "callshield.log").read_text()
    assert "starting" in log and "engine loaded" in log and "smoke test" in log


def test_smoke_test_exits_1_without_an_engine(qtbot: QtBot, store: SettingsStore, audit_log: AuditLog,
                                              flat_screen: list[ScreenMapping]) -> None:
    from detectors.classifiers.weights import WeightsError

    def damaged(cfg: object) -> ScriptedEngine:
        raise WeightsError("model config assets/models/callshield-lite0.json is missing")

    frames = DemoFrames()
    shell = CallShieldApp(store, damaged, frames.source, audit_log, lambda: flat_screen)
    qtbot.addWidget(shell.window)
    report = SmokeReport(shell, "demo-frames")
    shell.demo_started.connect(frames.follow)
    try:
        with qtbot.waitSignal(shell.controller.worker.engine_unavailable, timeout=30_000):
            shell.launch(demo=True, minimised=False)
        qtbot.waitUntil(lambda: bool(report.errors), timeout=5000)
        assert frames.latest() is not None  # the demo played: the engine is what failed
    finally:
        shell.shutdown()
    line, status = report.finish()
    result = json.loads(line)
    assert status == 1
    assert result["window_shown"] and not result["engine_ready"] and result["verdicts"] == 0
    assert result["device"] is None and result["model"] is None and result["states"] == {}
    assert result["errors"] == ["model not loaded — model config assets/models/callshield-lite0.json is missing"]


def test_smoke_test_exits_1_when_no_verdict_came(qtbot: QtBot, store: SettingsStore, audit_log: AuditLog,
                                                 flat_screen: list[ScreenMapping]) -> None:
    shell = CallShieldApp(store, lambda cfg: ScriptedEngine(), DemoFrames().source, audit_log, lambda: flat_screen)
    qtbot.addWidget(shell.window)
    report = SmokeReport(shell, "demo-frames")
    try:
        with qtbot.waitSignal(shell.controller.engine_changed, timeout=30_000):
            shell.controller.start_worker()  # no window, no demo: nothing to judge
    finally:
        shell.shutdown()
    line, status = report.finish()
    result = json.loads(line)
    assert status == 1
    assert (result["window_shown"], result["engine_ready"], result["verdicts"], result["states"]) == (False, True, 0, {})


def test_smoke_test_monitors_after_a_slow_model_load(user_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import time

    import detectors.pipeline  # noqa: F401  (torch, imported here so that the run's seconds go to monitoring)

    def slow_engine(cfg: object) -> ScriptedEngine:
        time.sleep(2.5)  # longer than --quit-after: a busy machine loading the model
        return ScriptedEngine()

    status = run_app(["--smoke-test", "--quit-after", "1.5"], engine_factory=slow_engine)
    result = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert status == 0, result
    assert result["engine_ready"] and result["verdicts"] > 0


def test_smoke_test_reports_a_slow_load_failure(user_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import time

    from detectors.classifiers.weights import WeightsError

    def slow_damaged(cfg: object) -> ScriptedEngine:
        time.sleep(2.0)
        raise WeightsError("model file assets/models/callshield-lite0.pt was truncated or replaced")

    status = run_app(["--smoke-test", "--quit-after", "0.5"], engine_factory=slow_damaged)
    result = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert status == 1
    assert not result["engine_ready"]
    assert result["errors"] == ["model not loaded — model file assets/models/callshield-lite0.pt was truncated or replaced"]
