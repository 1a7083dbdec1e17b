"""Shared test helpers: where the shared data lives, and skips that say why."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("CALLSHIELD_SHARED_DATA", ROOT.parent / "shared" / "data"))
FIXTURES = SHARED_DATA / "fixtures"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def fixture_path(relative: str) -> Path:
    """A file under ../shared/data/fixtures, or a skip naming what is missing."""
    path = FIXTURES / relative
    if not path.exists():
        pytest.skip(f"needs ../shared/data/fixtures/{relative} (shared data is not beside this checkout)")
    return path


@pytest.fixture(autouse=True)
def engine_in_english() -> None:
    """The engine's words in English, whatever language an earlier test installed (tests/app switch it back too)."""
    from detectors.words import use_translator

    use_translator(None)


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    if not FIXTURES.is_dir():
        pytest.skip("needs ../shared/data/fixtures (shared data is not beside this checkout)")
    return FIXTURES
