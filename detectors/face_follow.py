"""Follows a face between MTCNN key frames by the optical flow of its 5 landmarks: about a millisecond per face
instead of a detector run. A face whose points do not flow back to where they started counts as lost."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from detectors.records import FaceDetection

_LK = {"winSize": (21, 21), "maxLevel": 3, "criteria": (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 20, 0.03)}


@dataclass(frozen=True)
class _Patch:
    """The grey pixels around a face in the frame it was last found in, and where they sit in that frame."""

    gray: np.ndarray
    x0: int
    y0: int


def _region(shape: tuple[int, ...], box: tuple[float, float, float, float], context: float) -> tuple[int, int, int, int]:
    h, w = shape[:2]
    x1, y1, x2, y2 = box
    mx, my = context * (x2 - x1), context * (y2 - y1)
    return max(0, int(x1 - mx)), max(0, int(y1 - my)), min(w, int(x2 + mx)), min(h, int(y2 + my))


class FaceFollower:
    """Per track, the patch of the last frame its face was found in; `follow` moves its landmarks to a new frame."""

    def __init__(self, context: float = 0.75, max_back_error: float = 0.03, max_scale_step: float = 0.15) -> None:
        self.context = context  # the patch reaches this many face sizes beyond the box on each side
        self.max_back_error = max_back_error  # forward-backward flow error allowed, in face sizes
        self.max_scale_step = max_scale_step  # largest change of the face's size between two frames followed
        self._patches: dict[int, _Patch] = {}

    def reset(self) -> None:
        self._patches.clear()

    def remember(self, rgb: np.ndarray, faces: list[tuple[int, FaceDetection]]) -> None:
        """Keeps the patch around each (track id, face) found in this frame; forgets the tracks not given."""
        patches = {}
        for track_id, face in faces:
            x0, y0, x1, y1 = _region(rgb.shape, face.box, self.context)
            if x1 - x0 >= 16 and y1 - y0 >= 16:
                patches[track_id] = _Patch(cv2.cvtColor(rgb[y0:y1, x0:x1], cv2.COLOR_RGB2GRAY), x0, y0)
        self._patches = patches

    def follow(self, rgb: np.ndarray, track_id: int, last: FaceDetection) -> FaceDetection | None:
        """`last` moved to this frame by the flow of its landmarks, or None when the flow is not trustworthy."""
        patch = self._patches.get(track_id)
        if patch is None:
            return None
        ph, pw = patch.gray.shape
        gray = cv2.cvtColor(rgb[patch.y0:patch.y0 + ph, patch.x0:patch.x0 + pw], cv2.COLOR_RGB2GRAY)
        if gray.shape != patch.gray.shape:
            return None  # the region shrank under the face (a smaller frame): detect it instead
        offset = np.array([patch.x0, patch.y0], np.float32)
        start = (last.landmarks - offset).reshape(-1, 1, 2).astype(np.float32)
        moved, ok, _ = cv2.calcOpticalFlowPyrLK(patch.gray, gray, start, None, **_LK)
        back, ok_back, _ = cv2.calcOpticalFlowPyrLK(gray, patch.gray, moved, None, **_LK)
        error = np.linalg.norm((back - start).reshape(-1, 2), axis=1)
        good = (ok.reshape(-1) == 1) & (ok_back.reshape(-1) == 1) & (error <= self.max_back_error * max(last.size, 1.0))
        if not good.all():
            return None
        return self._moved(last, moved.reshape(-1, 2) + offset)

    def _moved(self, last: FaceDetection, landmarks: np.ndarray) -> FaceDetection | None:
        """The box carried along by the landmarks' mean shift and spread; None when the face's shape changed too much."""
        old_c, new_c = last.landmarks.mean(0), landmarks.mean(0)
        old_spread = float(np.linalg.norm(last.landmarks - old_c, axis=1).mean())
        scale = float(np.linalg.norm(landmarks - new_c, axis=1).mean()) / max(old_spread, 1e-6)
        if abs(scale - 1.0) > self.max_scale_step:
            return None
        x1, y1, x2, y2 = last.box
        box = tuple(float(v) for v in (new_c[0] + (x1 - old_c[0]) * scale, new_c[1] + (y1 - old_c[1]) * scale,
                                       new_c[0] + (x2 - old_c[0]) * scale, new_c[1] + (y2 - old_c[1]) * scale))
        return FaceDetection(box=box, confidence=last.confidence, landmarks=landmarks.astype(np.float32))
