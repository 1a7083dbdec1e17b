"""The event types of a monitored call and the small typed records the session logger takes."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

from detectors.records import FaceAssessment


class EventType(str, enum.Enum):
    SESSION_STARTED = "session_started"
    SESSION_STOPPED = "session_stopped"
    STATE_CHANGED = "state_changed"  # what the user was shown: not_monitoring, no_face, analysing, looks_real, …
    SCORES = "scores"  # per-face scores, sampled (once a second by default) for the report's timeline
    ALERT = "alert"  # a face started alerting: every face's scores, evidence crops if opted in
    ACKNOWLEDGED = "acknowledged"  # "I verified this caller by another channel": who and when
    CHALLENGE_RESULT = "challenge_result"  # the outcome of a live challenge (for a future "verify now")
    ERROR = "error"
    ENGINE_CHANGED = "engine_changed"  # the detector (re)loaded during the session: model, device, threshold
    NOT_MONITORING = "not_monitoring"  # a closed span of time during the session when nothing was checked
    LOG_RECOVERED = "log_recovered"  # written by the log itself after a torn last line


ACKNOWLEDGED_TEXT = "verified this caller by another channel"


def finite(value: float | None, digits: int = 4) -> float | None:
    """A score fit for canonical JSON (which refuses NaN and infinity)."""
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


@dataclass(frozen=True)
class FaceScore:
    """One face's scores at one moment, as logged."""

    track_id: int
    score: float | None  # smoothed: what the alert acts on
    frame_score: float | None
    state: str
    box: tuple[float, float, float, float] | None = None

    @classmethod
    def from_assessment(cls, a: FaceAssessment) -> FaceScore:
        return cls(a.track_id, a.smoothed_score, a.frame_score, a.state.value, a.box)

    def as_record(self) -> dict:
        out: dict = {"track_id": self.track_id, "score": finite(self.score), "frame_score": finite(self.frame_score),
                     "state": self.state}
        if self.box is not None:
            out["box"] = [round(float(x), 1) for x in self.box]
        return out


@dataclass(frozen=True)
class SessionInfo:
    """What a session starts with: who, which call, what is watched and with which model and settings."""

    operator: str = ""
    call_ref: str = ""
    region: str | None = None
    model: str = ""
    model_version: str = ""
    threshold: float | None = None
    device: str = ""
    settings: tuple[tuple[str, object], ...] = ()  # (name, value) pairs: hashable, JSON-ready values
    app_version: str = ""
