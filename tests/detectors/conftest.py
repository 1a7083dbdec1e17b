from __future__ import annotations

import pytest
import torch

from detectors.pipeline import Pipeline, PipelineConfig


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    """The shipped model on the CPU; one instance for the session (loading takes seconds)."""
    torch.set_num_threads(2)
    return Pipeline.load(PipelineConfig(device="cpu"))
