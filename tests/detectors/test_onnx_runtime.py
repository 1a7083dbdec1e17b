"""The torch-free CPU runtime: the ONNX engine imports no torch, checks its files, and judges like the torch engine."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from detectors.assets import WeightsError, assets_dir
from detectors.classifiers.weights import load_model_config
from detectors.media import iter_frames
from detectors.mtcnn import MTCNN_ONNX, AreaSampler, nms
from detectors.pipeline import Pipeline, PipelineConfig
from detectors.runtime import resolve_backend
from tests.conftest import fixture_path

PARITY_CLIPS = [
    "fake/iperov+DeepFaceLive__Kim_Jarrey_1__right_fake.mp4",
    "real/KwaiVGI+LivePortrait__d18.mp4",
    "fake/polimi-ispl+icpr2020dfdc__004_982.mp4",
]
PARITY_FRAMES = 12  # per clip, at 5 fps: key frames, followed frames and the whole-region scans all occur


def test_onnx_engine_runs_a_frame_without_importing_torch():
    code = (
        "import sys\n"
        "from detectors.assets import DEMO_SWAP_CLIP, assets_dir\n"
        "from detectors.media import iter_frames\n"
        "from detectors.pipeline import Pipeline, PipelineConfig\n"
        "import detectors.offline.cli, detectors.offline.evaluate, detectors.offline.scan  # scan/eval of the CPU installer\n"
        "p = Pipeline.load(PipelineConfig(backend='onnx', device='cpu'))\n"
        "faces = 0\n"
        "for f in iter_frames(assets_dir() / DEMO_SWAP_CLIP, max_fps=10):\n"
        "    faces += len(p.process(f).faces)\n"
        "    if f.index > 8: break\n"
        "import os\n"
        "print(faces, 'torch' in sys.modules, os.environ.get('ORT_DISABLE_TELEMETRY'), p.info().device)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "ORT_DISABLE_TELEMETRY"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    faces, torch_loaded, no_telemetry, device = out.stdout.split(maxsplit=3)
    assert torch_loaded == "False", "the ONNX engine imported torch"
    assert no_telemetry == "1", "onnxruntime's telemetry (it posts to Microsoft) was left on"
    assert int(faces) > 0, out.stdout
    assert "onnxruntime" in device


def test_area_resampling_is_torchs(rng=np.random.default_rng(3)):
    torch = pytest.importorskip("torch")
    img = rng.integers(0, 256, (97, 131, 3), dtype=np.uint8)
    sampler = AreaSampler(img)
    t = torch.from_numpy(img.astype(np.float32)).permute(2, 0, 1)[None]
    for (y0, y1, x0, x1), size in [((0, 97, 0, 131), (59, 80)), ((10, 40, 20, 61), (24, 24)), ((5, 20, 3, 14), (48, 48))]:
        want = torch.nn.functional.interpolate(t[:, :, y0:y1, x0:x1], size=size, mode="area")[0].permute(1, 2, 0).numpy()
        np.testing.assert_allclose(sampler.resize(y0, y1, x0, x1, *size), want, atol=1e-3)


def test_opencv_nms_keeps_what_torchvision_keeps(rng=np.random.default_rng(4)):
    torch = pytest.importorskip("torch")
    from torchvision.ops import nms as tv_nms

    xy = rng.uniform(0, 200, (300, 2))
    boxes = np.concatenate([xy, xy + rng.uniform(10, 60, (300, 2))], 1)
    scores = rng.uniform(0.6, 1.0, 300)
    for threshold in (0.5, 0.7):
        want = tv_nms(torch.from_numpy(boxes), torch.from_numpy(scores), threshold).numpy()
        np.testing.assert_array_equal(nms(boxes, scores, threshold), want)


def test_backend_choice():
    assert resolve_backend("onnx", "cpu") == "onnx"
    assert resolve_backend("auto", "cpu") == "onnx"  # faster on the CPU: `callshield bench --backend`
    with pytest.raises(ValueError, match="CPU only"):
        resolve_backend("onnx", "cuda")
    with pytest.raises(ValueError, match="unknown backend"):
        PipelineConfig(backend="tensorrt")


@pytest.fixture(scope="module")
def engines() -> dict[str, Pipeline]:
    pytest.importorskip("torch")
    return {b: Pipeline.load(PipelineConfig(device="cpu", backend=b)) for b in ("torch", "onnx")}


@pytest.mark.slow
@pytest.mark.parametrize("clip", PARITY_CLIPS)
def test_both_backends_find_the_same_faces_and_give_the_same_scores(engines, clip):
    path = fixture_path(clip)
    verdicts = {}
    for backend, engine in engines.items():
        engine.reset()
        frames = [f for _, f in zip(range(PARITY_FRAMES), iter_frames(path, max_fps=5))]
        verdicts[backend] = [engine.process(f) for f in frames]
    scored = 0
    for t, o in zip(verdicts["torch"], verdicts["onnx"]):
        assert t.state == o.state and [f.track_id for f in t.faces] == [f.track_id for f in o.faces], (t, o)
        for ft, fo in zip(t.faces, o.faces):
            assert np.abs(np.subtract(ft.box, fo.box)).max() < 1.0, (ft.box, fo.box)
            assert (ft.frame_score is None) == (fo.frame_score is None)
            if ft.frame_score is not None:
                assert abs(ft.frame_score - fo.frame_score) <= 0.01, (ft.frame_score, fo.frame_score)
                scored += 1
    assert scored >= PARITY_FRAMES // 2, f"only {scored} faces scored on {clip}: the comparison proves little"


@pytest.mark.slow
def test_both_backends_detect_the_same_faces_on_photos(engines):
    from detectors.media import read_image

    for name in ("real/davisking+dlib__2008_002470.jpg", "real/wuhuikai+FaceSwap__test1.jpg"):
        rgb = read_image(fixture_path(name))
        t, o = (engines[b].detector.detect(rgb) for b in ("torch", "onnx"))
        assert len(t) == len(o) > 0
        for a, b in zip(sorted(t, key=lambda d: d.box), sorted(o, key=lambda d: d.box)):
            assert np.abs(np.subtract(a.box, b.box)).max() < 1.0 and abs(a.confidence - b.confidence) < 1e-3
            assert np.abs(a.landmarks - b.landmarks).max() < 1.0


@pytest.fixture
def assets_copy(tmp_path: Path) -> Path:
    src, dst = assets_dir(), tmp_path / "assets"
    (dst / "models").mkdir(parents=True)
    config = load_model_config(src / "models/callshield-lite0.json")
    fusion = (config.fusion,) if config.fusion else ()  # the alert's evidence model, when one ships
    for name in ("manifest.json", "models/callshield-lite0.json", *config.onnx_files, *MTCNN_ONNX, *fusion):
        shutil.copy(src / name, dst / name)
    return dst


def test_intact_onnx_files_load_without_the_torch_weights(assets_copy: Path):
    Pipeline.load(PipelineConfig(device="cpu", backend="onnx"), assets=assets_copy)


@pytest.mark.parametrize("name", ["models/mtcnn-onet.onnx", "models/callshield-lite0.onnx"])
def test_tampered_onnx_file_is_refused(assets_copy: Path, name: str):
    path = assets_copy / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(WeightsError, match=rf"{Path(name).name}.*SHA-256"):
        Pipeline.load(PipelineConfig(device="cpu", backend="onnx"), assets=assets_copy)

