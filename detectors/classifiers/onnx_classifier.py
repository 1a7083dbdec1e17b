"""The swap classifier on onnxruntime: the same network and preprocessing as `SwapClassifier`, without torch."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from detectors.assets import DEFAULT_MODEL, WeightsError, assets_dir, verified_path
from detectors.classifiers.preprocess import resize_crop
from detectors.classifiers.registry import ModelConfig
from detectors.classifiers.weights import load_model_config
from detectors.runtime import onnx_session


class OnnxSwapClassifier:
    """Swap probability (0 = real, 1 = swapped) of aligned face crops, from the model's verified .onnx export."""

    device = "cpu"

    def __init__(self, config: ModelConfig, onnx_path: Path, threads: int = 1, more_paths: Sequence[Path] = ()) -> None:
        """`more_paths`: the .onnx files of `config.more_weights`, in that order (an ensemble)."""
        if len(more_paths) != len(config.more_weights):
            raise WeightsError(f"model {config.version} names {len(config.all_weights)} networks, "
                               f"but {1 + len(more_paths)} were given")
        self.config = config
        self.sessions = [onnx_session(p, threads) for p in (onnx_path, *more_paths)]
        self._mean = np.asarray(config.mean, np.float32) * 255
        self._std = np.asarray(config.std, np.float32) * 255

    @classmethod
    def from_assets(cls, config_name: str = DEFAULT_MODEL, assets: Path | None = None,
                    threads: int = 1) -> OnnxSwapClassifier:
        """The shipped model's ONNX file, after checking it against the manifest."""
        assets = assets or assets_dir()
        config = load_model_config(assets / config_name)
        first, *more = (verified_path(assets, name) for name in config.onnx_files)
        return cls(config, first, threads, more)

    def to_input(self, crops: list[np.ndarray]) -> np.ndarray:
        size = self.config.input_size
        batch = np.stack([resize_crop(c, size) for c in crops]).astype(np.float32)
        return np.ascontiguousarray(((batch - self._mean) / self._std).transpose(0, 3, 1, 2))

    def predict(self, crops: list[np.ndarray]) -> np.ndarray:
        """Probabilities for a list of H×W×3 uint8 RGB crops (any size; resized to the input size)."""
        if not crops:
            return np.zeros(0, dtype=np.float32)
        x = {"input": self.to_input(crops)}
        # An ensemble's probability is the mean of its networks' probabilities, as in `SwapClassifier`.
        probs = [1.0 / (1.0 + np.exp(-s.run(None, x)[0].reshape(-1).astype(np.float64))) for s in self.sessions]
        return np.mean(probs, axis=0).astype(np.float32)
