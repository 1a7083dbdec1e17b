"""Where CallShield's bundled files live; torch-free so the GUI can ask before the engine loads."""

from __future__ import annotations

import os
import sys
from pathlib import Path

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
