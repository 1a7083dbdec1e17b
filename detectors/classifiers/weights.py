"""Finds model files under assets/ and refuses any whose SHA-256 differs from the manifest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from detectors.assets import WeightsError, assets_dir, load_manifest, sha256_of, verified_path
from detectors.classifiers.registry import ModelConfig

if TYPE_CHECKING:
    import torch

__all__ = [
    "WeightsError",
    "assets_dir",
    "load_manifest",
    "load_model_config",
    "load_state_dict",
    "sha256_of",
    "verified_path",
    "write_manifest",
]


def load_model_config(config_path: Path) -> ModelConfig:
    try:
        return ModelConfig.from_dict(json.loads(Path(config_path).read_text()))
    except FileNotFoundError:
        raise WeightsError(f"model config {config_path} is missing") from None
    except (json.JSONDecodeError, TypeError, KeyError) as err:
        raise WeightsError(f"model config {config_path} is damaged: {err}") from None


def load_state_dict(assets: Path, config: ModelConfig, name: str | None = None) -> dict[str, torch.Tensor]:
    """The weights of `name` (one of `config.all_weights`; default: the first), after the manifest check."""
    import torch  # the torch backend only: the ONNX runtime reads no .pt file

    path = verified_path(assets, name or config.weights)
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # a file that passed the hash but is not a state dict: a bad release
        raise WeightsError(f"model file {path} cannot be read as weights: {err}") from None


def write_manifest(assets: Path, names: list[str]) -> None:
    """Records size and SHA-256 of each named asset (when a model ships). Entries of other files stay as they are, as
    long as their file is still there: shipping one model must not unlist another."""
    path = assets / "manifest.json"
    kept = {}
    if path.exists():
        kept = {name: e for name, e in load_manifest(assets).items() if name not in names and (assets / name).is_file()}
    for name in names:
        p = assets / name
        kept[name] = {"file": name, "sha256": sha256_of(p), "size": p.stat().st_size}
    path.write_text(json.dumps({"files": [kept[n] for n in sorted(kept)]}, indent=2) + "\n")
