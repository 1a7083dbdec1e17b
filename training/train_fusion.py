"""Fits the temporal fusion model on train clips the classifier never trained on, and ships it.

    callshield train-fusion --manifest ../shared/data/manifest.csv --ship
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from detectors.classifiers.swap_classifier import DEFAULT_MODEL
from detectors.classifiers.weights import assets_dir, load_manifest, write_manifest
from detectors.fusion import call_score, fit_fusion
from detectors.offline.evaluate import collect, held_out_clips, roc_auc
from detectors.pipeline import Pipeline, PipelineConfig
from detectors.signals import SIGNAL_NAMES

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


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--manifest", type=Path, default=Path("../shared/data/manifest.csv"))
    p.add_argument("--features", default=",".join(SIGNAL_NAMES), help="comma-separated signal names")
    p.add_argument("--ship", action="store_true", help="write the model into assets/ and point the classifier config at it")
    a = p.parse_args(argv)
    pipeline = Pipeline.load(PipelineConfig(device="cpu", use_fusion=False))
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
        assets = assets_dir()
        config_path = assets / DEFAULT_MODEL
        config = json.loads(config_path.read_text())
        files = set(load_manifest(assets))
        if fused_auc - baseline_auc >= MIN_GAIN:
            model.save(assets / FUSION_FILE)
            config["fusion"] = FUSION_FILE
            files.add(FUSION_FILE)
            print(f"shipped {assets / FUSION_FILE}", file=sys.stderr)
        else:
            (assets / FUSION_FILE).unlink(missing_ok=True)
            config["fusion"] = None
            files.discard(FUSION_FILE)
            print(f"not shipped: fusion gains {fused_auc - baseline_auc:+.3f} AUC over the windowed mean "
                  f"(needs {MIN_GAIN:+.2f}); the alert policy keeps the windowed mean score", file=sys.stderr)
        config_path.write_text(json.dumps(config, indent=2) + "\n")
        write_manifest(assets, sorted(files))



if __name__ == "__main__":
    main()
