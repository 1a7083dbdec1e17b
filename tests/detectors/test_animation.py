"""The animated-photo evidence: window features on hand-made samples, the alert's hysteresis, the model file, and a
warped still of a real person against the real clip of that person (the still moved with the clip's own motion)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from detectors.animation import (
    FEATURES,
    AnimationEvidence,
    AnimationModel,
    MotionSample,
    window_features,
)
from detectors.assets import assets_dir, load_manifest, sha256_of
from tests.conftest import fixture_path


def _samples(n: int = 40, yaw: float = 0.0, blink: bool = False, identity_noise: float = 0.0,
             seed: int = 0) -> list[MotionSample]:
    rng = np.random.default_rng(seed)
    base = rng.normal(size=256)
    out = []
    for i in range(n):
        emb = base + identity_noise * rng.normal(size=256)
        eye = 0.02 if blink and i == n // 2 else 0.06
        out.append(MotionSample(i / 10, yaw * np.sin(i / 4), 0.0, 0.0, 0.05 + 0.03 * np.sin(i * 1.3), eye, 0.0,
                                1.0, 3.0, 1.0, emb / np.linalg.norm(emb) if i % 3 == 0 else None))
    return out


def test_window_features_read_the_cues_they_name():
    still = window_features(_samples())
    moving = window_features(_samples(yaw=15.0, blink=True, identity_noise=0.3))
    assert set(still) == set(FEATURES)
    assert still["yaw_std"] < 1e-6 < moving["yaw_std"]
    assert still["blink_depth"] < 0.05 and moving["blink_depth"] > 0.5
    assert still["identity_spread"] < 1e-6 < moving["identity_spread"]
    assert still["mouth_regularity"] > 0.3  # a sine-driven mouth repeats itself
    assert window_features(_samples(n=5)) == {}


def _model(threshold: float = 0.5) -> AnimationModel:
    # One feature: the narrower the head's turn, the more it looks like an animated still.
    return AnimationModel(("yaw_std",), (0.0,), (1.0,), (-2.0,), 3.0, threshold, 4.0, 2.5)


def test_evidence_waits_for_its_window_then_alerts_and_lets_go():
    evidence = AnimationEvidence(_model())
    samples = _samples(n=60)
    judgements = [evidence.update(s.timestamp, s) for s in samples]
    assert judgements[10].score is None and not judgements[10].alerting  # 1 s: not enough yet
    assert judgements[-1].score > 0.5 and judgements[-1].alerting
    moving = _samples(n=60, yaw=30.0)
    last = None
    for s in moving:
        last = evidence.update(6.0 + s.timestamp, MotionSample(6.0 + s.timestamp, *[getattr(s, f) for f in
                                                                                   MotionSample.__dataclass_fields__
                                                                                   if f != "timestamp"]))
    assert last is not None and not last.alerting


def test_model_round_trips_and_refuses_a_bad_file(tmp_path):
    m = _model(0.7)
    m.save(tmp_path / "a.json")
    assert AnimationModel.load(tmp_path / "a.json") == m
    bad = json.loads((tmp_path / "a.json").read_text())
    bad["coef"] = []
    (tmp_path / "b.json").write_text(json.dumps(bad))
    with pytest.raises(ValueError):
        AnimationModel.load(tmp_path / "b.json")


def test_shipped_model_is_listed_with_its_hash():
    assets = assets_dir()
    entry = load_manifest(assets)["models/animation.json"]
    assert sha256_of(assets / "models/animation.json") == entry["sha256"]
    model = AnimationModel.load(assets / "models/animation.json")
    assert set(model.features) <= set(FEATURES) and 0.5 <= model.threshold < 1.0
    assert "train" in model.note and "eval" not in model.note


@pytest.fixture(scope="module")
def still_and_real():
    """Window features of a real clip (LivePortrait's webcam driver d18) and of its first frame animated with the
    clip's own motion (training/animate.py), both measured by the engine's probe over the same box."""
    from detectors.face_mesh import mediapipe_available

    if not mediapipe_available():
        pytest.skip("needs mediapipe (the face mesh) installed")
    from detectors.animation import AnimationProbe
    from detectors.face_detection import MtcnnFaceDetector
    from detectors.identity import FaceEmbedder
    from detectors.media import iter_frames
    from training.animate import StillMesher, animate_photo

    clip = fixture_path("real/KwaiVGI+LivePortrait__d18.mp4")
    frames = [f.pixels for f in iter_frames(clip, 10.0) if f.timestamp < 6.0]
    mesher = StillMesher()
    meshes = [m.astype(np.float64) for m in (mesher(f) for f in frames) if m is not None]
    still = animate_photo(frames[0], meshes[0], meshes, np.random.default_rng(3))
    box = max(MtcnnFaceDetector("cpu", backend="onnx").detect(frames[0]), key=lambda d: d.size).box
    probe = AnimationProbe(FaceEmbedder.from_assets())

    def features(video: list[np.ndarray]) -> dict[str, float]:
        probe.reset()
        samples = [probe.measure(rgb, box, i / 10) for i, rgb in enumerate(video)]
        return window_features([s for s in samples if s is not None])

    return features(still), features(frames)


def test_a_warped_still_keeps_its_lighting_and_does_not_blink(still_and_real):
    still, real = still_and_real
    assert still and real
    # The same face, moved by a warp: the light on the cheeks does not change as the head moves, and the eyelids
    # only follow the mesh (no real closing of the eye). (The identity embedding is no reliable cue here: the warp's
    # own distortions move it about as much as the real person's turns do.)
    assert still["light_change"] < real["light_change"], (still, real)
    assert still["blink_depth"] < real["blink_depth"], (still, real)


def test_a_warped_still_drags_its_surroundings(still_and_real):
    still, real = still_and_real
    # A warp moves the band around the face with it; a real head moves in front of a still background.
    assert still["background_coupling"] > real["background_coupling"], (still, real)


def test_the_pipeline_times_the_animation_stage_and_scores_the_face():
    from detectors.media import iter_frames
    from detectors.pipeline import Pipeline, PipelineConfig

    assert Pipeline.load(PipelineConfig(backend="onnx")).animation is None  # off unless asked for
    pipeline = Pipeline.load(PipelineConfig(backend="onnx", detect_animation=True))
    if pipeline.animation is None:
        pytest.skip("this installation has no animated-photo detector (mediapipe or assets/models/animation.json absent)")
    pipeline.reset()
    clip = fixture_path("real/KwaiVGI+LivePortrait__d19.mp4")
    verdicts = [pipeline.process(f) for f in iter_frames(clip, 10.0) if f.timestamp < 4.0]
    assert all("animation" in v.stage_ms for v in verdicts)
    scored = [f.animation_score for v in verdicts for f in v.faces if f.animation_score is not None]
    assert scored and all(0.0 <= s <= 1.0 for s in scored)
    # Before the model's minimum evidence, no face has an animation score.
    early = [f.animation_score for v in verdicts if v.timestamp < 2.0 for f in v.faces]
    assert all(s is None for s in early)
