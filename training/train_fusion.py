"""Fits the temporal fusion model on train clips the classifier never trained on, and ships it.

    callshield train-fusion --manifest ../shared/data/manifest.csv --ship

With `--fixed logit_mean=1,logit_std=1` nothing is fitted: the evidence is those signals weighted as given (a recipe
chosen by cross-validation on train), and only its alert threshold is chosen on the held-out clips, by the clip rule
the classifier's threshold uses: the lowest evidence at which none of them alerts under the live alert policy.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from detectors.classifiers.swap_classifier import DEFAULT_MODEL
from detectors.classifiers.weights import assets_dir, load_manifest, write_manifest
from detectors.fusion import call_score, clip_windows, fit_fusion
from detectors.offline.evaluate import collect, collect_tracks, held_out_clips, roc_auc
from detectors.pipeline import Pipeline, PipelineConfig
from detectors.records import FrameMeasurement, TrackState
from detectors.signals import SIGNAL_NAMES
from detectors.temporal import AlertPolicy, FusionModel, TrackEvidence
from training.train import threshold_digits

FUSION_FILE = "models/temporal-fusion.json"
# The fusion model ships only when it beats the plain windowed mean by this much in grouped cross-validation:
# with a handful of held-out swap clips, smaller differences are noise (DEVELOPERS: several seeds before
# believing a difference under 0.05).
MIN_GAIN = 0.05


def grouped_cv_auc(clips: list[tuple[list[dict], int, str]], features: tuple[str, ...]) -> float:
    """Clip-level AUC with each footage group's clips scored by a model fitted without that group."""
    scores, labels = [], []
    for group in sorted({g for _, _, g in clips}):
        train = [(w, y) for ws, y, g in clips if g != group for w in ws]
        if len({y for _, y in train}) < 2:
            continue
        model = fit_fusion([w for w, _ in train], np.array([y for _, y in train]), features)
        for ws, y, g in clips:
            if g == group:
                scores.append(call_score(ws, model))
                labels.append(y)
    return roc_auc(scores, labels)


def fixed_model(spec: str, note: str) -> FusionModel:
    """`name=weight,…` over raw (unstandardised) window signals; its threshold is chosen afterwards."""
    weights = {}
    for part in spec.split(","):
        name, _, weight = part.partition("=")
        if name not in SIGNAL_NAMES or not weight:
            raise SystemExit(f"--fixed {spec}: need NAME=WEIGHT pairs over the signals {', '.join(SIGNAL_NAMES)}")
        weights[name] = float(weight)
    n = len(weights)
    return FusionModel(tuple(weights), (0.0,) * n, (1.0,) * n, tuple(weights.values()), 0.0, 0.5, note)


def live_peak(track: list[FrameMeasurement], fusion: FusionModel, classifier_threshold: float) -> float | None:
    """The highest evidence the live alert policy acts on over a clip (once its window holds enough evidence)."""
    never = AlertPolicy(enter=1.0, leave=1.0)  # evidence < 1 never enters: every judged update reads LOOKS_REAL
    evidence = TrackEvidence(never, classifier_threshold, fusion)
    peaks = [j.evidence for j in (evidence.update(m.timestamp, m) for m in track)
             if j.state is TrackState.LOOKS_REAL and j.evidence is not None]
    return max(peaks) if peaks else None


def clip_rule_threshold(real_peaks: list[float | None]) -> float:
    """The lowest evidence at which none of these real clips' `live_peak`s alerts (capped to 0.05–0.98 as the
    classifier's own rule); a clip too short to judge (None) sets nothing."""
    judged = [p for p in real_peaks if p is not None]
    if not judged:
        raise SystemExit("no held-out real clip had enough frames to judge: cannot choose a threshold")
    return float(np.clip(np.nextafter(max(judged), 1.0), 0.05, 0.98))


def install_fusion(model: FusionModel | None) -> None:
    """Points the shipped classifier config at `model` (None: no fusion, the windowed mean score) and lists it."""
    assets = assets_dir()
    config_path = assets / DEFAULT_MODEL
    config = json.loads(config_path.read_text())
    files = set(load_manifest(assets))
    if model is None:
        (assets / FUSION_FILE).unlink(missing_ok=True)
        files.discard(FUSION_FILE)
    else:
        model.save(assets / FUSION_FILE)
        files.add(FUSION_FILE)
    config["fusion"] = None if model is None else FUSION_FILE
    config_path.write_text(json.dumps(config, indent=2) + "\n")
    write_manifest(assets, sorted(files))
    if model is not None:
        print(f"shipped {assets / FUSION_FILE}", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--manifest", type=Path, default=Path("../shared/data/manifest.csv"))
    p.add_argument("--features", default=",".join(SIGNAL_NAMES), help="comma-separated signal names")
    p.add_argument("--fixed", help="NAME=WEIGHT,… : weigh these signals as given instead of fitting; choose only the "
                                   "threshold (clip rule); ships with --ship whatever its held-out AUC")
    p.add_argument("--ship", action="store_true", help="write the model into assets/ and point the classifier config at it")
    a = p.parse_args(argv)
    pipeline = Pipeline.load(PipelineConfig(device="cpu", use_fusion=False))
    if a.fixed:
        ship_fixed(a, pipeline)
        return
    clips = collect(held_out_clips(a.manifest), pipeline)
    features = tuple(a.features.split(","))
    for name in features:
        print(f"grouped-CV clip AUC without {name:<18}: {grouped_cv_auc(clips, tuple(f for f in features if f != name)):.3f}",
              file=sys.stderr)
    fused_auc = grouped_cv_auc(clips, features)
    baseline_auc = roc_auc([call_score(ws, None) for ws, _, _ in clips], [y for _, y, _ in clips])
    print(f"grouped-CV clip AUC, all signals          : {fused_auc:.3f}", file=sys.stderr)
    print(f"clip AUC of the windowed mean score alone : {baseline_auc:.3f}", file=sys.stderr)
    windows = [w for ws, _, _ in clips for w in ws]
    labels = np.array([y for ws, y, _ in clips for _ in ws])
    note = (f"logistic regression over {len(features)} window signals, fitted on {len(windows)} windows of "
            f"{len(clips)} held-out train clips ({sum(y for _, y, _ in clips)} swaps)")
    model = fit_fusion(windows, labels, features, note=note)
    print(json.dumps(model.__dict__, indent=2), file=sys.stderr)
    if a.ship:
        if fused_auc - baseline_auc >= MIN_GAIN:
            install_fusion(model)
        else:
            install_fusion(None)
            print(f"not shipped: fusion gains {fused_auc - baseline_auc:+.3f} AUC over the windowed mean "
                  f"(needs {MIN_GAIN:+.2f}); the alert policy keeps the windowed mean score", file=sys.stderr)


def ship_fixed(a: argparse.Namespace, pipeline: Pipeline) -> None:
    tracks = collect_tracks(held_out_clips(a.manifest), pipeline)
    threshold = pipeline.classifier.config.threshold
    n_swaps = sum(y for _, y, _ in tracks)
    note = (f"fixed weights {a.fixed} (chosen by cross-validation on train); threshold by the clip rule on "
            f"{len(tracks)} held-out train clips ({n_swaps} swaps)")
    model = fixed_model(a.fixed, note)
    # The evidence does not depend on the model's threshold, so the peaks judged now decide it.
    peaks = [(live_peak(t, model, threshold), y) for t, y, _ in tracks]
    model = replace(model, threshold=threshold_digits(clip_rule_threshold([p for p, y in peaks if y == 0])))
    labels = [y for _, y, _ in tracks]
    for name, fusion in (("windowed mean score", None), (a.fixed, model)):
        calls = [call_score(clip_windows(t, threshold), fusion) or 0.0 for t, _, _ in tracks]
        print(f"held-out clip AUC, {name}: {roc_auc(calls, labels):.3f}", file=sys.stderr)
    caught = sum((p or 0.0) >= model.threshold for p, y in peaks if y)
    print(f"threshold {model.threshold}: {caught} of {n_swaps} held-out swaps alert, none of the "
          f"{len(tracks) - n_swaps} real clips", file=sys.stderr)
    print(json.dumps(model.__dict__, indent=2), file=sys.stderr)
    if a.ship:
        install_fusion(model)

if __name__ == "__main__":
    main()
