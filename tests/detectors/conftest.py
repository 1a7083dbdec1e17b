from __future__ import annotations

import cv2
import numpy as np
import pytest

from detectors.pipeline import Pipeline, PipelineConfig


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    """The shipped model on the CPU; one instance for the session (loading takes seconds)."""
    return Pipeline.load(PipelineConfig(device="cpu"))


# Eyes, nose and mouth corners of a face in the middle of a 96-px crop.
FACE_LANDMARKS = np.array([[36, 40], [60, 40], [48, 54], [39, 66], [57, 66]], np.float32)


def skin_face(seed: int = 0) -> np.ndarray:
    """A 96-px crop of an oval of skin before a blue wall, dark eyes at FACE_LANDMARKS, and pore-like noise on both."""
    face = np.zeros((96, 96, 3), np.float32)
    face[:] = (60, 90, 160)
    yy, xx = np.mgrid[:96, :96]
    face[((xx - 48) / 26) ** 2 + ((yy - 52) / 34) ** 2 < 1] = (200, 150, 120)
    face += np.random.default_rng(seed).normal(0, 8, face.shape)
    for x in (36, 60):
        face[38:43, x - 2:x + 3] = (30, 25, 20)
    return np.clip(face, 0, 255).astype(np.uint8)


def roughness(img: np.ndarray, region: np.ndarray | tuple[slice, slice]) -> float:
    """Mean high-pass energy of `region`: what skin smoothing takes away."""
    g = img.astype(np.float32).mean(axis=2)
    return float(np.abs(g - cv2.GaussianBlur(g, (0, 0), 2))[region].mean())
