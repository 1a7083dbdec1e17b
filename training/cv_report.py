"""Pools the runs of one cross-validation (`callshield train --folds N --fold K`, K = 0…N−1) into one judgement of
their recipe: every held-out clip of train scored by the one run that never trained on it, so that a recipe is
judged on all of train's swap clips (18) and real clips, not on the 4 swap clips of a single validation split.
With `--against`, a second recipe's folds (same crops, split seed and folds) on the very same clips, and the paired
bootstrap interval of the difference. A fold given as `RUN+RUN…` (runs of one fold, e.g. two seeds) is scored by
the mean probability of its runs: an ensemble judged like any recipe. With `--also` / `--also-against`, the same
comparison trained again with other seeds, and the mean of all the differences with one paired bootstrap over the
clips (seed noise averages out; the clips' sampling noise stays). Measuring only; nothing here ships.

    python -m training.cv_report runs/cv/base-f0 runs/cv/base-f1 runs/cv/base-f2 \\
        --against runs/cv/bal-f0 runs/cv/bal-f1 runs/cv/bal-f2 --threshold 0.643

The pooled clip AUC mixes the folds' models, so a fold whose scores sit higher than another's costs AUC: a recipe
whose scale wanders between trainings is worse for a product with one threshold, and this shows it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from detectors.offline.bootstrap import auc_difference_interval, auc_interval, auc_point, mean_auc_difference_interval
from training.extract_crops import crops_fingerprint
from training.train import EVIDENCE, FACTORY, HeldOutClips, held_out_clips, validation_metrics


@dataclass(frozen=True)
class PooledRecipe:
    """The folds of one recipe, pooled: per-fold validation records, and the held-out samples and clips of all."""

    runs: list[Path]
    folds: list[dict]  # each run's kept epoch and its validation metrics
    metrics: dict  # validation_metrics over the pooled samples
    clips: HeldOutClips


def _provenance(run: Path) -> dict:
    path = run / "training.json"
    if not path.exists():
        raise SystemExit(f"{run}: no training.json; is it a finished `callshield train` run?")
    return json.loads(path.read_text())


def fold_members(run: Path) -> list[Path]:
    """`a+b` names an ensemble of the runs a and b (one fold, several trainings); a plain path is one run."""
    return [Path(part) for part in str(run).split("+")]


def fold_provenance(run: Path) -> dict:
    """The provenance of one fold; an ensemble's runs must all hold out the same footage groups."""
    provs = [_provenance(m) for m in fold_members(run)]
    for other, member in zip(provs[1:], fold_members(run)[1:]):
        if (other.get("fold"), sorted(other["val_groups"])) != (provs[0].get("fold"), sorted(provs[0]["val_groups"])):
            raise SystemExit(f"{run}: {member} holds out other footage than {fold_members(run)[0]}: not one fold")
    return provs[0]


def held_out_scores(run: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(scores, crop, kind) of a fold's held-out samples; an ensemble's scores are its runs' mean probability."""
    loaded = []
    for member in fold_members(run):
        path = member / "val-scores.npz"
        if not path.exists():
            raise SystemExit(f"{member}: no val-scores.npz (runs trained before cross-validation existed lack it)")
        d = np.load(path)
        # Runs of other seeds list their held-out samples in another order: put every run's in one order.
        order = np.lexsort((d["crop"], d["kind"])) if len(fold_members(run)) > 1 else np.arange(len(d["crop"]))
        loaded.append((d["scores"][order], d["crop"][order], d["kind"][order]))
    _, crop, kind = loaded[0]
    for other, member in zip(loaded[1:], fold_members(run)[1:]):
        if not (np.array_equal(other[1], crop) and np.array_equal(other[2], kind)):
            raise SystemExit(f"{run}: {member} scored other held-out samples than {fold_members(run)[0]}")
    return np.mean([s for s, _, _ in loaded], axis=0), crop, kind


def pool(runs: list[Path], crops: dict[str, np.ndarray], evidence: str = "mean") -> PooledRecipe:
    """The runs must be the N folds of one cross-validation, each once; otherwise SystemExit says what is wrong.
    `evidence`: what each clip's 2-s windows are judged by (`training.train.EVIDENCE`)."""
    provs = [fold_provenance(r) for r in runs]
    folds = {p.get("folds") for p in provs}
    if len(folds) != 1 or not next(iter(folds)):
        raise SystemExit("these runs are not folds of one cross-validation (train --folds N --fold K): "
                         + ", ".join(f"{r}: folds={p.get('folds')}" for r, p in zip(runs, provs)))
    n = next(iter(folds))
    if len({p["split_seed"] for p in provs}) != 1:
        raise SystemExit("the runs were split with different --split-seed values: their folds do not partition train")
    held = sorted(p["fold"] for p in provs)
    if held != list(range(n)):
        raise SystemExit(f"a {n}-fold cross-validation needs folds 0…{n - 1} once each; these runs hold out {held}")
    for a, b in itertools.combinations(provs, 2):
        if set(a["val_groups"]) & set(b["val_groups"]):
            raise SystemExit("two runs hold out the same footage group: not one cross-validation")
    scores, samples, per_fold = [], [], []
    for run, prov in sorted(zip(runs, provs), key=lambda rp: rp[1]["fold"]):
        fold_scores, crop, kind = held_out_scores(run)
        # A --factory run also scored its held-out factory fakes; they index the factory file, not the crops file,
        # and are no clips, so the pooled report leaves them out.
        own = kind != FACTORY
        fold_samples = [(int(i), int(k)) for i, k in zip(crop[own], kind[own])]
        scores.append(fold_scores[own])
        samples += fold_samples
        # The fold's own figures from the scores pooled here (an ensemble's, today's clip rule), not its val.json.
        fold_args = (fold_scores[own], fold_samples, crops["item"], crops["labels"], crops["frame"], crops["groups"])
        own_metrics = validation_metrics(*fold_args, clips=held_out_clips(*fold_args, evidence=evidence))
        epochs = [json.loads((m / "val.json").read_text())["epoch"] for m in fold_members(run)]
        per_fold.append({"run": str(run), "fold": prov["fold"], "epoch": epochs[0] if len(epochs) == 1 else epochs,
                         **{k: own_metrics[k] for k in ("sbi_frame_auc", "swap_clip_auc", "select", "threshold_clips")}})
    all_scores = np.concatenate(scores)
    args = (all_scores, samples, crops["item"], crops["labels"], crops["frame"], crops["groups"])
    clips = held_out_clips(*args, evidence=evidence)
    return PooledRecipe(list(runs), per_fold, validation_metrics(*args, clips=clips), clips)


# What a run's val.json says of its kept epoch that its scores, pooled on the crops loaded here, must give again when
# those crops are another extraction of the same faces: which clips the samples form and how they rank.
SAME_FACES_FIGURES = ("val_clips", "sbi_frame_auc", "swap_clip_auc", "twin_pairs_ordered", "real_clips_alerted",
                      "threshold_clips")


@dataclass(frozen=True)
class CropsCheck:
    """Which runs `check_crops` could not check, and which were trained on another extraction of the same faces."""

    unchecked: list[str]  # recorded no fingerprint (trained before runs did)
    other_extraction: list[str]  # other pixels (another CPU's float arithmetic), held-out faces shown to be the same


def same_held_out_faces(run: Path, crops: dict[str, np.ndarray]) -> str | None:
    """None when `run`'s held-out samples name the same faces in `crops` as in the crops it was trained on; else why
    not. Shown, not assumed: its held-out crops are exactly the crops of its held-out groups here, and its kept
    epoch's scores, pooled on these crops, give again the validation figures it recorded then."""
    prov, d = _provenance(run), np.load(run / "val-scores.npz")
    own = d["kind"] != FACTORY
    crop, kind, scores = d["crop"][own], d["kind"][own], d["scores"][own]
    n = len(crops["item"])
    if len(crop) and (crop.min() < 0 or crop.max() >= n):
        return f"its held-out samples index {crop.max() + 1} crops; these crops have {n}"
    held = np.flatnonzero(np.isin(crops["groups"][crops["item"]], list(prov["val_groups"])))
    if not np.array_equal(np.unique(crop), held):
        return "its held-out samples are not the crops of its held-out footage groups here"
    recorded = json.loads((run / "val.json").read_text())
    missing = [k for k in SAME_FACES_FIGURES if k not in recorded]
    if missing:
        return f"its val.json lacks {', '.join(missing)}, so its clips cannot be shown to be the same"
    samples = [(int(i), int(k)) for i, k in zip(crop, kind)]
    again = validation_metrics(scores, samples, crops["item"], crops["labels"], crops["frame"], crops["groups"])
    for key in SAME_FACES_FIGURES:
        if not np.isclose(again[key], recorded[key], rtol=0, atol=1e-6, equal_nan=True):
            return f"its {key} was {recorded[key]:.6g} when trained and is {again[key]:.6g} on these crops"
    return None


def check_crops(runs: list[Path], crops_path: Path, fingerprint: str, crops: dict[str, np.ndarray]) -> CropsCheck:
    """Refuses a run trained on other crops than `crops_path` whose held-out sample indices would name other faces
    (records kept from an earlier session against freshly extracted crops). A run trained on another extraction of
    the same faces (pixels a level apart, as another CPU's float arithmetic leaves them) is accepted only when
    `same_held_out_faces` shows it, and named. Runs that recorded no fingerprint cannot be checked and are named."""
    unchecked, other = [], []
    for member in (m for run in runs for m in fold_members(run)):
        recorded = _provenance(member).get("crops_sha256")
        if recorded is None:
            unchecked.append(str(member))
        elif recorded != fingerprint:
            why = same_held_out_faces(member, crops)
            if why is not None:
                raise SystemExit(f"{member} was trained on other crops (sha256 {recorded[:12]}…) than {crops_path} "
                                 f"({fingerprint[:12]}…), and its held-out samples would point at other faces: {why}")
            other.append(str(member))
    return CropsCheck(unchecked, other)


def real_twins(clips: HeldOutClips) -> np.ndarray:
    """Per clip: is it the real twin of a swap (real footage of a group that also holds a swap)?"""
    swap_groups = {g for g, y in zip(clips.groups, clips.labels) if y == 1}
    return np.array([g in swap_groups for g in clips.groups], bool) & (clips.labels == 0)


def alerted_at(clips: HeldOutClips, threshold: float) -> dict[str, tuple[int, int]]:
    """(alerted, of) real twin clips, other real clips and swap clips whose highest 2-s window reaches `threshold`."""
    twin = real_twins(clips)
    peak = clips.peaks
    parts = {"real_twins": twin, "other_real": (clips.labels == 0) & ~twin, "swaps": clips.labels == 1}
    return {k: (int((peak[m] >= threshold).sum()), int(m.sum())) for k, m in parts.items()}


def real_by_dataset(clips: HeldOutClips, threshold: float) -> dict[str, dict]:
    """Per dataset (the group's prefix): its held-out real clips, their median peak 2-s window, and how many reach
    `threshold`. A dataset whose real clips all sit high is footage the recipe takes for a swap when it never saw it."""
    peak = clips.peaks
    names = np.array([str(g).split(":")[0] for g in clips.groups])
    out = {}
    for name in sorted(set(names[clips.labels == 0])):
        m = (names == name) & (clips.labels == 0)
        out[str(name)] = {"clips": int(m.sum()), "median_peak": float(np.median(peak[m])),
                          "alerted": int((peak[m] >= threshold).sum())}
    return out


def describe(name: str, recipe: PooledRecipe, threshold: float | None = None) -> dict:
    c = recipe.clips
    interval = auc_interval(c.scores, c.labels)
    m = recipe.metrics
    # Swaps against their streamer footage's real twins and against other real footage: eval's false alerts fell on
    # real twins, so a recipe that only looks better on the other real footage has not helped there.
    twin = real_twins(c)
    versus = {part: auc_point(c.scores[(c.labels == 1) | keep], c.labels[(c.labels == 1) | keep])
              for part, keep in (("twins", twin), ("other_real", (c.labels == 0) & ~twin))}
    out = {"recipe": name, "folds": recipe.folds, "clips_real": int((c.labels == 0).sum()),
           "clips_swap": int((c.labels == 1).sum()), "pooled_swap_clip_auc": m["swap_clip_auc"],
           "pooled_swap_clip_auc_95": interval, "pooled_sbi_frame_auc": m["sbi_frame_auc"],
           "pooled_select": m["select"], "twin_pairs_ordered": m["twin_pairs_ordered"],
           "mean_fold_select": float(np.mean([f["select"] for f in recipe.folds])),
           "swap_v_twins_auc": versus["twins"], "swap_v_other_real_auc": versus["other_real"],
           "pooled_threshold_clips": m["threshold_clips"], "swaps_alerted_at_it": m["swap_clips_alerted_clips"]}
    print(f"{name}: {len(recipe.folds)} folds, {out['clips_swap']} swap clips v {out['clips_real']} real clips held out")
    for f in recipe.folds:
        print(f"  fold {f['fold']} (epoch {f['epoch']}): sbi {f['sbi_frame_auc']:.3f}  swap-clip "
              f"{f['swap_clip_auc']:.3f}  select {f['select']:.3f}")
    lo, hi = interval if interval else (float("nan"), float("nan"))
    print(f"  pooled: swap-clip AUC {m['swap_clip_auc']:.3f} [{lo:.3f}, {hi:.3f}]  sbi {m['sbi_frame_auc']:.3f}  "
          f"select {m['select']:.3f}  swap above its own twin {m['twin_pairs_ordered']:.0%}  "
          f"(mean of folds' select {out['mean_fold_select']:.3f})")
    print(f"  swaps v their real twins AUC {versus['twins']:.3f}, v other real clips {versus['other_real']:.3f}; "
          f"at the pooled clip threshold {m['threshold_clips']:.3f} (no held-out real clip alerts) "
          f"{m['swap_clips_alerted_clips']:.0%} of swap clips alert")
    if threshold is not None:
        counts = alerted_at(c, threshold)
        out["alerted_at"] = {"threshold": threshold, **counts}
        print(f"  alerted at {threshold:g}: " + "; ".join(
            f"{k.replace('_', ' ')} {a}/{n}" for k, (a, n) in counts.items()))
        out["real_by_dataset"] = real_by_dataset(c, threshold)
        print("  real clips by dataset (median peak, alerted): " + "; ".join(
            f"{k} {v['median_peak']:.2f} {v['alerted']}/{v['clips']}" for k, v in out["real_by_dataset"].items()))
    return out


def compare(ours: PooledRecipe, theirs: PooledRecipe) -> dict:
    """Paired: the same clips, scored by each recipe's own fold model."""
    if not np.array_equal(ours.clips.items, theirs.clips.items):
        raise SystemExit("the two recipes held out different clips: use the same crops, --split-seed and --folds")
    diff = auc_difference_interval(ours.clips.scores, theirs.clips.scores, ours.clips.labels)
    assert diff is not None
    point, lo, hi = diff
    print(f"first − against: pooled swap-clip AUC {point:+.3f} [{lo:+.3f}, {hi:+.3f}] (paired bootstrap over clips)")
    return {"swap_clip_auc_difference": point, "interval_95": [lo, hi]}


def compare_seeds(pairs: list[tuple[PooledRecipe, PooledRecipe]]) -> dict:
    """The mean difference of several (ours, theirs) comparisons on the same clips, e.g. a recipe change trained
    with seeds 2 and 3 against the base recipe trained with the same seeds; each pair must hold out the same clips."""
    first = pairs[0][0].clips
    for ours, theirs in pairs:
        for recipe in (ours, theirs):
            if not np.array_equal(recipe.clips.items, first.items):
                raise SystemExit("the seeds' recipes held out different clips: use the same crops, --split-seed and "
                                 "--folds")
    diff = mean_auc_difference_interval([(o.clips.scores, t.clips.scores) for o, t in pairs], first.labels)
    assert diff is not None
    point, lo, hi = diff
    print(f"mean over {len(pairs)} seeds of first − against: pooled swap-clip AUC {point:+.3f} [{lo:+.3f}, {hi:+.3f}] "
          "(one paired bootstrap over clips)")
    return {"seeds": len(pairs), "mean_swap_clip_auc_difference": point, "interval_95": [lo, hi]}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", type=Path, nargs="+", help="the run directories of one recipe's folds")
    ap.add_argument("--against", type=Path, nargs="+", help="another recipe's folds, measured on the same clips")
    ap.add_argument("--crops", type=Path, help="the crops file the runs trained on (default: from their provenance)")
    ap.add_argument("--threshold", type=float,
                    help="also count the clips whose highest 2-s window reaches this score (e.g. the shipped threshold)")
    ap.add_argument("--evidence", choices=sorted(EVIDENCE), default="mean",
                    help="what a clip's 2-s windows are judged by: the mean score (the classifier threshold's rule) or "
                         "sigmoid(mean + std of the log-odds) (train-fusion --fixed logit_mean=1,logit_std=1)")
    ap.add_argument("--against-evidence", choices=sorted(EVIDENCE),
                    help="the same for --against (default: --evidence); with the same runs, compares the evidences")
    ap.add_argument("--also", type=Path, nargs="+", action="append", default=[],
                    help="the first recipe's folds trained with another seed (repeatable; needs --against and as many "
                         "--also-against)")
    ap.add_argument("--also-against", type=Path, nargs="+", action="append", default=[],
                    help="the --against recipe's folds trained with that other seed")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args(argv)
    if len(a.also) != len(a.also_against) or (a.also and not a.against):
        raise SystemExit("--also needs --against and one --also-against for each --also")
    crops_path = a.crops or Path(_provenance(fold_members(a.runs[0])[0]).get("crops") or "cache/crops-train-aa.npz")
    d = np.load(crops_path)
    crops = {k: d[k] for k in ("item", "labels", "frame", "groups")}
    fingerprint = crops_fingerprint(crops_path)
    every_run = [*a.runs, *(a.against or []), *itertools.chain(*a.also, *a.also_against)]
    checked = check_crops(every_run, crops_path, fingerprint, crops)
    if checked.unchecked:
        print(f"note: {len(checked.unchecked)} run(s) recorded no crops fingerprint, so they cannot be checked against "
              f"{crops_path}: {', '.join(checked.unchecked)}", file=sys.stderr)
    if checked.other_extraction:
        print(f"note: {len(checked.other_extraction)} run(s) were trained on another extraction of the same faces "
              f"(other pixels; their held-out clips and validation figures are the same on {crops_path}), so a "
              f"difference against them also holds what another extraction and CPU move: "
              f"{', '.join(checked.other_extraction)}", file=sys.stderr)
    ours = pool(a.runs, crops, a.evidence)
    report = {"crops": {"file": str(crops_path), "sha256": fingerprint, "unchecked_runs": checked.unchecked,
                        "other_extraction_runs": checked.other_extraction},
              "first": describe("first", ours, a.threshold)}
    if a.against:
        theirs = pool(a.against, crops, a.against_evidence or a.evidence)
        report["against"] = describe("against", theirs, a.threshold)
        report["difference"] = compare(ours, theirs)
    if a.also:
        pairs = [(ours, theirs)]
        for k, (more, more_against) in enumerate(zip(a.also, a.also_against), start=2):
            # Numbered as comparisons (the first is 1), not by the seed the runs were trained with.
            print(f"comparison {k} (--also {k - 1}: the recipes trained with another seed):")
            pairs.append((pool(more, crops, a.evidence), pool(more_against, crops, a.against_evidence or a.evidence)))
            report[f"seed_{k}"] = {"first": describe("first", pairs[-1][0], a.threshold),
                                   "against": describe("against", pairs[-1][1], a.threshold),
                                   "difference": compare(*pairs[-1])}
        report["seeds"] = compare_seeds(pairs)
    if a.json:
        a.json.write_text(json.dumps(report, indent=2, default=float) + "\n")


if __name__ == "__main__":
    sys.exit(main())
