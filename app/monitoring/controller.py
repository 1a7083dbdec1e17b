"""Runs monitoring: owns the worker thread, turns its signals into the status the window and overlay show."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot

from app.capture.screens import ScreenRegion
from app.language import translate
from app.monitoring.audit_log import AuditLog
from app.monitoring.settings import AppSettings
from app.monitoring.status import RunMode, ShieldStatus, StatusTracker
from app.monitoring.verification import ChallengeStep, MeterFactory, load_meter
from app.monitoring.worker import CaptureWorker, EngineFactory, SourceFactory, WorkerConfig, WorkerStats
from detectors.records import EngineInfo, MonitorState, Verdict

log = logging.getLogger(__name__)

STALE_CHECK_MS = 500


class MonitorController(QObject):
    """The app's one place of truth about monitoring; lives on the GUI thread."""

    status_changed = Signal(object)  # ShieldStatus
    verdict_seen = Signal(object)  # Verdict, for the timeline
    evidence_seen = Signal(object)  # EvidenceFrame (opt-in call-centre evidence), just before its verdict
    stats_changed = Signal(object)  # WorkerStats
    alert_raised = Signal(object)  # tuple[FaceStatus, ...]: faces that just started alerting
    engine_changed = Signal(object)  # EngineInfo | None
    engine_broken = Signal(str)  # a bundled file is damaged: once per distinct message, not on every retry
    region_changed = Signal(object)  # ScreenRegion | None
    mode_changed = Signal(object)  # RunMode
    challenge_progress = Signal(object)  # ChallengeProgress ("Verify now")
    challenge_result = Signal(object)  # ChallengeOutcome
    challenge_unavailable = Signal(str)  # the challenge meter could not load; verification has ended

    def __init__(self, settings: AppSettings, engine_factory: EngineFactory, source_factory: SourceFactory,
                 audit_log: AuditLog, clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None, unpaced: bool = False, meter_factory: MeterFactory = load_meter) -> None:
        super().__init__(parent)
        self._challenge: ChallengeStep | None = None  # "Verify now": the step the worker measures
        self._challenge_runs = 0
        self.settings = settings
        self._unpaced = unpaced  # `callshield soak`: frames as fast as the machine allows, not at the user's rate
        self.audit_log = audit_log
        self.clock = clock
        self.tracker = StatusTracker()
        self.engine: EngineInfo | None = None
        self.last_stats: WorkerStats | None = None
        self.region: ScreenRegion | None = settings.region
        self._call_id = 0
        self._status = self.tracker.status(clock())
        self._alerting: frozenset[int] = frozenset()
        self._broken_reported: set[str] = set()
        self._last_failure: str | None = None
        self._worker = CaptureWorker(engine_factory, source_factory, self._worker_config(), meter_factory)
        self._thread = QThread(self)
        self._thread.setObjectName("CallShield capture")
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        # Direct: QThread.quit is thread-safe, and a queued call would wait for a GUI thread that may be blocked in wait().
        self._worker.finished.connect(self._thread.quit, Qt.ConnectionType.DirectConnection)
        # Slots of this GUI-thread object: queued connections, so the handlers run on the GUI thread.
        self._worker.verdict_ready.connect(self.handle_verdict)
        self._worker.challenge_progress.connect(self.challenge_progress)
        self._worker.challenge_result.connect(self.challenge_result)
        self._worker.challenge_unavailable.connect(self._challenge_failed)
        self._worker.evidence_ready.connect(self.evidence_seen)
        self._worker.failed.connect(self.handle_failure)
        self._worker.stats.connect(self.handle_stats)
        self._worker.engine_ready.connect(self.handle_engine_ready)
        self._worker.engine_unavailable.connect(self.handle_engine_unavailable)
        self._worker.engine_broken.connect(self.handle_engine_broken)
        # Re-judge even without new verdicts, so a stalled worker turns into "not monitoring".
        self._stale_timer = QTimer(self)
        self._stale_timer.setInterval(STALE_CHECK_MS)
        self._stale_timer.timeout.connect(self.refresh)
        self._stale_timer.start()

    # --- state -------------------------------------------------------------------------------------

    @property
    def status(self) -> ShieldStatus:
        return self._status

    @property
    def mode(self) -> RunMode:
        return self.tracker.mode

    @property
    def worker(self) -> CaptureWorker:
        return self._worker

    @property
    def thread(self) -> QThread:
        return self._thread

    def _worker_config(self) -> WorkerConfig:
        s = self.settings
        max_fps = math.inf if self._unpaced else s.max_fps
        return WorkerConfig(self.tracker.mode, self.region, max_fps, s.device, s.sensitivity, self._call_id,
                            keep_evidence=s.evidence_frames, challenge=self._challenge)

    def _push_config(self) -> None:
        self._worker.set_config(self._worker_config())

    def refresh(self) -> None:
        status = self.tracker.status(self.clock())
        alerting = frozenset(f.track_id for f in status.alert_faces)
        if new := alerting - self._alerting:
            self.alert_raised.emit(tuple(f for f in status.alert_faces if f.track_id in new))
        self._alerting = alerting
        if status != self._status:
            self._status = status
            self.status_changed.emit(status)

    # --- commands from the GUI -------------------------------------------------------------------------

    def start_worker(self) -> None:
        """Starts the worker thread; it loads the engine at once, before monitoring is asked for."""
        if not self._thread.isRunning():
            self._thread.start()

    def start(self) -> bool:
        """Starts (or resumes) monitoring; False when there is no region to watch yet."""
        if self.region is None:
            return False
        if self.tracker.mode is RunMode.STOPPED:
            self._new_call()
        self._set_mode(RunMode.RUNNING)
        return True

    def pause(self) -> None:
        if self.tracker.mode is RunMode.RUNNING:
            self._set_mode(RunMode.PAUSED)

    def toggle_pause(self) -> None:
        if self.tracker.mode is RunMode.RUNNING:
            self.pause()
        elif self.tracker.mode is RunMode.PAUSED:
            self.start()

    def stop(self) -> None:
        """Ends the call: faces and acknowledgements are forgotten."""
        self._set_mode(RunMode.STOPPED)
        self._new_call()
        self._push_config()
        self.refresh()

    def set_region(self, region: ScreenRegion | None) -> None:
        """A new region is a new call: the engine forgets its faces."""
        if region == self.region:
            return
        self.region = region
        self._new_call()
        self._push_config()
        self.region_changed.emit(region)
        self.refresh()

    def apply_settings(self, settings: AppSettings) -> None:
        if settings.device != self.settings.device:
            self.tracker.engine_problem = translate("MonitorController",
                                                    "loading the face-swap detector on the chosen device…")
        self.settings = settings
        self._push_config()
        self.refresh()

    def acknowledge(self, track_id: int) -> dict | None:
        """"I verified this caller" for one face: quiets its warning for the rest of the call, logged."""
        face = next((f for f in self._status.faces if f.track_id == track_id), None)
        if face is None or track_id in self.tracker.acknowledged:
            return None
        self.tracker.acknowledge(track_id)
        record = self.audit_log.append(
            "caller_verified",
            track_id=track_id,
            score=None if face.score is None else round(face.score, 4),
            frame_score=None if face.frame_score is None else round(face.frame_score, 4),
            detector_state=face.state.value,
            region=self.region.to_text() if self.region else None,
            model=self.engine.model if self.engine else "",
            threshold=self.engine.threshold if self.engine else None,
        )
        log.info("caller verified by the user: face %s, score %s, region %s", track_id, record["score"], record["region"])
        self.refresh()
        return record

    # --- "Verify now" ---------------------------------------------------------------------------------------

    @property
    def challenge(self) -> ChallengeStep | None:
        return self._challenge

    def begin_verification(self) -> int:
        """Starts a verification run: the worker measures the caller from now on (the baseline); returns its id."""
        self._challenge_runs += 1
        self._set_challenge(ChallengeStep(self._challenge_runs, 0, None))
        return self._challenge_runs

    def challenge_step(self, index: int, action: object | None) -> None:
        """Moves the run to step `index` (an `Action`, or None between challenges); the worker then judges the
        step before and emits `challenge_result`."""
        if self._challenge is not None:
            self._set_challenge(ChallengeStep(self._challenge.run_id, index, action))  # type: ignore[arg-type]

    def end_verification(self) -> None:
        """Ends the run (finished or cancelled); a challenge not yet judged is dropped."""
        self._set_challenge(None)

    def _set_challenge(self, step: ChallengeStep | None) -> None:
        self._challenge = step
        self._push_config()

    def _challenge_failed(self, message: str) -> None:
        log.warning("verify now unavailable: %s", message)
        self._set_challenge(None)
        self.challenge_unavailable.emit(message)

    def shutdown(self, timeout_ms: int = 60_000) -> bool:
        """Stops the worker thread and waits for it; True when it ended (a model load cannot be interrupted)."""
        self._stale_timer.stop()
        self._worker.request_stop()
        self._thread.quit()
        return self._thread.wait(timeout_ms)

    def _set_mode(self, mode: RunMode) -> None:
        if mode is self.tracker.mode:
            return
        self.tracker.set_mode(mode)
        self._push_config()
        self.mode_changed.emit(mode)
        self.refresh()

    def _new_call(self) -> None:
        self._call_id += 1
        self.tracker.new_call()

    # --- signals from the worker ------------------------------------------------------------------------

    @Slot(object)
    def handle_verdict(self, verdict: Verdict) -> None:
        if self.tracker.mode is not RunMode.RUNNING:
            return  # a verdict finished just after a pause or stop: the screen it judged is no longer watched
        self.tracker.on_verdict(verdict)
        if verdict.state is not MonitorState.NOT_MONITORING:
            self._last_failure = None  # monitoring works again: the next problem is news for the log
        self.verdict_seen.emit(verdict)
        self.refresh()

    @Slot(str)
    def handle_failure(self, message: str) -> None:
        if message != self._last_failure:  # capture retries every second: the log gets each new reason once
            log.warning("monitoring problem: %s", message)
            self._last_failure = message
        self.tracker.on_failure(message, self.clock())
        self.refresh()

    @Slot(object)
    def handle_stats(self, stats: WorkerStats) -> None:
        self.last_stats = stats
        self.engine = stats.engine  # its threshold follows the sensitivity
        self.tracker.analysed_fps = stats.analysed_fps
        self.stats_changed.emit(stats)
        self.refresh()

    @Slot(object)
    def handle_engine_ready(self, info: EngineInfo) -> None:
        self.engine = info
        self._broken_reported.clear()  # a file that breaks again after a good load is news again
        self._last_failure = None
        self.tracker.engine_problem = None
        self.tracker.new_call()  # a freshly loaded engine numbers its faces from scratch
        self.engine_changed.emit(self.engine)
        self.refresh()

    @Slot(str)
    def handle_engine_unavailable(self, message: str) -> None:
        self.engine = None
        self.tracker.engine_problem = message
        self.engine_changed.emit(self.engine)
        self.refresh()

    @Slot(str)
    def handle_engine_broken(self, message: str) -> None:
        """Passes on a damaged-file report once per message; the status already says "not monitoring"."""
        if message in self._broken_reported:
            return
        self._broken_reported.add(message)
        self.engine_broken.emit(message)
