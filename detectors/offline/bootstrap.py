"""Bootstrap intervals for AUCs: how much a number could move with other clips of the same kind.

Clips (not frames) are resampled, real and fake separately, so that every resample keeps both classes and the
class balance of the set measured. Seeded: the same data always prints the same interval.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

RESAMPLES = 2000
SEED = 0


def _auc_rows(scores: np.ndarray, labels: np.ndarray, chunk: int = 100) -> np.ndarray:
    """ROC AUC of each row of `scores` (resamples × clips), ties counted half; in chunks to bound memory."""
    pos, neg = scores[:, labels == 1], scores[:, labels == 0]
    out = np.empty(scores.shape[0])
    for i in range(0, scores.shape[0], chunk):
        p, n = pos[i:i + chunk, :, None], neg[i:i + chunk, None, :]
        out[i:i + chunk] = (p > n).sum((1, 2)) + 0.5 * (p == n).sum((1, 2))
    return out / (pos.shape[1] * neg.shape[1])


def _resample_indices(labels: np.ndarray, resamples: int, seed: int) -> np.ndarray:
    """resamples × n clip indices, drawn with replacement within each class (labels are kept in place)."""
    rng = np.random.default_rng(seed)
    idx = np.empty((resamples, labels.size), int)
    for cls in (0, 1):
        members = np.flatnonzero(labels == cls)
        idx[:, members] = rng.choice(members, size=(resamples, members.size), replace=True)
    return idx


def _valid(scores: Sequence[float], labels: Sequence[int]) -> tuple[np.ndarray, np.ndarray] | None:
    s, y = np.asarray(scores, float), np.asarray(labels, int)
    if s.shape != y.shape:
        raise ValueError(f"{s.size} scores for {y.size} labels")
    return (s, y) if (y == 0).any() and (y == 1).any() else None


def auc_point(scores: Sequence[float], labels: Sequence[int]) -> float:
    """ROC AUC, ties counted half; NaN when a class is missing."""
    valid = _valid(scores, labels)
    return float("nan") if valid is None else float(_auc_rows(valid[0][None], valid[1])[0])


def auc_interval(scores: Sequence[float], labels: Sequence[int], level: float = 0.95,
                 resamples: int = RESAMPLES, seed: int = SEED) -> tuple[float, float] | None:
    """Percentile bootstrap interval of the ROC AUC; None when a class is missing."""
    valid = _valid(scores, labels)
    if valid is None:
        return None
    s, y = valid
    idx = _resample_indices(y, resamples, seed)
    aucs = _auc_rows(s[idx], y)
    tail = 100 * (1 - level) / 2
    return float(np.percentile(aucs, tail)), float(np.percentile(aucs, 100 - tail))


def auc_difference_interval(ours: Sequence[float], theirs: Sequence[float], labels: Sequence[int],
                            level: float = 0.95, resamples: int = RESAMPLES,
                            seed: int = SEED) -> tuple[float, float, float] | None:
    """AUC(ours) − AUC(theirs) and its paired bootstrap interval: both scored on the same resampled clips.

    Pairing cancels what the two share (an easy clip is easy for both), so the interval is far narrower than
    two separate intervals would suggest. None when a class is missing.
    """
    return mean_auc_difference_interval([(ours, theirs)], labels, level, resamples, seed)


def mean_auc_difference_interval(pairs: Sequence[tuple[Sequence[float], Sequence[float]]], labels: Sequence[int],
                                 level: float = 0.95, resamples: int = RESAMPLES,
                                 seed: int = SEED) -> tuple[float, float, float] | None:
    """The mean over `pairs` of AUC(ours) − AUC(theirs), all on the same clips (e.g. one comparison repeated with
    other training seeds), and its paired bootstrap interval: every pair is scored on the same resampled clips, so
    seed-to-seed noise averages out while the clips' own sampling noise is kept. None when a class is missing."""
    if not pairs:
        raise ValueError("no score pairs to compare")
    valid = _valid(pairs[0][0], labels)
    if valid is None:
        return None
    y = valid[1]
    idx = _resample_indices(y, resamples, seed)
    diffs, points = np.zeros(resamples), []
    for ours, theirs in pairs:
        a, b = np.asarray(ours, float), np.asarray(theirs, float)
        if a.shape != y.shape or b.shape != y.shape:
            raise ValueError(f"{a.size} and {b.size} scores for {y.size} labels: the comparison must be paired")
        diffs += _auc_rows(a[idx], y) - _auc_rows(b[idx], y)
        points.append(float(_auc_rows(a[None], y)[0] - _auc_rows(b[None], y)[0]))
    diffs /= len(pairs)
    tail = 100 * (1 - level) / 2
    return float(np.mean(points)), float(np.percentile(diffs, tail)), float(np.percentile(diffs, 100 - tail))
