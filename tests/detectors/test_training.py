"""Paired training samples: a real face and its fake get the same damage, so only the manipulation differs."""

import numpy as np
import torch

from detectors.training.train import PairedSamples, training_pairs


def _face_crops(n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    crops = rng.integers(0, 255, size=(n, 96, 96, 3), dtype=np.uint8)
    # Eyes, nose and mouth corners of a face in the middle of a 96-px crop.
    landmarks = np.tile(np.array([[36, 40], [60, 40], [48, 54], [39, 66], [57, 66]], np.float32), (n, 1, 1))
    return crops, landmarks


def test_a_pair_of_identical_faces_stays_identical_after_augmentation() -> None:
    crops, landmarks = _face_crops(1)
    crops = np.concatenate([crops, crops])
    ds = PairedSamples(crops, landmarks.repeat(2, axis=0), [(0, 1)], input_size=64, seed=3)
    for epoch in range(4):  # each epoch draws fresh damage; both halves of a pair always share it
        ds.epoch = epoch
        x, y = ds[0]
        assert x.shape == (2, 3, 64, 64)
        assert torch.equal(y, torch.tensor([0.0, 1.0]))
        assert torch.equal(x[0], x[1])


def test_a_self_blend_pair_differs_inside_the_face_not_at_the_corners() -> None:
    crops, landmarks = _face_crops(1)
    ds = PairedSamples(crops, landmarks, [(0, -1)], input_size=96, seed=5)
    diffs = []
    for epoch in range(6):
        ds.epoch = epoch
        x, _ = ds[0]
        diff = (x[0] - x[1]).abs().mean(0)
        diffs.append((diff[36:60, 36:60].mean().item(), diff[:8, :8].mean().item()))
    inside, corner = np.array(diffs).T
    assert inside.mean() > 0.05
    assert corner.max() < inside.mean() / 5


def test_swap_frames_pair_with_the_same_frame_of_their_real_twin() -> None:
    # items: 0 = real twin of footage "a", 1 = its swap, 2 = a real photo; crops: two frames of each clip, one photo.
    item = np.array([0, 0, 1, 1, 2])
    frames = np.array([0, 6, 6, 12, 0])
    groups = np.array(["a", "a", "photo"])
    is_fake = np.array([False, False, True, True, False])
    pairs = training_pairs(np.ones(5, bool), is_fake, item, groups, frames, swap_weight=1.0,
                           rng=np.random.default_rng(0))
    assert sorted(p for p in pairs if p[1] == -1) == [(0, -1), (1, -1), (4, -1)]
    # The swap of frame 6 pairs with real frame 6; frame 12 has no real twin crop and is left out.
    assert [p for p in pairs if p[1] >= 0] == [(1, 2)]
