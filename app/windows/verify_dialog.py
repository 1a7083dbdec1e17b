""""Verify now": a non-modal dialog that walks the user through challenges to read out to the caller (turn the
head left, right, a hand in front of the face, come closer), one at a time with a countdown, skip and cancel.
The worker keeps analysing the caller throughout; the engine judges each challenge (detectors/challenge.py)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.monitoring.controller import MonitorController
from app.monitoring.status import RunMode
from app.monitoring.verification import ChallengeOutcome, ChallengeProgress, VerificationReport
from app.style import scaled_font
from detectors.challenge import ALL_ACTIONS, Action, ActionResult

CHALLENGE_S = 7  # seconds per challenge: enough for a slow turn and back
BASELINE_S = 2  # the caller looks at the camera first: their own face before any challenge
RESULT_WAIT_MS = 3000  # how long to wait for the worker's last judgement


class VerifyDialog(QDialog):
    """One verification run. `finished_with(VerificationReport)` when it ends; `cancelled` when the user cancels."""

    finished_with = Signal(object)
    cancelled = Signal()

    def __init__(self, controller: MonitorController, parent: QWidget | None = None,
                 actions: Sequence[Action] = ALL_ACTIONS, challenge_s: int = CHALLENGE_S,
                 baseline_s: int = BASELINE_S) -> None:
        super().__init__(parent)
        self.controller = controller
        self.actions = tuple(actions)
        self.challenge_s, self.baseline_s = challenge_s, baseline_s
        self.setWindowTitle(self.tr("Verify now"))
        self.setModal(False)  # the call, the overlay and the main window stay usable
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.run_id: int | None = None
        self.index = -1  # the challenge shown; -1 before the first
        self.results: dict[int, ActionResult] = {}
        self.skipped: set[int] = set()
        self.report: VerificationReport | None = None
        self.remaining = 0
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._count_down)
        self._wait = QTimer(self)
        self._wait.setSingleShot(True)
        self._wait.setInterval(RESULT_WAIT_MS)
        self._wait.timeout.connect(self._show_results)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_intro())
        self.pages.addWidget(self._build_challenge())
        self.pages.addWidget(self._build_results())
        QVBoxLayout(self).addWidget(self.pages)
        self.resize(540, 300)
        controller.challenge_progress.connect(self.show_progress)
        controller.challenge_result.connect(self.add_result)
        controller.challenge_unavailable.connect(self._unavailable)
        controller.mode_changed.connect(self._mode_changed)
        self._mode_changed(controller.mode)

    # --- texts --------------------------------------------------------------------------------------------

    def request_text(self, action: Action) -> str:
        """The words the user reads out to the caller."""
        return {
            Action.TURN_LEFT: self.tr("Please turn your head slowly to your left"),
            Action.TURN_RIGHT: self.tr("Please turn your head slowly to your right"),
            Action.HAND: self.tr("Please pass your hand slowly in front of your face"),
            Action.CLOSER: self.tr("Please move closer to your camera"),
        }[action]

    def action_name(self, action: Action) -> str:
        return {Action.TURN_LEFT: self.tr("turn left"), Action.TURN_RIGHT: self.tr("turn right"),
                Action.HAND: self.tr("hand over face"), Action.CLOSER: self.tr("move closer")}[action]

    def cue_name(self, cue: str) -> str:
        return {"score": self.tr("swap score"), "identity": self.tr("identity"),
                "landmarks": self.tr("face tracking lost"), "mask edge": self.tr("mask edge")}.get(cue, cue)

    # --- pages --------------------------------------------------------------------------------------------

    def _build_intro(self) -> QWidget:
        page = QWidget()
        text = QLabel(self.tr(
            "Ask the caller to do a few simple things on camera. Live face-swap tools often break when the face "
            "turns to the side, when a hand passes in front of it, or when it comes close to the camera.\n\n"
            "Read each request out to the caller. CallShield keeps watching their face the whole time."))
        text.setWordWrap(True)
        self.intro_problem = QLabel()
        self.intro_problem.setWordWrap(True)
        self.intro_problem.setStyleSheet("QLabel { color: #b3261e; font-weight: bold; }")
        self.start_button = QPushButton(self.tr("Start"))
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.cancel)
        layout = QVBoxLayout(page)
        layout.addWidget(text)
        layout.addWidget(self.intro_problem)
        layout.addStretch(1)
        layout.addLayout(_row(cancel, self.start_button))
        return page

    def _build_challenge(self) -> QWidget:
        page = QWidget()
        self.step_label = QLabel()
        self.say_label = QLabel(self.tr("Read this out to the caller:"))
        self.request_label = QLabel()
        self.request_label.setWordWrap(True)
        self.request_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.request_label.setFont(scaled_font(1.6, bold=True))
        self.countdown_label = QLabel()
        self.countdown_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown_label.setFont(scaled_font(1.3))
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setTextVisible(False)
        self.seen_label = QLabel()
        self.seen_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.skip_button = QPushButton(self.tr("Skip"))
        self.skip_button.clicked.connect(self.skip)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.cancel)
        layout = QVBoxLayout(page)
        for w in (self.step_label, self.say_label, self.request_label, self.countdown_label, self.progress_bar,
                  self.seen_label):
            layout.addWidget(w)
        layout.addStretch(1)
        layout.addLayout(_row(cancel, self.skip_button))
        return page

    def _build_results(self) -> QWidget:
        page = QWidget()
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setFont(scaled_font(1.3, bold=True))
        self.details_label = QLabel()
        self.details_label.setWordWrap(True)
        self.frame_label = QLabel()
        self.frame_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        caution = QLabel(self.tr("This check lowers the risk; it does not prove who the caller is. If in doubt, end "
                                 "the call and call back on a number you already know."))
        caution.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save frame…"))
        self.save_button.clicked.connect(self.save_frame)
        close = QPushButton(self.tr("Close"))
        close.setDefault(True)
        close.clicked.connect(self.close)
        layout = QVBoxLayout(page)
        for w in (self.summary_label, self.details_label, self.frame_label, caution):
            layout.addWidget(w)
        layout.addStretch(1)
        layout.addLayout(_row(self.save_button, close))
        return page

    # --- the run ------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Begins: the caller looks at the camera for a moment (their baseline), then the first challenge."""
        if self.controller.mode is not RunMode.RUNNING:
            return
        self.run_id = self.controller.begin_verification()
        self.index, self.results, self.skipped, self.report = -1, {}, set(), None
        self.pages.setCurrentIndex(1)
        self.step_label.setText(self.tr("Getting ready"))
        self.say_label.setText(self.tr("Read this out to the caller:"))
        self.request_label.setText("“" + self.tr("Please look at your camera for a moment") + "”")
        self.skip_button.setEnabled(False)
        self.progress_bar.setValue(0)
        self.seen_label.clear()
        self._countdown(self.baseline_s)

    def _countdown(self, seconds: int) -> None:
        self.remaining = seconds
        self.countdown_label.setText(self.tr("{seconds} s").format(seconds=seconds))
        self._tick.start()

    def _count_down(self) -> None:
        self.remaining -= 1
        if self.remaining > 0:
            self.countdown_label.setText(self.tr("{seconds} s").format(seconds=self.remaining))
            return
        self._tick.stop()
        self._next()

    def skip(self) -> None:
        if 0 <= self.index < len(self.actions):
            self.skipped.add(self.index)
            self._tick.stop()
            self._next()

    def _next(self) -> None:
        """The next challenge, or — after the last — waiting for the worker to judge it, then the results."""
        self.index += 1
        if self.index >= len(self.actions):
            self.controller.challenge_step(self.index + 1, None)
            self.step_label.setText(self.tr("Checking…"))
            self.request_label.setText(self.tr("Thank you. CallShield is checking the last moments."))
            self.countdown_label.clear()
            self.skip_button.setEnabled(False)
            self._wait.start()
            self._maybe_done()
            return
        action = self.actions[self.index]
        self.controller.challenge_step(self.index + 1, action)
        self.step_label.setText(self.tr("Challenge {number} of {total}").format(number=self.index + 1,
                                                                                total=len(self.actions)))
        self.request_label.setText("“" + self.request_text(action) + "”")
        self.progress_bar.setValue(0)
        self.seen_label.setText(self.tr("Waiting for the caller…"))
        self.skip_button.setEnabled(True)
        self._countdown(self.challenge_s)

    def show_progress(self, p: ChallengeProgress) -> None:
        if p.run_id != self.run_id or p.index != self.index + 1 or self.pages.currentIndex() != 1:
            return
        if not p.face_seen and p.progress is None:
            self.seen_label.setText(self.tr("The caller's face is not in view"))
            return
        value = 0 if p.progress is None else int(100 * max(0.0, min(1.0, p.progress)))
        self.progress_bar.setValue(max(value, self.progress_bar.value()))
        if self.progress_bar.value() >= 100:
            self.seen_label.setText(self.tr("Done — the caller did it"))

    def add_result(self, outcome: ChallengeOutcome) -> None:
        """The worker judged challenge `outcome.index` (1-based)."""
        if outcome.run_id != self.run_id:
            return
        self.results[outcome.index - 1] = outcome.result
        self._maybe_done()

    def _maybe_done(self) -> None:
        asked = [i for i in range(len(self.actions)) if i not in self.skipped]
        if self.index >= len(self.actions) and all(i in self.results for i in asked):
            self._show_results()

    def cancel(self) -> None:
        """Stops at once: nothing is judged or logged."""
        running = self.run_id is not None and self.report is None
        self._stop_run()
        if running:
            self.cancelled.emit()
        self.close()

    def _stop_run(self) -> None:
        self._tick.stop()
        self._wait.stop()
        if self.run_id is not None and self.controller.challenge is not None \
                and self.controller.challenge.run_id == self.run_id:
            self.controller.end_verification()

    def _unavailable(self, message: str) -> None:
        self._stop_run()
        self.run_id = None
        self.pages.setCurrentIndex(0)
        self.intro_problem.setText(self.tr("Verify now cannot run: {reason}").format(reason=message))

    def _mode_changed(self, mode: RunMode) -> None:
        running = mode is RunMode.RUNNING
        self.start_button.setEnabled(running)
        self.intro_problem.setText("" if running else self.tr("Start monitoring the caller's video first."))
        if not running and self.run_id is not None and self.report is None:
            self._unavailable(self.tr("monitoring stopped"))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.run_id is not None and self.report is None:
            self._stop_run()
            self.run_id = None
            self.cancelled.emit()
        super().closeEvent(event)

    # --- the outcome --------------------------------------------------------------------------------------

    def _show_results(self) -> None:
        if self.report is not None or self.run_id is None:
            return
        self._wait.stop()
        self.controller.end_verification()
        results = tuple(ActionResult(a, False) if i in self.skipped or i not in self.results else self.results[i]
                        for i, a in enumerate(self.actions))
        self.show_report(VerificationReport(results, frozenset(self.actions[i] for i in self.skipped)))
        self.finished_with.emit(self.report)

    def show_report(self, report: VerificationReport) -> None:
        """The outcome page: the summary, a line per challenge, and the frame that showed a break."""
        self.report = report
        self.summary_label.setText(self.summary_text(report))
        self.details_label.setText("\n".join(self.result_line(r, r.action in report.skipped) for r in report.results))
        frame = self.broke_frame()
        self.frame_label.setPixmap(QPixmap() if frame is None else _pixmap(frame, 320))
        self.frame_label.setVisible(frame is not None)
        self.save_button.setVisible(frame is not None)
        colour = "#b3261e" if report.broke else ("#8a5a00" if report.missed else "#1e6b34")
        self.summary_label.setStyleSheet(f"QLabel {{ color: {colour}; }}")
        self.pages.setCurrentIndex(2)

    def summary_text(self, report: VerificationReport) -> str:
        """"The face broke during: …", "The caller did not perform: …", "No sign of a face swap during N of M …"."""
        lines = []
        if report.broke:
            lines.append(self.tr("The face broke during: {actions}").format(
                actions=", ".join(self.action_name(r.action) for r in report.broke)))
        if report.missed:
            lines.append(self.tr("The caller did not perform: {actions}").format(
                actions=", ".join(self.action_name(r.action) for r in report.missed)))
        done = len(report.results) - len(report.missed)
        if not report.broke and done:
            lines.insert(0, self.tr("No sign of a face swap during {done} of {total} actions").format(
                done=done, total=len(report.results)))
        return "\n".join(lines)

    def result_line(self, r: ActionResult, skipped: bool) -> str:
        name = self.action_name(r.action)
        if skipped:
            return self.tr("{action}: skipped (not counted as passed)").format(action=name)
        if not r.performed:
            return self.tr("{action}: not performed (not counted as passed)").format(action=name)
        if r.broke and r.evidence is not None:
            cues = ", ".join(self.cue_name(c) for c in r.evidence.broke_on)
            return self.tr("{action}: THE FACE BROKE ({cues})").format(action=name, cues=cues)
        return self.tr("{action}: performed, no sign of a swap").format(action=name)

    def broke_frame(self) -> np.ndarray | None:
        return next((r.frame for r in self.report.broke if r.frame is not None), None) if self.report else None

    def save_frame(self, path: str | None = None) -> bool:
        """Saves the frame that showed the break as PNG (it is otherwise kept in memory only)."""
        frame = self.broke_frame()
        if frame is None:
            return False
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the frame"), "callshield-verify-frame.png",
                                                  self.tr("PNG image (*.png)"))
        return bool(path) and _image(frame).save(path, "PNG")


def _row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch(1)
    for w in widgets:
        row.addWidget(w)
    return row


def _image(rgb: np.ndarray) -> QImage:
    rgb = np.ascontiguousarray(rgb)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def _pixmap(rgb: np.ndarray, width: int) -> QPixmap:
    return QPixmap.fromImage(_image(rgb)).scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
