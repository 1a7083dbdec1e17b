"""What a trained run's scores hang on: its held-out real and swapped clip crops, per footage dataset, scored as
captured and under one picture change at a time (blur, lower resolution, JPEG, sharpening, noise, black and white,
the background outside the face greyed out, the crop zoomed in).
A score that moves a lot under a change that does not make a face more or less swapped (black and white, say) is
a cue the network takes from the footage, not from the swap. Measuring only; nothing here ships.

    python -m training.transform_probe runs/cv/base-f0 --crops cache/crops-train-aa.npz

Only the run's own held-out groups are scored (its training.json names them), so no crop was trained on.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import torch

from training.augment import black_and_white, down_up, jpeg, sharpen
from training.train import _to_input, network_from

Transform = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (crop, its 5 landmarks) → crop


def _noise(img: np.ndarray) -> np.ndarray:
    rng = np.random.default_rng(0)  # the same noise for every run, so that runs compare
    return np.clip(img + rng.normal(0, 4, img.shape), 0, 255).astype(np.uint8)


def _grey_background(img: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """Everything outside an oval around the face (from its 5 landmarks, feathered) turned mid-grey."""
    centre, eyes = landmarks.mean(axis=0), float(np.linalg.norm(landmarks[1] - landmarks[0]))
    oval = np.zeros(img.shape[:2], np.float32)
    cv2.ellipse(oval, (int(centre[0]), int(centre[1] - 0.1 * eyes)), (int(1.45 * eyes), int(1.95 * eyes)), 0, 0, 360,
                1.0, -1)
    oval = cv2.GaussianBlur(oval, (0, 0), 4)[..., None]
    return np.clip(img * oval + 128 * (1 - oval), 0, 255).astype(np.uint8)


def _zoom(img: np.ndarray, scale: float = 1.3) -> np.ndarray:
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), 0, scale)
    return cv2.warpAffine(img, m, (w, h), borderMode=cv2.BORDER_REFLECT101)


TRANSFORMS: dict[str, Transform] = {
    "as captured": lambda img, lm: img,
    "blur σ1": lambda img, lm: cv2.GaussianBlur(img, (0, 0), 1.0),
    "half resolution": lambda img, lm: down_up(img, 0.5),
    "JPEG 40": lambda img, lm: jpeg(img, 40),
    "sharpened": lambda img, lm: sharpen(img),
    "noise σ4": lambda img, lm: _noise(img),
    "black and white": lambda img, lm: black_and_white(img),
    "grey background": _grey_background,
    "zoomed in 1.3×": lambda img, lm: _zoom(img),
}


def footage_sets(crops: dict[str, np.ndarray], held_out: set[str], per_set: int) -> dict[str, np.ndarray]:
    """Crop indices of the held-out video crops, by dataset (the group's prefix) and label, at most `per_set` each,
    spread evenly over the set."""
    item, groups, labels, kinds = crops["item"], crops["groups"], crops["labels"], crops["kinds"]
    sets: dict[str, list[int]] = {}
    for i, it in enumerate(item):
        if groups[it] in held_out and kinds[it] == "video":
            sets.setdefault(f"{str(groups[it]).split(':')[0]} {labels[it]}", []).append(i)
    return {name: np.array(idx[:: max(1, len(idx) // per_set)][:per_set]) for name, idx in sorted(sets.items())}


def probe(net: torch.nn.Module, images: np.ndarray, landmarks: np.ndarray, idx: np.ndarray,
          input_size: int) -> dict[str, float]:
    """Median score of the crops `idx` under each transform."""
    out = {}
    with torch.no_grad():
        for name, fn in TRANSFORMS.items():
            x = torch.stack([_to_input(fn(images[i], landmarks[i]), input_size) for i in idx])
            scores = torch.sigmoid(net(x.contiguous(memory_format=torch.channels_last))).reshape(-1).numpy()
            out[name] = float(np.median(scores))
    return out


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("run", type=Path, help="a finished `callshield train` run directory")
    p.add_argument("--crops", type=Path, default=Path("cache/crops-train-aa.npz"))
    p.add_argument("--per-set", type=int, default=60, help="crops scored per dataset and label")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--json", type=Path)
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    provenance = json.loads((a.run / "training.json").read_text())
    held_out = set(provenance["val_groups"])
    config = json.loads((a.run / "config.json").read_text())
    net = network_from(a.run / "weights.pt", held_out).eval()
    d = np.load(a.crops)
    crops = {k: d[k] for k in ("item", "groups", "labels", "kinds")}
    images, landmarks = d["crops"], d["landmarks"]  # read once: an .npz decompresses an array on every access
    report = {}
    print(f"{'held out':18s} {'crops':>5s} " + " ".join(f"{t:>15s}" for t in TRANSFORMS))
    for name, idx in footage_sets(crops, held_out, a.per_set).items():
        report[name] = {"crops": len(idx), **probe(net, images, landmarks, idx, int(config["input_size"]))}
        print(f"{name:18s} {len(idx):5d} " + " ".join(f"{report[name][t]:15.3f}" for t in TRANSFORMS), flush=True)
    if a.json:
        a.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
