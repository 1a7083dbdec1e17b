"""Cross-validation (`train --folds N --fold K`, `training.cv_report`): the folds hold out every footage group once,
and the report judges each clip by the one run that never trained on it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from training import cv_report
from training.extract_crops import crops_fingerprint
from training.train import FACTORY, REAL, SBI, SWAP, split_groups, validation_metrics

# Four footage groups with a swap (a real twin clip and its swap clip each), four with real footage only.
GROUPS = np.array([f"dfl:{i}" for i in range(4)] * 2 + [f"vox2:{i}" for i in range(4)])
LABELS = np.array(["real"] * 4 + ["fake"] * 4 + ["real"] * 4)
FRAMES = 4


def test_folds_hold_out_every_group_once_with_the_swap_groups_dealt_evenly() -> None:
    groups = np.array([f"dfl{i}" for i in range(7) for _ in (0, 1)] + [f"photo{i}" for i in range(20)])
    labels = np.array(["real", "fake"] * 7 + ["real"] * 20)
    folds = [split_groups(groups, labels, 0.2, seed=1, folds=3, fold=k) for k in range(3)]
    assert set.union(*folds) == set(groups) and sum(map(len, folds)) == len(set(groups))
    assert sorted(len({g for g in f if g.startswith("dfl")}) for f in folds) == [2, 2, 3]
    assert folds == [split_groups(groups, labels, 0.2, seed=1, folds=3, fold=k) for k in range(3)]
    assert folds != [split_groups(groups, labels, 0.2, seed=2, folds=3, fold=k) for k in range(3)]
    for bad in ({"folds": 8, "fold": 0}, {"folds": 3, "fold": 3}, {"folds": 3, "fold": 0, "hold_out_swaps": True}):
        with pytest.raises(ValueError):
            split_groups(groups, labels, 0.2, seed=1, **bad)


def _crops(tmp_path: Path) -> dict[str, np.ndarray]:
    item = np.repeat(np.arange(len(GROUPS)), FRAMES)
    d = {"item": item, "labels": LABELS, "groups": GROUPS, "frame": np.tile(np.arange(FRAMES) * 6, len(GROUPS))}
    np.savez(tmp_path / "crops.npz", **d)
    return d


def _fold_run(tmp_path: Path, crops: dict, name: str, fold: int, held: set[str], real: float, swap: float,
              folds: int = 2, factory: int = 0) -> Path:
    """A finished fold run whose model gives every held-out real crop `real` and every swap crop `swap`; with
    `factory`, it also scored that many factory fakes, numbered after the crops file's own crops as training does."""
    run = tmp_path / name
    run.mkdir()
    crop_ids = [i for i, it in enumerate(crops["item"]) if GROUPS[it] in held]
    samples = [(i, SWAP if LABELS[crops["item"][i]] == "fake" else REAL) for i in crop_ids]
    samples += [(i, SBI) for i, k in samples if k == REAL]
    samples += [(len(crops["item"]) + j, FACTORY) for j in range(factory)]
    scores = np.array([swap if k == SWAP else real if k == REAL else real + 0.05 for _, k in samples])
    np.savez(run / "val-scores.npz", scores=scores, crop=np.array([i for i, _ in samples]),
             kind=np.array([k for _, k in samples]))
    (run / "training.json").write_text(json.dumps({"folds": folds, "fold": fold, "split_seed": 1,
                                                   "val_groups": sorted(held)}))
    figures = validation_metrics(scores[:len(scores) - factory], samples[:len(samples) - factory], crops["item"],
                                 crops["labels"], crops["frame"], crops["groups"])
    (run / "val.json").write_text(json.dumps({"epoch": 1, **figures}))  # as training writes it for its kept epoch
    return run


FOLD0 = {"dfl:0", "dfl:1", "vox2:0", "vox2:1"}
FOLD1 = {"dfl:2", "dfl:3", "vox2:2", "vox2:3"}


def test_the_report_pools_every_clip_from_the_run_that_held_it_out(tmp_path: Path) -> None:
    crops = _crops(tmp_path)
    # Each fold's model ranks its own swaps perfectly, but fold 1's scores all sit higher: one threshold cannot
    # serve both, and the pooled clip AUC must show it (0.75), where the folds' own AUCs say 1.0.
    runs = [_fold_run(tmp_path, crops, "f0", 0, FOLD0, real=0.1, swap=0.3),
            _fold_run(tmp_path, crops, "f1", 1, FOLD1, real=0.5, swap=0.7)]
    pooled = cv_report.pool(runs, crops)
    assert (pooled.clips.labels == 1).sum() == 4 and (pooled.clips.labels == 0).sum() == 8
    assert pooled.metrics["swap_clip_auc"] == pytest.approx(0.75)
    assert pooled.metrics["twin_pairs_ordered"] == 1.0
    assert [f["fold"] for f in pooled.folds] == [0, 1]
    described = cv_report.describe("uneven", pooled, threshold=0.4)
    assert described["swap_v_twins_auc"] == pytest.approx(0.75) and described["clips_swap"] == 4
    # At one threshold for both folds, fold 1's real clips (two twins, two others) alert and fold 0's swaps do not.
    assert described["alerted_at"] == {"threshold": 0.4, "real_twins": (2, 4), "other_real": (2, 4), "swaps": (2, 4)}
    assert described["real_by_dataset"]["vox2"] == {"clips": 4, "median_peak": pytest.approx(0.3), "alerted": 2}

    # Against a recipe whose fold models agree on one scale: the paired difference is negative in every resample
    # (zero where a resample drew only fold 0's swaps, which both recipes rank perfectly).
    steady = [_fold_run(tmp_path, crops, "g0", 0, FOLD0, real=0.1, swap=0.7),
              _fold_run(tmp_path, crops, "g1", 1, FOLD1, real=0.1, swap=0.7)]
    diff = cv_report.compare(pooled, cv_report.pool(steady, crops))
    lo, hi = diff["interval_95"]
    assert diff["swap_clip_auc_difference"] == pytest.approx(-0.25) and lo < -0.25 and hi == 0.0


def test_the_report_pools_factory_runs_leaving_their_factory_fakes_out(tmp_path: Path) -> None:
    crops = _crops(tmp_path)
    plain = cv_report.pool([_fold_run(tmp_path, crops, "f0", 0, FOLD0, real=0.1, swap=0.3),
                            _fold_run(tmp_path, crops, "f1", 1, FOLD1, real=0.5, swap=0.7)], crops)
    factory = cv_report.pool([_fold_run(tmp_path, crops, "x0", 0, FOLD0, real=0.1, swap=0.3, factory=5),
                              _fold_run(tmp_path, crops, "x1", 1, FOLD1, real=0.5, swap=0.7, factory=3)], crops)
    assert factory.clips.items.tolist() == plain.clips.items.tolist()
    assert factory.metrics["swap_clip_auc"] == plain.metrics["swap_clip_auc"]


def test_the_report_refuses_runs_that_are_not_one_cross_validation(tmp_path: Path) -> None:
    crops = _crops(tmp_path)
    f0 = _fold_run(tmp_path, crops, "f0", 0, FOLD0, 0.1, 0.3)
    again = _fold_run(tmp_path, crops, "again", 0, FOLD0, 0.1, 0.3)
    with pytest.raises(SystemExit, match=r"folds 0…1 once each; these runs hold out \[0, 0\]"):
        cv_report.pool([f0, again], crops)
    with pytest.raises(SystemExit, match=r"folds 0…1 once each; these runs hold out \[0\]"):
        cv_report.pool([f0], crops)
    three = _fold_run(tmp_path, crops, "three", 1, FOLD1, 0.1, 0.3, folds=3)
    with pytest.raises(SystemExit, match="not folds of one cross-validation"):
        cv_report.pool([f0, three], crops)
    overlapping = _fold_run(tmp_path, crops, "overlap", 1, FOLD1 | {"dfl:0"}, 0.1, 0.3)
    with pytest.raises(SystemExit, match="same footage group"):
        cv_report.pool([f0, overlapping], crops)


def test_a_fold_given_as_run_plus_run_is_scored_by_their_mean_probability(tmp_path: Path) -> None:
    crops = _crops(tmp_path)
    # Two trainings whose scales wander in opposite directions between the folds: each alone pools to 0.75, their
    # mean puts both folds on one scale and pools to 1.0.
    a = [_fold_run(tmp_path, crops, "a0", 0, FOLD0, real=0.1, swap=0.3),
         _fold_run(tmp_path, crops, "a1", 1, FOLD1, real=0.5, swap=0.7)]
    b = [_fold_run(tmp_path, crops, "b0", 0, FOLD0, real=0.5, swap=0.7),
         _fold_run(tmp_path, crops, "b1", 1, FOLD1, real=0.1, swap=0.3)]
    assert cv_report.pool(a, crops).metrics["swap_clip_auc"] == pytest.approx(0.75)
    both = cv_report.pool([Path(f"{x}+{y}") for x, y in zip(a, b)], crops)
    assert both.metrics["swap_clip_auc"] == pytest.approx(1.0)
    assert both.clips.scores[both.clips.labels == 1] == pytest.approx([0.5] * 4)
    assert [f["swap_clip_auc"] for f in both.folds] == [1.0, 1.0]
    # Another seed lists its held-out samples in another order: they are matched by crop, not by position.
    for run in b:
        d = dict(np.load(run / "val-scores.npz"))
        np.savez(run / "val-scores.npz", **{k: v[::-1] for k, v in d.items()})
    reordered = cv_report.pool([Path(f"{x}+{y}") for x, y in zip(a, b)], crops)
    assert reordered.clips.scores.tolist() == both.clips.scores.tolist()
    with pytest.raises(SystemExit, match="holds out other footage than"):
        cv_report.pool([Path(f"{a[0]}+{a[1]}"), b[1]], crops)


def test_a_comparison_trained_again_with_another_seed_reports_the_mean_difference(tmp_path: Path) -> None:
    crops = _crops(tmp_path)

    def recipe(name: str, uneven: bool) -> list[str]:
        return [str(_fold_run(tmp_path, crops, f"{name}0", 0, FOLD0, real=0.1, swap=0.3)),
                str(_fold_run(tmp_path, crops, f"{name}1", 1, FOLD1, real=0.5 if uneven else 0.1,
                              swap=0.7 if uneven else 0.3))]

    # Seed 1: the candidate's folds sit on two scales (0.75 against 1.0); seed 2: both recipes steady (no difference).
    out = tmp_path / "report.json"
    args = [*recipe("c1-", True), "--against", *recipe("b1-", False), "--also", *recipe("c2-", False),
            "--also-against", *recipe("b2-", False), "--crops", str(tmp_path / "crops.npz"), "--json", str(out)]
    cv_report.main(args)
    report = json.loads(out.read_text())
    assert report["difference"]["swap_clip_auc_difference"] == pytest.approx(-0.25)
    assert report["seed_2"]["difference"]["swap_clip_auc_difference"] == pytest.approx(0.0)
    assert report["seeds"]["seeds"] == 2
    assert report["seeds"]["mean_swap_clip_auc_difference"] == pytest.approx(-0.125)
    lo, hi = report["seeds"]["interval_95"]
    assert lo < -0.125 and hi == 0.0
    with pytest.raises(SystemExit, match="one --also-against for each --also"):
        cv_report.main(args[:args.index("--also-against")] + args[args.index("--crops"):])


def test_the_crops_fingerprint_names_the_faces_not_the_file(tmp_path: Path) -> None:
    crops = _crops(tmp_path)
    again = tmp_path / "again.npz"
    np.savez(again, **{k: crops[k] for k in reversed(list(crops))})  # another container, keys written in another order
    assert crops_fingerprint(tmp_path / "crops.npz") == crops_fingerprint(again)
    shifted = dict(crops, frame=crops["frame"] + 1)
    np.savez(tmp_path / "shifted.npz", **shifted)
    assert crops_fingerprint(tmp_path / "shifted.npz") != crops_fingerprint(again)


def test_the_report_refuses_runs_trained_on_other_crops_and_names_those_it_cannot_check(tmp_path: Path) -> None:
    crops = _crops(tmp_path)
    crops_file = tmp_path / "crops.npz"
    runs = [_fold_run(tmp_path, crops, "f0", 0, FOLD0, 0.1, 0.3), _fold_run(tmp_path, crops, "f1", 1, FOLD1, 0.1, 0.3)]

    def record(run: Path, sha: str) -> None:
        provenance = json.loads((run / "training.json").read_text())
        (run / "training.json").write_text(json.dumps({**provenance, "crops_sha256": sha}))

    out = tmp_path / "report.json"
    record(runs[0], crops_fingerprint(crops_file))  # f1 was "trained before runs recorded it"
    cv_report.main([*map(str, runs), "--crops", str(crops_file), "--json", str(out)])
    report = json.loads(out.read_text())
    assert report["crops"]["sha256"] == crops_fingerprint(crops_file)
    assert report["crops"]["unchecked_runs"] == [str(runs[1])]
    record(runs[1], "0" * 64)  # a run whose sample indices point into other crops: its clips ranked otherwise there
    figures = json.loads((runs[1] / "val.json").read_text())
    (runs[1] / "val.json").write_text(json.dumps({**figures, "swap_clip_auc": 0.5}))
    with pytest.raises(SystemExit, match=r"f1 was trained on other crops \(sha256 000000000000…\)"):
        cv_report.main([*map(str, runs), "--crops", str(crops_file)])


def test_runs_trained_on_another_extraction_of_the_same_faces_are_accepted_only_when_shown_and_named(
        tmp_path: Path) -> None:
    """Another CPU extracts the same faces with pixels a level apart (another fingerprint): such records still name
    the same clips, which the report shows from their own validation figures before it accepts them."""
    crops = _crops(tmp_path)
    crops_file = tmp_path / "crops.npz"
    runs = [_fold_run(tmp_path, crops, "f0", 0, FOLD0, 0.1, 0.3), _fold_run(tmp_path, crops, "f1", 1, FOLD1, 0.2, 0.6)]
    for run in runs:
        provenance = json.loads((run / "training.json").read_text())
        (run / "training.json").write_text(json.dumps({**provenance, "crops_sha256": "e" * 64}))
    out = tmp_path / "report.json"
    cv_report.main([*map(str, runs), "--crops", str(crops_file), "--json", str(out)])
    report = json.loads(out.read_text())
    assert report["crops"]["other_extraction_runs"] == [str(r) for r in runs]
    assert report["crops"]["unchecked_runs"] == []

    # Crops in which a held-out real clip and its swap have traded places: the same groups, other faces per index.
    traded = dict(crops, item=crops["item"].copy())
    real0, swap0 = crops["item"] == 0, crops["item"] == 4
    traded["item"][real0], traded["item"][swap0] = 4, 0
    np.savez(tmp_path / "traded.npz", **traded)
    with pytest.raises(SystemExit, match=r"f0 was trained on other crops .* other faces: its swap_clip_auc was 1 "):
        cv_report.main([*map(str, runs), "--crops", str(tmp_path / "traded.npz")])
    # Crops whose footage groups are named otherwise: the held-out samples are not those groups' crops.
    np.savez(tmp_path / "renamed.npz", **dict(crops, groups=np.array([g.replace("vox2", "vox1") for g in GROUPS])))
    with pytest.raises(SystemExit, match="not the crops of its held-out footage groups here"):
        cv_report.main([*map(str, runs), "--crops", str(tmp_path / "renamed.npz")])


def test_a_fold_ensemble_scores_the_mean_probability_and_alerts_at_that_means_threshold(tmp_path: Path) -> None:
    import torch

    from detectors.assets import DEFAULT_MODEL, assets_dir
    from detectors.classifiers.registry import build_network
    from detectors.classifiers.weights import load_model_config
    from training import robustness

    crops = _crops(tmp_path)
    a = _fold_run(tmp_path, crops, "a", 0, FOLD0, real=0.2, swap=0.6)
    b = _fold_run(tmp_path, crops, "b", 0, FOLD0, real=0.4, swap=0.9)
    other_fold = _fold_run(tmp_path, crops, "c", 1, FOLD1, real=0.4, swap=0.9)
    config = load_model_config(assets_dir() / DEFAULT_MODEL)
    for seed, run in enumerate((a, b, other_fold)):  # three networks of the shipped shape, each its own weights
        torch.manual_seed(seed)
        torch.save(build_network(config.architecture).state_dict(), run / "weights.pt")
        (run / "config.json").write_text(json.dumps({**config.to_dict(), "version": run.name}))
    ensemble, val_groups = robustness._load_ensemble(Path(f"{a}+{b}"), crops)
    assert sorted(val_groups) == sorted(FOLD0) and ensemble.config.version == "a + b"
    face = [np.random.default_rng(0).integers(0, 256, (224, 224, 3), dtype=np.uint8)]
    alone = [robustness._load(run)[0].predict(face) for run in (a, b)]
    assert not np.allclose(alone[0], alone[1], atol=1e-3)
    assert ensemble.predict(face) == pytest.approx((alone[0] + alone[1]) / 2, abs=1e-5)
    # The windows rule on the mean (every held-out real window at 0.3), not either member's own threshold.
    assert ensemble.config.threshold == pytest.approx(0.3, abs=2e-4) and ensemble.config.threshold >= 0.3
    with pytest.raises(SystemExit, match="other footage"):
        robustness._load_ensemble(Path(f"{a}+{other_fold}"), crops)
