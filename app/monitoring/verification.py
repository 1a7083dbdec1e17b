""""Verify now" on the worker thread: which challenge the GUI asked for (a `ChallengeStep` inside the worker's
config), the engine's challenge meter that watches the caller beside the swap detector, and what goes back."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from app.audit.session import SessionLogger
from app.monitoring.audit_log import AuditLog
from detectors.records import Frame, Verdict

if TYPE_CHECKING:  # the engine's challenge module (OpenCV, mediapipe) loads on the worker thread, when first used
    from detectors.challenge import Action, ActionResult

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChallengeStep:
    """The challenge running now: `action` None means between challenges (the caller's baseline is being kept)."""

    run_id: int
    index: int
    action: Action | None


@dataclass(frozen=True)
class ChallengeProgress:
    """How far the caller is towards the running challenge's goal (1 = done; None: the frame could not tell)."""

    run_id: int
    index: int
    progress: float | None
    face_seen: bool


@dataclass(frozen=True)
class ChallengeOutcome:
    """One challenge judged, with the frame that showed a break (in memory only)."""

    run_id: int
    index: int
    result: ActionResult


@dataclass(frozen=True)
class VerificationReport:
    """A finished verification: one result per challenge asked (skipped ones count as not performed)."""

    results: tuple[ActionResult, ...]
    skipped: frozenset[Action]

    @property
    def broke(self) -> tuple[ActionResult, ...]:
        return tuple(r for r in self.results if r.broke)

    @property
    def missed(self) -> tuple[ActionResult, ...]:
        return tuple(r for r in self.results if not r.performed)


def record_verification(audit_log: AuditLog, session: SessionLogger | None, report: VerificationReport,
                        region: str | None = None, model: str = "") -> None:
    """Logs each challenge in the decisions log and, during a call-centre session, as a `challenge_result` event.
    A challenge passes only when it was performed and the face held; the frame itself is never logged."""
    for r in report.results:
        skipped = r.action in report.skipped
        ev = r.evidence
        cues = list(ev.broke_on) if ev is not None else []
        detail = ("skipped" if skipped else "not performed" if not r.performed
                  else f"face broke: {', '.join(cues)}" if r.broke else "performed, face held")
        audit_log.append("challenge_result", challenge=r.action.value, performed=r.performed, skipped=skipped,
                         broke=r.broke, broke_on=cues, passed=r.performed and not r.broke, detail=detail,
                         baseline_score=None if ev is None else round(ev.baseline_score, 4),
                         action_score=None if ev is None else round(ev.action_score, 4), region=region, model=model)
        if session is not None:
            session.challenge_result(r.action.value, r.performed and not r.broke, detail)
    log.info("verify now: %s", "; ".join(f"{r.action.value} {'broke' if r.broke else 'held' if r.performed else 'not performed'}"
                                         for r in report.results))


class Meter(Protocol):
    """What the worker needs of `detectors.challenge.ChallengeMeter`; tests pass scripted stand-ins."""

    def observe(self, frame: Frame, verdict: Verdict) -> float | None: ...

    def begin(self, action: Action) -> None: ...

    def finish(self) -> ActionResult | None: ...

    def close(self) -> None: ...


MeterFactory = Callable[[], Meter]


def load_meter() -> Meter:
    """The engine's meter: the dense face mesh and hand model (mediapipe), and MobileFace when it loads."""
    from detectors.assets import WeightsError
    from detectors.challenge_meter import ChallengeMeter
    from detectors.face_mesh import FaceMeshTracker
    from detectors.identity import FaceEmbedder

    try:
        embedder: FaceEmbedder | None = FaceEmbedder.from_assets()
    except WeightsError as err:  # the challenges still work on the mesh and the swap detector's evidence
        log.warning("verify now: no identity network: %s", err)
        embedder = None
    return ChallengeMeter(FaceMeshTracker(), embedder)


class ChallengeTracker:
    """Follows the GUI's challenge steps frame by frame on the worker thread: begins each challenge, judges the
    previous one when the step changes, and drops the meter when verification ends."""

    def __init__(self, factory: MeterFactory) -> None:
        self.factory = factory
        self.meter: Meter | None = None
        self.step: ChallengeStep | None = None

    def update(self, step: ChallengeStep | None, frame: Frame,
               verdict: Verdict) -> tuple[ChallengeOutcome | None, ChallengeProgress | None]:
        """This frame under `step`; loading the meter may raise (mediapipe missing), which the worker reports."""
        if step is None:
            self.close()
            return None, None
        if self.meter is None or self.step is None or self.step.run_id != step.run_id:
            self.close()
            self.meter = self.factory()
        outcome = None
        if step != self.step:
            if self.step is not None and self.step.action is not None and (result := self.meter.finish()) is not None:
                outcome = ChallengeOutcome(self.step.run_id, self.step.index, result)
            if step.action is not None:
                self.meter.begin(step.action)
            self.step = step
        value = self.meter.observe(frame, verdict)
        progress = ChallengeProgress(step.run_id, step.index, value, bool(verdict.faces)) if step.action else None
        return outcome, progress

    def close(self) -> None:
        if self.meter is not None:
            self.meter.close()
        self.meter, self.step = None, None
