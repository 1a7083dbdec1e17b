"""Scans video and image files through the engine as the live app would, and summarises each file."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from detectors.fusion import call_score, clip_windows
from detectors.media import MediaError, is_image, iter_frames, probe, read_image
from detectors.pipeline import Pipeline
from detectors.records import FrameMeasurement, MonitorState, Verdict
from detectors.temporal import AlertPolicy, FusionModel

DEFAULT_SCAN_FPS = 10.0  # the live app's default analysis rate


@dataclass(frozen=True)
class FaceSummary:
    track_id: int
    score: float  # mean per-frame swap probability of this face
    frames: int


@dataclass(frozen=True)
class ScanResult:
    file: str
    verdict: str  # possible_swap | possible_animation | looks_real | no_face | error
    score: float | None  # video-level swap probability; None without a face
    frames_analysed: int
    faces: list[FaceSummary] = field(default_factory=list)
    first_alert_s: float | None = None
    error: str | None = None
    duration_s: float = 0.0
    alert_count: int = 0  # separate alerts raised (entries into possible_swap)
    classifier_score: float | None = None  # the per-frame baseline: mean classifier score of the deciding face
    measurements: dict[int, list[FrameMeasurement]] = field(default_factory=dict, repr=False)
    animation_score: float | None = None  # video-level animated-photo probability; None: not enough motion seen
    first_animation_alert_s: float | None = None

    @property
    def overall_score(self) -> float | None:
        """The score of the verdict's kind: the animation score for possible_animation, else the swap score."""
        return self.animation_score if self.verdict == "possible_animation" else self.score

    def to_json(self) -> dict:
        return {
            "file": self.file,
            "verdict": self.verdict,
            "score": self.overall_score,
            "scores": {"swap": self.score, "animation": self.animation_score},
            "first_animation_alert_s": self.first_animation_alert_s,
            "frames_analysed": self.frames_analysed,
            "faces": [asdict(f) for f in self.faces],
            "first_alert_s": self.first_alert_s,
            "error": self.error,
        }


def video_score(tracks: dict[int, list[FrameMeasurement]], fusion: FusionModel | None,
                threshold: float) -> tuple[float | None, list[FaceSummary], float | None]:
    """The clip's score: the highest call score among faces seen for a good part of the clip.

    A face's call score is its mean fused window evidence (or, without fusion, its mean classifier score).
    Faces seen on few frames (a passer-by, a false detection) do not decide a clip on their own.
    """

    def face_score(ms: list[FrameMeasurement]) -> float:
        if fusion is not None:
            fused = call_score(clip_windows(ms, threshold), fusion)
            if fused is not None:
                return fused
        return float(np.mean([m.score for m in ms]))

    faces = [FaceSummary(t, face_score(ms), len(ms)) for t, ms in sorted(tracks.items()) if ms]
    if not faces:
        return None, [], None
    longest = max(f.frames for f in faces)
    main = [f for f in faces if f.frames >= max(3, 0.3 * longest)] or [max(faces, key=lambda f: f.frames)]
    deciding = max(main, key=lambda f: f.score)
    return deciding.score, faces, float(np.mean([m.score for m in tracks[deciding.track_id]]))


class FileScanner:
    """Runs one pipeline over files, one after another; a bad file never stops the others."""

    def __init__(self, pipeline: Pipeline, max_fps: float = DEFAULT_SCAN_FPS,
                 progress: Callable[[str], None] | None = None) -> None:
        self.pipeline = pipeline
        self.max_fps = max_fps
        self.progress = progress

    def scan(self, path: Path) -> ScanResult:
        path = Path(path)
        try:
            return self._scan_image(path) if is_image(path) else self._scan_video(path)
        except MediaError as err:
            return ScanResult(str(path), "error", None, 0, error=str(err))

    def _scan_image(self, path: Path) -> ScanResult:
        rgb = read_image(path)
        det = self.pipeline.detector.detect(rgb)
        if not det:
            return ScanResult(str(path), "no_face", None, 1)
        cfg = self.pipeline.classifier.config
        det = sorted(det, key=lambda d: -d.size)[: self.pipeline.config.max_faces]
        crops = [self.pipeline.face_crop(rgb, d) for d in det]
        scores = self.pipeline.classifier.predict(crops)
        faces = [FaceSummary(i + 1, float(s), 1) for i, s in enumerate(scores)]
        score = float(max(scores))
        # A photo has no windows to fuse: it is judged by the classifier's own threshold (with the sensitivity).
        threshold = AlertPolicy.from_threshold(cfg.threshold, self.pipeline.config.sensitivity).enter
        verdict = "possible_swap" if score >= threshold else "looks_real"
        return ScanResult(str(path), verdict, score, 1, faces, None, classifier_score=score)

    def _scan_video(self, path: Path) -> ScanResult:
        info = probe(path)
        self.pipeline.reset()
        tracks: dict[int, list[FrameMeasurement]] = {}
        animation: dict[int, list[float]] = {}
        first_alert: float | None = None
        first_animation: float | None = None
        alerts, alerting = 0, False
        frames = 0
        failure: Verdict | None = None
        last_report = time.monotonic()
        for frame in iter_frames(path, self.max_fps):
            verdict = self.pipeline.process(frame)
            frames += 1
            if verdict.state is MonitorState.NOT_MONITORING:
                failure = verdict
                break
            for face in verdict.faces:
                if face.measurement is not None:
                    tracks.setdefault(face.track_id, []).append(face.measurement)
                if face.animation_score is not None:
                    animation.setdefault(face.track_id, []).append(face.animation_score)
            if first_animation is None and verdict.state is MonitorState.POSSIBLE_ANIMATION:
                first_animation = round(frame.timestamp, 3)
            now_alerting = verdict.state is MonitorState.POSSIBLE_SWAP
            alerts += now_alerting and not alerting
            alerting = now_alerting
            if first_alert is None and now_alerting:
                first_alert = round(frame.timestamp, 3)
            if self.progress and time.monotonic() - last_report > 2.0:
                last_report = time.monotonic()
                self.progress(f"{path.name}: {frame.timestamp:.1f}/{info.duration_s:.1f} s")
        if failure is not None:
            return ScanResult(str(path), "error", None, frames, error=failure.message)
        if frames == 0:
            return ScanResult(str(path), "error", None, 0, error=f"{path}: no frames could be decoded")
        score, faces, classifier_score = video_score(
            tracks, self.pipeline.fusion_in_use, self.pipeline.classifier.config.threshold
        )
        if score is None:
            return ScanResult(str(path), "no_face", None, frames, duration_s=info.duration_s)
        verdict = "possible_swap" if first_alert is not None else "looks_real"
        if verdict == "looks_real" and first_animation is not None:
            verdict = "possible_animation"
        return ScanResult(str(path), verdict, round(score, 4), frames, faces, first_alert, None,
                          info.duration_s, alerts, classifier_score, tracks, animation_video_score(animation),
                          first_animation)


def animation_video_score(scores: dict[int, list[float]]) -> float | None:
    """The clip's animated-photo score: the mean window score of the face followed longest."""
    if not scores:
        return None
    longest = max(scores.values(), key=len)
    return round(float(np.mean(longest)), 4)


def stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
