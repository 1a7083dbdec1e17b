"""Where CallShield's bundled files are, found without importing torch (so the window shows fast)."""

from __future__ import annotations

from pathlib import Path

from detectors.assets import assets_dir

DEMO_CLIPS = ("demo/ghost-original.mp4", "demo/ghost-swap-elon.mp4")  # real first, then the swap


def demo_clips() -> list[Path]:
    return [assets_dir() / c for c in DEMO_CLIPS]
