"""The engine's one call: `Pipeline.process(frame) -> Verdict` (detect → track → align → classify → temporal → verdict)."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from detectors.alignment import align_face
from detectors.animation import ANIMATION_MODEL, AnimationEvidence, AnimationJudgement, AnimationModel, AnimationProbe
from detectors.assets import DEFAULT_MODEL, WeightsError, assets_dir, verified_path
from detectors.classifiers.onnx_classifier import OnnxSwapClassifier
from detectors.face_detection import MtcnnFaceDetector
from detectors.face_follow import FaceFollower
from detectors.face_mesh import mediapipe_available
from detectors.identity import FaceEmbedder
from detectors.records import (
    EngineInfo,
    FaceAssessment,
    FaceDetection,
    Frame,
    FrameMeasurement,
    MonitorState,
    TrackState,
    Verdict,
)
from detectors.runtime import BACKEND_CHOICES, resolve_backend
from detectors.signals import measure
from detectors.temporal import AlertPolicy, FusionModel, TrackEvidence
from detectors.tracking import FaceTracker, TrackedFace, iou

if TYPE_CHECKING:
    from detectors.classifiers.swap_classifier import SwapClassifier



@dataclass(frozen=True)
class PipelineConfig:
    """Engine settings; the GUI hands a new one to its worker when the user changes a setting."""

    device: str = "auto"
    backend: str = "auto"  # "torch", "onnx" (CPU, no torch) or "auto" (detectors.runtime.resolve_backend)
    model: str = DEFAULT_MODEL
    sensitivity: float = 0.0  # -1 (quiet) … +1 (eager); shifts the model's threshold
    # MTCNN on every Nth frame (a key frame), near each known face; between key frames each face's 5 landmarks are
    # followed by optical flow. Where a face is lost, MTCNN looks near it, then over the whole region.
    detect_every: int = 5
    scan_every: int = 30  # the whole region at least every N frames, to find faces that came into view
    max_detect_side: int = 640
    min_face_px: int = 40
    max_faces: int = 4  # classify at most this many (largest) faces per frame
    init_delay: int = 2
    window_s: float = 2.0
    min_evidence_s: float = 1.0
    use_fusion: bool = True  # False: judge on the mean classifier score alone (the per-frame baseline)
    # The animated-photo detector beside the swap classifier (detectors/animation.py). Off by default: the shipped
    # animation model misses the real tools' output (eval-animation AUC 0.42) and adds a false alarm on eval's real
    # clips (README § Animated photos); turn it on with `--animation` or here once a model clears the bar.
    detect_animation: bool = False
    # CPU threads for the networks. One leaves the other cores to the call itself, and torch's thread pool
    # slows ~10× when it has more threads than free cores (measured here under load).
    threads: int = 1

    def __post_init__(self) -> None:
        if self.detect_every < 1 or self.scan_every < 1:
            raise ValueError("detect_every and scan_every must be ≥ 1")
        if self.backend not in BACKEND_CHOICES:
            raise ValueError(f"unknown backend {self.backend!r}; choose one of {', '.join(BACKEND_CHOICES)}")
        if not -1.0 <= self.sensitivity <= 1.0:
            raise ValueError(f"sensitivity {self.sensitivity} must lie in [-1, 1]")
        if self.max_faces < 1:
            raise ValueError("max_faces must be ≥ 1")
        if self.threads < 1:
            raise ValueError("threads must be ≥ 1")


def distinct_faces(detections: list[FaceDetection], max_overlap: float = 0.5) -> list[FaceDetection]:
    """One detection per face: re-detection near two tracks can find the same face twice, which would keep a
    duplicate track alive, split its evidence and double the detection cost."""
    kept: list[FaceDetection] = []
    for d in sorted(detections, key=lambda d: -d.confidence):
        if all(iou(d.box, k.box) <= max_overlap for k in kept):
            kept.append(d)
    return kept


class Pipeline:
    """Synchronous, single-threaded engine; one instance per monitored stream."""

    def __init__(self, config: PipelineConfig, classifier: SwapClassifier | OnnxSwapClassifier,
                 detector: MtcnnFaceDetector, fusion: FusionModel | None = None,
                 animation: tuple[AnimationModel, AnimationProbe] | None = None) -> None:
        self.config = config
        self.classifier = classifier
        self.detector = detector
        self.fusion = fusion
        self.animation = animation
        self._animation_tracks: dict[int, AnimationEvidence] = {}
        self._probed_track: int | None = None
        self.tracker = FaceTracker(init_delay=config.init_delay)
        self.follower = FaceFollower()
        self._last_scan = -config.scan_every
        self._tracks: dict[int, TrackEvidence] = {}
        self._last_crops: dict[int, np.ndarray] = {}
        self._frames_seen = 0
        self.reconfigure(config)

    @classmethod
    def load(cls, config: PipelineConfig = PipelineConfig(), assets: Path | None = None) -> Pipeline:
        """Builds the engine with the shipped model; raises WeightsError or ValueError with a readable message."""
        assets = assets or assets_dir()
        backend = resolve_backend(config.backend, config.device)
        if backend == "onnx":  # never imports torch
            classifier = OnnxSwapClassifier.from_assets(config.model, assets, config.threads)
            device = "cpu"
        else:
            import torch

            from detectors.classifiers.swap_classifier import SwapClassifier
            from detectors.device import resolve_device

            device = resolve_device(config.device)
            torch.set_num_threads(config.threads)  # process-wide: the engine is the process's only heavy user
            classifier = SwapClassifier.from_assets(device, config.model, assets)
        fusion = None
        if config.use_fusion and classifier.config.fusion:
            path = verified_path(assets, classifier.config.fusion)
            try:
                fusion = FusionModel.load(path)
            except (ValueError, TypeError, KeyError) as err:
                raise WeightsError(f"fusion model {path} is damaged: {err}") from None
        detector = MtcnnFaceDetector(device, config.max_detect_side, config.min_face_px, backend=backend,
                                     assets=assets, threads=config.threads)
        return cls(config, classifier, detector, fusion, load_animation(assets) if config.detect_animation else None)

    @property
    def device(self) -> object:
        """The torch device of the torch backend, "cpu" on the ONNX runtime."""
        return self.classifier.device

    @property
    def backend(self) -> str:
        return self.detector.backend

    @property
    def fusion_in_use(self) -> FusionModel | None:
        """The temporal fusion model the alert policy acts on, or None for the mean classifier score."""
        return self._fusion_in_use

    def info(self) -> EngineInfo:
        """Device, model version and the alert threshold in force (it moves with the sensitivity)."""
        device = f"{self.device} (onnxruntime)" if self.backend == "onnx" else str(self.device)
        return EngineInfo(device, self.classifier.config.version, float(self.policy.enter))

    def reconfigure(self, config: PipelineConfig) -> None:
        """Applies settings that need no reload (sensitivity, timing); device/model changes need `load`."""
        self.config = config
        fusion = self._fusion_in_use = self.fusion if config.use_fusion else None
        threshold = fusion.threshold if fusion else self.classifier.config.threshold
        self.policy = replace(
            AlertPolicy.from_threshold(threshold, config.sensitivity),
            window_s=config.window_s,
            min_evidence_s=config.min_evidence_s,
        )
        for track in self._tracks.values():
            track.policy, track.fusion = self.policy, fusion
        self._animation_tracks.clear()  # rebuilt with the new sensitivity

    def face_crop(self, rgb: np.ndarray, face: FaceDetection) -> np.ndarray:
        """The aligned crop of `face` exactly as the classifier was trained on it."""
        cfg = self.classifier.config
        return align_face(rgb, face.landmarks, cfg.crop_size, cfg.crop_margin)

    def reset(self) -> None:
        """Forget all faces (new call, new region, or a pause long enough to break continuity)."""
        self.tracker.reset()
        self._tracks.clear()
        self._last_crops.clear()
        self._animation_tracks.clear()
        self._probed_track = None
        self.follower.reset()
        self._frames_seen = 0
        self._last_scan = -self.config.scan_every

    def process(self, frame: Frame) -> Verdict:
        """The verdict for one frame; an internal failure becomes a not-monitoring verdict that says why."""
        try:
            return self._process(frame)
        except Exception as err:
            self.reset()
            if _gpu_out_of_memory(err):
                return Verdict.not_monitoring(frame.timestamp, "GPU out of memory: switching to the CPU", frame.index,
                                              gpu_out_of_memory=True)
            return Verdict.not_monitoring(frame.timestamp, f"engine error: {type(err).__name__}: {err}", frame.index)

    def _detect(self, rgb: np.ndarray) -> tuple[list[FaceDetection], list[int | None]]:
        """This frame's faces and, for each, the track it was found by following (None: found by a whole-region
        scan). Known faces are followed (flow between key frames, MTCNN near them on key frames); the whole region
        is searched when there is none, when one is lost, and every `scan_every` frames."""
        known = self.tracker.detections
        if not known or self._frames_seen - self._last_scan >= self.config.scan_every:
            return self._scan(rgb)
        key = self._frames_seen % self.config.detect_every == 0
        found: dict[int, FaceDetection] = {}
        for track_id, last in known:
            d = None if key else self.follower.follow(rgb, track_id, last)
            if d is None:
                d = self.detector.detect_near(rgb, last.box)
            if d is None:
                return self._scan(rgb)
            found[track_id] = d
        kept = distinct_faces(list(found.values()))
        return kept, [next(t for t, d in found.items() if d is k) for k in kept]

    def _scan(self, rgb: np.ndarray) -> tuple[list[FaceDetection], list[int | None]]:
        self._last_scan = self._frames_seen
        faces = self.detector.detect(rgb)
        return faces, [None] * len(faces)

    def _process(self, frame: Frame) -> Verdict:
        ms: dict[str, float] = {}
        t = time.perf_counter()

        def lap(stage: str) -> None:
            nonlocal t
            now = time.perf_counter()
            ms[stage] = (now - t) * 1000
            t = now

        detections, owners = self._detect(frame.pixels)
        self._frames_seen += 1
        lap("detect")
        tracked = self.tracker.update(detections, frame.timestamp, owners)
        self.follower.remember(frame.pixels, [(f.track_id, f.detection) for f in tracked if f.fresh])
        live_ids = {f.track_id for f in tracked}
        for gone in set(self._tracks) - live_ids:
            del self._tracks[gone]
        for gone in set(self._last_crops) - live_ids:
            del self._last_crops[gone]
        to_score = sorted((f for f in tracked if f.confirmed and f.fresh), key=lambda f: -f.detection.size)
        to_score = to_score[: self.config.max_faces]
        lap("track")
        crops = [self.face_crop(frame.pixels, f.detection) for f in to_score]
        lap("align")
        scores = self.classifier.predict(crops)
        lap("classify")
        animated = self._animate(frame, to_score[:1], live_ids)
        lap("animation")
        measured = self._measure(frame.timestamp, to_score, crops, scores)
        faces = [self._assess(frame.timestamp, f, measured.get(f.track_id), animated.get(f.track_id))
                 for f in tracked if f.confirmed]
        lap("temporal")
        if not any(f.fresh for f in tracked) and not faces:
            return Verdict(frame.timestamp, frame.index, MonitorState.NO_FACE, message="no face in view", stage_ms=ms)
        return Verdict(frame.timestamp, frame.index, overall_state(faces), tuple(faces), stage_ms=ms)

    def _measure(self, timestamp: float, faces: list[TrackedFace], crops: list[np.ndarray],
                 scores: np.ndarray) -> dict[int, FrameMeasurement]:
        """Each classified face's score and the cues its crop shows against the same track's previous crop."""
        margin = self.classifier.config.crop_margin
        measured: dict[int, FrameMeasurement] = {}
        for f, crop, score in zip(faces, crops, scores):
            measured[f.track_id] = measure(timestamp, float(score), crop, self._last_crops.get(f.track_id),
                                           f.detection.landmarks, f.detection.box, margin)
            self._last_crops[f.track_id] = crop
        return measured

    def _animate(self, frame: Frame, faces: list[TrackedFace], live: set[int]) -> dict[int, AnimationJudgement]:
        """The animated-photo evidence of the largest classified face (one mesh a frame bounds the cost); the other
        faces' windows only age."""
        if self.animation is None:
            return {}
        model, probe = self.animation
        for gone in set(self._animation_tracks) - live:
            del self._animation_tracks[gone]
        sample = None
        if faces:
            face = faces[0]
            if face.track_id != self._probed_track:
                probe.reset()
                self._probed_track = face.track_id
            sample = probe.measure(frame.pixels, face.detection.box, frame.timestamp)
        out = {}
        for track_id in live:
            evidence = self._animation_tracks.get(track_id)
            if evidence is None:
                evidence = self._animation_tracks[track_id] = AnimationEvidence(model, self.config.sensitivity)
            probed = sample if faces and track_id == faces[0].track_id else None
            out[track_id] = evidence.update(frame.timestamp, probed)
        return out

    def _assess(self, timestamp: float, face: TrackedFace, m: FrameMeasurement | None,
                animated: AnimationJudgement | None = None) -> FaceAssessment:
        """Adds this frame's measurement (None when the face was not classified) to the track's evidence; a face
        that is not a possible swap but whose motion says "animated still" is a possible animation."""
        track = self._tracks.get(face.track_id)
        if track is None:
            track = self._tracks[face.track_id] = TrackEvidence(
                self.policy, self.classifier.config.threshold, self._fusion_in_use
            )
        j = track.update(timestamp, m)
        state = j.state
        if animated is not None and animated.alerting and state is TrackState.LOOKS_REAL:
            state = TrackState.POSSIBLE_ANIMATION
        return FaceAssessment(
            track_id=face.track_id,
            box=face.detection.box,
            frame_score=None if m is None else m.score,
            smoothed_score=j.evidence,
            state=state,
            frames_scored=j.frames_scored,
            evidence_s=j.evidence_s,
            alert_since_s=j.alert_since,
            signals=j.signals,
            measurement=m,
            animation_score=None if animated is None else animated.score,
            animation_since_s=None if animated is None else animated.alert_since,
        )


def load_animation(assets: Path) -> tuple[AnimationModel, AnimationProbe] | None:
    """The animated-photo detector: its model, and the face mesh and identity network it reads; None where the
    installation lacks mediapipe or the model (the swap detector then works alone). A damaged file is an error."""
    if not mediapipe_available():
        return None
    try:
        path = verified_path(assets, ANIMATION_MODEL)
    except WeightsError:
        if (assets / ANIMATION_MODEL).exists():
            raise
        return None
    try:
        model = AnimationModel.load(path)
    except (ValueError, TypeError, KeyError) as err:
        raise WeightsError(f"animation model {path} is damaged: {err}") from None
    return model, AnimationProbe(FaceEmbedder.from_assets(assets))


def overall_state(faces: list[FaceAssessment]) -> MonitorState:
    """The frame's state: a warning if any face warns; still analysing while any face is."""
    states = {f.state for f in faces}
    if TrackState.POSSIBLE_SWAP in states:
        return MonitorState.POSSIBLE_SWAP
    if TrackState.POSSIBLE_ANIMATION in states:
        return MonitorState.POSSIBLE_ANIMATION
    if not faces or TrackState.ANALYSING in states:
        return MonitorState.ANALYSING
    return MonitorState.LOOKS_REAL


def _gpu_out_of_memory(err: Exception) -> bool:
    """Whether `err` is torch's CUDA out-of-memory error (only the torch backend, which has imported torch, raises it)."""
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(err, torch.cuda.OutOfMemoryError)
