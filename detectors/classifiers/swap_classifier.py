"""Runs a trained face-swap network on aligned face crops with torch, all faces of a frame in one batch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from detectors.assets import DEFAULT_MODEL
from detectors.classifiers.preprocess import resize_crop
from detectors.classifiers.registry import ModelConfig, build_network
from detectors.classifiers.weights import WeightsError, assets_dir, load_model_config, load_state_dict


class SwapClassifier:
    """Swap probability (0 = real, 1 = swapped) of aligned face crops."""

    def __init__(self, config: ModelConfig, state_dict: dict[str, torch.Tensor] | None, device: torch.device) -> None:
        self.config = config
        self.device = device
        net = build_network(config.architecture)
        if state_dict is not None:
            missing, unexpected = net.load_state_dict(state_dict, strict=False)
            if missing or unexpected:
                raise WeightsError(
                    f"weights {config.weights} do not fit {config.architecture}: "
                    f"{len(missing)} missing, {len(unexpected)} unexpected tensors"
                )
        net.eval().to(device)
        self.half = device.type == "cuda"
        if self.half:
            net = net.half()
        self.net = net.to(memory_format=torch.channels_last)
        self._mean = torch.tensor(config.mean, device=device).view(1, 3, 1, 1) * 255
        self._std = torch.tensor(config.std, device=device).view(1, 3, 1, 1) * 255

    @classmethod
    def from_assets(cls, device: torch.device, config_name: str = DEFAULT_MODEL, assets: Path | None = None) -> SwapClassifier:
        """The shipped model, after checking its weights file against the manifest."""
        assets = assets or assets_dir()
        config = load_model_config(assets / config_name)
        return cls(config, load_state_dict(assets, config), device)

    def to_tensor(self, crops: list[np.ndarray]) -> torch.Tensor:
        size = self.config.input_size
        batch = np.stack([resize_crop(c, size) for c in crops])
        x = torch.from_numpy(batch).to(self.device).permute(0, 3, 1, 2).float()
        x = ((x - self._mean) / self._std).contiguous(memory_format=torch.channels_last)
        return x.half() if self.half else x

    @torch.inference_mode()
    def predict(self, crops: list[np.ndarray]) -> np.ndarray:
        """Probabilities for a list of H×W×3 uint8 RGB crops (any size; resized to the input size)."""
        if not crops:
            return np.zeros(0, dtype=np.float32)
        logits = self.net(self.to_tensor(crops)).float().reshape(-1)
        return torch.sigmoid(logits).cpu().numpy()
