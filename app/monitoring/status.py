"""What the user is shown, decided in one place from the engine's verdicts, the run mode and acknowledgements.

Fail-safe by construction: only a fresh verdict (younger than `stale_after_s`) can look reassuring; any
other situation is "not monitoring" with the reason in plain words.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP

from app.language import translate
from detectors.records import MonitorState, TrackState, Verdict

# The English source; `alert_text()` is what the user reads.
ALERT_TEXT = QT_TRANSLATE_NOOP("ShieldStatus", "Possible AI face-swap — verify the caller by another channel")
# The second attack: a still photo (an ID photo, a profile picture) animated into a talking face.
ANIMATION_ALERT_TEXT = QT_TRANSLATE_NOOP("ShieldStatus", "Possible animated photo — verify the caller by another channel")
# Engine messages (detectors/ has no Qt) that the user may see as the reason for "not monitoring".
ENGINE_MESSAGES = (
    QT_TRANSLATE_NOOP("ShieldStatus", "GPU out of memory: switching to the CPU"),
    QT_TRANSLATE_NOOP("ShieldStatus", "no face in view"),
)


def alert_text() -> str:
    return translate("ShieldStatus", ALERT_TEXT)


def animation_alert_text() -> str:
    return translate("ShieldStatus", ANIMATION_ALERT_TEXT)


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
    POSSIBLE_ANIMATION = "possible_animation"  # an animated still photo; shown as loudly as a swap
    POSSIBLE_SWAP = "possible_swap"

    @property
    def is_checking(self) -> bool:
        """True when a face is being judged right now."""
        return self in (ShieldLevel.ANALYSING, ShieldLevel.LOOKS_REAL, ShieldLevel.VERIFIED, ShieldLevel.POSSIBLE_SWAP,
                        ShieldLevel.POSSIBLE_ANIMATION)

    @property
    def is_alert(self) -> bool:
        """A warning: a possible face swap or a possible animated photo (the same frame, banner and sound)."""
        return self in (ShieldLevel.POSSIBLE_SWAP, ShieldLevel.POSSIBLE_ANIMATION)

    def alert_text(self) -> str:
        """What the warning says, in the language shown; empty for a level that does not warn."""
        if self is ShieldLevel.POSSIBLE_ANIMATION:
            return animation_alert_text()
        return alert_text() if self is ShieldLevel.POSSIBLE_SWAP else ""

    @property
    def is_calm(self) -> bool:
        """Checking, and nothing to warn about: never worded or coloured as "the caller is real"."""
        return self in (ShieldLevel.ANALYSING, ShieldLevel.LOOKS_REAL)


# English sources; `ShieldStatus.headline` translates. LOOKS_REAL keeps its engine name, but CallShield cannot know
# that a caller is real: the calm state says only that no sign of a swap has been seen so far.
HEADLINES = {
    ShieldLevel.NOT_MONITORING: QT_TRANSLATE_NOOP("ShieldStatus", "Not monitoring"),
    ShieldLevel.NO_FACE: QT_TRANSLATE_NOOP("ShieldStatus", "Not monitoring — no face"),
    ShieldLevel.ANALYSING: QT_TRANSLATE_NOOP("ShieldStatus", "Watching — checking the face…"),
    ShieldLevel.LOOKS_REAL: QT_TRANSLATE_NOOP("ShieldStatus", "Watching — no sign of a face swap so far"),
    ShieldLevel.VERIFIED: QT_TRANSLATE_NOOP("ShieldStatus", "Warning silenced — you verified this caller"),
    ShieldLevel.POSSIBLE_ANIMATION: QT_TRANSLATE_NOOP("ShieldStatus", "POSSIBLE ANIMATED PHOTO"),
    ShieldLevel.POSSIBLE_SWAP: QT_TRANSLATE_NOOP("ShieldStatus", "POSSIBLE AI FACE SWAP"),
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
        return self.state.is_alert and not self.acknowledged


@dataclass(frozen=True)
class ShieldStatus:
    level: ShieldLevel
    detail: str
    faces: tuple[FaceStatus, ...] = ()
    verdict_time: float | None = None  # monotonic timestamp of the verdict shown, if any

    @property
    def headline(self) -> str:
        return translate("ShieldStatus", HEADLINES[self.level])

    @property
    def alert_faces(self) -> tuple[FaceStatus, ...]:
        return tuple(f for f in self.faces if f.alerting)


# Below this many analysed frames per second the 2-s evidence window holds too few frames to reassure anyone: the
# calm state then says analysis is too slow (a warning still shows).
TRUSTED_MIN_FPS = 3.0


class StatusTracker:
    """Keeps the latest verdict, failure and acknowledgements, and turns them into a `ShieldStatus`."""

    def __init__(self, stale_after_s: float = 2.0) -> None:
        self.stale_after_s = stale_after_s
        self.analysed_fps: float | None = None  # the worker's pace (WorkerStats); None until it is known
        self.mode = RunMode.STOPPED
        self.engine_problem: str | None = translate("ShieldStatus", "loading the face-swap detector…")
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
            return ShieldStatus(nm, translate("ShieldStatus", "stopped — press Start to watch the caller's video"))
        if self.mode is RunMode.PAUSED:
            return ShieldStatus(nm, translate("ShieldStatus", "paused — press Resume (Ctrl+P) to watch again"))
        if self.engine_problem:
            return ShieldStatus(nm, self.engine_problem)
        v = self._verdict
        if self._failure and (v is None or self._failure[0] >= v.timestamp):
            return ShieldStatus(nm, self._failure[1])
        if v is None:
            return ShieldStatus(nm, translate("ShieldStatus", "starting — no frame analysed yet"))
        age = now - v.timestamp
        if age > self.stale_after_s:
            # "{seconds} s", not a plural form: PySide6 6.11's lupdate keeps plural forms only for literal counts.
            stale = translate("ShieldStatus", "no fresh analysis for {seconds} s — the computer may be too busy").format(
                seconds=round(age))
            return ShieldStatus(nm, stale, verdict_time=v.timestamp)
        faces = tuple(
            FaceStatus(f.track_id, f.smoothed_score, f.frame_score, f.state, f.box, f.track_id in self._acknowledged)
            for f in v.faces
        )
        level, detail = self._judge(v, faces)
        if level.is_calm and self.analysed_fps is not None and 0 < self.analysed_fps < TRUSTED_MIN_FPS:
            level, detail = ShieldLevel.ANALYSING, translate(
                "ShieldStatus", "Analysis is too slow to be trusted ({fps} frames/s): close other heavy programs"
            ).format(fps=f"{self.analysed_fps:.1f}")
        return ShieldStatus(level, detail, faces=faces, verdict_time=v.timestamp)

    @staticmethod
    def _judge(v: Verdict, faces: tuple[FaceStatus, ...]) -> tuple[ShieldLevel, str]:
        if v.state is MonitorState.NOT_MONITORING:
            why = engine_message(v.message) or translate("ShieldStatus", "the detector could not analyse this frame")
            return ShieldLevel.NOT_MONITORING, why
        if v.state is MonitorState.NO_FACE or not faces:
            return ShieldLevel.NO_FACE, translate("ShieldStatus",
                                                  "no face in the monitored region — nothing is being checked")
        if alerting := [f for f in faces if f.alerting]:
            swap = any(f.state is TrackState.POSSIBLE_SWAP for f in alerting)
            level = ShieldLevel.POSSIBLE_SWAP if swap else ShieldLevel.POSSIBLE_ANIMATION
            ids = ", ".join(str(f.track_id) for f in alerting)
            alert = translate("ShieldStatus", "{alert} (face {ids})").format(alert=level.alert_text(), ids=ids)
            return level, alert
        if any(f.state is TrackState.ANALYSING for f in faces):
            return ShieldLevel.ANALYSING, translate("ShieldStatus", "collecting evidence on the face in view — no judgement yet")
        if any(f.state.is_alert for f in faces):
            return ShieldLevel.VERIFIED, translate(
                "ShieldStatus", "the detector still flags this face, but you verified this caller for this call")
        return ShieldLevel.LOOKS_REAL, translate(
            "ShieldStatus", "This cannot prove who the caller is. If they ask for money or codes, hang up and call back on "
            "a number you already know.")


def engine_message(message: str) -> str:
    """An engine's reason in the language shown (its technical part, such as an exception, stays as it is)."""
    prefix = "engine error: "
    if message.startswith(prefix):
        return translate("ShieldStatus", "engine error: {error}").format(error=message[len(prefix):])
    return translate("ShieldStatus", message) if message in ENGINE_MESSAGES else message
