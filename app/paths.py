"""Where CallShield's bundled files are, found without importing torch (so the window shows fast)."""

from __future__ import annotations

from pathlib import Path

from detectors.assets import DEMO_CLIPS, DEMO_REAL_CLIP, DEMO_SWAP_CLIP, assets_dir

__all__ = ["DEMO_CLIPS", "DEMO_REAL_CLIP", "DEMO_SWAP_CLIP", "assets_dir", "demo_clips"]


def demo_clips() -> list[Path]:
    return [assets_dir() / c for c in DEMO_CLIPS]
