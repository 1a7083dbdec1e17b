"""Measures finished training runs that share a validation split (`train --split-seed`) alone and as one ensemble
(the mean of their probabilities) on that split's held-out groups, with the same metrics and threshold rule as
`callshield train`. Measuring only; nothing here ships.

    python -m training.measure_ensemble --crops cache/crops-train-aa.npz --split-seed 1 \\
        --runs assets/models/callshield-lite0.pt runs/ens/s2/weights.pt runs/ens/s3/weights.pt
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import Dataset

from detectors.classifiers.registry import build_network
from training.train import build_parser, datasets, load_training_data, predict, validation_metrics


class Mirrored(Dataset):
    """The same samples, mirrored left to right."""

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds

    def __len__(self) -> int:
        return len(self.ds)  # type: ignore[arg-type]

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        x, y = self.ds[i]
        return x.flip(-1), y


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--crops", type=Path, default=Path("cache/crops-train-aa.npz"))
    ap.add_argument("--split-seed", type=int, default=1)
    ap.add_argument("--input-size", type=int, default=192)
    ap.add_argument("--runs", type=Path, nargs="+", required=True, help="weights files (state dicts)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--flip", action="store_true",
                    help="also score each crop mirrored and average the two (test-time augmentation)")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    # The validation set exactly as `train --seed S` builds it for S = the split seed (the same self-blends too).
    t = build_parser().parse_args(["--crops", str(a.crops), "--seed", str(a.split_seed),
                                   "--input-size", str(a.input_size)])
    data = load_training_data(t)
    _, val_ds, val_samples = datasets(t, data)
    scores = []
    report: dict = {}
    for run in a.runs:
        net = build_network("efficientnet_lite0")
        net.load_state_dict(torch.load(run, weights_only=True))
        net = net.to(memory_format=torch.channels_last)
        s = predict(net, val_ds)
        if a.flip:
            s = (s + predict(net, Mirrored(val_ds))) / 2
        scores.append(s)
        report[str(run)] = validation_metrics(s, val_samples, data.item, data.labels, data.frames, data.groups)
    if len(a.runs) > 1:
        report["ensemble"] = validation_metrics(np.mean(scores, axis=0), val_samples, data.item, data.labels, data.frames,
                                                data.groups)
    for name, m in report.items():
        print(f"{name:45s} " + " ".join(f"{k} {v:.3f}" for k, v in m.items() if isinstance(v, float)))
    if a.json:
        a.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
