"""Fits the animated-photo detector (assets/models/animation.json) on train only: window features of the real train
clips (and the DeepFaceLive swaps, which are not animated photos) against train photos animated here with the motion
of those real clips (training/animate.py). The alert threshold sits above every real train window.

    nice -n 10 .venv/bin/python -m training.fit_animation ../shared/data/manifest.csv --part real      # these two may run
    nice -n 10 .venv/bin/python -m training.fit_animation ../shared/data/manifest.csv --part animated  # at the same time
    nice -n 10 .venv/bin/python -m training.fit_animation ../shared/data/manifest.csv --part fit
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import numpy as np

from detectors.animation import FEATURES, AnimationModel, AnimationProbe, MotionSample, window_features
from detectors.assets import assets_dir
from detectors.face_detection import MtcnnFaceDetector
from detectors.fusion import fit_logistic
from detectors.identity import FaceEmbedder
from detectors.media import iter_frames, read_image
from training.animate import FPS, Degradation, StillMesher, animate_photo, photo_mesh

WINDOW_S, MIN_S, STEP_S = 4.0, 2.5, 1.0
# Left out: how much the face changes between frames. In the animated photos made here it mostly measures the
# driving mesh's jitter that the warp copies, an artefact of this factory rather than of animation generators.
FIT_FEATURES = tuple(f for f in FEATURES if f != "motion_energy")


def clip_samples(frames: list[np.ndarray], detector: MtcnnFaceDetector, probe: AnimationProbe) -> list[MotionSample]:
    """Motion samples of the largest face, its box from MTCNN on every 5th frame as the live pipeline does."""
    probe.reset()
    box, out = None, []
    for i, rgb in enumerate(frames):
        if i % 5 == 0 or box is None:
            faces = detector.detect(rgb)
            box = max(faces, key=lambda d: d.size).box if faces else None
        if box is not None:
            s = probe.measure(rgb, box, i / FPS)
            if s is not None:
                out.append(s)
    return out


def windows(samples: list[MotionSample]) -> list[dict[str, float]]:
    out = []
    if not samples:
        return out
    end = samples[0].timestamp + MIN_S
    while end <= samples[-1].timestamp + 1e-6:
        win = [s for s in samples if end - WINDOW_S <= s.timestamp <= end]
        f = window_features(win)
        if f:
            out.append(f)
        end += STEP_S
    return out


def read_clip(path: Path, max_s: float, degrade: Degradation | None, rng: np.random.Generator) -> list[np.ndarray]:
    frames = []
    for frame in iter_frames(path, FPS):
        if frame.timestamp > max_s:
            break
        frames.append(degrade.apply(frame.pixels, rng) if degrade else frame.pixels)
    return frames


def manifest_rows(manifest: Path) -> list[dict[str, str]]:
    with open(manifest, newline="") as f:
        return [r for r in csv.DictReader(f) if r["split"] == "train"]


def _append(path: Path, rows: list[tuple[str, int, dict[str, float]]]) -> None:
    with open(path, "a") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")


def collect_real(manifest: Path, out: Path, seed: int) -> None:
    """Windows of every train clip (label 0: real clips and DeepFaceLive swaps alike), appended to `out` clip by clip;
    60 % of the clips get call-like degradations, as the animated photos do."""
    rng = np.random.default_rng(seed)
    detector = MtcnnFaceDetector("cpu", backend="onnx", assets=assets_dir())
    probe = AnimationProbe(FaceEmbedder.from_assets())
    for r in manifest_rows(manifest):
        if r["kind"] != "video":
            continue
        degrade = Degradation.draw(rng) if rng.random() < 0.6 else None
        frames = read_clip(manifest.parent / r["file"], 10.0, degrade, rng)
        _append(out, [(r["file"], 0, w) for w in windows(clip_samples(frames, detector, probe))])
        print(f"clip {r['file']}", flush=True)


def drivers_of(manifest: Path, mesher: StillMesher, frames_n: int = 70) -> list[list[np.ndarray]]:
    """The mesh of every frame of the real train clips' first seconds: the motions that animate the photos."""
    drivers = []
    for r in manifest_rows(manifest):
        if r["kind"] != "video" or r["label"] != "real":
            continue
        frames = read_clip(manifest.parent / r["file"], frames_n / FPS, None, np.random.default_rng(0))
        meshes = [m for m in (mesher(f) for f in frames) if m is not None]
        if len(meshes) >= 0.8 * len(frames) >= 40:
            drivers.append([m.astype(np.float64) for m in meshes])
    return drivers


def collect_animated(manifest: Path, out: Path, n_photos: int, seed: int) -> None:
    """Windows of train photos animated with a random real train clip's motion (label 1), appended photo by photo."""
    rng = np.random.default_rng(seed)
    detector = MtcnnFaceDetector("cpu", backend="onnx", assets=assets_dir())
    probe = AnimationProbe(FaceEmbedder.from_assets())
    mesher = StillMesher()
    drivers = drivers_of(manifest, mesher)
    print(f"{len(drivers)} driving clips", flush=True)
    photos = [r for r in manifest_rows(manifest) if r["kind"] == "image" and r["label"] == "real"]
    for r in rng.permutation(photos)[:n_photos]:
        found = photo_mesh(mesher, read_image(manifest.parent / r["file"]))
        if found is None:
            continue
        photo, pts = found
        driver = drivers[int(rng.integers(len(drivers)))]
        degrade = Degradation.draw(rng)
        frames = [degrade.apply(f, rng) for f in animate_photo(photo, pts, driver, rng)]
        _append(out, [(r["file"], 1, w) for w in windows(clip_samples(frames, detector, probe))])
        print(f"photo {r['file']}", flush=True)


def smoothed_scores(data: list[tuple[str, int, dict[str, float]]], model: AnimationModel) -> dict[tuple[str, int], list[float]]:
    """Per clip, each window's probability averaged with the windows of the preceding `smooth_s` seconds (windows are
    STEP_S apart), as AnimationEvidence smooths them live."""
    per_clip: dict[tuple[str, int], list[float]] = {}
    for source, label, f in data:
        per_clip.setdefault((source, label), []).append(model.probability(f))
    k = max(1, round(model.smooth_s / STEP_S))
    return {c: [float(np.mean(ps[max(0, i - k + 1):i + 1])) for i in range(len(ps))] for c, ps in per_clip.items()}


def fit(data: list[tuple[str, int, dict[str, float]]], note: str) -> AnimationModel:
    y = np.array([label for _, label, _ in data], float)
    n = len(FIT_FEATURES)
    probe = AnimationModel(FIT_FEATURES, (0.0,) * n, (1.0,) * n, (0.0,) * n, 0.0, 0.5)
    x = np.array([probe.vector(f) for _, _, f in data])
    mean, scale = x.mean(0), x.std(0) + 1e-6
    coef, bias = fit_logistic((x - mean) / scale, y)
    model = AnimationModel(FIT_FEATURES, tuple(mean.tolist()), tuple(scale.tolist()), tuple(coef.tolist()), bias, 0.5,
                           WINDOW_S, MIN_S, note=note)
    smoothed = smoothed_scores(data, model)
    # As the swap model's: the 99th percentile of the real train clips' (smoothed) evidence, never below 0.5.
    real = [p for (_, label), ps in smoothed.items() if label == 0 for p in ps]
    threshold = float(np.clip(np.quantile(real, 0.99), 0.5, 0.98))
    for label, name in ((0, "real train clips"), (1, "animated train photos")):
        clips = [ps for (_, lab), ps in smoothed.items() if lab == label]
        print(f"threshold {threshold:.4f}: {sum(max(ps) >= threshold for ps in clips)}/{len(clips)} {name} alerted")
    return AnimationModel(model.features, model.mean, model.scale, model.coef, model.bias, round(threshold, 4),
                          WINDOW_S, MIN_S, note=note)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("manifest", type=Path)
    ap.add_argument("--part", choices=("real", "animated", "fit"), required=True,
                    help="collect the real clips' windows, collect the animated photos' windows (both can run at once), "
                         "or fit on what was collected")
    ap.add_argument("--out", type=Path, default=Path("assets/models/animation.json"))
    ap.add_argument("--cache", type=Path, default=Path("runs/animation"), help="where the windows are collected")
    ap.add_argument("--photos", type=int, default=120)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    real, animated = args.cache / "real.jsonl", args.cache / "animated.jsonl"
    if args.part == "real":
        collect_real(args.manifest, real, args.seed)
        return
    if args.part == "animated":
        collect_animated(args.manifest, animated, args.photos, args.seed + 1)
        return
    data = [tuple(json.loads(line)) for path in (real, animated) for line in path.read_text().splitlines()]
    note = (f"train only: {sum(1 for d in data if d[1] == 0)} windows of {len({d[0] for d in data if d[1] == 0})} train "
            f"clips, {sum(1 for d in data if d[1] == 1)} windows of {len({d[0] for d in data if d[1] == 1})} train photos "
            f"animated here (training/animate.py); seed {args.seed}")
    fit(data, note).save(args.out)
    print(f"wrote {args.out}: {note}")


if __name__ == "__main__":
    main()
