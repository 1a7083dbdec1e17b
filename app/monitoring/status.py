"""What the user is shown, decided in one place from the engine's verdicts, the run mode and acknowledgements.

Fail-safe by construction: only a fresh verdict (younger than `stale_after_s`) can look reassuring; any
other situation is "not monitoring" with the reason in plain words.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from detectors.records import MonitorState, TrackState, Verdict

ALERT_TEXT = "Possible AI face-swap — verify the caller by another channel"


class RunMode(str, enum.Enum):
    STOPPED = "stopped"
    RUNNING = "running"
    PAUSED = "paused"


class ShieldLevel(str, enum.Enum):
    """What the window and overlay show, from 'nothing checked' to 'warn'."""

    NOT_MONITORING = "not_monitoring"
    NO_FACE = "no_face"
    ANALYSING = "analysing"
    LOOKS_REAL = "looks_real"
    VERIFIED = "verified"  # every alerting face was verified by the user
    POSSIBLE_SWAP = "possible_swap"

    @property
    def is_checking(self) -> bool:
        """True when a face is being judged right now."""
        return self in (ShieldLevel.ANALYSING, ShieldLevel.LOOKS_REAL, ShieldLevel.VERIFIED, ShieldLevel.POSSIBLE_SWAP)


HEADLINES = {
    ShieldLevel.NOT_MONITORING: "Not monitoring",
    ShieldLevel.NO_FACE: "Not monitoring — no face",
    ShieldLevel.ANALYSING: "Analysing…",
    ShieldLevel.LOOKS_REAL: "Looks real",
    ShieldLevel.VERIFIED: "Verified by you",
    ShieldLevel.POSSIBLE_SWAP: "POSSIBLE FACE SWAP",
}


@dataclass(frozen=True)
class FaceStatus:
    """One tracked face as the user sees it."""

    track_id: int
    score: float | None  # smoothed swap score the alert acts on
    frame_score: float | None
    state: TrackState
    box: tuple[float, float, float, float]  # frame pixels = capture pixels of the region
    acknowledged: bool

    @property
    def alerting(self) -> bool:
        return self.state is TrackState.POSSIBLE_SWAP and not self.acknowledged


@dataclass(frozen=True)
class ShieldStatus:
    level: ShieldLevel
    detail: str
    faces: tuple[FaceStatus, ...] = ()
    verdict_time: float | None = None  # monotonic timestamp of the verdict shown, if any

    @property
    def headline(self) -> str:
        return HEADLINES[self.level]

    @property
    def alert_faces(self) -> tuple[FaceStatus, ...]:
        return tuple(f for f in self.faces if f.alerting)


class StatusTracker:
    """Keeps the latest verdict, failure and acknowledgements, and turns them into a `ShieldStatus`."""

    def __init__(self, stale_after_s: float = 2.0) -> None:
        self.stale_after_s = stale_after_s
        self.mode = RunMode.STOPPED
        self.engine_problem: str | None = "loading the face-swap detector…"
        self._verdict: Verdict | None = None
        self._failure: tuple[float, str] | None = None
        self._acknowledged: set[int] = set()

    @property
    def acknowledged(self) -> frozenset[int]:
        return frozenset(self._acknowledged)

    def set_mode(self, mode: RunMode) -> None:
        if mode is not RunMode.RUNNING:
            self._verdict = None  # a verdict from before a pause must never show after it
        self.mode = mode

    def on_verdict(self, verdict: Verdict) -> None:
        self._verdict = verdict
        if verdict.state is not MonitorState.NOT_MONITORING:
            self._failure = None

    def on_failure(self, message: str, now: float) -> None:
        self._failure = (now, message)

    def acknowledge(self, track_id: int) -> None:
        self._acknowledged.add(track_id)

    def new_call(self) -> None:
        """Forgets verdicts and acknowledgements: track ids of a new call mean other faces."""
        self._verdict = None
        self._failure = None
        self._acknowledged.clear()

    def status(self, now: float) -> ShieldStatus:
        nm = ShieldLevel.NOT_MONITORING
        if self.mode is RunMode.STOPPED:
            return ShieldStatus(nm, "stopped — press Start to watch the caller's video")
        if self.mode is RunMode.PAUSED:
            return ShieldStatus(nm, "paused — press Resume (Ctrl+P) to watch again")
        if self.engine_problem:
            return ShieldStatus(nm, self.engine_problem)
        v = self._verdict
        if self._failure and (v is None or self._failure[0] >= v.timestamp):
            return ShieldStatus(nm, self._failure[1])
        if v is None:
            return ShieldStatus(nm, "starting — no frame analysed yet")
        age = now - v.timestamp
        if age > self.stale_after_s:
            return ShieldStatus(nm, f"no fresh analysis for {age:.0f} s — the computer may be too busy", verdict_time=v.timestamp)
        faces = tuple(
            FaceStatus(f.track_id, f.smoothed_score, f.frame_score, f.state, f.box, f.track_id in self._acknowledged)
            for f in v.faces
        )
        return ShieldStatus(*self._judge(v, faces), faces=faces, verdict_time=v.timestamp)

    @staticmethod
    def _judge(v: Verdict, faces: tuple[FaceStatus, ...]) -> tuple[ShieldLevel, str]:
        if v.state is MonitorState.NOT_MONITORING:
            return ShieldLevel.NOT_MONITORING, v.message or "the detector could not analyse this frame"
        if v.state is MonitorState.NO_FACE or not faces:
            return ShieldLevel.NO_FACE, "no face in the monitored region — nothing is being checked"
        if alerting := [f for f in faces if f.alerting]:
            ids = ", ".join(str(f.track_id) for f in alerting)
            return ShieldLevel.POSSIBLE_SWAP, f"{ALERT_TEXT} (face {ids})"
        if any(f.state is TrackState.ANALYSING for f in faces):
            return ShieldLevel.ANALYSING, "collecting evidence on the face in view"
        if any(f.state is TrackState.POSSIBLE_SWAP for f in faces):
            return ShieldLevel.VERIFIED, "the detector still flags this face, but you verified this caller for this call"
        return ShieldLevel.LOOKS_REAL, "no sign of a face swap right now (this cannot prove who the caller is)"
