""""Verify now" walked end to end with a scripted challenge meter on the real worker thread: performed, not
performed, broke (with its frame), skipped and cancelled; the outcome's words and what is logged."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from app.capture.screens import ScreenMapping
from app.main import CallShieldApp
from app.monitoring.audit_log import AuditLog
from app.monitoring.controller import MonitorController
from app.monitoring.settings import AppSettings, SettingsStore
from app.monitoring.status import RunMode
from app.monitoring.verification import VerificationReport, record_verification
from app.windows.main_window import MainWindow
from app.windows.verify_dialog import VerifyDialog
from detectors.challenge import Action, ActionResult, Evidence
from detectors.records import Frame, MonitorState, TrackState, Verdict
from tests.app.conftest import REGION, ScriptedEngine, SyntheticSource, face, verdict

HELD = Evidence(0.2, 0.25, 0.02, 0.0, 0.0, (), 1.0)
BROKE = Evidence(0.2, 0.8, 0.4, 0.5, 0.1, ("score", "identity"), 1.0)
TURN_LEFT, TURN_RIGHT, HAND = Action.TURN_LEFT, Action.TURN_RIGHT, Action.HAND


class ScriptedMeter:
    """Stands in for the engine's ChallengeMeter: each action's result is scripted; records its thread."""

    def __init__(self, script: dict[Action, ActionResult]) -> None:
        self.script = script
        self.action: Action | None = None
        self.begun: list[Action] = []
        self.threads: set[str] = set()
        self.closed = False

    def observe(self, frame: Frame, verdict: Verdict) -> float | None:
        self.threads.add(threading.current_thread().name)
        if self.action is None:
            return None
        return 1.0 if self.script[self.action].performed else 0.2

    def begin(self, action: Action) -> None:
        self.action = action
        self.begun.append(action)

    def finish(self) -> ActionResult | None:
        action, self.action = self.action, None
        return None if action is None else self.script[action]

    def close(self) -> None:
        self.closed = True


def performed(action: Action, evidence: Evidence = HELD, frame: np.ndarray | None = None) -> ActionResult:
    return ActionResult(action, True, 1.0, 1.5, 2.0, evidence, 20, frame)


SCRIPT = {
    TURN_LEFT: performed(TURN_LEFT),
    TURN_RIGHT: performed(TURN_RIGHT),
    HAND: performed(HAND),
}


@pytest.fixture
def meters() -> list[ScriptedMeter]:
    return []


@pytest.fixture
def controller(qtbot: QtBot, audit_log: AuditLog, meters: list[ScriptedMeter]) -> Iterator[MonitorController]:
    script = dict(SCRIPT)

    def factory() -> ScriptedMeter:
        meters.append(ScriptedMeter(script))
        return meters[-1]

    c = MonitorController(AppSettings(max_fps=20.0), lambda cfg: ScriptedEngine(), SyntheticSource, audit_log,
                          meter_factory=factory)
    c.script = script  # type: ignore[attr-defined]  # tests change it before a run
    with qtbot.waitSignal(c.engine_changed, timeout=10_000):
        c.start_worker()
    c.set_region(REGION)
    assert c.start()
    yield c
    c.stop()
    assert c.shutdown(10_000)


def walk(qtbot: QtBot, controller: MonitorController, actions: tuple[Action, ...] = (TURN_LEFT, TURN_RIGHT, HAND),
         skip: int | None = None) -> VerifyDialog:
    """Opens the dialog, presses Start and lets each challenge's countdown run out (or skips one)."""
    dialog = VerifyDialog(controller, actions=actions, challenge_s=1, baseline_s=1)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.isModal()
    assert dialog.pages.currentIndex() == 0 and dialog.start_button.isEnabled()
    dialog.start_button.click()
    assert dialog.pages.currentIndex() == 1 and controller.challenge is not None
    if skip is not None:
        qtbot.waitUntil(lambda: dialog.index == skip, timeout=5000)
        dialog.skip_button.click()
    with qtbot.waitSignal(dialog.finished_with, timeout=15_000) as done:
        pass
    assert dialog.pages.currentIndex() == 2
    assert controller.challenge is None  # the worker stops measuring
    assert done.args[0] is dialog.report
    return dialog


def test_all_performed_no_sign_of_a_swap(qtbot: QtBot, controller: MonitorController, meters: list[ScriptedMeter],
                                         audit_log: AuditLog) -> None:
    dialog = VerifyDialog(controller, actions=(TURN_LEFT,), challenge_s=5, baseline_s=1)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.index == 0, timeout=5000)
    assert dialog.request_label.text() == "“Please turn your head slowly to your left”"
    assert dialog.countdown_label.text() == "5 s" and dialog.skip_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.progress_bar.value() == 100, timeout=5000)  # the worker's progress arrives
    assert dialog.seen_label.text() == "Done — the caller did it"
    dialog.cancel()
    dialog = walk(qtbot, controller)
    assert dialog.summary_label.text() == "No sign of a face swap during 3 of 3 actions"
    assert not dialog.save_button.isVisible()
    assert meters[-1].begun == [TURN_LEFT, TURN_RIGHT, HAND]
    assert meters[-1].threads and "MainThread" not in meters[-1].threads  # measured on the worker thread
    record_verification(audit_log, None, dialog.report)
    logged = [r for r in audit_log.records() if r["event"] == "challenge_result"]
    assert [(r["challenge"], r["passed"]) for r in logged] == [("turn-left", True), ("turn-right", True), ("hand", True)]


def test_not_performed_is_never_passed(qtbot: QtBot, controller: MonitorController, audit_log: AuditLog) -> None:
    controller.script[TURN_RIGHT] = ActionResult(TURN_RIGHT, False)  # type: ignore[attr-defined]
    dialog = walk(qtbot, controller)
    assert dialog.summary_label.text() == ("No sign of a face swap during 2 of 3 actions\n"
                                           "The caller did not perform: turn right")
    assert "turn right: not performed (not counted as passed)" in dialog.details_label.text()
    record_verification(audit_log, None, dialog.report)
    passed = {r["challenge"]: r["passed"] for r in audit_log.records() if r["event"] == "challenge_result"}
    assert passed == {"turn-left": True, "turn-right": False, "hand": True}
    dialog.show_report(VerificationReport((ActionResult(TURN_LEFT, False), ActionResult(HAND, False)), frozenset()))
    assert dialog.summary_label.text() == "The caller did not perform: turn left, hand over face"


def test_broke_shows_and_saves_the_frame(qtbot: QtBot, controller: MonitorController, tmp_path: Path) -> None:
    frame = np.zeros((48, 64, 3), np.uint8)
    frame[:, :, 0] = 200
    controller.script[HAND] = performed(HAND, BROKE, frame)  # type: ignore[attr-defined]
    dialog = walk(qtbot, controller)
    assert dialog.summary_label.text() == "The face broke during: hand over face"
    assert "hand over face: THE FACE BROKE (swap score, identity)" in dialog.details_label.text()
    assert dialog.save_button.isVisible() and not dialog.frame_label.pixmap().isNull()
    target = tmp_path / "frame.png"
    assert dialog.save_frame(str(target)) and target.stat().st_size > 0


def test_skip_counts_as_not_performed(qtbot: QtBot, controller: MonitorController) -> None:
    dialog = walk(qtbot, controller, skip=1)
    report: VerificationReport = dialog.report  # type: ignore[assignment]
    assert report.skipped == frozenset({TURN_RIGHT})
    assert not report.results[1].performed
    assert "The caller did not perform: turn right" in dialog.summary_label.text()
    assert "turn right: skipped (not counted as passed)" in dialog.details_label.text()


def test_cancel_stops_the_run_and_logs_nothing(qtbot: QtBot, controller: MonitorController,
                                               meters: list[ScriptedMeter]) -> None:
    dialog = VerifyDialog(controller, challenge_s=5, baseline_s=1)
    qtbot.addWidget(dialog)
    dialog.show()
    finished: list[object] = []
    dialog.finished_with.connect(finished.append)
    dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.index == 0, timeout=5000)
    with qtbot.waitSignal(dialog.cancelled, timeout=1000):
        dialog.cancel()
    assert controller.challenge is None and not dialog.isVisible()
    qtbot.waitUntil(lambda: meters[-1].closed, timeout=5000)  # the worker let go of the meter
    assert finished == []
    assert controller.mode is RunMode.RUNNING  # monitoring carried on throughout


def test_main_window_offers_verify_now(qtbot: QtBot, controller: MonitorController) -> None:
    window = MainWindow(controller)
    qtbot.addWidget(window)
    window.show()
    assert window.verify_now_button.isEnabled()  # monitoring runs
    assert not window.verify_offer.isVisible()
    controller.handle_verdict(verdict(MonitorState.POSSIBLE_SWAP, face(2, TrackState.POSSIBLE_SWAP, 0.95)))
    assert window.verify_offer.isVisible()  # the warning offers it
    with qtbot.waitSignal(window.verify_now_requested, timeout=1000):
        window.verify_offer.click()
    with qtbot.waitSignal(window.verify_now_requested, timeout=1000):
        window.verify_now_button.click()
    controller.pause()
    assert not window.verify_now_button.isEnabled()
    dialog = VerifyDialog(controller)
    qtbot.addWidget(dialog)
    assert not dialog.start_button.isEnabled()
    assert dialog.intro_problem.text() == "Start monitoring the caller's video first."


def test_the_app_opens_one_non_modal_dialog_and_logs_its_outcome(qtbot: QtBot, store: SettingsStore,
                                                                   audit_log: AuditLog,
                                                                   flat_screen: list[ScreenMapping]) -> None:
    store.update(welcome_shown=True, sound=False)
    shell = CallShieldApp(store, lambda cfg: ScriptedEngine(), SyntheticSource, audit_log, lambda: flat_screen)
    try:
        qtbot.addWidget(shell.window)
        shell.window.show()
        dialog = shell.verify_now()
        assert dialog.isVisible() and not dialog.isModal()
        assert shell.verify_now() is dialog  # a second click brings the same one forward
        report = VerificationReport((performed(TURN_LEFT), ActionResult(HAND, False)), frozenset())
        dialog.finished_with.emit(report)
        logged = [(r["challenge"], r["passed"], r["detail"]) for r in audit_log.records()
                  if r["event"] == "challenge_result"]
        assert logged == [("turn-left", True, "performed, face held"), ("hand", False, "not performed")]
        assert "frame" not in json.dumps(audit_log.records())
    finally:
        shell.shutdown()
