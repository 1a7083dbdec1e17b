"""The colour transfers of DeepFaceLab and DeepFaceLive: the swapped face takes the target face's colours.

Each takes float32 RGB `src` and `dst` (0..255) and a bool `mask` of the face pixels whose statistics are matched,
and returns `src` recoloured (whole image).
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np


def _lab(img: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(np.clip(img, 0, 255).astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB)


def _rgb(lab: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(lab.astype(np.float32), cv2.COLOR_LAB2RGB) * 255.0


def rct(src: np.ndarray, dst: np.ndarray, mask: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Reinhard: per-channel mean and spread matched in Lab."""
    s, d = _lab(src), _lab(dst)
    sm, ss = s[mask].mean(0), s[mask].std(0) + 1e-3
    dm, ds = d[mask].mean(0), d[mask].std(0) + 1e-3
    return _rgb((s - sm) / ss * ds + dm)


def _sqrtm(c: np.ndarray) -> np.ndarray:
    w, v = np.linalg.eigh(c)
    return (v * np.sqrt(np.maximum(w, 1e-6))) @ v.T


def _linear_map(src: np.ndarray, dst: np.ndarray, mask: np.ndarray, monge: bool) -> np.ndarray:
    s, d = src[mask].astype(np.float64), dst[mask].astype(np.float64)
    cs, cd = np.cov(s.T) + np.eye(3) * 1e-2, np.cov(d.T) + np.eye(3) * 1e-2
    if monge:  # Monge-Kantorovich: the optimal-transport linear map between the two Gaussians
        rs = _sqrtm(cs)
        rs_inv = np.linalg.inv(rs)
        a = rs_inv @ _sqrtm(rs @ cd @ rs) @ rs_inv
    else:  # lct: whiten with the source's covariance, colour with the target's
        a = _sqrtm(cd) @ np.linalg.inv(_sqrtm(cs))
    out = (src.reshape(-1, 3) - s.mean(0)) @ a.T + d.mean(0)
    return out.reshape(src.shape).astype(np.float32)


def lct(src: np.ndarray, dst: np.ndarray, mask: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Linear colour transfer: mean and 3×3 covariance matched in RGB."""
    return _linear_map(src, dst, mask, monge=False)


def mkl(src: np.ndarray, dst: np.ndarray, mask: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Monge-Kantorovich linear transfer (DeepFaceLab's mkl-m)."""
    return _linear_map(src, dst, mask, monge=True)


def _match_1d(values: np.ndarray, ref: np.ndarray, sample: np.ndarray) -> np.ndarray:
    """`values` moved so that the distribution of `sample` (a subset of them) becomes that of `ref`."""
    q = np.linspace(0, 1, 64)
    return np.interp(values, np.quantile(sample, q), np.quantile(ref, q))


def idt(src: np.ndarray, dst: np.ndarray, mask: np.ndarray, rng: np.random.Generator,
        iterations: int = 4, step: float = 1.0) -> np.ndarray:
    """Iterative distribution transfer: random rotations, then 1-D histogram matching along each rotated axis."""
    flat = src.reshape(-1, 3).astype(np.float32)
    # Quantiles of a few thousand face pixels describe the distributions well enough, at a fraction of the cost.
    sel = np.flatnonzero(mask.reshape(-1))
    sel = rng.choice(sel, min(len(sel), 4096), replace=False)
    ref = dst[mask].astype(np.float32)
    ref = ref[rng.choice(len(ref), min(len(ref), 4096), replace=False)]
    for _ in range(iterations):
        rot = np.linalg.qr(rng.normal(size=(3, 3)))[0].astype(np.float32)
        p, r = flat @ rot, ref @ rot
        moved = np.stack([_match_1d(p[:, k], r[:, k], p[sel, k]) for k in range(3)], axis=1)
        flat = flat + step * (moved - p) @ rot.T
    return flat.reshape(src.shape).astype(np.float32)


def sot(src: np.ndarray, dst: np.ndarray, mask: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Sliced optimal transport (small steps over random directions), then a bilateral filter (DeepFaceLab's sot-m)."""
    out = idt(src, dst, mask, rng, iterations=5, step=0.7)
    return cv2.bilateralFilter(np.clip(out, 0, 255).astype(np.float32), 5, 12.0, 3.0)


TRANSFERS: dict[str, Callable[..., np.ndarray]] = {"rct": rct, "lct": lct, "mkl": mkl, "idt": idt, "sot": sot}


def transfer(name: str, src: np.ndarray, dst: np.ndarray, mask: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """`src` recoloured by the named transfer ("none" leaves it), clipped to 0..255; unchanged if the mask is tiny."""
    if name == "none" or mask.sum() < 32:
        return src
    return np.clip(TRANSFERS[name](src.astype(np.float32), dst.astype(np.float32), mask, rng), 0, 255)
