"""Who the face is: MobileFace identity embeddings (ONNX, MIT; assets/models/mobileface.onnx, ~1 ms a face), to see
whether the caller's identity drifts during a challenge (a swap's identity slips at profile and under a hand)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from detectors.assets import WeightsError, assets_dir, verified_path
from detectors.records import Box

MOBILEFACE = "models/mobileface.onnx"
INPUT_SIZE = 112
BOX_GROWTH = 1.3  # the network was converted for face boxes grown by 30 %


def square_crop(rgb: np.ndarray, box: Box, growth: float = BOX_GROWTH, size: int = INPUT_SIZE) -> np.ndarray:
    """The face box grown by `growth`, made square, cut out (edges padded) and resized to size × size."""
    x1, y1, x2, y2 = box
    cx, cy, side = (x1 + x2) / 2, (y1 + y2) / 2, max(x2 - x1, y2 - y1) * growth
    src = np.array([[cx - side / 2, cy - side / 2], [cx + side / 2, cy - side / 2], [cx - side / 2, cy + side / 2]],
                   np.float32)
    dst = np.array([[0, 0], [size, 0], [0, size]], np.float32)
    return cv2.warpAffine(rgb, cv2.getAffineTransform(src, dst), (size, size), borderMode=cv2.BORDER_REPLICATE)


class FaceEmbedder:
    """L2-normalised 256-d identity embeddings of face boxes (onnxruntime, one thread)."""

    def __init__(self, path: Path) -> None:
        from detectors.runtime import onnx_session  # the one place sessions are made: telemetry off, no spinning

        self._session = onnx_session(path, threads=1)
        self._input = self._session.get_inputs()[0].name

    @classmethod
    def from_assets(cls, assets: Path | None = None) -> FaceEmbedder:
        """The bundled MobileFace after its manifest check; raises WeightsError when it is missing or damaged."""
        try:
            return cls(verified_path(assets or assets_dir(), MOBILEFACE))
        except ImportError as err:
            raise WeightsError(f"onnxruntime is missing ({err}): reinstall CallShield") from None

    def embed(self, rgb: np.ndarray, box: Box) -> np.ndarray:
        return self.embed_crop(square_crop(rgb, box))

    def embed_crop(self, crop: np.ndarray) -> np.ndarray:
        """The embedding of a face already cut out at INPUT_SIZE × INPUT_SIZE (RGB uint8)."""
        x = crop.astype(np.float32)[None]  # RGB 0–255; the graph subtracts its own mean
        vec = self._session.run(None, {self._input: x})[0][0]
        return vec / max(float(np.linalg.norm(vec)), 1e-6)
