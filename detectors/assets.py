"""Where CallShield's bundled files live and the manifest check every model file passes; torch-free."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from detectors.words import translate

DEFAULT_MODEL = "models/callshield-lite0.json"  # the shipped classifier's config, under assets/
# The bundled demo (GHOST, Apache-2.0; demo/ATTRIBUTION.md): the real clip and a one-shot face swap of it.
DEMO_REAL_CLIP = "demo/ghost-original.mp4"
DEMO_SWAP_CLIP = "demo/ghost-swap-elon.mp4"
DEMO_CLIPS = (DEMO_REAL_CLIP, DEMO_SWAP_CLIP)  # the order the demo plays them: real first, then the swap


def assets_dir() -> Path:
    """`assets/` next to the packages, or inside a PyInstaller bundle; CALLSHIELD_ASSETS overrides."""
    if env := os.environ.get("CALLSHIELD_ASSETS"):
        return Path(env)
    if bundle := getattr(sys, "_MEIPASS", None):
        return Path(bundle) / "assets"
    return Path(__file__).resolve().parents[1] / "assets"


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
        raise WeightsError(translate("Models", "{path} is missing: the installation is incomplete").format(path=path)) from None
    except (json.JSONDecodeError, KeyError, TypeError) as err:
        raise WeightsError(translate("Models", "{path} is damaged ({err}): reinstall CallShield")
                           .format(path=path, err=err)) from None
    return {e["file"]: e for e in entries}


def verified_path(assets: Path, name: str) -> Path:
    """The path of asset `name` after checking its size and SHA-256 against the manifest."""
    entry = load_manifest(assets).get(name)
    if entry is None:
        raise WeightsError(translate("Models", "{name} is not listed in {json}; refusing an unknown file")
                           .format(name=name, json=assets / "manifest.json"))
    path = assets / name
    if not path.is_file():
        raise WeightsError(translate("Models", "model file {path} is missing: reinstall CallShield").format(path=path))
    size = path.stat().st_size
    if size != entry["size"]:
        raise WeightsError(translate("Models", "model file {path} has {size} bytes, expected {expected}: truncated or replaced")
                           .format(
            path=path, size=size, expected=entry["size"]))
    digest = sha256_of(path)
    if digest != entry["sha256"]:
        raise WeightsError(translate(
            "Models", "model file {path} fails its SHA-256 check (tampered or corrupt): reinstall CallShield").format(path=path))
    return path
