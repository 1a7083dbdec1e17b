"""The swap classifier on onnxruntime: the same network and preprocessing as `SwapClassifier`, without torch."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from detectors.assets import DEFAULT_MODEL, assets_dir, verified_path
from detectors.classifiers.preprocess import resize_crop
from detectors.classifiers.registry import ModelConfig
from detectors.classifiers.weights import load_model_config
from detectors.runtime import onnx_session


class OnnxSwapClassifier:
    """Swap probability (0 = real, 1 = swapped) of aligned face crops, from the model's verified .onnx export."""

    device = "cpu"

    def __init__(self, config: ModelConfig, onnx_path: Path, threads: int = 1) -> None:
        self.config = config
        self.session = onnx_session(onnx_path, threads)
        self._mean = np.asarray(config.mean, np.float32) * 255
        self._std = np.asarray(config.std, np.float32) * 255

    @classmethod
    def from_assets(cls, config_name: str = DEFAULT_MODEL, assets: Path | None = None,
                    threads: int = 1) -> OnnxSwapClassifier:
        """The shipped model's ONNX file, after checking it against the manifest."""
        assets = assets or assets_dir()
        config = load_model_config(assets / config_name)
        return cls(config, verified_path(assets, config.onnx_weights), threads)

    def to_input(self, crops: list[np.ndarray]) -> np.ndarray:
        size = self.config.input_size
        batch = np.stack([resize_crop(c, size) for c in crops]).astype(np.float32)
        return np.ascontiguousarray(((batch - self._mean) / self._std).transpose(0, 3, 1, 2))

    def predict(self, crops: list[np.ndarray]) -> np.ndarray:
        """Probabilities for a list of H×W×3 uint8 RGB crops (any size; resized to the input size)."""
        if not crops:
            return np.zeros(0, dtype=np.float32)
        (logits,) = self.session.run(None, {"input": self.to_input(crops)})
        return (1.0 / (1.0 + np.exp(-logits.reshape(-1).astype(np.float64)))).astype(np.float32)
