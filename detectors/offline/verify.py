"""`callshield verify CLIP --actions …`: the "Verify now" challenges judged on a recorded clip — per action, whether
the person performed it, when, and the swap evidence during it against the same person just before it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from detectors.challenge import Action, ActionResult, ChallengeSample, ChallengeThresholds, summary, verify_recording
from detectors.challenge_meter import ChallengeMeter
from detectors.face_mesh import FaceMeshTracker
from detectors.identity import FaceEmbedder
from detectors.media import iter_frames, probe
from detectors.pipeline import Pipeline
from detectors.records import MonitorState
from detectors.words import translate

VERIFY_FPS = 10.0  # as live


@dataclass(frozen=True)
class ClipVerification:
    file: str
    duration_s: float
    frames: int
    results: tuple[ActionResult, ...]

    @property
    def summary(self) -> str:
        return summary(self.results)

    def to_json(self) -> dict:
        return {"file": self.file, "duration_s": round(self.duration_s, 2), "frames_analysed": self.frames,
                "summary": self.summary, "actions": [r.to_json() for r in self.results]}


def sample_clip(path: Path, pipeline: Pipeline, embedder: FaceEmbedder | None, fps: float = VERIFY_FPS,
                progress: Callable[[str], None] | None = None) -> list[ChallengeSample]:
    """Every analysed frame of the clip, measured as the live challenge measures it."""
    pipeline.reset()
    meter = ChallengeMeter(FaceMeshTracker(), embedder)
    samples = []
    try:
        for frame in iter_frames(path, fps):
            verdict = pipeline.process(frame)
            if verdict.state is MonitorState.NOT_MONITORING:
                raise ValueError(f"{path}: {verdict.message}")
            samples.append(meter.sample(frame, verdict))
            if progress and frame.index % 50 == 0:
                progress(f"{path.name}: {frame.timestamp:.1f} s")
    finally:
        meter.close()
    return samples


def verify_clip(path: Path, actions: Sequence[Action], pipeline: Pipeline, embedder: FaceEmbedder | None,
                fps: float = VERIFY_FPS, th: ChallengeThresholds = ChallengeThresholds(),
                progress: Callable[[str], None] | None = None) -> ClipVerification:
    info = probe(path)
    samples = sample_clip(path, pipeline, embedder, fps, progress)
    return ClipVerification(str(path), info.duration_s, len(samples), tuple(verify_recording(samples, actions, th=th)))


def describe(v: ClipVerification) -> str:
    """Plain-text report: one line per action, then the summary."""
    lines = [translate("Verify", "{file}: {frames} frames analysed over {seconds} s").format(
        file=v.file, frames=v.frames, seconds=f"{v.duration_s:.1f}")]
    for r in v.results:
        if not r.performed:
            lines.append(f"  {r.action.words}: " + translate("Verify", "not performed"))
            continue
        ev = r.evidence
        assert ev is not None and r.start_s is not None and r.end_s is not None
        outcome = (translate("Verify", "BROKE ({signals})").format(signals=", ".join(ev.broke_on)) if ev.exceeds
                   else translate("Verify", "held"))
        lines.append(f"  {r.action.words}: " + translate(
            "Verify", "performed {start}–{end} s; score {before} → {during}, identity drop {drop}, landmarks lost "
            "{lost}, seam flicker {flicker}: {outcome}").format(
            start=f"{r.start_s:.1f}", end=f"{r.end_s:.1f}", before=f"{ev.baseline_score:.2f}",
            during=f"{ev.action_score:.2f}", drop="—" if ev.identity_drop is None else f"{ev.identity_drop:+.2f}",
            lost=f"{ev.mesh_lost:+.0%}", flicker=f"{ev.flicker_rise:+.2f}", outcome=outcome))
    lines.append(f"  {v.summary}")
    return "\n".join(lines)
