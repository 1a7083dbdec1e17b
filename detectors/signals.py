"""Per-frame measurements of a tracked face that a live swap disturbs, beyond the classifier's score.

- landmark jitter: a swapped face is re-rendered every frame, so its landmarks shake against the head box;
- boundary flicker: the blend seam shimmers between frames more than the face inside it or the background;
- colour gap: the swapped skin's colour drifts against the forehead/neck band that the swap leaves alone.
All are computed on aligned crops, where the face stays put, so head motion cancels out.
"""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np

from detectors.alignment import face_axes, landmark_template
from detectors.records import FrameMeasurement


@lru_cache(maxsize=8)
def region_masks(size: int, margin: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inner-face, seam-band and background masks of an aligned crop (the template's face outline)."""
    eye_c, _, down, right = face_axes(landmark_template(size, margin))
    centre = eye_c + 0.45 * down
    axes = (float(np.linalg.norm(right) * 0.85), float(np.linalg.norm(down) * 1.25))
    hull = np.zeros((size, size), np.uint8)
    cv2.ellipse(hull, (int(centre[0]), int(centre[1])), (int(axes[0]), int(axes[1])), 0, 0, 360, 1, -1)
    band = max(2, size // 28)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * band + 1, 2 * band + 1))
    inner = cv2.erode(hull, kernel, iterations=2)
    grown = cv2.dilate(hull, kernel)
    seam = cv2.subtract(grown, cv2.erode(hull, kernel))
    outside = cv2.subtract(cv2.dilate(hull, kernel, iterations=4), cv2.dilate(hull, kernel, iterations=2))
    return inner.astype(bool), seam.astype(bool), outside.astype(bool)


def measure(
    timestamp: float,
    score: float,
    crop: np.ndarray,
    previous_crop: np.ndarray | None,
    landmarks: np.ndarray,
    box: tuple[float, float, float, float],
    margin: float,
) -> FrameMeasurement:
    size = crop.shape[0]
    inner, seam, outside = region_masks(size, margin)
    x1, y1, x2, y2 = box
    bsize = max(1.0, ((x2 - x1) + (y2 - y1)) / 2)
    centre = ((x1 + x2) / 2, (y1 + y2) / 2)
    rel = (np.asarray(landmarks, np.float32) - np.array(centre, np.float32)) / bsize
    lab = cv2.cvtColor(crop, cv2.COLOR_RGB2LAB).astype(np.float32)
    colour_gap = float(np.linalg.norm(lab[inner].mean(0)[1:] - lab[outside].mean(0)[1:]))
    if previous_crop is None or previous_crop.shape != crop.shape:
        return FrameMeasurement(timestamp, score, rel, centre, bsize, None, None, None, colour_gap)
    g0 = cv2.cvtColor(previous_crop, cv2.COLOR_RGB2GRAY).astype(np.float32)
    g1 = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY).astype(np.float32)
    diff = np.abs(g1 - g0)
    return FrameMeasurement(
        timestamp, score, rel, centre, bsize,
        float(diff[seam].mean()), float(diff[inner].mean()), float(diff[outside].mean()), colour_gap,
    )


SIGNAL_NAMES = (
    "score_mean",
    "score_q90",
    "score_frac_above",
    "landmark_jitter",
    "boundary_flicker",
    "colour_gap_drift",
    "logit_mean",
    "logit_std",
)
LOGIT_CLIP = 1e-6  # scores are clipped this far from 0 and 1 before their log-odds are taken


def log_odds(scores: np.ndarray) -> np.ndarray:
    """Log-odds of swap probabilities: a probability saturates near 0 and 1, where a live swap's per-frame evidence
    still wavers."""
    p = np.clip(np.asarray(scores, np.float64), LOGIT_CLIP, 1 - LOGIT_CLIP)
    return np.log(p) - np.log1p(-p)


def window_signals(window: list[FrameMeasurement], threshold: float) -> dict[str, float]:
    """Windowed statistics of a track's measurements; the inputs of the fusion model."""
    scores = np.array([m.score for m in window], np.float32)
    out = {
        "score_mean": float(scores.mean()),
        "score_q90": float(np.quantile(scores, 0.9)),
        "score_frac_above": float((scores >= threshold).mean()),
    }
    # A live swap is rendered frame by frame, so the classifier's log-odds waver on it far more than on real
    # footage that merely scores high (session 16, cross-validated on train: see the model card).
    logits = log_odds(scores)
    out["logit_mean"] = float(logits.mean())
    out["logit_std"] = float(logits.std())
    if len(window) >= 3:
        rel = np.stack([m.landmarks_rel for m in window])
        centres = np.array([m.box_centre for m in window], np.float32)
        sizes = np.array([m.box_size for m in window], np.float32)
        shake = np.linalg.norm(np.diff(rel, axis=0), axis=2).mean(axis=1)  # per step, in box sizes
        motion = np.linalg.norm(np.diff(centres, axis=0), axis=1) / sizes[1:]
        # Shake that head motion does not explain: real landmarks ride with the head.
        out["landmark_jitter"] = float(np.median(shake / (0.02 + motion)))
        gaps = np.array([m.colour_gap for m in window], np.float32)
        out["colour_gap_drift"] = float(gaps.std())
    else:
        out["landmark_jitter"] = 0.0
        out["colour_gap_drift"] = 0.0
    flick = [(m.boundary_change, m.inside_change, m.outside_change) for m in window if m.boundary_change is not None]
    if flick:
        b, i, o = np.array(flick, np.float32).T
        out["boundary_flicker"] = float(np.median(b / (0.5 * (i + o) + 1.0)))
    else:
        out["boundary_flicker"] = 0.0
    return out
