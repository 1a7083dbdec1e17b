"""Aligns a face by its 5 landmarks into a fixed square crop with context around the face."""

from __future__ import annotations

import cv2
import numpy as np

# ArcFace's 5-point template in a 112×112 crop (eyes, nose tip, mouth corners).
_ARCFACE_112 = np.array(
    [[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366], [41.5493, 92.3655], [70.7299, 92.2041]],
    dtype=np.float32,
)


def landmark_template(size: int, margin: float) -> np.ndarray:
    """Where the 5 landmarks land in a `size` crop; `margin` > 1 zooms out to keep jaw, hairline and background.

    Swap artefacts sit on the blend boundary around the face, so the crop must contain it with room to spare.
    """
    centred = (_ARCFACE_112 / 112.0 - 0.5) / margin + 0.5
    return (centred * size).astype(np.float32)


def alignment_transform(landmarks: np.ndarray, size: int, margin: float) -> np.ndarray:
    """2×3 similarity transform from frame pixels to crop pixels."""
    matrix, _ = cv2.estimateAffinePartial2D(
        np.asarray(landmarks, dtype=np.float32), landmark_template(size, margin), method=cv2.LMEDS
    )
    if matrix is None:
        raise ValueError("landmarks are degenerate; cannot align this face")
    return matrix


def align_face(rgb: np.ndarray, landmarks: np.ndarray, size: int, margin: float) -> np.ndarray:
    """The face as a `size`×`size` RGB crop, rotated upright and scaled to the template."""
    matrix = alignment_transform(landmarks, size, margin)
    return cv2.warpAffine(rgb, matrix, (size, size), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT101)
