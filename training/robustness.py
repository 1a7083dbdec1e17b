"""How a model holds up when a real caller's picture changes in harmless ways that calls are full of.

    callshield robustness --crops cache/crops-train-aa.npz [--run runs/X [runs/Y …]]

On the model's own held-out validation crops (the footage groups its training provenance lists, so never trained
on), each face is scored as it is, with the skin smoothing of a call app's touch-up or beauty filter, with a
drawn headset or hand over the face edge, and as a weak connection delivers it (about half resolution, coarsely
compressed: by JPEG, the stand-in `train --poor-connection` uses, and by H.264 CRF 35 through libx264, the codec of eval's
`--low-quality` copies). The share of frames above the model's threshold should not rise for real faces: every rise is
false alarms on real callers who do nothing wrong.

Several runs (the folds of one cross-validation, `train --folds N --fold K`) are measured each on its own held-out
crops at its own threshold, then pooled: frames summed, the share above threshold weighted by frames.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import torch

from detectors.assets import DEFAULT_MODEL
from detectors.classifiers.registry import INPUT_FIELDS, ModelConfig
from detectors.classifiers.swap_classifier import SwapClassifier
from detectors.classifiers.weights import assets_dir, verified_path
from detectors.offline.bootstrap import auc_point
from training.augment import occlude, poor_connection, poor_connection_h264, touch_up
from training.cv_report import fold_members, fold_provenance, held_out_scores
from training.train import FACTORY, held_out_clips, threshold_digits, validation_metrics

Perturb = Callable[[np.ndarray, np.ndarray, np.random.Generator], np.ndarray]
PERTURBATIONS: dict[str, Perturb | None] = {
    "as captured": None, "touch-up": touch_up, "headset or hand": occlude,
    # The JPEG stand-in that `train --poor-connection` trains on, and the real codec that it never sees.
    "weak link (JPEG)": lambda img, _landmarks, rng: poor_connection(img, rng),
    "weak link (H.264)": lambda img, _landmarks, rng: poor_connection_h264(img, rng),
}


@dataclass(frozen=True)
class RobustnessRow:
    faces: str  # "real" or "swap"
    perturbation: str
    frames: int
    above_threshold: float  # share of frames
    median_score: float
    # Swap rows only: how well this picture's swap frames rank above the same picture's real frames (frame AUC), so
    # that a change which lowers every score (a weak link) shows whether swaps are still told apart or only quieter.
    swap_v_real_auc: float | None = None  # None: a real row, or no real frames to rank against


def held_out_crops(crops: Mapping[str, np.ndarray], val_groups: list[str],
                   at_most: int | None = None) -> dict[str, np.ndarray]:
    """Indices of the real and the swapped crops of the held-out footage groups (`crops`: an extract-crops file);
    with `at_most`, a fixed random sample of that many of each kind, the same for every model of one split."""
    groups, labels, item = crops["groups"], crops["labels"], crops["item"]
    held_out = np.isin(groups[item], val_groups)
    fake = labels[item] == "fake"
    subsets = {"real": np.flatnonzero(held_out & ~fake), "swap": np.flatnonzero(held_out & fake)}
    if at_most is not None:
        rng = np.random.default_rng(0)
        subsets = {k: np.sort(rng.choice(v, at_most, replace=False)) if len(v) > at_most else v
                   for k, v in subsets.items()}
    return subsets


def measure(score: Callable[[list[np.ndarray]], np.ndarray], crops: np.ndarray, landmarks: np.ndarray,
            subsets: dict[str, np.ndarray], threshold: float, batch: int = 64,
            pictures: list[str] | None = None) -> list[RobustnessRow]:
    rows = []
    real_scores: dict[str, np.ndarray] = {}  # per picture: what each swap row ranks against
    for faces, idx in sorted(subsets.items(), key=lambda kv: kv[0] != "real"):  # real first: swap rows rank against it
        for name in pictures or list(PERTURBATIONS):
            perturb = PERTURBATIONS[name]
            scores = []
            for start in range(0, len(idx), batch):
                chunk = idx[start:start + batch]
                # One fixed draw per crop, so every model meets the same headsets and the same smoothing.
                imgs = [crops[i] if perturb is None else perturb(crops[i], landmarks[i], np.random.default_rng(int(i)))
                        for i in chunk]
                scores.append(score(imgs))
            s = np.concatenate(scores) if scores else np.zeros(0)
            if faces == "real":
                real_scores[name] = s
            real = real_scores.get(name)
            auc = (auc_point(np.concatenate([s, real]), [1] * len(s) + [0] * len(real))
                   if faces == "swap" and real is not None and len(real) and len(s) else None)
            rows.append(RobustnessRow(faces, name, len(s), float((s > threshold).mean()) if len(s) else float("nan"),
                                      float(np.median(s)) if len(s) else float("nan"), auc))
    return rows


def pool(per_run: list[list[RobustnessRow]]) -> list[RobustnessRow]:
    """The runs of one cross-validation as one measurement: frames summed and the share above each run's own threshold
    weighted by frames. Each fold's model sits on its own scale, so scores are not pooled: the median is the median of
    the runs' medians, and the swap-v-real AUC the runs' own AUCs weighted by their swap frames."""
    pooled = []
    for rows in zip(*per_run, strict=True):
        if len({(r.faces, r.perturbation) for r in rows}) != 1:
            raise ValueError("runs measured on different pictures cannot be pooled")
        frames = sum(r.frames for r in rows)
        above = sum(r.frames * r.above_threshold for r in rows if r.frames) / frames if frames else float("nan")
        ranked = [(r.frames, r.swap_v_real_auc) for r in rows if r.frames and r.swap_v_real_auc is not None]
        auc = sum(n * a for n, a in ranked) / sum(n for n, _ in ranked) if ranked else None
        pooled.append(RobustnessRow(rows[0].faces, rows[0].perturbation, frames, above,
                                    float(np.median([r.median_score for r in rows])), auc))
    return pooled


def real_ratios(rows: list[RobustnessRow]) -> dict[str, float]:
    """How many times as often a real face crosses the threshold under each change as captured (issue 13 asks at
    most 1.5 for touch-up and a headset)."""
    real = {r.perturbation: r.above_threshold for r in rows if r.faces == "real"}
    base = real.get("as captured")
    if not base:  # not measured, or no real frame above threshold as captured: no ratio to give
        return {}
    return {name: above / base for name, above in real.items() if name != "as captured"}


def _print_rows(title: str, rows: list[RobustnessRow]) -> None:
    print(title)
    print(f"  {'faces':6s}{'picture':20s}{'frames':>7s}{'above threshold':>17s}{'median score':>14s}"
          f"{'swap v real AUC':>17s}")
    for r in rows:
        auc = "" if r.swap_v_real_auc is None else f"{r.swap_v_real_auc:17.3f}"
        print(f"  {r.faces:6s}{r.perturbation:20s}{r.frames:7d}{100 * r.above_threshold:16.1f}%{r.median_score:14.3f}"
              + auc)
    ratios = real_ratios(rows)
    if ratios:
        print("  real faces above threshold, times as captured: "
              + ", ".join(f"{name} x{ratio:.2f}" for name, ratio in ratios.items()))


def _load_ensemble(run: Path, crops: Mapping[str, np.ndarray]) -> tuple[SwapClassifier, list[str]]:
    """The runs of one fold named `a+b` as one classifier whose probability is their mean (as the engine runs an
    ensemble), alerting at the threshold the windows rule gives that mean on the fold's held-out crops (as
    `cv_report` pools such a fold)."""
    val_groups = fold_provenance(run)["val_groups"]  # refuses members that hold out other footage
    members = fold_members(run)
    configs = [ModelConfig.from_dict(json.loads((m / "config.json").read_text())) for m in members]
    if not all(c.takes_same_input(configs[0]) for c in configs):
        raise SystemExit(f"{run}: its runs take other input ({', '.join(INPUT_FIELDS)} must match)")
    scores, crop, kind = held_out_scores(run)
    footage = kind != FACTORY  # a --factory run's held-out factory fakes index another file and form no clips
    scores, samples = scores[footage], [(int(i), int(k)) for i, k in zip(crop[footage], kind[footage])]
    args = (scores, samples, crops["item"], crops["labels"], crops["frame"], crops["groups"])
    threshold = threshold_digits(float(validation_metrics(*args, clips=held_out_clips(*args))["threshold"]))
    weights = [str(m / "weights.pt") for m in members]
    config = replace(configs[0], weights=weights[0], more_weights=tuple(weights[1:]), threshold=threshold,
                     version=" + ".join(c.version for c in configs))
    states = [torch.load(w, map_location="cpu", weights_only=True) for w in weights]
    return SwapClassifier(config, states[0], torch.device("cpu"), states[1:]), val_groups


def _load(run: Path | None) -> tuple[SwapClassifier, list[str]]:
    device = torch.device("cpu")
    if run is None:  # the shipped model, hash-checked like the app loads it
        assets = assets_dir()
        provenance = json.loads(verified_path(assets, DEFAULT_MODEL.replace(".json", ".training.json")).read_text())
        return SwapClassifier.from_assets(device), provenance["val_groups"]
    config = ModelConfig.from_dict(json.loads((run / "config.json").read_text()))
    provenance = json.loads((run / "training.json").read_text())
    state = torch.load(run / "weights.pt", map_location="cpu", weights_only=True)
    return SwapClassifier(config, state, device), provenance["val_groups"]


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="callshield robustness", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--crops", type=Path, default=Path("cache/crops-train-aa.npz"), help="from `callshield extract-crops`")
    p.add_argument("--run", type=Path, nargs="+",
                   help="a training run directory (default: the shipped model); several (the folds of one "
                        "cross-validation) are pooled; a+b: the runs a and b of one fold as one ensemble (their mean "
                        "probability, at the windows-rule threshold of that mean on the fold's held-out crops)")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--pictures", nargs="+", choices=list(PERTURBATIONS), metavar="PICTURE",
                   help=f"measure only these (default: all of {', '.join(repr(k) for k in PERTURBATIONS)})")
    p.add_argument("--sample", type=int, metavar="N",
                   help="at most N crops of each kind (real, swap), a fixed draw: the same crops for every model "
                        "trained on one split")
    p.add_argument("--json", type=Path,
                   help="write the rows here (several runs: each run's rows and the pooled rows)")
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    d = np.load(a.crops)
    size, margin = int(d["size"]), float(d["margin"])
    per_run = []
    for run in a.run or [None]:
        classifier, val_groups = _load_ensemble(run, d) if run is not None and "+" in str(run) else _load(run)
        if (size, margin) != (classifier.config.crop_size, classifier.config.crop_margin):
            raise SystemExit(f"callshield robustness: {a.crops} holds {size}-px crops at margin {margin}, but the model "
                             f"wants {classifier.config.crop_size} px at {classifier.config.crop_margin}")
        subsets = held_out_crops(d, val_groups, a.sample)
        threshold = classifier.config.threshold
        rows = measure(classifier.predict, d["crops"], d["landmarks"], subsets, threshold, pictures=a.pictures)
        _print_rows(f"model {classifier.config.version}{f' ({run})' if run else ''}, threshold {threshold:.3f}, "
                    "held-out groups of its training run", rows)
        per_run.append(rows)
    pooled = pool(per_run) if len(per_run) > 1 else None
    if pooled is not None:
        _print_rows(f"pooled over {len(per_run)} runs (each at its own threshold; median: of the runs' medians)", pooled)
    if a.json:
        out = ([asdict(r) for r in per_run[0]] if pooled is None else
               {"runs": {str(run): [asdict(r) for r in rows] for run, rows in zip(a.run, per_run, strict=True)},
                "pooled": [asdict(r) for r in pooled]})
        a.json.write_text(json.dumps(out, indent=2) + "\n")
    print("(real rows: each rise over 'as captured' is false alarms on harmless callers)", file=sys.stderr)
