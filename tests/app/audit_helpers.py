"""A scripted call for the audit tests: a fake UTC clock and a session fed verdicts at 10 fps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.audit.event_log import EventLog
from app.audit.events import FaceScore, SessionInfo
from app.audit.session import SessionLogger
from detectors.records import FaceAssessment, MonitorState, TrackState, Verdict

START = datetime(2026, 12, 2, 9, 0, 0, tzinfo=UTC)
INFO = SessionInfo(operator="agent-007", call_ref="CASE-4711", region="200,150 640x480", model="callshield-lite0",
                   model_version="lite0-test", threshold=0.93, device="cpu",
                   settings=(("sensitivity", 0.0), ("max_fps", 10.0)), app_version="0.1.0")


class FakeClock:
    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def assessment(track_id: int, score: float, state: TrackState = TrackState.LOOKS_REAL) -> FaceAssessment:
    return FaceAssessment(track_id, (100.0, 80.0, 260.0, 280.0), score, score, state, frames_scored=10, evidence_s=1.0)


def scripted_call(folder: Path, seconds: float = 120.0) -> tuple[SessionLogger, str]:
    """Looks real, swap from 40 s (alert at 45 s), verified at 60 s, capture lost 80…85 s, stop at `seconds`."""
    clock = FakeClock()
    session = SessionLogger(EventLog(folder, 30, clock))
    sid = session.start(INFO)
    session.state("analysing", "collecting evidence on the face in view")
    for i in range(int(seconds * 10)):
        clock.advance(0.1)
        t = i / 10
        swap = 40 <= t < 70
        state = TrackState.POSSIBLE_SWAP if 45 <= t < 70 else TrackState.LOOKS_REAL
        if i == 20:
            session.state("looks_real", "no sign of a face swap right now")
        if i == 450:
            session.alert([1], [FaceScore(1, 0.95, 0.97, "possible_swap"), FaceScore(2, 0.1, 0.12, "looks_real")])
            session.state("possible_swap", "Possible AI face-swap (face 1)")
        if i == 600:
            session.acknowledged(1, "agent-007", 0.95)
            session.state("verified", "you verified this caller")
        if i == 700:
            session.state("looks_real", "no sign of a face swap right now")
        if 800 <= i < 850:
            if i == 800:
                session.state("not_monitoring", "capture failed: display went away")
                session.error("capture failed: display went away")
            continue
        if i == 850:
            session.state("looks_real", "no sign of a face swap right now")
        faces = (assessment(1, 0.95 if swap else 0.2, state), assessment(2, 0.1))
        session.verdict(Verdict(t, i, MonitorState.LOOKS_REAL, faces))
    session.challenge_result("turn_head", passed=True, detail="scripted")
    session.stop()
    return session, sid
