"""`callshield robustness`: held-out crops only, each harmless change really applied, one row per face kind and change."""

from pathlib import Path

import numpy as np

from tests.detectors.conftest import FACE_LANDMARKS, roughness, skin_face
from training.robustness import PERTURBATIONS, held_out_crops, measure


def test_only_the_held_out_groups_are_measured(tmp_path: Path) -> None:
    path = tmp_path / "crops.npz"
    np.savez(path, item=np.array([0, 0, 1, 2, 2, 3]), groups=np.array(["a", "b", "b", "a"]),
             labels=np.array(["real", "real", "fake", "fake"]))  # per item: crop 2 is a real of b, 3 and 4 a swap of b
    subsets = held_out_crops(np.load(path), ["b"])
    assert subsets["real"].tolist() == [2] and subsets["swap"].tolist() == [3, 4]


def test_every_change_is_applied_and_reported_per_face_kind() -> None:
    faces = np.stack([skin_face(seed) for seed in range(6)])
    landmarks = np.tile(FACE_LANDMARKS, (6, 1, 1))

    def smoothness(imgs: list[np.ndarray]) -> np.ndarray:  # a stand-in model that calls smooth skin fake
        return np.array([1.0 / (1.0 + roughness(img, (slice(45, 65), slice(30, 66)))) for img in imgs])

    threshold = float(np.median(smoothness(list(faces)))) + 0.02
    rows = measure(smoothness, faces, landmarks, {"real": np.arange(4), "swap": np.arange(4, 6)}, threshold, batch=3)
    assert [(r.faces, r.perturbation) for r in rows] == [(k, p) for k in ("real", "swap") for p in PERTURBATIONS]
    by = {(r.faces, r.perturbation): r for r in rows}
    assert by["real", "as captured"].frames == 4 and by["swap", "touch-up"].frames == 2
    assert by["real", "as captured"].above_threshold == 0.0
    assert by["real", "touch-up"].above_threshold == 1.0  # the smoothing reached every face, across batches
    assert by["real", "touch-up"].median_score > by["real", "as captured"].median_score
    # Fixed draws: the same crop meets the same change on every run, so two models are compared on equal terms.
    assert measure(smoothness, faces, landmarks, {"real": np.arange(4)}, threshold)[2] == by["real", "headset or hand"]
