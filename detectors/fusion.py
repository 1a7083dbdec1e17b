"""Fits and applies the temporal fusion model: windows of a clip's measurements → signals → one evidence score.

Fitted only on train clips whose footage groups the classifier never trained on (its validation part), so the
classifier's score enters the fit as it would on unseen footage.
"""

from __future__ import annotations

import numpy as np

from detectors.records import FrameMeasurement
from detectors.signals import SIGNAL_NAMES, window_signals
from detectors.temporal import FusionModel

WINDOW_S = 2.0
STEP_S = 0.5


def main_track(tracks: dict[int, list[FrameMeasurement]]) -> list[FrameMeasurement]:
    """The face seen on most frames: the caller."""
    return max(tracks.values(), key=len) if tracks else []


def clip_windows(track: list[FrameMeasurement], threshold: float, window_s: float = WINDOW_S,
                 step_s: float = STEP_S) -> list[dict[str, float]]:
    """Signals of every `window_s` window of a track, stepped by `step_s`, as the live engine would see them."""
    if not track:
        return []
    times = np.array([m.timestamp for m in track])
    out = []
    end = times[0] + min(window_s, max(0.0, times[-1] - times[0]))
    while end <= times[-1] + 1e-6:
        sel = [m for m, t in zip(track, times) if end - window_s <= t <= end]
        if len(sel) >= 3:
            out.append(window_signals(sel, threshold))
        end += step_s
    return out


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 50) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method; x is already standardised."""
    n, d = x.shape
    xb = np.c_[x, np.ones(n)]
    w = np.zeros(d + 1)
    reg = np.diag([l2] * d + [0.0])
    # Balance the classes: each contributes equally whatever its number of windows.
    weights = np.where(y == 1, 0.5 / max(1, y.sum()), 0.5 / max(1, (1 - y).sum())) * n
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-np.clip(xb @ w, -30, 30)))
        grad = xb.T @ (weights * (p - y)) + reg @ w
        hess = (xb * (weights * p * (1 - p))[:, None]).T @ xb + reg + 1e-6 * np.eye(d + 1)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:d], float(w[d])


def fit_fusion(windows: list[dict[str, float]], labels: np.ndarray, features: tuple[str, ...],
               real_quantile: float = 0.995, note: str = "") -> FusionModel:
    x = np.array([[w[f] for f in features] for w in windows], float)
    y = np.asarray(labels, float)
    mean, scale = x.mean(0), x.std(0) + 1e-6
    coef, bias = fit_logistic((x - mean) / scale, y)
    model = FusionModel(tuple(features), tuple(mean.tolist()), tuple(scale.tolist()), tuple(coef.tolist()), bias, 0.5, note)
    probs = np.array([model.probability(w) for w in windows])
    # Alert threshold: above nearly every window of the real training clips.
    threshold = float(np.clip(np.quantile(probs[y == 0], real_quantile) + 0.02, 0.05, 0.95)) if (y == 0).any() else 0.5
    return FusionModel(model.features, model.mean, model.scale, model.coef, model.bias, round(threshold, 4), note)


def call_score(windows: list[dict[str, float]], fusion: FusionModel | None) -> float | None:
    """A whole call's score: the mean evidence over its windows (fused, or the mean classifier score)."""
    if not windows:
        return None
    return float(np.mean([fusion.probability(w) if fusion else w["score_mean"] for w in windows]))


__all__ = ["SIGNAL_NAMES", "call_score", "clip_windows", "fit_fusion", "fit_logistic", "main_track"]
