"""The MesoNet port: shapes and parameter counts of the paper, its Keras weights read faithfully, and its sign.

Upstream's data generator orders classes alphabetically (df = 0, real = 1), so its sigmoid says 1 = real; the port
flips it to our 1 = swapped. Upstream's own sample crops pin that, and that the weights landed where they belong.
"""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from detectors.classifiers import build_network
from detectors.classifiers.mesonet import MESONET_VARIANTS, keras_state_dict
from detectors.classifiers.weights import WeightsError
from detectors.media import read_image
from detectors.offline.peers import PairedScorer, item_scores, load_peer, mesonet_dir, parse_peer_names
from detectors.offline.scan import FileScanner
from tests.conftest import fixture_path


@pytest.fixture(scope="module")
def upstream() -> Path:
    path = mesonet_dir()
    if not (path / "Meso4_DF.h5").is_file():
        pytest.skip(f"needs MesoNet's upstream files in {path} (../shared/models beside this checkout)")
    pytest.importorskip("h5py", reason="reading Keras weights needs h5py (the dev extra)")
    return path


def upstream_crops(upstream: Path, kind: str) -> list[np.ndarray]:
    return [read_image(p) for p in sorted((upstream / "test_images" / kind).glob("*.jpg"))]


@pytest.mark.parametrize(("arch", "params"), [("meso4", 27_977), ("mesoinception4", 28_615)])
def test_networks_have_the_papers_parameter_count_and_one_output(arch: str, params: int):
    net = build_network(arch).eval()
    assert sum(p.numel() for p in net.parameters()) == params  # Afchar et al. 2018, table 1
    with torch.no_grad():
        assert net(torch.rand(2, 3, 256, 256)).shape == (2, 1)


def test_variants_keep_mesonets_input_size_and_scaling():
    assert set(MESONET_VARIANTS) == {"meso4-df", "meso4-f2f", "mesoinception4-df", "mesoinception4-f2f"}
    for cfg in MESONET_VARIANTS.values():
        assert cfg.input_size == 256 and cfg.mean == (0.0, 0.0, 0.0) and cfg.std == (1.0, 1.0, 1.0)
    assert parse_peer_names("all") == list(MESONET_VARIANTS)
    assert parse_peer_names("meso4-df, meso4-df,meso4-f2f") == ["meso4-df", "meso4-f2f"]
    with pytest.raises(ValueError, match="unknown peer"):
        parse_peer_names("xception")


@pytest.mark.parametrize("name", list(MESONET_VARIANTS))
def test_keras_weights_fill_every_tensor(upstream: Path, name: str):
    cfg = MESONET_VARIANTS[name]
    net = build_network(cfg.architecture)
    state = keras_state_dict(net, upstream / cfg.weights)
    assert set(state) == {k for k in net.state_dict() if not k.endswith("num_batches_tracked")}  # Keras keeps no count
    net.load_state_dict(state, strict=True)


def test_weights_of_the_other_architecture_are_refused(upstream: Path):
    with pytest.raises(ValueError, match="not this architecture"):
        keras_state_dict(build_network("mesoinception4"), upstream / "Meso4_DF.h5")


@pytest.mark.parametrize("name", ["meso4-df", "mesoinception4-df"])
def test_deepfake_weights_call_upstreams_samples_right_way_round(upstream: Path, name: str):
    peer = load_peer(name, torch.device("cpu"), upstream)
    fake = peer.predict(upstream_crops(upstream, "df"))
    real = peer.predict(upstream_crops(upstream, "real"))
    assert (fake > 0.9).all() and (real < 0.1).all(), (fake, real)  # measured: ≥ 0.97 and ≤ 0.01


def test_face2face_weights_give_probabilities(upstream: Path):
    for name in ("meso4-f2f", "mesoinception4-f2f"):
        p = load_peer(name, torch.device("cpu"), upstream).predict(upstream_crops(upstream, "real"))
        assert p.shape == (2,) and np.all((p >= 0) & (p <= 1))


def test_missing_weights_say_where_they_are_read_from(tmp_path: Path):
    with pytest.raises(WeightsError, match="never shipped"):
        load_peer("meso4-df", torch.device("cpu"), tmp_path)


def test_peers_score_the_same_crops_and_leave_ours_unchanged(upstream: Path, pipeline):
    photo = fixture_path("real/davisking+dlib__bald_guys.jpg")
    alone = FileScanner(pipeline).scan(photo)
    paired = PairedScorer(pipeline.classifier, {"meso4-df": load_peer("meso4-df", pipeline.device, upstream)})
    ours = pipeline.classifier
    pipeline.classifier = paired
    try:
        with_peers = FileScanner(pipeline).scan(photo)
    finally:
        pipeline.classifier = ours
    calls = paired.take()
    assert with_peers.score == alone.score and len(calls) == 1
    assert calls[0]["meso4-df"].shape == calls[0]["ours"].shape == (len(alone.faces),)
    scores = item_scores(calls, ["ours", "meso4-df"], "image")
    assert scores["ours"] == pytest.approx(alone.score) and 0.0 <= scores["meso4-df"] <= 1.0
    assert paired.take() == []


def test_the_engine_loads_without_h5py():
    code = ("import sys, detectors.pipeline, detectors.offline.cli, detectors.offline.evaluate, detectors.offline.peers;"
            "print('h5py' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"  # the app bundle leaves h5py out
