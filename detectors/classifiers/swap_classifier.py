"""Runs a trained face-swap network on aligned face crops with torch, all faces of a frame in one batch."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

from detectors.assets import DEFAULT_MODEL
from detectors.classifiers.preprocess import resize_crop
from detectors.classifiers.registry import ModelConfig, build_network
from detectors.classifiers.weights import WeightsError, assets_dir, load_model_config, load_state_dict


class SwapClassifier:
    """Swap probability (0 = real, 1 = swapped) of aligned face crops."""

    def __init__(self, config: ModelConfig, state_dict: dict[str, torch.Tensor] | None, device: torch.device,
                 more_state_dicts: Sequence[dict[str, torch.Tensor]] = ()) -> None:
        """`more_state_dicts`: the weights of `config.more_weights`, in that order (an ensemble)."""
        if len(more_state_dicts) != len(config.more_weights):
            raise WeightsError(f"model {config.version} names {len(config.all_weights)} networks, "
                               f"but {1 + len(more_state_dicts)} were given")
        self.config = config
        self.device = device
        self.half = device.type == "cuda"
        self.nets = [self._network(name, sd) for name, sd in zip(config.all_weights, [state_dict, *more_state_dicts])]
        self._mean = torch.tensor(config.mean, device=device).view(1, 3, 1, 1) * 255
        self._std = torch.tensor(config.std, device=device).view(1, 3, 1, 1) * 255

    def _network(self, name: str, state_dict: dict[str, torch.Tensor] | None) -> torch.nn.Module:
        net = build_network(self.config.architecture)
        if state_dict is not None:
            missing, unexpected = net.load_state_dict(state_dict, strict=False)
            if missing or unexpected:
                raise WeightsError(
                    f"weights {name} do not fit {self.config.architecture}: "
                    f"{len(missing)} missing, {len(unexpected)} unexpected tensors"
                )
        net.eval().to(self.device)
        if self.half:
            net = net.half()
        return net.to(memory_format=torch.channels_last)

    @classmethod
    def from_assets(cls, device: torch.device, config_name: str = DEFAULT_MODEL, assets: Path | None = None) -> SwapClassifier:
        """The shipped model, after checking each of its weights files against the manifest."""
        assets = assets or assets_dir()
        config = load_model_config(assets / config_name)
        more = [load_state_dict(assets, config, name) for name in config.more_weights]
        return cls(config, load_state_dict(assets, config), device, more)

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
        x = self.to_tensor(crops)
        # An ensemble's probability is the mean of its networks' probabilities, not of their logits: as it was chosen.
        return torch.stack([torch.sigmoid(net(x).float().reshape(-1)) for net in self.nets]).mean(0).cpu().numpy()
