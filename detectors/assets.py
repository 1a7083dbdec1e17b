"""Where CallShield's bundled files live; torch-free so the GUI can ask before the engine loads."""

from __future__ import annotations

import os
import sys
from pathlib import Path

DEFAULT_MODEL = "models/callshield-lite0.json"  # the shipped classifier's config, under assets/


def assets_dir() -> Path:
    """`assets/` next to the packages, or inside a PyInstaller bundle; CALLSHIELD_ASSETS overrides."""
    if env := os.environ.get("CALLSHIELD_ASSETS"):
        return Path(env)
    if bundle := getattr(sys, "_MEIPASS", None):
        return Path(bundle) / "assets"
    return Path(__file__).resolve().parents[1] / "assets"
