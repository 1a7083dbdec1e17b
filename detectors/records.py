"""Small immutable records passed between the engine's stages; only `Verdict` leaves the engine."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import numpy as np


class MonitorState(str, enum.Enum):
    """Overall state of a frame's verdict, ordered from 'nothing to say' to 'warn'."""

    NOT_MONITORING = "not_monitoring"
    NO_FACE = "no_face"
    ANALYSING = "analysing"
    LOOKS_REAL = "looks_real"
    POSSIBLE_ANIMATION = "possible_animation"  # a still photo made to talk (detectors/animation.py)
    POSSIBLE_SWAP = "possible_swap"


class TrackState(str, enum.Enum):
    """State of one tracked face."""

    ANALYSING = "analysing"  # not enough evidence yet
    LOOKS_REAL = "looks_real"
    POSSIBLE_ANIMATION = "possible_animation"
    POSSIBLE_SWAP = "possible_swap"

    @property
    def is_alert(self) -> bool:
        return self in (TrackState.POSSIBLE_SWAP, TrackState.POSSIBLE_ANIMATION)


Box = tuple[float, float, float, float]  # x1, y1, x2, y2 in frame pixels


@dataclass(frozen=True)
class Frame:
    """One RGB image (H×W×3 uint8) and when it was captured, in seconds on a monotonic clock."""

    pixels: np.ndarray
    timestamp: float
    index: int = 0

    def __post_init__(self) -> None:
        p = self.pixels
        if not isinstance(p, np.ndarray) or p.ndim != 3 or p.shape[2] != 3 or p.dtype != np.uint8:
            raise ValueError(
                f"Frame.pixels must be an H×W×3 uint8 array, got {getattr(p, 'shape', type(p))}"
                f" {getattr(p, 'dtype', '')}"
            )
        if p.shape[0] == 0 or p.shape[1] == 0:
            raise ValueError("Frame.pixels is empty (0 pixels): the captured region has no area")


@dataclass(frozen=True)
class FaceDetection:
    """A face found in one frame: box, MTCNN confidence and 5 landmarks (eyes, nose, mouth corners)."""

    box: Box
    confidence: float
    landmarks: np.ndarray  # 5×2 float32, frame pixels

    @property
    def size(self) -> float:
        x1, y1, x2, y2 = self.box
        return max(0.0, min(x2 - x1, y2 - y1))


@dataclass(frozen=True)
class FrameMeasurement:
    """What one classified crop of a tracked face measured: the score and the cues the temporal checks read."""

    timestamp: float
    score: float
    landmarks_rel: np.ndarray  # 5×2 landmarks relative to the box centre, in box sizes
    box_centre: tuple[float, float]
    box_size: float
    boundary_change: float | None  # mean |Δ| between consecutive crops in the seam band; None on a track's first frame
    inside_change: float | None
    outside_change: float | None
    colour_gap: float  # Lab distance between the inner face and the band around it


@dataclass(frozen=True)
class FaceAssessment:
    """What the engine concludes about one tracked face at one frame."""

    track_id: int
    box: Box
    frame_score: float | None  # swap probability of this frame's crop; None when not classified
    smoothed_score: float | None  # windowed score the alert policy acts on
    state: TrackState
    frames_scored: int
    evidence_s: float  # seconds of classified evidence in the window
    alert_since_s: float | None = None  # timestamp at which this track entered possible_swap
    signals: dict[str, float] = field(default_factory=dict)  # temporal signals, for the curious
    measurement: FrameMeasurement | None = None  # this frame's, when the face was classified (scan and eval fit on it)
    animation_score: float | None = None  # probability that the face is an animated still, over its window
    animation_since_s: float | None = None  # timestamp at which the animation alert was raised


@dataclass(frozen=True)
class EngineInfo:
    """Which engine judges the frames: where its networks run, which model, and the alert threshold in force."""

    device: str
    model: str
    threshold: float
    note: str = ""  # why it runs where it runs, when that is not where the user asked (GPU out of memory)


@dataclass(frozen=True)
class Verdict:
    """The engine's answer for one frame; holds no pixels so it can cross to the GUI cheaply."""

    timestamp: float
    frame_index: int
    state: MonitorState
    faces: tuple[FaceAssessment, ...] = ()
    message: str = ""  # why, for not_monitoring / no_face
    stage_ms: dict[str, float] = field(default_factory=dict)
    gpu_out_of_memory: bool = False  # the GPU ran out of memory: whoever drives the engine should reload it on the CPU

    @staticmethod
    def not_monitoring(timestamp: float, message: str, frame_index: int = 0, gpu_out_of_memory: bool = False) -> Verdict:
        return Verdict(timestamp, frame_index, MonitorState.NOT_MONITORING, message=message,
                       gpu_out_of_memory=gpu_out_of_memory)
