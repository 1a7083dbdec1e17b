"""Bootstrap intervals of AUCs (clips resampled within each class, seeded), alone and paired."""

import numpy as np
import pytest

from detectors.offline.bootstrap import auc_difference_interval, auc_interval, auc_point, mean_auc_difference_interval
from detectors.offline.evaluate import roc_auc


def noisy_scores(n: int, separation: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 2
    return labels * separation + rng.normal(0, 1, n), labels


def test_point_agrees_with_evals_auc():
    s, y = noisy_scores(40, 1.0, 1)
    assert auc_point(s, y) == pytest.approx(roc_auc(s, y))


def test_interval_contains_the_point_estimate_and_is_seeded():
    s, y = noisy_scores(40, 1.0, 2)
    lo, hi = auc_interval(s, y)
    assert lo < auc_point(s, y) < hi
    assert auc_interval(s, y) == (lo, hi)


def test_interval_narrows_with_more_clips():
    small = auc_interval(*noisy_scores(30, 1.0, 3))
    large = auc_interval(*noisy_scores(600, 1.0, 3))
    assert large[1] - large[0] < 0.5 * (small[1] - small[0])


def test_no_interval_without_both_classes():
    assert auc_interval([0.1, 0.2], [1, 1]) is None
    assert auc_difference_interval([0.1, 0.2], [0.3, 0.4], [0, 0]) is None


def test_difference_excludes_zero_for_a_clearly_better_scorer():
    s, y = noisy_scores(60, 0.0, 4)
    better = s + 2.0 * y  # the same noise plus real separation
    point, lo, hi = auc_difference_interval(better, s, y)
    assert 0 < lo <= point <= hi


def test_difference_includes_zero_for_identical_or_equally_good_scorers():
    s, y = noisy_scores(60, 1.0, 5)
    assert auc_difference_interval(s, s, y) == (0.0, 0.0, 0.0)
    other, _ = noisy_scores(60, 1.0, 6)  # as good, different noise
    _, lo, hi = auc_difference_interval(s, other, y)
    assert lo < 0 < hi


def test_unpaired_scores_are_refused():
    with pytest.raises(ValueError, match="paired"):
        auc_difference_interval([0.1, 0.9], [0.5], [0, 1])


def test_a_difference_repeated_on_two_seeds_is_their_mean_with_a_narrower_interval_than_either():
    # Two trainings of each recipe on the same clips: each seed's scores carry their own training noise.
    y = np.r_[np.zeros(30, int), np.ones(30, int)]
    clip = np.random.default_rng(7).normal(size=60)  # what every scorer shares: how hard each clip is
    seeds = np.random.default_rng(8)

    def trained(gain: float) -> np.ndarray:
        return clip + gain * y + seeds.normal(scale=1.0, size=60)

    pairs = [(trained(1.0), trained(0.6)) for _ in range(2)]
    singles = [auc_difference_interval(a, b, y) for a, b in pairs]
    point, lo, hi = mean_auc_difference_interval(pairs, y)
    assert point == pytest.approx(np.mean([d[0] for d in singles]))
    assert hi - lo < min(h - low for _, low, h in singles)
    assert mean_auc_difference_interval(pairs[:1], y) == singles[0]
    with pytest.raises(ValueError, match="paired"):
        mean_auc_difference_interval([(pairs[0][0], pairs[0][1][:-1])], y)
