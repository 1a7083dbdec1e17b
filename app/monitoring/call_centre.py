"""Call-centre mode in the running app: one session per monitored call, written to the chained event log from the
controller's signals; the SIEM forwarders' health for the status line. Lives on the GUI thread."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from app.audit.config import evidence_store, forwarders, open_event_log
from app.audit.event_log import EventLog
from app.audit.events import FaceScore, SessionInfo
from app.audit.evidence import EvidenceFrame
from app.audit.session import SessionLogger
from app.audit.siem import JsonFileForwarder, SyslogForwarder
from app.monitoring.controller import MonitorController
from app.monitoring.settings import AppSettings
from app.monitoring.status import RunMode, ShieldStatus
from detectors.records import EngineInfo, Verdict

log = logging.getLogger(__name__)

HEALTH_CHECK_MS = 1000
# What a session records of the settings (the rest is the call centre's own configuration).
SESSION_SETTINGS = ("sensitivity", "max_fps", "device", "evidence_frames", "syslog_enabled", "json_file_enabled")


@dataclass(frozen=True)
class CallIdentity:
    """Who takes the call and which call it is: typed by the agent or given as --operator / --call-ref."""

    operator: str = ""
    call_ref: str = ""


class CallCentre(QObject):
    """Turns the controller's signals into session events; `problem_changed` says when forwarding fails."""

    problem_changed = Signal(str)  # "" when every forwarder works
    session_started = Signal(str)  # session id
    session_finished = Signal(str)  # session id

    def __init__(self, controller: MonitorController, settings: AppSettings, identity: CallIdentity = CallIdentity(),
                 app_version: str = "", event_log: EventLog | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.settings = settings
        self.identity = CallIdentity(identity.operator or settings.operator, identity.call_ref)
        self.app_version = app_version
        self.log = event_log or open_event_log(settings.call_centre())
        self.session = SessionLogger(self.log, evidence_store(settings.call_centre(), self.log.folder))
        self.forwarders: list[SyslogForwarder | JsonFileForwarder] = []
        self._attach_forwarders()
        self.problem = ""
        self._mode = controller.mode
        self._acknowledged: set[int] = set()
        self._last_verdict: Verdict | None = None
        self._evidence: EvidenceFrame | None = None  # crops that came just before the verdict of an alert
        self._health = QTimer(self)
        self._health.setInterval(HEALTH_CHECK_MS)
        self._health.timeout.connect(self.check_health)
        self._health.start()
        c = controller
        c.mode_changed.connect(self._mode_changed)
        c.status_changed.connect(self._status_changed)
        c.verdict_seen.connect(self._verdict_seen)
        c.evidence_seen.connect(self._evidence_seen)
        c.alert_raised.connect(self._alert_raised)
        c.engine_changed.connect(self._engine_changed)
        c.engine_broken.connect(self.session.error)
        c.region_changed.connect(self._region_changed)
        if c.mode is RunMode.RUNNING:
            self.start_session()

    @property
    def folder(self) -> Path:
        return self.log.folder

    def set_call_ref(self, call_ref: str) -> None:
        """The agent typed a call reference: it names the next session (and this one if it has not started)."""
        self.identity = CallIdentity(self.identity.operator, call_ref.strip())

    def set_operator(self, operator: str) -> None:
        self.identity = CallIdentity(operator.strip(), self.identity.call_ref)

    def start_session(self) -> str:
        c, s = self.controller, self.settings
        engine = c.engine
        info = SessionInfo(operator=self.identity.operator, call_ref=self.identity.call_ref,
                           region=c.region.to_text() if c.region else None,
                           model=engine.model if engine else "(loading)", model_version=engine.model if engine else "",
                           threshold=engine.threshold if engine else None, device=engine.device if engine else s.device,
                           settings=tuple((k, getattr(s, k)) for k in SESSION_SETTINGS), app_version=self.app_version)
        self._acknowledged = set()
        sid = self.session.start(info)  # the status that follows the start is its first state_changed
        log.info("call-centre session %s started (operator %r, call %r)", sid, info.operator, info.call_ref)
        self.session_started.emit(sid)
        return sid

    def stop_session(self, reason: str = "stopped by the user") -> None:
        sid = self.session.session_id
        if self.session.stop(reason) is not None:
            self.session_finished.emit(sid)

    def apply_settings(self, settings: AppSettings) -> None:
        """New settings: forwarders are rebuilt when theirs changed; the operator is the next session's."""
        old, self.settings = self.settings.call_centre(), settings
        if settings.operator != old.operator:
            self.set_operator(settings.operator)
        if settings.call_centre() != old:
            self.session.evidence = evidence_store(settings.call_centre(), self.log.folder)
            self._close_forwarders()
            self._attach_forwarders()
            self.check_health()

    def check_health(self) -> str:
        problems = [h.message for f in self.forwarders if not (h := f.health()).ok]
        if self.log.problem:
            problems.insert(0, self.log.problem)
        problem = "; ".join(problems)
        if problem != self.problem:
            self.problem = problem
            if problem:
                log.warning("SIEM forwarding: %s", problem)
            self.problem_changed.emit(problem)
        return problem

    def shutdown(self) -> None:
        """Ends the session ("app closed"), the forwarders (briefly flushed) and the log. Idempotent."""
        self._health.stop()
        self.stop_session("CallShield closed")
        self._close_forwarders()
        self.log.close()

    def _attach_forwarders(self) -> None:
        self.forwarders = forwarders(self.settings.call_centre(), self.log.folder)
        self.log.sinks[:] = list(self.forwarders)

    def _close_forwarders(self) -> None:
        self.log.sinks[:] = []
        for f in self.forwarders:
            f.close(timeout_s=0.5)
        self.forwarders = []

    # --- controller signals -------------------------------------------------------------------------------

    def _mode_changed(self, mode: RunMode) -> None:
        before, self._mode = self._mode, mode
        if mode is RunMode.RUNNING and (before is RunMode.STOPPED or not self.session.active):
            self.start_session()
        elif mode is RunMode.STOPPED:
            self.stop_session()

    def _region_changed(self, _region: object) -> None:
        # The controller starts a new call on a new region: so does the log.
        if self.session.active:
            self.stop_session("a new region was picked: a new call")
            if self.controller.mode is not RunMode.STOPPED:
                self.start_session()

    def _status_changed(self, status: ShieldStatus) -> None:
        self.session.state(status.level.value, status.detail)
        for f in status.faces:
            if f.acknowledged and f.track_id not in self._acknowledged:
                self._acknowledged.add(f.track_id)
                self.session.acknowledged(f.track_id, self.identity.operator, f.score)

    def _verdict_seen(self, verdict: Verdict) -> None:
        self._last_verdict = verdict  # seen before the alert it may raise
        self.session.verdict(verdict)

    def _evidence_seen(self, evidence: EvidenceFrame) -> None:
        self._evidence = evidence

    def _alert_raised(self, faces: tuple) -> None:
        # Every face of the verdict that raised it (the controller's status changes only after this signal).
        last = self._last_verdict
        everyone = [FaceScore.from_assessment(f) for f in last.faces] if last is not None else [
            FaceScore(f.track_id, f.score, f.frame_score, f.state.value, f.box) for f in faces]
        ids = [f.track_id for f in faces]
        crops = ()
        if (evidence := self._evidence) is not None and last is not None and evidence.timestamp == last.timestamp:
            crops = tuple(c for c in evidence.crops if c.track_id in ids)
        self._evidence = None
        self.session.alert(ids, everyone, crops)

    def _engine_changed(self, engine: EngineInfo | None) -> None:
        if engine is not None:
            self.session.engine(engine.model, engine.device, engine.threshold)
        else:
            self.session.error("the face-swap detector is not loaded")
