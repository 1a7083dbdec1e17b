"""The kept cross-validation records of the shipped recipe (docs/cv-baseline): a later session judges a candidate
against them instead of training the baseline again, so they must stay two whole 3-fold cross-validations of that
recipe, on one set of crops."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from training.train import REAL, SBI, SWAP

BASELINE = Path(__file__).resolve().parents[2] / "docs" / "cv-baseline"
SEEDS = {"base": 2, "b3": 3}
RECIPE = "--epochs 5 --input-size 192 --swap-weight 2 --seed {seed} --split-seed 1 --folds 3 --fold {fold} --threads 1"


@pytest.mark.parametrize("name", list(SEEDS))
def test_each_seed_is_one_whole_cross_validation_of_the_shipped_recipe(name: str) -> None:
    provenances = [json.loads((BASELINE / f"{name}-f{k}" / "training.json").read_text()) for k in range(3)]
    for k, p in enumerate(provenances):
        assert RECIPE.format(seed=SEEDS[name], fold=k) in p["command"]
        assert (p["folds"], p["fold"], p["split_seed"], p["factory"], p["init"]) == (3, k, 1, None, None)
        kept = json.loads((BASELINE / f"{name}-f{k}" / "val.json").read_text())
        assert kept["epoch"] == p["chosen_epoch"]
    held = [set(p["val_groups"]) for p in provenances]
    assert not (held[0] & held[1] or held[0] & held[2] or held[1] & held[2])


def test_both_seeds_hold_out_the_same_groups_of_the_same_crops_and_kept_their_scores() -> None:
    runs = [BASELINE / f"{name}-f{k}" for name in SEEDS for k in range(3)]
    provenances = [json.loads((run / "training.json").read_text()) for run in runs]
    assert len({p["crops_sha256"] for p in provenances}) == 1
    for k in range(3):
        assert provenances[k]["val_groups"] == provenances[3 + k]["val_groups"]
    for run in runs:
        d = np.load(run / "val-scores.npz")
        assert len(d["scores"]) == len(d["crop"]) == len(d["kind"]) > 1000
        assert set(np.unique(d["kind"])) == {REAL, SBI, SWAP}
        assert ((d["scores"] >= 0) & (d["scores"] <= 1)).all()
