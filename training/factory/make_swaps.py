"""`callshield make-swaps`: factory fakes for training, rendered from the real crops of an extract-crops file.

    callshield make-swaps --crops cache/crops-train-aa.npz --out cache/factory-aa.npz --threads 2

Every real item (photo or clip) of the crops file becomes the target of one swapped item: a donor item of another
footage group (so of another person) gives the face, one recipe and its parameters are drawn per item, and each frame
jitters them. A clip's frames take the donor's frames in order (a donor photo serves every frame). Each fake records
its target crop, donor crop, recipe and parameters, so training can keep validation groups out of both roles.

The `autoencoder` recipe needs the generator that `python -m training.factory.autoencoder` trains on the same crops
file (`--autoencoder cache/face-ae.pt`); given one, it joins the default mix. A recipe named twice in `--recipes` is
drawn twice as often.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from multiprocessing import Pool
from pathlib import Path

import cv2
import numpy as np

from training.factory.mesh import N_POINTS, FaceMesher, triangulate
from training.factory.recipes import GENERATOR_RECIPES, RECIPES, draw_params, jitter
from training.factory.render import Generator, render_swap


def mesh_all(crops: np.ndarray, landmarks: np.ndarray, which: np.ndarray) -> np.ndarray:
    """(N, 478, 2) meshes of the crops listed in `which` (NaN where none or another face was found)."""
    meshes = np.full((len(crops), N_POINTS, 2), np.nan, np.float32)
    mesher = FaceMesher()
    t0 = time.time()
    for n, i in enumerate(which):
        found = mesher(crops[i], eyes=landmarks[i][:2])
        if found is not None:
            meshes[i] = found
        if n % 500 == 0:
            print(f"mesh {n}/{len(which)} {time.time() - t0:.0f}s", file=sys.stderr)
    mesher.close()
    return meshes


def plan_items(item: np.ndarray, groups: np.ndarray, usable: np.ndarray, recipes: list[str],
               seed: int) -> list[tuple[int, int, str]]:
    """(target item, donor item, recipe) for every item with usable crops; the donor from another footage group."""
    items = np.unique(item[usable])
    plan = []
    for t in items:
        rng = np.random.default_rng((seed, int(t)))
        donors = items[groups[items] != groups[t]]
        plan.append((int(t), int(rng.choice(donors)), str(rng.choice(recipes))))
    return plan


_DATA: dict[str, np.ndarray] = {}  # the crops file's arrays, shared with forked workers
_GENERATOR: dict[str, Generator] = {}  # the trained generators by recipe, shared with forked workers
_AE_DETAIL: list[float] = []  # with --autoencoder-detail: the (low, high) share of fine detail kept, drawn per item


def frame_scale(face_px: float, size: int, margin: float) -> float:
    """How much smaller the face was in its frame than in the crop (1: not smaller). MTCNN's box is about the
    ArcFace crop's face, 0.89 of the template's 112 px."""
    return float(min(1.0, face_px / (size / margin * 0.89)))


def swap_item(job: tuple[int, int, str, int]) -> list[tuple[np.ndarray, int, int, dict]]:
    """The swapped frames of one target item: (fake crop, target crop index, donor crop index, parameters)."""
    target, donor, recipe, seed = job
    d = _DATA
    rng = np.random.default_rng((seed, target, 1))
    params = draw_params(recipe, rng)
    if recipe == "autoencoder" and _AE_DETAIL:  # drawn only when asked for, so files made without it reproduce
        params = replace(params, detail=float(rng.uniform(*_AE_DETAIL)))
    has_mesh = ~np.isnan(d["meshes"][:, 0, 0])
    tgt = np.flatnonzero((d["item"] == target) & has_mesh)
    tgt = tgt[np.argsort(d["frame"][tgt])]
    dn = np.flatnonzero((d["item"] == donor) & has_mesh)
    dn = dn[np.argsort(d["frame"][dn])]
    start = int(rng.integers(len(dn)))
    tris = triangulate(d["meshes"][tgt[0]])
    size, margin = int(d["size"]), float(d["margin"])
    out = []
    for k, ti in enumerate(tgt):
        di = int(dn[(start + k) % len(dn)])
        p = jitter(params, rng)
        fake, _ = render_swap(p, d["crops"][ti], d["landmarks"][ti], d["meshes"][ti], d["crops"][di],
                              d["meshes"][di], tris, rng, frame_scale(float(d["face_px"][ti]), size, margin),
                              _GENERATOR.get(recipe))
        out.append((fake, int(ti), di, p.to_dict()))
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--crops", type=Path, default=Path("cache/crops-train-aa.npz"))
    ap.add_argument("--out", type=Path, default=Path("cache/factory-aa.npz"))
    ap.add_argument("--recipes", help=f"comma-separated, from {','.join(RECIPES)}; a name given twice is drawn twice "
                    "as often (default: all, the autoencoder only with --autoencoder)")
    ap.add_argument("--autoencoder", type=Path, help="the autoencoder recipe's generator, trained on this crops file "
                    "by `python -m training.factory.autoencoder`")
    ap.add_argument("--autoencoder-detail", type=float, nargs=2, metavar=("LOW", "HIGH"),
                    help="keep this share (drawn per item) of the face's fine detail through the autoencoder: a "
                         "sharper generator than the 13-minute autoencoder itself (default: none)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1, help="worker processes")
    a = ap.parse_args(argv)
    cv2.setNumThreads(1)
    recipes = a.recipes.split(",") if a.recipes else [r for r in RECIPES if r not in GENERATOR_RECIPES or a.autoencoder]
    if unknown := set(recipes) - set(RECIPES):
        ap.error(f"unknown recipes {sorted(unknown)}; choose from {','.join(RECIPES)}")
    if "autoencoder" in recipes:
        if a.autoencoder is None:
            ap.error("the autoencoder recipe needs --autoencoder (python -m training.factory.autoencoder trains one)")
        import torch

        from training.factory.autoencoder import FaceRenderer

        torch.set_num_threads(1)  # one per worker process
        _GENERATOR["autoencoder"] = FaceRenderer.load(a.autoencoder)
        _AE_DETAIL[:] = a.autoencoder_detail or []
    d = dict(np.load(a.crops))
    real = d["labels"][d["item"]] == "real"
    t0 = time.time()
    d["meshes"] = mesh_all(d["crops"], d["landmarks"], np.flatnonzero(real))
    usable = real & ~np.isnan(d["meshes"][:, 0, 0])
    print(f"meshes for {usable.sum()} of {real.sum()} real crops, {time.time() - t0:.0f}s", file=sys.stderr)
    _DATA.update(d)
    plan = plan_items(d["item"], d["groups"], usable, recipes, a.seed)
    with Pool(a.threads) as pool:
        results = [r for batch in pool.imap(swap_item, [(*job, a.seed) for job in plan], chunksize=4) for r in batch]
    recipe_of = [r[3]["recipe"] for r in results]
    np.savez(a.out, crops=np.stack([r[0] for r in results]), target=np.array([r[1] for r in results]),
             donor=np.array([r[2] for r in results]), recipe=np.array(recipe_of),
             params=np.array([json.dumps(r[3]) for r in results]), source_crops=str(a.crops), seed=a.seed,
             autoencoder=str(a.autoencoder or ""))
    counts = {k: recipe_of.count(k) for k in sorted(set(recipe_of))}
    print(f"wrote {a.out}: {len(results)} fakes from {len(plan)} items {counts} in {time.time() - t0:.0f}s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
