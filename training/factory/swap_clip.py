"""A factory swap of a whole video clip (training and measuring only, never shipped): every analysed frame of a real
clip gets a donor photo's face by one recipe of `recipes.py`, its parameters drawn once for the clip and jittered per
frame, and the result is written as an H.264 clip at the analysis rate.

What a live tool does where it loses the face (the mesh not found: a profile, a hand across the face), this does too:
the frame passes through unswapped. Where the mesh is still found over a hand, the donor's face is painted over it, as
a swapper without an occlusion mask does.

    python -m training.factory.swap_clip CLIP DONOR_PHOTO OUT.mp4 --recipe dfl --seed 1
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from detectors.face_detection import MtcnnFaceDetector
from detectors.media import iter_frames, probe, read_image
from detectors.records import FaceDetection
from training.factory.mesh import FaceMesher, triangulate
from training.factory.recipes import GENERATOR_RECIPES, RECIPES, SwapParams, draw_params, jitter
from training.factory.render import render_swap

REGION_GROWTH = 2.2  # the face box grown to the square region the swap is rendered in (room for mask blur)
DONOR_FACE_PX = 200  # the donor photo's face is brought to about this size


@dataclass(frozen=True)
class SwappedClip:
    """What `swap_clip` wrote: frames in all, and how many of them were swapped (the rest passed through)."""

    path: Path
    frames: int
    swapped: int
    recipe: str
    params: dict


def _largest(faces: list[FaceDetection]) -> FaceDetection | None:
    return max(faces, key=lambda f: f.size, default=None)


def _region(box: tuple[float, float, float, float], shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """The square region around a face box, clipped to the frame."""
    x1, y1, x2, y2 = box
    half = REGION_GROWTH * max(x2 - x1, y2 - y1) / 2
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    h, w = shape[:2]
    return max(0, int(cx - half)), max(0, int(cy - half)), min(w, int(cx + half)), min(h, int(cy + half))


def donor_face(photo: np.ndarray, detector: MtcnnFaceDetector, mesher: FaceMesher) -> tuple[np.ndarray, np.ndarray]:
    """The donor photo's face region (its face about DONOR_FACE_PX across) and its mesh there."""
    face = _largest(detector.detect(photo))
    if face is None:
        raise ValueError("no face in the donor photo")
    rx1, ry1, rx2, ry2 = _region(face.box, photo.shape)
    region = photo[ry1:ry2, rx1:rx2]
    scale = DONOR_FACE_PX / max(1.0, face.size)
    region = cv2.resize(region, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
    eyes = (face.landmarks[:2] - np.array([rx1, ry1], np.float32)) * scale
    mesh = mesher(region, eyes=eyes)
    if mesh is None:
        raise ValueError("no face mesh on the donor photo")
    return region, mesh


def swap_clip(clip: Path, donor_photo: Path, out: Path, recipe: str, seed: int, fps: float = 10.0,
              max_seconds: float | None = None) -> SwappedClip:
    if recipe in GENERATOR_RECIPES:
        raise ValueError(f"the {recipe!r} recipe needs a trained generator; choose one of the others")
    rng = np.random.default_rng(seed)
    params = draw_params(recipe, rng)
    detector = MtcnnFaceDetector(min_face_px=40)
    mesher = FaceMesher()
    try:
        donor, donor_mesh = donor_face(read_image(donor_photo), detector, mesher)
        tris = triangulate(donor_mesh)
        # iter_frames keeps every k-th frame; the clip is written at that rate so its timestamps stay the source's.
        native = probe(clip).fps
        rate = native / max(1, int(np.ceil(native / fps - 1e-6)))
        writer, frames, swapped = None, 0, 0
        for frame in iter_frames(clip, fps):
            if max_seconds is not None and frame.timestamp >= max_seconds:
                break
            rgb = frame.pixels
            if writer is None:
                h, w = rgb.shape[:2]
                writer = subprocess.Popen(
                    ["ffmpeg", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}",
                     "-r", f"{rate:.6g}", "-i", "-", "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-c:v", "libx264",
                     "-crf", "18", "-pix_fmt", "yuv420p", str(out)], stdin=subprocess.PIPE)
            result = _swap_frame(rgb, donor, donor_mesh, tris, params, rng, detector, mesher)
            swapped += result is not None
            frames += 1
            assert writer.stdin is not None
            writer.stdin.write(np.ascontiguousarray(rgb if result is None else result).tobytes())
    finally:
        mesher.close()
    if writer is None:
        raise ValueError(f"{clip}: no frames")
    assert writer.stdin is not None
    writer.stdin.close()
    if writer.wait() != 0:
        raise RuntimeError(f"ffmpeg could not write {out}")
    return SwappedClip(out, frames, swapped, recipe, params.to_dict())


def _swap_frame(rgb: np.ndarray, donor: np.ndarray, donor_mesh: np.ndarray, tris: np.ndarray, params: SwapParams,
                rng: np.random.Generator, detector: MtcnnFaceDetector, mesher: FaceMesher) -> np.ndarray | None:
    """The frame with its largest face swapped, or None where the tool would lose the face."""
    face = _largest(detector.detect(rgb))
    if face is None:
        return None
    rx1, ry1, rx2, ry2 = _region(face.box, rgb.shape)
    region = rgb[ry1:ry2, rx1:rx2]
    offset = np.array([rx1, ry1], np.float32)
    lm5 = face.landmarks - offset
    mesh = mesher(region, eyes=lm5[:2])
    if mesh is None:
        return None
    fake, _ = render_swap(jitter(params, rng), region, lm5, mesh, donor, donor_mesh, tris, rng)
    out = rgb.copy()
    out[ry1:ry2, rx1:rx2] = fake
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("clip", type=Path)
    ap.add_argument("donor", type=Path, help="a photo of another person")
    ap.add_argument("out", type=Path)
    ap.add_argument("--recipe", default="dfl", choices=[r for r in RECIPES if r not in GENERATOR_RECIPES])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--fps", type=float, default=10.0)
    a = ap.parse_args(argv)
    cv2.setNumThreads(1)
    r = swap_clip(a.clip, a.donor, a.out, a.recipe, a.seed, a.fps)
    print(f"{r.path}: {r.swapped} of {r.frames} frames swapped ({r.recipe})", file=sys.stderr)


if __name__ == "__main__":
    main()
