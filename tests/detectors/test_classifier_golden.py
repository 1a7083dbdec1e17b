"""The shipped classifier on fixed inputs.

- golden/classifier.json: the stored score on one crop catches a broken preprocessing or an unintended model
  change; after shipping a new model, regenerate it with `python -m tests.detectors.test_classifier_golden`.
- golden/quality-floor.json: what the model must still get right on the fixtures. It is never regenerated from a
  model: a new model that does worse there fails until someone decides, in a commit of its own, to lower a floor.
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


QUALITY_FLOOR = GOLDEN.with_name("quality-floor.json")


def fixture_photo_auc(pipeline, fixtures: Path) -> float:
    """Photo-level AUC on the fixture photos: classic landmark swaps against real photos (those with a face)."""
    from detectors.offline.evaluate import roc_auc
    from detectors.offline.scan import FileScanner

    scanner = FileScanner(pipeline)
    scores, labels = [], []
    for label, folder in ((1, "fake"), (0, "real")):
        for path in sorted((fixtures / folder).iterdir()):
            if path.suffix.lower() in (".jpg", ".png") and (r := scanner.scan(path)).score is not None:
                scores.append(r.score)
                labels.append(label)
    return roc_auc(scores, labels)


def test_model_keeps_the_quality_floor(pipeline, fixtures_dir: Path):
    """Not regenerated from the model: a newly shipped model that is worse on the fixtures than the floor fails."""
    from detectors.offline.scan import FileScanner

    floor = json.loads(QUALITY_FLOOR.read_text())
    assert fixture_photo_auc(pipeline, fixtures_dir) >= floor["fixture_photo_auc"]
    scanner = FileScanner(pipeline)
    ordered = 0
    for clip in ("Kim_Jarrey_1", "Tim_Chrys_3"):
        fake = scanner.scan(fixtures_dir / f"fake/iperov+DeepFaceLive__{clip}__right_fake.mp4")
        real = scanner.scan(fixtures_dir / f"real/iperov+DeepFaceLive__{clip}__left_real.mp4")
        ordered += fake.classifier_score > real.classifier_score
    assert ordered >= floor["dfl_twins_swap_above_real"]


if __name__ == "__main__":
    import torch

    from detectors.pipeline import Pipeline, PipelineConfig

    torch.set_num_threads(2)
    GOLDEN.write_text(json.dumps(current(Pipeline.load(PipelineConfig(device="cpu"))), indent=2) + "\n")
    print(GOLDEN.read_text())
