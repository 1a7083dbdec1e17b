"""One swap renderer per live-swap tool family, with parameters drawn per clip and jittered per frame.

Each recipe renders what a swapper outputs for the target frame (the target's pose and surroundings with the source's
face, at the generator's resolution and texture) and pastes it back the way that tool does (see
shared/notes/live-swap-rendering.md): inswapper/Deep-Live-Cam (128 px, box or ellipse mask, optional GFPGAN-like
restoration), SimSwap (224 px, big eroded box), DeepFaceLive/DeepFaceLab (224–320 px, colour transfer, mesh mask with
erode/blur, opacity), the classical Delaunay swap of FF++ FaceSwap (no generator, mesh hull or Poisson blend) and a
Deepfakes-style autoencoder trained here on train's real faces (its own re-render of the donor's or the target's face,
mesh mask with erode/blur).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

RECIPES = ("inswapper", "simswap", "dfl", "delaunay", "autoencoder")
GENERATOR_RECIPES = ("autoencoder",)  # recipes that need a trained generator (make-swaps --autoencoder)
AE_PX, AE_MARGIN = 128, 1.5  # the autoencoder's aligned crop: the crops file's alignment, shrunk to 128 px


@dataclass(frozen=True)
class SwapParams:
    """How one swapped clip is rendered. Sizes marked "aligned" are pixels of the tool's aligned face crop."""

    recipe: str
    render_px: int  # the generator's output size (0: no generator, the source pixels themselves)
    aligned_margin: float  # zoom of the tool's aligned crop around the 5-point template (1.0: ArcFace's crop)
    smooth: float  # the generator's texture: down-up factor in aligned space (1.0: as sharp as the render size)
    restore: float  # GFPGAN-like restoration strength (0: none)
    sharpen: float  # unsharp-mask amount on the render (0: none)
    colour: str  # colour transfer (see colour.TRANSFERS, or "none")
    colour_mix: float  # share of that transfer applied
    paste: str  # "box", "ellipse", "mesh" or "poisson"
    erode: float  # mesh: aligned px of erosion (negative dilates); box/ellipse: multiplier of the tool's default
    blur: float  # mesh: aligned px of Gaussian sigma; box/ellipse: multiplier of the tool's default
    forehead: float  # how much forehead the swapped region keeps (0: up to the brows, 1: the mesh outline)
    opacity: float
    wobble: float  # per-frame misplacement of the pasted face, as a share of the eye distance
    face: str = "donor"  # whose face the generator renders: "donor" (a swap) or "target" (its own face re-rendered)
    detail: float = 0.0  # share of the input's fine detail (above ~1.5 aligned px) kept through a trained generator

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def draw_params(recipe: str, rng: np.random.Generator) -> SwapParams:
    """The parameters of one swapped clip (or photo) of `recipe`."""
    u = rng.uniform
    opacity = 1.0 if rng.random() < 0.8 else float(u(0.8, 1.0))
    common = dict(recipe=recipe, opacity=opacity, wobble=float(u(0.005, 0.03)))
    if recipe == "inswapper":
        return SwapParams(render_px=128, aligned_margin=1.0, smooth=float(u(0.75, 1.0)),
                          restore=float(u(0.5, 1.0)) if rng.random() < 0.5 else 0.0,
                          sharpen=float(u(0.2, 0.8)) if rng.random() < 0.3 else 0.0,
                          colour="rct" if rng.random() < 0.7 else "none", colour_mix=float(u(0.4, 1.0)),
                          paste=str(rng.choice(["box", "ellipse", "poisson"], p=[0.5, 0.4, 0.1])),
                          erode=float(u(0.8, 1.2)), blur=float(u(0.8, 1.2)), forehead=float(u(0.5, 1.0)), **common)
    if recipe == "simswap":
        return SwapParams(render_px=224, aligned_margin=1.0, smooth=float(u(0.6, 0.9)),
                          restore=float(u(0.4, 0.9)) if rng.random() < 0.2 else 0.0, sharpen=0.0,
                          colour="rct", colour_mix=float(u(0.3, 0.8)), paste="box",
                          erode=float(u(1.2, 2.0)), blur=float(u(1.2, 2.0)), forehead=float(u(0.5, 1.0)), **common)
    if recipe == "dfl":
        full_face = rng.random() < 0.5  # DeepFaceLab "full face" models stop at the brows; "whole face" keep more
        return SwapParams(render_px=int(rng.choice([224, 256, 288, 320], p=[0.55, 0.15, 0.1, 0.2])),
                          aligned_margin=float(u(1.6, 1.9)), smooth=float(u(0.45, 0.85)), restore=0.0,
                          sharpen=float(u(0.3, 1.0)) if rng.random() < 0.3 else 0.0,
                          colour=str(rng.choice(["rct", "lct", "mkl", "idt", "sot", "none"],
                                                p=[0.45, 0.1, 0.15, 0.1, 0.1, 0.1])),
                          colour_mix=1.0, paste="mesh", erode=float(u(-2, 8)), blur=float(u(2.5, 15)),
                          forehead=float(u(0.0, 0.3)) if full_face else float(u(0.6, 1.0)), **common)
    if recipe == "delaunay":
        return SwapParams(render_px=0, aligned_margin=1.0, smooth=1.0, restore=0.0, sharpen=0.0,
                          colour="rct" if rng.random() < 0.8 else "none", colour_mix=1.0,
                          paste="poisson" if rng.random() < 0.4 else "mesh", erode=float(u(0, 4)),
                          blur=float(u(1.0, 4.0)), forehead=float(u(0.0, 0.5)), **common)
    if recipe == "autoencoder":
        # Its aligned pixels are ~1.75 crop px (128 px at margin 1.5), so erode/blur are about half of dfl's.
        full_face = rng.random() < 0.5
        return SwapParams(render_px=AE_PX, aligned_margin=AE_MARGIN, smooth=1.0, restore=0.0,
                          sharpen=float(u(0.2, 0.7)) if rng.random() < 0.2 else 0.0,
                          colour=str(rng.choice(["rct", "lct", "mkl", "idt", "sot", "none"],
                                                p=[0.45, 0.1, 0.15, 0.1, 0.1, 0.1])),
                          colour_mix=1.0, paste="mesh", erode=float(u(-1, 4)), blur=float(u(1.5, 8)),
                          forehead=float(u(0.0, 0.3)) if full_face else float(u(0.6, 1.0)),
                          face="target" if rng.random() < 0.5 else "donor", **common)
    raise ValueError(f"unknown recipe {recipe!r}; choose from {RECIPES}")


def jitter(p: SwapParams, rng: np.random.Generator) -> SwapParams:
    """The clip's parameters as one frame renders them: a live swap's mask and blend wobble from frame to frame."""
    return replace(p, opacity=float(np.clip(p.opacity + rng.normal(0, 0.02), 0.6, 1.0)),
                   blur=float(p.blur * rng.uniform(0.9, 1.1)), erode=float(p.erode + rng.normal(0, 0.5)),
                   colour_mix=float(np.clip(p.colour_mix + rng.normal(0, 0.05), 0, 1)))
