"""Finds model files under assets/ and refuses any whose SHA-256 differs from the manifest."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import torch

from detectors.assets import assets_dir
from detectors.classifiers.registry import ModelConfig

__all__ = ["WeightsError", "assets_dir", "load_manifest", "load_model_config", "load_state_dict", "verified_path",
           "write_manifest"]


class WeightsError(Exception):
    """A model file is missing, damaged or not the one the manifest lists."""


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load_manifest(assets: Path) -> dict[str, dict]:
    path = assets / "manifest.json"
    try:
        entries = json.loads(path.read_text())["files"]
    except FileNotFoundError:
        raise WeightsError(f"{path} is missing: the installation is incomplete") from None
    except (json.JSONDecodeError, KeyError, TypeError) as err:
        raise WeightsError(f"{path} is damaged ({err}): reinstall CallShield") from None
    return {e["file"]: e for e in entries}


def verified_path(assets: Path, name: str) -> Path:
    """The path of asset `name` after checking its size and SHA-256 against the manifest."""
    entry = load_manifest(assets).get(name)
    if entry is None:
        raise WeightsError(f"{name} is not listed in {assets / 'manifest.json'}; refusing an unknown file")
    path = assets / name
    if not path.is_file():
        raise WeightsError(f"model file {path} is missing: reinstall CallShield")
    size = path.stat().st_size
    if size != entry["size"]:
        raise WeightsError(f"model file {path} has {size} bytes, expected {entry['size']}: truncated or replaced")
    digest = sha256_of(path)
    if digest != entry["sha256"]:
        raise WeightsError(f"model file {path} fails its SHA-256 check (tampered or corrupt): reinstall CallShield")
    return path


def load_model_config(config_path: Path) -> ModelConfig:
    try:
        return ModelConfig.from_dict(json.loads(Path(config_path).read_text()))
    except FileNotFoundError:
        raise WeightsError(f"model config {config_path} is missing") from None
    except (json.JSONDecodeError, TypeError, KeyError) as err:
        raise WeightsError(f"model config {config_path} is damaged: {err}") from None


def load_state_dict(assets: Path, config: ModelConfig) -> dict[str, torch.Tensor]:
    path = verified_path(assets, config.weights)
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # a file that passed the hash but is not a state dict: a bad release
        raise WeightsError(f"model file {path} cannot be read as weights: {err}") from None


def write_manifest(assets: Path, names: list[str]) -> None:
    """Records size and SHA-256 of each named asset (used by the training command when it ships a model)."""
    entries = []
    for name in sorted(names):
        p = assets / name
        entries.append({"file": name, "sha256": sha256_of(p), "size": p.stat().st_size})
    (assets / "manifest.json").write_text(json.dumps({"files": entries}, indent=2) + "\n")
