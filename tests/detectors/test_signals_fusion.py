"""Temporal signals respond to what they claim to measure; the fusion model fits and round-trips."""

import numpy as np

from detectors.alignment import landmark_template
from detectors.fusion import clip_windows, fit_fusion, fit_logistic
from detectors.signals import SIGNAL_NAMES, measure, region_masks, window_signals
from detectors.temporal import FusionModel

SIZE, MARGIN = 224, 1.5


def _crops(n: int, seam_flicker: float, rng: np.random.Generator) -> list[np.ndarray]:
    base = rng.integers(60, 200, size=(SIZE, SIZE, 3)).astype(np.float32)
    _, seam, _ = region_masks(SIZE, MARGIN)
    out = []
    for _ in range(n):
        c = base + rng.normal(0, 2, base.shape)
        c[seam] += rng.normal(0, seam_flicker, (int(seam.sum()), 1))
        out.append(np.clip(c, 0, 255).astype(np.uint8))
    return out


def _track(crops: list[np.ndarray], score: float | list[float], lm_noise: float, rng: np.random.Generator):
    lms = landmark_template(SIZE, MARGIN)
    scores = score if isinstance(score, list) else [score] * len(crops)
    prev, out = None, []
    for i, (c, sc) in enumerate(zip(crops, scores, strict=True)):
        lm = lms + rng.normal(0, lm_noise, lms.shape)
        out.append(measure(i / 10, sc, c, prev, lm, (0.0, 0.0, float(SIZE), float(SIZE)), MARGIN))
        prev = c
    return out


def test_seam_flicker_raises_boundary_flicker():
    rng = np.random.default_rng(0)
    steady = window_signals(_track(_crops(12, 0.0, rng), 0.2, 0.0, rng), 0.5)
    shimmer = window_signals(_track(_crops(12, 25.0, rng), 0.2, 0.0, rng), 0.5)
    assert shimmer["boundary_flicker"] > 2 * steady["boundary_flicker"]


def test_landmark_shake_raises_landmark_jitter():
    rng = np.random.default_rng(1)
    crops = _crops(12, 0.0, rng)
    calm = window_signals(_track(crops, 0.2, 0.1, rng), 0.5)
    shaky = window_signals(_track(crops, 0.2, 4.0, rng), 0.5)
    assert shaky["landmark_jitter"] > 3 * calm["landmark_jitter"]


def test_wavering_log_odds_raise_logit_std_where_the_mean_score_cannot_tell():
    rng = np.random.default_rng(5)
    crops = _crops(10, 0.0, rng)
    steady = window_signals(_track(crops, [0.95] * 10, 0.0, rng), 0.5)  # real footage that merely scores high
    wavering = window_signals(_track(crops, [0.999, 0.9] * 5, 0.0, rng), 0.5)  # a swap rendered frame by frame
    assert abs(steady["score_mean"] - wavering["score_mean"]) < 0.001
    assert steady["logit_std"] < 1e-6 and wavering["logit_std"] > 1.0
    assert wavering["logit_mean"] > steady["logit_mean"]
    certain = window_signals(_track(crops, [1.0, 0.0] * 5, 0.0, rng), 0.5)  # saturated scores stay finite
    assert np.isfinite(certain["logit_std"]) and abs(certain["logit_mean"]) < 1e-6


def test_window_signals_cover_every_named_signal():
    rng = np.random.default_rng(2)
    s = window_signals(_track(_crops(6, 0.0, rng), 0.7, 0.5, rng), 0.5)
    assert set(s) == set(SIGNAL_NAMES)
    assert s["score_frac_above"] == 1.0 and abs(s["score_mean"] - 0.7) < 1e-6


def test_clip_windows_step_through_the_clip():
    rng = np.random.default_rng(3)
    track = _track(_crops(60, 0.0, rng), 0.3, 0.5, rng)  # 6 s at 10 fps
    assert 8 <= len(clip_windows(track, 0.5, window_s=2.0, step_s=0.5)) <= 10


def test_logistic_fit_separates_separable_data_and_model_round_trips(tmp_path):
    rng = np.random.default_rng(4)
    x = np.r_[rng.normal(-1, 0.5, (50, 2)), rng.normal(1, 0.5, (50, 2))]
    y = np.r_[np.zeros(50), np.ones(50)]
    coef, _ = fit_logistic(x, y)
    assert (coef > 0).all()
    windows = [{"a": float(a), "b": float(b)} for a, b in x]
    model = fit_fusion(windows, y, ("a", "b"))
    probs = np.array([model.probability(w) for w in windows])
    assert probs[y == 1].mean() > 0.8 and probs[y == 0].mean() < 0.2
    assert (probs[y == 0] >= model.threshold).sum() <= 1  # 99.5 % quantile of 50 windows
    model.save(tmp_path / "f.json")
    assert FusionModel.load(tmp_path / "f.json") == model
