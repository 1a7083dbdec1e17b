"""Renders one factory swap: the source face moved onto the target's mesh, through a recipe's generator look and
paste-back (see recipes.SwapParams). A recipe with a trained generator (recipes.GENERATOR_RECIPES) is given it as a
function from an aligned uint8 face of `render_px` to its re-render."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from detectors.alignment import alignment_transform
from training.factory.colour import transfer
from training.factory.recipes import GENERATOR_RECIPES, SwapParams
from training.factory.warp import erode_blur, mesh_mask, piecewise_affine


def _similarity_wobble(points: np.ndarray, amount: float, unit: float, rng: np.random.Generator) -> np.ndarray:
    """`points` moved by a small random rotation, scale and shift about their centre (`amount` × `unit` px)."""
    c = points.mean(0)
    a = rng.normal(0, amount * 1.5)
    s = 1 + rng.normal(0, amount)
    rot = s * np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    return ((points - c) @ rot.T + c + rng.normal(0, amount * unit, 2)).astype(np.float32)


def _down_up(img: np.ndarray, f: float) -> np.ndarray:
    h, w = img.shape[:2]
    small = cv2.resize(img, (max(8, round(w * f)), max(8, round(h * f))), interpolation=cv2.INTER_AREA)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def _restore(img: np.ndarray, strength: float) -> np.ndarray:
    """A face restorer's look (GFPGAN, GPEN): skin smoothed flat, edges sharpened."""
    size = img.shape[0]
    smooth = cv2.bilateralFilter(img, 0, 40 + 40 * strength, size / 40)
    blur = cv2.GaussianBlur(smooth, (0, 0), size / 100)
    sharp = cv2.addWeighted(smooth, 1 + strength, blur, -strength, 0)
    return cv2.addWeighted(sharp, 0.8, img, 0.2, 0)


Generator = Callable[[np.ndarray], np.ndarray]


def generator_output(gen: np.ndarray, lm5: np.ndarray, p: SwapParams, generator: Generator | None = None) -> np.ndarray:
    """`gen` (crop space) as the generator renders it in its aligned crop of `render_px` and the tool warps back:
    through `generator` itself for recipes that have one, else a down-up resize standing in for its smoothness."""
    if p.recipe in GENERATOR_RECIPES and generator is None:
        raise ValueError(f"the {p.recipe!r} recipe renders through a trained generator; pass one "
                         "(make-swaps --autoencoder)")
    if p.render_px <= 0:
        return gen
    h, w = gen.shape[:2]
    m = alignment_transform(lm5, p.render_px, p.aligned_margin)
    scale = float(np.sqrt(abs(np.linalg.det(m[:, :2]))))
    src = cv2.GaussianBlur(gen, (0, 0), 0.45 / scale) if scale < 0.8 else gen  # area-like shrink, no aliasing
    aligned = cv2.warpAffine(src, m, (p.render_px,) * 2, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    if p.recipe in GENERATOR_RECIPES:
        rendered = generator(aligned)
        if p.detail > 0:  # a sharper generator: part of its input's fine detail survives the bottleneck
            src = aligned.astype(np.float32)
            high = src - cv2.GaussianBlur(src, (0, 0), 1.5)
            rendered = np.clip(rendered + p.detail * high + 0.5, 0, 255).astype(np.uint8)
        aligned = rendered
    if p.smooth < 1:
        aligned = _down_up(aligned, p.smooth)
    if p.restore > 0:
        aligned = _restore(aligned, p.restore)
    if p.sharpen > 0:
        blur = cv2.GaussianBlur(aligned, (0, 0), 1.5)
        aligned = cv2.addWeighted(aligned, 1 + p.sharpen, blur, -p.sharpen, 0)
    return cv2.warpAffine(aligned, m, (w, h), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                          borderMode=cv2.BORDER_REPLICATE)


def _box_mask(shape: tuple[int, int], lm5: np.ndarray, p: SwapParams, ellipse: bool) -> np.ndarray:
    """insightface's paste mask (white box warped back, eroded √area/10, blurred √area/20) or Deep-Live-Cam's
    feathered ellipse, in crop space."""
    r = p.render_px or 128
    m = alignment_transform(lm5, r, p.aligned_margin)
    aligned = np.zeros((r, r), np.float32)
    if ellipse:
        axes = (round(0.44 * r), round(0.44 * r * 1.1))
        cv2.ellipse(aligned, (r // 2, r // 2 + round(0.04 * r)), axes, 0, 0, 360, 1.0, -1)
        aligned = cv2.GaussianBlur(aligned, (0, 0), 12 * r / 128 * p.blur)
        return cv2.warpAffine(aligned, m, shape[::-1], flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP)
    aligned[:] = 1.0
    mask = cv2.warpAffine(aligned, m, shape[::-1], flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP)
    s = float(np.sqrt((mask > 0.5).sum()))
    k = max(3, int(max(s / 10, 10) * p.erode * shape[0] / 448))  # its kernels are in frame px; crops are ~2× smaller
    mask = cv2.erode(mask, np.ones((k, k), np.uint8))
    b = int(max(s / 20, 5) * p.blur * shape[0] / 448)
    return cv2.GaussianBlur(mask, (2 * b + 1,) * 2, 0)


def paste_mask(shape: tuple[int, int], lm5: np.ndarray, mesh: np.ndarray, p: SwapParams) -> np.ndarray:
    """The soft mask (float32, 0..1, crop space) through which the tool pastes its render into the frame."""
    if p.paste in ("box", "ellipse"):
        return _box_mask(shape, lm5, p, ellipse=p.paste == "ellipse")
    # Mesh masks: erode/blur are in the tool's aligned pixels; convert to crop pixels.
    px = 1.0 / float(np.sqrt(abs(np.linalg.det(alignment_transform(lm5, p.render_px, p.aligned_margin)[:, :2])))) \
        if p.render_px else 1.0
    return erode_blur(mesh_mask(shape, mesh, p.forehead), p.erode * px, p.blur * px)


def render_swap(p: SwapParams, target: np.ndarray, t_lm5: np.ndarray, t_mesh: np.ndarray, source: np.ndarray,
                s_mesh: np.ndarray, tris: np.ndarray, rng: np.random.Generator,
                frame_scale: float = 1.0, generator: Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The target crop with the source's face swapped in by recipe `p`, and the paste mask used (float32 0..1).

    `tris` triangulates the mesh; `frame_scale` < 1 says the target's face was that much smaller in its frame than in
    the crop, so the pasted render is brought down to the frame's resolution as well. `generator` re-renders the
    aligned face for recipes that have one; with `p.face == "target"` it re-renders the target's own face.
    """
    h, w = target.shape[:2]
    unit = float(np.linalg.norm(t_lm5[0] - t_lm5[1]))
    mesh = _similarity_wobble(t_mesh, p.wobble, unit, rng)  # the tool's landmarks wobble from frame to frame
    lm5 = _similarity_wobble(t_lm5, p.wobble, unit, rng)
    if p.face == "target":  # the generator's texture alone: the target's own face, re-rendered
        face, covered = target, np.ones((h, w), bool)
    else:
        face, covered = piecewise_affine(source, s_mesh, mesh, tris, (h, w))
    region = mesh_mask((h, w), mesh, max(p.forehead, 0.3), mouth=False) * covered
    tf, sf = target.astype(np.float32), face.astype(np.float32)
    if p.colour != "none":
        sf = _recolour(p, sf, tf, region > 0.5, rng)
    # The generator's output: the target's surroundings and pose, the source's face.
    soft = erode_blur(region, 1, 0.02 * w)[..., None]
    gen = np.clip(tf * (1 - soft) + sf * soft, 0, 255).astype(np.uint8)
    gen = generator_output(gen, lm5, p, generator)
    if p.recipe in GENERATOR_RECIPES and p.colour != "none":  # DeepFaceLab colour-matches the prediction too
        gen = np.clip(_recolour(p, gen.astype(np.float32), tf, region > 0.5, rng), 0, 255).astype(np.uint8)
    if frame_scale < 0.95:
        gen = _down_up(gen, frame_scale)
    mask = paste_mask((h, w), lm5, mesh, p) * float(region.max())  # no face region, no swap
    if p.paste == "poisson":
        return _poisson(gen, target, mask), mask
    alpha = (p.opacity * mask)[..., None]
    out = gen.astype(np.float32) * alpha + tf * (1 - alpha)
    return np.clip(out + 0.5, 0, 255).astype(np.uint8), mask


def _recolour(p: SwapParams, face: np.ndarray, target: np.ndarray, region: np.ndarray,
              rng: np.random.Generator) -> np.ndarray:
    """The face given the target's colours by the recipe's transfer, inside the region's bounding box (with room for
    the feathered edge) only: the rest of the crop never shows the face."""
    ys, xs = np.nonzero(region)
    if len(xs) < 32:
        return face
    pad = face.shape[0] // 16
    y0, x0 = max(0, ys.min() - pad), max(0, xs.min() - pad)
    box = (slice(y0, ys.max() + pad + 1), slice(x0, xs.max() + pad + 1))
    out = face.copy()
    moved = transfer(p.colour, face[box], target[box], region[box], rng)
    out[box] = (1 - p.colour_mix) * face[box] + p.colour_mix * moved
    return out


def _poisson(gen: np.ndarray, target: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Poisson blending (cv2.seamlessClone) of the render into the target inside the mask."""
    hard = (mask > 0.5).astype(np.uint8) * 255
    ys, xs = np.nonzero(hard)
    if len(xs) < 16 or xs.min() < 1 or ys.min() < 1 or xs.max() >= target.shape[1] - 1 or ys.max() >= target.shape[0] - 1:
        alpha = mask[..., None]
        return np.clip(gen * alpha + target * (1 - alpha) + 0.5, 0, 255).astype(np.uint8)
    centre = (int((xs.min() + xs.max() + 1) // 2), int((ys.min() + ys.max() + 1) // 2))
    return cv2.seamlessClone(gen, target, hard, centre, cv2.NORMAL_CLONE)
