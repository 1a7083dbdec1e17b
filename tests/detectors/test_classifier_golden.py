"""The shipped classifier gives the stored score on a fixed crop: catches a broken preprocessing or a swapped model.

Regenerate after retraining with `python -m tests.detectors.test_classifier_golden`.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from detectors.assets import DEMO_SWAP_CLIP
from detectors.classifiers.weights import assets_dir, sha256_of
from detectors.media import iter_frames

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "classifier.json"
# The bundled demo clip (Apache-2.0) is the one face we may keep in the repository.
CLIP = DEMO_SWAP_CLIP


def golden_crop(pipeline) -> np.ndarray:
    frame = next(iter_frames(assets_dir() / CLIP))
    face = max(pipeline.detector.detect(frame.pixels), key=lambda f: f.size)
    return pipeline.face_crop(frame.pixels, face)


def current(pipeline) -> dict:
    cfg = pipeline.classifier.config
    crop = golden_crop(pipeline)
    return {
        "weights_sha256": sha256_of(assets_dir() / cfg.weights),
        "crop_mean": float(crop.mean()),
        "score": float(pipeline.classifier.predict([crop])[0]),
        "flipped_score": float(pipeline.classifier.predict([crop[:, ::-1].copy()])[0]),
    }


def test_classifier_matches_golden(pipeline):
    golden = json.loads(GOLDEN.read_text())
    now = current(pipeline)
    assert now["weights_sha256"] == golden["weights_sha256"], "the model changed: regenerate the golden file"
    assert now["crop_mean"] == pytest.approx(golden["crop_mean"], abs=0.5), "detection/alignment changed"
    assert now["score"] == pytest.approx(golden["score"], abs=2e-3)
    assert now["flipped_score"] == pytest.approx(golden["flipped_score"], abs=2e-3)


if __name__ == "__main__":
    import torch

    from detectors.pipeline import Pipeline, PipelineConfig

    torch.set_num_threads(2)
    GOLDEN.write_text(json.dumps(current(Pipeline.load(PipelineConfig(device="cpu"))), indent=2) + "\n")
    print(GOLDEN.read_text())
