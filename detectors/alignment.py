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


def face_axes(landmarks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Eye centre, mouth centre, and the face's down (eyes to mouth) and right (towards the right eye) vectors, both
    as long as the eyes-to-mouth distance."""
    le, re, _, lm, rm = landmarks
    eye_c, mouth_c = (le + re) / 2, (lm + rm) / 2
    down = mouth_c - eye_c
    right = np.array([-down[1], down[0]])
    if np.dot(right, re - le) < 0:
        right = -right
    return eye_c, mouth_c, down, right


def alignment_transform(landmarks: np.ndarray, size: int, margin: float) -> np.ndarray:
    """2×3 similarity transform from frame pixels to crop pixels."""
    matrix, _ = cv2.estimateAffinePartial2D(
        np.asarray(landmarks, dtype=np.float32), landmark_template(size, margin), method=cv2.LMEDS
    )
    if matrix is None:
        raise ValueError("landmarks are degenerate; cannot align this face")
    return matrix


# What a crop shows where it reaches past the frame's edge. A constant, not a mirror: a reflected border puts a
# mirrored copy of the head next to it, which no real frame has and which a classifier may learn as a cue.
PAD_VALUE = 0


def padded_mask(frame_shape: tuple[int, ...], landmarks: np.ndarray, size: int, margin: float) -> np.ndarray:
    """`size`×`size` bool mask of the crop pixels that `align_face` fills with PAD_VALUE (outside the frame)."""
    inverse = cv2.invertAffineTransform(alignment_transform(landmarks, size, margin).astype(np.float64))
    ys, xs = np.mgrid[:size, :size].astype(np.float64)
    fx = inverse[0, 0] * xs + inverse[0, 1] * ys + inverse[0, 2]
    fy = inverse[1, 0] * xs + inverse[1, 1] * ys + inverse[1, 2]
    h, w = frame_shape[:2]
    # Bilinear sampling blends in the pad within a pixel of the edge; count those pixels as padded too.
    return (fx < 0) | (fy < 0) | (fx > w - 1) | (fy > h - 1)


def align_face(rgb: np.ndarray, landmarks: np.ndarray, size: int, margin: float) -> np.ndarray:
    """The face as a `size`×`size` RGB crop, rotated upright and scaled to the template; where the crop reaches
    past the frame it holds PAD_VALUE (see `padded_mask`).

    A large face is first shrunk with area averaging: warping straight down by more than ~1.5× aliases skin
    and hair into the kind of high-frequency texture the classifier reads as a synthesis artefact.
    """
    matrix = alignment_transform(landmarks, size, margin).astype(np.float64)
    scale = float(np.sqrt(abs(np.linalg.det(matrix[:, :2]))))
    if scale < 0.67:
        # Only the part of the frame that the crop covers, shrunk so that the warp is ~1:1.
        inverse = cv2.invertAffineTransform(matrix)
        corners = np.array([[0, 0, 1], [size, 0, 1], [0, size, 1], [size, size, 1]], np.float64) @ inverse.T
        h, w = rgb.shape[:2]
        x0, y0 = (max(0, int(np.floor(v)) - 2) for v in corners.min(0))
        x1, y1 = (int(np.ceil(v)) + 2 for v in corners.max(0))
        x1, y1 = min(w, x1), min(h, y1)
        if x1 - x0 >= 8 and y1 - y0 >= 8:
            shrink = scale / 0.9
            roi = rgb[y0:y1, x0:x1]
            small = cv2.resize(roi, (max(1, round(roi.shape[1] * shrink)), max(1, round(roi.shape[0] * shrink))),
                               interpolation=cv2.INTER_AREA)
            fx, fy = small.shape[1] / roi.shape[1], small.shape[0] / roi.shape[0]
            # frame → small: p_small = (p - (x0, y0)) * f; compose with frame → crop.
            to_small = np.array([[fx, 0, -x0 * fx], [0, fy, -y0 * fy], [0, 0, 1]])
            matrix = matrix @ np.linalg.inv(to_small)
            rgb = small
    return cv2.warpAffine(rgb, matrix, (size, size), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=(PAD_VALUE,) * 3)
