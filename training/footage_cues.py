"""Measures candidate swap cues that need no training on the clips of an extract-crops file (train: a development
set here, since nothing is fitted): the inner face against its own surround in the same frame, and the identity
embedding's steadiness over the clip. For each cue: clip AUC of the DeepFaceLive swaps against every real clip, against
their own real twins only and against the other real clips, and in how many twin pairs the swap scores higher.

    python -m training.footage_cues --crops cache/crops-train-aa.npz

A cue that only separates the swaps from *other* footage (high "vs others", ~0.5 "vs twins") measures the footage,
not the swap. Measuring only; nothing here ships.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2
import numpy as np

from detectors.identity import INPUT_SIZE, FaceEmbedder
from detectors.offline.evaluate import roc_auc
from detectors.signals import region_masks


def _block_std_quantile(res: np.ndarray, mask: np.ndarray, q: float, block: int = 8) -> float:
    """The q-quantile of the residual's standard deviation over the 8×8 blocks wholly inside `mask`: with q low, the
    noise floor of the region's flattest blocks (sensor and compression noise rather than texture)."""
    n = res.shape[0] // block
    r = res[: n * block, : n * block].reshape(n, block, n, block)
    inside = mask[: n * block, : n * block].reshape(n, block, n, block).all(axis=(1, 3))
    s = r.std(axis=(1, 3))[inside]
    return float(np.quantile(s, q)) if s.size else float("nan")


def surround_ratios(rgb: np.ndarray, margin: float) -> dict[str, float]:
    """log(inner face / surround) of noise floor, Laplacian energy and high-pass energy; the surround is the ring just
    outside the face outline ("ring") or everything beyond it ("wide"), padded pixels left out."""
    size = rgb.shape[0]
    inner, seam, ring = region_masks(size, margin)
    hull = cv2.dilate((inner | seam).astype(np.uint8), np.ones((9, 9), np.uint8), iterations=2).astype(bool)
    g = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    valid = g > 1  # pixels padded at the frame's edge are 0
    res = g - cv2.medianBlur(g.astype(np.uint8), 3).astype(np.float32)
    lap = np.abs(cv2.Laplacian(g, cv2.CV_32F))
    hp = np.abs(g - cv2.GaussianBlur(g, (0, 0), 1.0))
    out = {}
    for name, around in (("ring", ring & valid), ("wide", ~hull & valid)):
        if around.sum() < 200:
            continue
        for q in (0.2, 0.5):
            a, b = _block_std_quantile(res, inner, q), _block_std_quantile(res, around, q)
            out[f"noise{int(q * 100)}_{name}"] = float(np.log((a + 0.05) / (b + 0.05)))
        out[f"laplacian_{name}"] = float(np.log((lap[inner].mean() + 0.1) / (lap[around].mean() + 0.1)))
        out[f"highpass_{name}"] = float(np.log((hp[inner].mean() + 0.05) / (hp[around].mean() + 0.05)))
    return out


def identity_steadiness(vectors: np.ndarray) -> dict[str, float]:
    """Spread of a clip's identity embeddings about their mean, and their frame-to-frame change."""
    mean = vectors.mean(0)
    mean /= np.linalg.norm(mean)
    step = np.einsum("ij,ij->i", vectors[:-1], vectors[1:])
    return {"identity_spread": float(1 - (vectors @ mean).mean()), "identity_jitter": float(1 - step.mean())}


def auc(pos: list[float], neg: list[float]) -> float:
    return roc_auc([*pos, *neg], [1] * len(pos) + [0] * len(neg))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--crops", type=Path, default=Path("cache/crops-train-aa.npz"))
    a = ap.parse_args(argv)
    d = np.load(a.crops)
    crops, item, files, labels, kinds = d["crops"], d["item"], d["files"], d["labels"], d["kinds"]
    size, margin = int(d["size"]), float(d["margin"])
    embedder = FaceEmbedder.from_assets()
    c0 = int(round(size * (1 - 1 / margin) / 2))  # the margin-1.0 (ArcFace) square at the crop's centre
    frames: dict[int, list[dict[str, float]]] = {}
    vectors: dict[int, list[np.ndarray]] = {}
    for i in np.flatnonzero(kinds[item] == "video"):
        k = int(item[i])
        frames.setdefault(k, []).append(surround_ratios(crops[i], margin))
        face = cv2.resize(crops[i][c0: size - c0, c0: size - c0], (INPUT_SIZE, INPUT_SIZE), interpolation=cv2.INTER_AREA)
        vectors.setdefault(k, []).append(embedder.embed_crop(face))
    cues: dict[int, dict[str, float]] = {}
    for k, fs in frames.items():
        if len(fs) < 3:
            continue
        names = {n for f in fs for n in f}
        cues[k] = {n: float(np.nanmedian([f.get(n, np.nan) for f in fs])) for n in names}
        cues[k].update(identity_steadiness(np.array(vectors[k])))
    fake = [k for k in cues if labels[k] == "fake"]
    real = [k for k in cues if labels[k] == "real"]
    by_file = {str(files[k]): k for k in real}
    twin = {k: by_file[t] for k in fake
            if (t := str(files[k]).replace("/fake/", "/real/").replace("right_fake", "left_real")) in by_file}
    others = [k for k in real if k not in twin.values()]
    print(f"{len(fake)} swaps, {len(real)} real clips ({len(twin)} their twins, {len(others)} others); "
          "a lower value is taken as more swap-like")
    print(f"{'cue':18s} {'all real':>9s} {'twins':>6s} {'others':>7s}  pairs")
    for name in sorted({n for c in cues.values() for n in c}):
        s = {k: -cues[k][name] for k in cues}
        pairs = sum(s[f] > s[r] for f, r in twin.items())
        print(f"{name:18s} {auc([s[k] for k in fake], [s[k] for k in real]):9.3f} "
              f"{auc([s[k] for k in fake], [s[k] for k in twin.values()]):6.3f} "
              f"{auc([s[k] for k in fake], [s[k] for k in others]):7.3f}  {pairs}/{len(twin)}")


if __name__ == "__main__":
    main()
