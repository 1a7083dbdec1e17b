"""One monitored call as a session: turns what the app sees into events of the chained log (no Qt)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from app.audit.event_log import EventLog
from app.audit.events import ACKNOWLEDGED_TEXT, EventType, FaceScore, SessionInfo, finite
from app.audit.evidence import EvidenceCrop, EvidenceStore
from detectors.records import Verdict

NOT_MONITORING = "not_monitoring"


def new_session_id(now: datetime) -> str:
    """Sortable and unique enough for one machine: UTC start time and 24 random bits."""
    return f"{now.strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"


class SessionLogger:
    """Writes one call's events; `start` … `stop` brackets a session. Not thread-safe: call from one thread."""

    def __init__(self, log: EventLog, evidence: EvidenceStore | None = None, score_every_s: float = 1.0) -> None:
        self.log = log
        self.evidence = evidence
        self.score_every_s = score_every_s
        self.session_id: str | None = None
        self.info = SessionInfo()
        self._state: str | None = None
        self._span: tuple[datetime, str] | None = None  # start and reason of an open "not monitoring" span
        self._last_sample: float | None = None  # verdict timestamp of the last scores event
        self._peak: dict[int, float] = {}  # highest frame score per face since the last scores event
        self.counts: dict[str, int] = {}

    @property
    def active(self) -> bool:
        return self.session_id is not None

    def _emit(self, kind: EventType, durable: bool = False, **fields: object) -> dict:
        self.counts[kind.value] = self.counts.get(kind.value, 0) + 1
        return self.log.append({"event": kind.value, "session": self.session_id, **fields}, durable=durable)

    def start(self, info: SessionInfo) -> str:
        if self.active:
            self.stop("a new session started")
        self.session_id = new_session_id(self.log.clock())
        self.info, self._state, self._span, self._last_sample, self._peak, self.counts = info, None, None, None, {}, {}
        self._emit(EventType.SESSION_STARTED, durable=True, operator=info.operator, call_ref=info.call_ref,
                   region=info.region, model=info.model, model_version=info.model_version,
                   threshold=finite(info.threshold), device=info.device, settings=dict(info.settings),
                   app_version=info.app_version)
        return self.session_id

    def stop(self, reason: str = "stopped by the user") -> dict | None:
        if not self.active:
            return None
        self._close_span()
        event = self._emit(EventType.SESSION_STOPPED, durable=True, reason=reason, counts=dict(self.counts))
        self.session_id = None
        return event

    def state(self, level: str, detail: str = "") -> None:
        """What the user is shown now; logged on change. "not_monitoring" opens a span that the next state closes."""
        if not self.active or level == self._state:
            return
        if self._state == NOT_MONITORING:
            self._close_span()
        self._state = level
        self._emit(EventType.STATE_CHANGED, state=level, detail=detail)
        if level == NOT_MONITORING:
            self._span = (self.log.clock(), detail)

    def verdict(self, verdict: Verdict) -> None:
        """Samples per-face scores into a `scores` event every `score_every_s` seconds of verdict time."""
        if not self.active:
            return
        for f in verdict.faces:
            if (s := finite(f.frame_score)) is not None:
                self._peak[f.track_id] = max(s, self._peak.get(f.track_id, 0.0))
        due = self._last_sample is None or verdict.timestamp - self._last_sample >= self.score_every_s
        if not due or not verdict.faces:
            return
        self._last_sample = verdict.timestamp
        faces = [{**FaceScore.from_assessment(f).as_record(), "peak_frame_score": self._peak.get(f.track_id)}
                 for f in verdict.faces]
        for face in faces:
            face.pop("box", None)
        self._peak = {}
        self._emit(EventType.SCORES, monitor_state=verdict.state.value, faces=faces)

    def alert(self, alerting: Iterable[int], faces: Iterable[FaceScore], crops: Iterable[EvidenceCrop] = ()) -> dict | None:
        """Faces that just started alerting, every face's scores, and (when opted in) their crops: fsynced."""
        if not self.active:
            return None
        evidence = []
        if self.evidence is not None:
            evidence = [self.evidence.save(self.session_id, c) for c in crops]
        return self._emit(EventType.ALERT, durable=True, alerting=sorted(alerting),
                          faces=[f.as_record() for f in faces], evidence=evidence)

    def acknowledged(self, track_id: int, by: str, score: float | None = None) -> dict | None:
        if not self.active:
            return None
        return self._emit(EventType.ACKNOWLEDGED, durable=True, track_id=track_id, by=by or "(operator not set)",
                          statement=ACKNOWLEDGED_TEXT, score=finite(score))

    def challenge_result(self, challenge: str, passed: bool, detail: str = "", track_id: int | None = None) -> dict | None:
        if not self.active:
            return None
        return self._emit(EventType.CHALLENGE_RESULT, durable=True, challenge=challenge, passed=passed,
                          detail=detail, track_id=track_id)

    def engine(self, model: str, device: str, threshold: float | None) -> dict | None:
        if not self.active:
            return None
        return self._emit(EventType.ENGINE_CHANGED, model=model, device=device, threshold=finite(threshold))

    def error(self, message: str) -> dict | None:
        if not self.active:
            return None
        return self._emit(EventType.ERROR, durable=True, message=message)

    def _close_span(self) -> None:
        if self._span is None:
            return
        since, reason = self._span
        until = self.log.clock()
        self._span = None
        self._emit(EventType.NOT_MONITORING, since=since.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                   seconds=round((until - since).total_seconds(), 3), reason=reason)
