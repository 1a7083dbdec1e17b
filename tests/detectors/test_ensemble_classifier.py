"""A model may be an ensemble: its config names further networks (`more_weights`), each checked against the manifest,
and its probability is the mean of theirs, the same on torch and on onnxruntime."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from detectors.assets import DEFAULT_MODEL, WeightsError, assets_dir
from detectors.classifiers.onnx_classifier import OnnxSwapClassifier
from detectors.classifiers.swap_classifier import SwapClassifier
from detectors.classifiers.weights import load_model_config, write_manifest

ENSEMBLE = "models/ensemble.json"
SECOND = "models/second.pt"


@pytest.fixture(scope="module")
def ensemble_assets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped network and a second one that scores every crop higher (its output bias raised by 2)."""
    src, dst = assets_dir(), tmp_path_factory.mktemp("ensemble") / "assets"
    (dst / "models").mkdir(parents=True)
    config = load_model_config(src / DEFAULT_MODEL)
    for name in (config.weights, config.onnx_files[0]):
        shutil.copy(src / name, dst / name)
    second = {k: v.clone() for k, v in torch.load(src / config.weights, weights_only=True).items()}
    second["classifier.bias"] += 2.0
    torch.save(second, dst / SECOND)
    # Exporting needs the `onnx` package, a build-time tool: the second .onnx is the first one's bytes, and the test
    # raises its logits by the same 2 where it runs it.
    shutil.copy(src / config.onnx_files[0], dst / "models/second.onnx")
    ensemble = replace(config, more_weights=(SECOND,), fusion=None, version="two networks")
    (dst / ENSEMBLE).write_text(json.dumps(ensemble.to_dict()))
    write_manifest(dst, [ENSEMBLE, config.weights, SECOND, config.onnx_files[0], "models/second.onnx"])
    return dst


def _crops() -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    return [rng.integers(0, 256, (224, 224, 3), dtype=np.uint8) for _ in range(3)]


def test_an_ensemble_scores_the_mean_probability_of_its_networks_on_both_runtimes(ensemble_assets: Path) -> None:
    cpu = torch.device("cpu")
    config = load_model_config(ensemble_assets / ENSEMBLE)
    assert config.all_weights == (config.weights, SECOND)
    assert config.onnx_files == (str(Path(config.weights).with_suffix(".onnx")), "models/second.onnx")
    first_alone = SwapClassifier(replace(config, more_weights=()),
                                 torch.load(ensemble_assets / config.weights, weights_only=True), cpu).predict(_crops())
    second_alone = SwapClassifier(replace(config, more_weights=()),
                                  torch.load(ensemble_assets / SECOND, weights_only=True), cpu).predict(_crops())
    assert np.all(second_alone > first_alone + 0.05)
    both = SwapClassifier.from_assets(cpu, ENSEMBLE, ensemble_assets).predict(_crops())
    assert both == pytest.approx((first_alone + second_alone) / 2, abs=1e-5)
    onnx = OnnxSwapClassifier.from_assets(ENSEMBLE, ensemble_assets)
    assert len(onnx.sessions) == 2
    onnx.sessions[1] = _RaisedLogits(onnx.sessions[1], 2.0)
    assert onnx.predict(_crops()) == pytest.approx(both, abs=1e-4)


class _RaisedLogits:
    """An onnxruntime session whose logits come out raised by `by`: the second network's bias, on that runtime."""

    def __init__(self, session, by: float) -> None:
        self.session, self.by = session, by

    def run(self, outputs, feed):
        return [out + self.by for out in self.session.run(outputs, feed)]


def test_every_network_of_an_ensemble_passes_the_manifest_check(ensemble_assets: Path, tmp_path: Path) -> None:
    tampered = tmp_path / "assets"
    shutil.copytree(ensemble_assets, tampered)
    with open(tampered / SECOND, "r+b") as f:  # one byte of the second network changed, the first intact
        f.seek(1000)
        byte = f.read(1)
        f.seek(1000)
        f.write(bytes([byte[0] ^ 1]))
    with pytest.raises(WeightsError):
        SwapClassifier.from_assets(torch.device("cpu"), ENSEMBLE, tampered)
    (tampered / "models/second.onnx").unlink()
    with pytest.raises(WeightsError):
        OnnxSwapClassifier.from_assets(ENSEMBLE, tampered)


def test_a_classifier_given_fewer_networks_than_its_config_names_refuses() -> None:
    config = replace(load_model_config(assets_dir() / DEFAULT_MODEL), more_weights=(SECOND,))
    with pytest.raises(WeightsError, match="2 networks"):
        SwapClassifier(config, None, torch.device("cpu"))
