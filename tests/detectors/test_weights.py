"""A missing, truncated or tampered weights file is refused with a message that names it."""

import shutil
from pathlib import Path

import pytest

from detectors.classifiers.swap_classifier import DEFAULT_MODEL
from detectors.classifiers.weights import WeightsError, assets_dir, load_model_config
from detectors.pipeline import Pipeline, PipelineConfig


@pytest.fixture
def assets_copy(tmp_path: Path) -> Path:
    src = assets_dir()
    dst = tmp_path / "assets"
    (dst / "models").mkdir(parents=True)
    shutil.copy(src / "manifest.json", dst / "manifest.json")
    config = load_model_config(src / DEFAULT_MODEL)
    fusion = (config.fusion,) if config.fusion else ()  # the alert's evidence model, when one ships
    for name in (DEFAULT_MODEL, *config.all_weights, *fusion):
        shutil.copy(src / name, dst / name)
    return dst


def weights_file(assets: Path) -> Path:
    return assets / load_model_config(assets / DEFAULT_MODEL).weights


def test_intact_copy_loads(assets_copy: Path):
    Pipeline.load(PipelineConfig(device="cpu", backend="torch"), assets=assets_copy)


def test_tampered_weights_are_refused(assets_copy: Path):
    path = weights_file(assets_copy)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped bit pattern, same size
    path.write_bytes(bytes(data))
    with pytest.raises(WeightsError, match=r"callshield-lite0\.pt.*SHA-256"):
        Pipeline.load(PipelineConfig(device="cpu", backend="torch"), assets=assets_copy)


def test_truncated_weights_are_refused(assets_copy: Path):
    path = weights_file(assets_copy)
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(WeightsError, match="truncated"):
        Pipeline.load(PipelineConfig(device="cpu", backend="torch"), assets=assets_copy)


def test_missing_weights_are_refused(assets_copy: Path):
    weights_file(assets_copy).unlink()
    with pytest.raises(WeightsError, match="missing"):
        Pipeline.load(PipelineConfig(device="cpu", backend="torch"), assets=assets_copy)


def test_missing_manifest_is_refused(assets_copy: Path):
    (assets_copy / "manifest.json").unlink()
    with pytest.raises(WeightsError, match=r"manifest\.json is missing"):
        Pipeline.load(PipelineConfig(device="cpu", backend="torch"), assets=assets_copy)


def test_absent_gpu_is_an_error_not_a_silent_cpu():
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(ValueError, match="no usable NVIDIA GPU"):
        Pipeline.load(PipelineConfig(device="cuda"))


def test_shipping_one_model_keeps_the_others_listed(tmp_path: Path):
    from detectors.classifiers.weights import load_manifest, write_manifest

    (tmp_path / "models").mkdir()
    for name, text in (("models/a.json", "a"), ("models/b.onnx", "b"), ("models/gone.json", "g")):
        (tmp_path / name).write_text(text)
    write_manifest(tmp_path, ["models/a.json", "models/b.onnx", "models/gone.json"])
    (tmp_path / "models/gone.json").unlink()  # e.g. a fusion model that was not shipped again
    (tmp_path / "models/a.json").write_text("a, retrained")
    write_manifest(tmp_path, ["models/a.json"])
    listed = load_manifest(tmp_path)
    assert sorted(listed) == ["models/a.json", "models/b.onnx"]
    assert listed["models/a.json"]["size"] == len("a, retrained") and listed["models/b.onnx"]["size"] == 1
