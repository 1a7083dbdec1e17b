"""Animated still photos made here, for the animated-photo detector: a train photo moved with the motion of a real
train clip (a landmark-driven piecewise-affine warp of the photo over the dense mesh, like a first-order-motion
generator: the driver's head motion as a similarity, its expression as mesh offsets; the ring of hair and background
around the face dragged along; the mouth opening filled with a dark cavity or a pasted teeth band, or only stretched),
then call-like degradations (down-and-up scaling, JPEG, noise). Never made from eval-animation."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from detectors.face_mesh import import_mediapipe
from training.factory.mesh import FACE_OVAL, INNER_LIPS, triangulate
from training.factory.warp import piecewise_affine

FPS = 10.0
SUBSET = np.unique(np.r_[np.arange(0, 468, 4), FACE_OVAL, INNER_LIPS, [159, 145, 386, 374, 13, 14]])


@dataclass(frozen=True)
class Degradation:
    """What a call does to a picture: scaled down and back, JPEG-compressed, with sensor noise."""

    scale: float
    jpeg: int
    noise: float

    @staticmethod
    def draw(rng: np.random.Generator) -> Degradation:
        return Degradation(float(rng.uniform(0.45, 1.0)), int(rng.integers(35, 92)), float(rng.uniform(0.0, 3.0)))

    def apply(self, rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        h, w = rgb.shape[:2]
        out = rgb
        if self.scale < 0.98:
            small = cv2.resize(rgb, (max(16, round(w * self.scale)), max(16, round(h * self.scale))),
                               interpolation=cv2.INTER_AREA)
            out = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
        if self.noise > 0.2:
            out = np.clip(out + rng.normal(0, self.noise, out.shape), 0, 255).astype(np.uint8)
        ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, self.jpeg])
        return cv2.imdecode(buf, cv2.IMREAD_UNCHANGED) if ok else out


def driver_motion(meshes: list[np.ndarray]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per driver frame: the similarity (2×3) from the first frame's face, and the expression offsets (the frame's
    mesh mapped back by that similarity, minus the first frame's), both in the driver's pixels."""
    ref = meshes[0]
    out = []
    for pts in meshes:
        m, _ = cv2.estimateAffinePartial2D(ref[FACE_OVAL], pts[FACE_OVAL])
        if m is None:
            m = np.array([[1, 0, 0], [0, 1, 0]], np.float64)
        inv = cv2.invertAffineTransform(m)
        back = pts @ inv[:, :2].T + inv[:, 2]
        out.append((m, back - ref))
    return out


def _anchors(photo_pts: np.ndarray, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Fixed points along the image border, and a ring 1.5× around the face (hair, background near it)."""
    h, w = shape
    t = np.linspace(0, 1, 6)[:-1]
    border = np.concatenate([np.c_[t * w, np.zeros_like(t)], np.c_[np.full_like(t, w - 1), t * h],
                             np.c_[w - 1 - t * w, np.full_like(t, h - 1)], np.c_[np.zeros_like(t), h - 1 - t * h]])
    oval = photo_pts[FACE_OVAL]
    centre = oval.mean(0)
    ring = centre + 1.5 * (oval[::3] - centre)
    ring = np.clip(ring, 1, [w - 2, h - 2])
    return border.astype(np.float64), ring.astype(np.float64)


def _move(pts: np.ndarray, m: np.ndarray, centre: np.ndarray, gain: float) -> np.ndarray:
    """The driver's similarity applied about the photo's face centre, its translation scaled by `gain`."""
    a = m[:, :2]
    return (pts - centre) @ a.T + centre + gain * m[:, 2]


def _fill_mouth(frame: np.ndarray, pts: np.ndarray, style: str, rng: np.random.Generator) -> None:
    """The opened mouth as a generator without a mouth model paints it: a dark cavity or a pasted teeth band."""
    lips = np.round(pts[INNER_LIPS]).astype(np.int32)
    if style == "stretch" or cv2.contourArea(lips) < 6:
        return
    mask = np.zeros(frame.shape[:2], np.uint8)
    cv2.fillPoly(mask, [lips], 1)
    if not mask.any():  # the mouth left the picture
        return
    colour = np.array([50, 20, 25]) * rng.uniform(0.6, 1.3)
    paint = np.empty_like(frame)
    paint[:] = np.clip(colour, 0, 255).astype(np.uint8)
    if style == "teeth":
        ys = np.where(mask.any(1))[0]
        top = ys.min() + (ys.max() - ys.min()) * 0.45
        paint[: int(top)] = (225, 220, 205)
    soft = cv2.GaussianBlur(mask.astype(np.float32), (0, 0), 1.0)[..., None]
    frame[:] = (frame * (1 - soft) + paint * soft).astype(np.uint8)


def animate_photo(photo: np.ndarray, photo_pts: np.ndarray, driver: list[np.ndarray], rng: np.random.Generator,
                  ) -> list[np.ndarray]:
    """The photo moved like the driver's meshes, frame by frame (RGB, the photo's size)."""
    h, w = photo.shape[:2]
    scale_p = np.linalg.norm(photo_pts[152] - photo_pts[10])
    scale_d = max(1.0, float(np.linalg.norm(driver[0][152] - driver[0][10])))
    k = scale_p / scale_d
    border, ring = _anchors(photo_pts, (h, w))
    src = np.concatenate([photo_pts[SUBSET].astype(np.float64), ring, border])
    tris = triangulate(src.astype(np.float32))
    centre = photo_pts[FACE_OVAL].mean(0)
    ring_gain = float(rng.uniform(0.3, 1.0))  # how much of the face's motion the hair and background take
    expression = float(rng.uniform(0.7, 1.3))
    style = str(rng.choice(["dark", "teeth", "stretch"]))
    frames = []
    for m, offsets in driver_motion(driver):
        face = photo_pts + expression * k * offsets
        moved = _move(face, m, centre, k)
        ring_m = ring + ring_gain * (_move(ring, m, centre, k) - ring)
        dst = np.concatenate([moved[SUBSET], ring_m, border])
        out, _ = piecewise_affine(photo, src, dst, tris, (h, w))
        gap = np.linalg.norm(moved[13] - moved[14]) - np.linalg.norm(photo_pts[13] - photo_pts[14])
        if gap > 0.02 * scale_p:
            _fill_mouth(out, moved, style, rng)
        frames.append(out)
    return frames


class StillMesher:
    """The 478-point mesh of the main face of one picture (static mode; mediapipe imported as the engine does)."""

    def __init__(self) -> None:
        mp = import_mediapipe()
        self._mesh = mp.solutions.face_mesh.FaceMesh(static_image_mode=True, max_num_faces=1, refine_landmarks=True,
                                                     min_detection_confidence=0.3)

    def __call__(self, rgb: np.ndarray) -> np.ndarray | None:
        found = self._mesh.process(np.ascontiguousarray(rgb))
        if not found.multi_face_landmarks:
            return None
        h, w = rgb.shape[:2]
        return np.array([(p.x * w, p.y * h) for p in found.multi_face_landmarks[0].landmark], np.float32)


def photo_mesh(mesher: StillMesher, rgb: np.ndarray, max_side: int = 420) -> tuple[np.ndarray, np.ndarray] | None:
    """The photo at most `max_side` pixels wide or tall, with its face mesh; None without a face."""
    h, w = rgb.shape[:2]
    s = min(1.0, max_side / max(h, w))
    if s < 1.0:
        rgb = cv2.resize(rgb, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)
    pts = mesher(rgb)
    return None if pts is None else (rgb, pts.astype(np.float64))
