from __future__ import annotations

import pytest

from detectors.pipeline import Pipeline, PipelineConfig


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    """The shipped model on the CPU; one instance for the session (loading takes seconds)."""
    return Pipeline.load(PipelineConfig(device="cpu"))
