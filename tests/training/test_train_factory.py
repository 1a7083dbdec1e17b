"""Factory fakes in training: held-out footage stays out as target and as donor, and counts name each recipe."""

from __future__ import annotations

import numpy as np

from training.train import FACTORY, REAL, SBI, factory_samples, sample_counts, validation_metrics


def _factory() -> tuple[dict, np.ndarray, np.ndarray]:
    # 6 crops, one per item; items 0-2 in groups a, b, c; fakes pair every target with every other donor.
    item, groups = np.arange(6), np.array(["a", "b", "c", "d", "e", "f"])
    pairs = [(t, d) for t in range(6) for d in range(6) if t != d]
    factory = {"target": np.array([t for t, _ in pairs]), "donor": np.array([d for _, d in pairs]),
               "recipe": np.array(["dfl" if t % 2 else "inswapper" for t, _ in pairs])}
    return factory, item, groups


def test_training_never_uses_held_out_footage_as_target_or_donor():
    factory, item, groups = _factory()
    picks = factory_samples(factory, 6, item, groups, {"a", "b"}, 200, np.random.default_rng(0), train=True)
    assert len(picks) == 200 and {k for _, k in picks} == {FACTORY}
    for idx, _ in picks:
        j = idx - 6
        assert groups[factory["target"][j]] not in {"a", "b"} and groups[factory["donor"][j]] not in {"a", "b"}


def test_validation_takes_every_fake_of_held_out_targets():
    factory, item, groups = _factory()
    picks = factory_samples(factory, 6, item, groups, {"a"}, 0, np.random.default_rng(0), train=False)
    assert sorted(factory["target"][i - 6] for i, _ in picks) == [0] * 5


def test_sample_counts_name_the_recipes():
    factory, _, _ = _factory()
    counts = sample_counts([(0, REAL), (0, SBI), (6, FACTORY), (6 + 5, FACTORY), (6 + 6, FACTORY)], factory, 6)
    assert counts == {"factory:dfl": 2, "factory:inswapper": 1, "real": 1, "self-blend": 1}


def test_factory_fakes_are_kept_out_of_the_clip_scores():
    # Item 0 is a real clip of 4 frames; a factory fake of it must neither join nor break its clip.
    item = np.array([0, 0, 0, 0, 1, 1, 1, 0])
    frames = np.array([0, 1, 2, 3, 0, 1, 2, 0])
    labels, groups = np.array(["real", "fake"]), np.array(["g", "g"])
    samples = [(i, REAL) for i in range(4)] + [(i, 2) for i in range(4, 7)] + [(7, FACTORY)]
    scores = np.array([0.1, 0.1, 0.1, 0.1, 0.9, 0.9, 0.9, 0.8])
    m = validation_metrics(scores, samples, item, labels, frames, groups)
    assert m["swap_clip_auc"] == 1.0 and m["val_clips"] == 2 and m["factory_frame_auc"] == 1.0
