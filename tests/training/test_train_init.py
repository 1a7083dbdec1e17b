"""Fine-tuning (`train --init`) must not start from weights that were trained on the run's validation groups."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from detectors.classifiers.registry import build_network
from training.train import network_from


def _weights(tmp_path: Path, held_out: list[str]) -> Path:
    run = tmp_path / "run"
    run.mkdir()
    torch.save(build_network("efficientnet_lite0").state_dict(), run / "weights.pt")
    (run / "training.json").write_text(json.dumps({"split_seed": 1, "val_groups": held_out}))
    return run / "weights.pt"


def test_init_loads_weights_that_held_out_the_same_groups(tmp_path: Path) -> None:
    weights = _weights(tmp_path, ["a", "b", "c"])
    net = network_from(weights, {"a", "b"})
    saved = torch.load(weights, weights_only=True)
    assert all(torch.equal(v, saved[k]) for k, v in net.state_dict().items())


def test_init_refuses_weights_trained_on_validation_groups(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="trained on 1 of this run's held-out groups"):
        network_from(_weights(tmp_path, ["a"]), {"a", "b"})


def test_init_accepts_groups_its_run_left_out_as_an_unseen_dataset(tmp_path: Path) -> None:
    weights = _weights(tmp_path, ["a"])
    provenance = weights.parent / "training.json"
    provenance.write_text(json.dumps({**json.loads(provenance.read_text()), "unseen_groups": ["vox2:1"]}))
    network_from(weights, {"a", "vox2:1"})
    with pytest.raises(SystemExit, match="trained on 1 of this run's held-out groups"):
        network_from(weights, {"a", "vox2:1", "vox2:2"})


def test_init_refuses_weights_without_provenance(tmp_path: Path) -> None:
    path = tmp_path / "w.pt"
    torch.save({}, path)
    with pytest.raises(SystemExit, match=r"no training\.json"):
        network_from(path, {"a"})
