"""`callshield robustness`: held-out crops only, each harmless change really applied, one row per face kind and change."""

from pathlib import Path

import cv2
import numpy as np

from detectors.training.robustness import PERTURBATIONS, held_out_crops, measure


def _noisy_faces(n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    faces = np.zeros((n, 96, 96, 3), np.float32)
    faces[:] = (60, 90, 160)
    yy, xx = np.mgrid[:96, :96]
    faces[:, ((xx - 48) / 26) ** 2 + ((yy - 52) / 34) ** 2 < 1] = (200, 150, 120)
    faces = np.clip(faces + rng.normal(0, 8, faces.shape), 0, 255).astype(np.uint8)
    landmarks = np.tile(np.array([[36, 40], [60, 40], [48, 54], [39, 66], [57, 66]], np.float32), (n, 1, 1))
    return faces, landmarks


def test_only_the_held_out_groups_are_measured(tmp_path: Path) -> None:
    path = tmp_path / "crops.npz"
    np.savez(path, item=np.array([0, 0, 1, 2, 2, 3]), groups=np.array(["a", "b", "b", "a"]),
             labels=np.array(["real", "real", "fake", "fake"]))  # per item: crop 2 is a real of b, 3 and 4 a swap of b
    subsets = held_out_crops(np.load(path), ["b"])
    assert subsets["real"].tolist() == [2] and subsets["swap"].tolist() == [3, 4]


def test_every_change_is_applied_and_reported_per_face_kind() -> None:
    faces, landmarks = _noisy_faces(6)

    def smoothness(imgs: list[np.ndarray]) -> np.ndarray:  # a stand-in model that calls smooth skin fake
        g = [img.astype(np.float32).mean(axis=2) for img in imgs]
        return np.array([1.0 / (1.0 + np.abs(x - cv2.GaussianBlur(x, (0, 0), 2))[45:65, 30:66].mean()) for x in g])

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
