"""Evidence that a face is an animated still photo (LivePortrait, SadTalker, AniPortrait, EMO/VASA-style): per track,
over a few seconds, the head barely turns, light and skin do not change as it does, the background or hair moves with
the face, blinks are missing, the lips move too regularly, the mouth opening has no teeth or tongue, and the identity
embedding stays too constant. The dense face mesh (detectors/face_mesh.py) gives the geometry; MobileFace
(detectors/identity.py) the identity. A small logistic model over the window's features (assets/models/animation.json,
fitted on train by `python -m training.fit_animation`) turns them into a probability with its own alert threshold."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import ClassVar

import cv2
import numpy as np

from detectors.face_mesh import CHIN, FOREHEAD, head_pose, import_mediapipe
from detectors.identity import FaceEmbedder
from detectors.logistic import LogisticModel
from detectors.records import Box

ANIMATION_MODEL = "models/animation.json"
CROP_PX = 160  # the mesh runs on the face box grown ×1.8 at this size: its cost does not grow with the region
CROP_GROWTH = 1.8
EMBED_EVERY = 3  # identity embedding on every 3rd sample (~1 ms each)
# Mesh points: inner lips (upper, lower), eyelids (upper, lower) of each eye, eye corners, cheeks (image left/right).
LIP_UP, LIP_DOWN = 13, 14
EYELIDS = ((159, 145), (386, 374))
EYE_CORNERS = (33, 263)
CHEEKS = (205, 425)
INNER_LIPS = [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95]
FEATURES = ("yaw_std", "pitch_std", "roll_std", "mouth_std", "mouth_regularity", "blink_depth", "identity_spread",
            "light_change", "background_coupling", "mouth_texture", "motion_energy")


@dataclass(frozen=True)
class MotionSample:
    """What one frame's mesh and crop say about the face's motion; no pixels."""

    timestamp: float
    yaw: float
    pitch: float
    roll: float
    mouth_open: float  # inner-lip gap over the forehead-to-chin distance
    eye_open: float  # mean eyelid gap over the forehead-to-chin distance
    cheek_light: float  # luminance difference of the two cheeks over the face's mean luminance
    mouth_texture: float  # luminance spread inside the open mouth over the face's (teeth and tongue raise it)
    inside_change: float | None  # mean |Δ| of the face region against the previous crop
    outside_change: float | None  # the same just outside the face (background, hair)
    identity: np.ndarray | None  # MobileFace embedding, on every EMBED_EVERY-th sample


def crop_transform(box: Box, size: int = CROP_PX, growth: float = CROP_GROWTH) -> np.ndarray:
    """The 2×3 affine map from frame pixels to the square mesh crop around `box`."""
    x1, y1, x2, y2 = box
    side = max(x2 - x1, y2 - y1, 1.0) * growth
    s = size / side
    return np.array([[s, 0, size / 2 - s * (x1 + x2) / 2], [0, s, size / 2 - s * (y1 + y2) / 2]], np.float32)


def _mesh_pose(pts: np.ndarray, size: int) -> tuple[float, float, float]:
    pose = head_pose(pts, (size, size))
    eye_l, eye_r = pts[EYE_CORNERS[0], :2], pts[EYE_CORNERS[1], :2]
    roll = math.degrees(math.atan2(float(eye_r[1] - eye_l[1]), float(eye_r[0] - eye_l[0])))
    return pose.yaw, pose.pitch, roll


def _patch_mean(gray: np.ndarray, centre: np.ndarray, r: int) -> float:
    x, y = int(centre[0]), int(centre[1])
    patch = gray[max(0, y - r):y + r + 1, max(0, x - r):x + r + 1]
    return float(patch.mean()) if patch.size else 0.0


def _texture(gray: np.ndarray, pts: np.ndarray, face_mask: np.ndarray, mouth_open: float) -> tuple[float, float]:
    """Cheek light asymmetry and, when the mouth is open, the luminance spread inside it against the face's."""
    face_mean = float(gray[face_mask].mean()) + 1.0
    r = max(2, gray.shape[0] // 40)
    cheek = (_patch_mean(gray, pts[CHEEKS[0]], r) - _patch_mean(gray, pts[CHEEKS[1]], r)) / face_mean
    texture = -1.0
    if mouth_open > 0.03:
        mouth = np.zeros(gray.shape, np.uint8)
        cv2.fillPoly(mouth, [np.round(pts[INNER_LIPS, :2]).astype(np.int32)], 1)
        inside = gray[mouth.astype(bool)]
        if inside.size >= 6:
            texture = float(inside.std()) / (float(gray[face_mask].std()) + 1.0)
    return cheek, texture


def _changes(gray: np.ndarray, previous: np.ndarray | None, face_mask: np.ndarray) -> tuple[float | None, float | None]:
    if previous is None or previous.shape != gray.shape:
        return None, None
    diff = np.abs(gray - previous)
    ring = cv2.dilate(face_mask.astype(np.uint8), np.ones((9, 9), np.uint8), iterations=2).astype(bool) & ~face_mask
    return float(diff[face_mask].mean()), float(diff[ring].mean()) if ring.any() else None


class AnimationProbe:
    """Per frame, the motion sample of one face (the largest): the mesh on its crop, and its identity embedding."""

    def __init__(self, embedder: FaceEmbedder | None, min_confidence: float = 0.5) -> None:
        mp = import_mediapipe()
        self._mesh = mp.solutions.face_mesh.FaceMesh(static_image_mode=False, max_num_faces=1, refine_landmarks=False,
                                                     min_detection_confidence=min_confidence,
                                                     min_tracking_confidence=min_confidence)
        self._embedder = embedder
        self._previous: np.ndarray | None = None
        self._count = 0

    def reset(self) -> None:
        self._previous, self._count = None, 0

    def measure(self, rgb: np.ndarray, box: Box, timestamp: float) -> MotionSample | None:
        """This frame's sample of the face in `box`; None when the mesh finds no face there."""
        crop = cv2.warpAffine(rgb, crop_transform(box), (CROP_PX, CROP_PX), flags=cv2.INTER_AREA,
                              borderMode=cv2.BORDER_REPLICATE)
        found = self._mesh.process(np.ascontiguousarray(crop))
        if not found.multi_face_landmarks:
            self._previous = None
            return None
        pts = np.array([(p.x * CROP_PX, p.y * CROP_PX, p.z * CROP_PX) for p in found.multi_face_landmarks[0].landmark],
                       np.float32)
        scale = max(1.0, float(np.linalg.norm(pts[CHIN, :2] - pts[FOREHEAD, :2])))
        yaw, pitch, roll = _mesh_pose(pts, CROP_PX)
        mouth = float(np.linalg.norm(pts[LIP_UP, :2] - pts[LIP_DOWN, :2])) / scale
        eyes = float(np.mean([np.linalg.norm(pts[a, :2] - pts[b, :2]) for a, b in EYELIDS])) / scale
        gray = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY).astype(np.float32)
        face_mask = np.zeros(gray.shape, np.uint8)
        cv2.fillConvexPoly(face_mask, cv2.convexHull(np.round(pts[:, :2]).astype(np.int32)), 1)
        face_mask = face_mask.astype(bool)
        cheek, texture = _texture(gray, pts, face_mask, mouth)
        inside, outside = _changes(gray, self._previous, face_mask)
        self._previous = gray
        identity = None
        if self._embedder is not None and self._count % EMBED_EVERY == 0:
            identity = self._embedder.embed(rgb, box)
        self._count += 1
        return MotionSample(timestamp, yaw, pitch, roll, mouth, eyes, cheek, texture, inside, outside, identity)

    def close(self) -> None:
        self._mesh.close()


def _regularity(series: np.ndarray) -> float:
    """The highest autocorrelation of a series at lags of 2–8 samples: a mouth driven by a smooth generator repeats."""
    x = series - series.mean()
    denom = float((x * x).sum())
    if denom < 1e-9 or len(x) < 12:
        return 0.0
    return max(float((x[:-lag] * x[lag:]).sum()) / denom for lag in range(2, min(9, len(x) // 2)))


def _coupling(samples: list[MotionSample]) -> float:
    """How much the band around the face changes with the face (a warp drags background and hair along)."""
    pairs = np.array([(s.inside_change, s.outside_change) for s in samples
                      if s.inside_change is not None and s.outside_change is not None], float)
    if len(pairs) < 5:
        return 0.0
    return float(np.median(pairs[:, 1] / (pairs[:, 0] + 0.5)))


def window_features(samples: list[MotionSample]) -> dict[str, float]:
    """The window's evidence, by name (FEATURES); empty with fewer than 8 samples."""
    if len(samples) < 8:
        return {}
    col = {name: np.array([getattr(s, name) for s in samples], float)
           for name in ("yaw", "pitch", "roll", "mouth_open", "eye_open", "cheek_light", "mouth_texture")}
    ids = np.array([s.identity for s in samples if s.identity is not None])
    spread = 0.0
    if len(ids) >= 2:
        mean = ids.mean(0)
        mean /= max(float(np.linalg.norm(mean)), 1e-6)
        spread = float(np.mean(1.0 - ids @ mean))
    textures = col["mouth_texture"][col["mouth_texture"] >= 0]
    eye = col["eye_open"]
    inside = [s.inside_change for s in samples if s.inside_change is not None]
    return {
        "yaw_std": float(col["yaw"].std()),
        "pitch_std": float(col["pitch"].std()),
        "roll_std": float(col["roll"].std()),
        "mouth_std": float(col["mouth_open"].std()),
        "mouth_regularity": _regularity(col["mouth_open"]),
        "blink_depth": float(1.0 - eye.min() / max(float(np.median(eye)), 1e-6)),
        "identity_spread": spread,
        "light_change": float(col["cheek_light"].std()),
        "background_coupling": _coupling(samples),
        "mouth_texture": float(np.median(textures)) if len(textures) else 0.5,
        "motion_energy": float(np.median(inside)) if inside else 0.0,
    }


@dataclass(frozen=True)
class AnimationModel(LogisticModel):
    """Logistic regression over standardised window features (log-scaled); its own threshold."""

    KIND: ClassVar[str] = "animation model"

    window_s: float = 4.0
    min_evidence_s: float = 2.5
    smooth_s: float = 4.0  # the alert acts on the mean window probability over the last `smooth_s` seconds
    note: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 0.0 < self.threshold < 1.0:
            raise ValueError(f"animation model: threshold {self.threshold} must lie in (0, 1)")

    def vector(self, features: dict[str, float]) -> np.ndarray:
        return np.array([math.log1p(max(0.0, features[f]) * 100.0) for f in self.features], float)


@dataclass(frozen=True)
class AnimationJudgement:
    score: float | None  # probability that the face is an animated still, over the window; None: not enough yet
    alerting: bool
    alert_since: float | None
    features: dict[str, float]


class AnimationEvidence:
    """One face's motion samples over the model's window, its window probability smoothed over `smooth_s`, and its
    animation alert (hysteresis, 0.1 below the threshold to leave)."""

    def __init__(self, model: AnimationModel, sensitivity: float = 0.0) -> None:
        self.model = model
        self.enter = float(np.clip(model.threshold - 0.15 * sensitivity, 0.02, 0.98))
        self._window: deque[MotionSample] = deque()
        self._scores: deque[tuple[float, float]] = deque()
        self._alert_since: float | None = None

    def update(self, timestamp: float, sample: MotionSample | None) -> AnimationJudgement:
        if sample is not None:
            self._window.append(sample)
        while self._window and self._window[0].timestamp < timestamp - self.model.window_s:
            self._window.popleft()
        window = list(self._window)
        span = window[-1].timestamp - window[0].timestamp if len(window) > 1 else 0.0
        features = window_features(window) if span + 1e-6 >= self.model.min_evidence_s else {}
        if not features:
            return AnimationJudgement(None, self._alert_since is not None, self._alert_since, {})
        self._scores.append((timestamp, self.model.probability(features)))
        while self._scores[0][0] < timestamp - self.model.smooth_s:
            self._scores.popleft()
        score = float(np.mean([p for _, p in self._scores]))
        if self._alert_since is None and score >= self.enter:
            self._alert_since = timestamp
        elif self._alert_since is not None and score < self.enter - 0.1:
            self._alert_since = None
        return AnimationJudgement(score, self._alert_since is not None, self._alert_since, features)
