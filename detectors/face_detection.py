"""Face detection with MTCNN (the detector of record): whole frames (downscaled) and cheap re-detection near a known
face. The networks run on facenet-pytorch (torch backend) or on their ONNX export (onnx backend, no torch)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np

from detectors.assets import assets_dir
from detectors.mtcnn import OnnxMtcnn
from detectors.records import Box, FaceDetection

if TYPE_CHECKING:
    import torch

# MTCNN's minimum face size is in the (downscaled) image it sees; 20 px is its practical floor.
MIN_FACE_PX = 20


def facenet_mtcnn(device: torch.device | str) -> object:
    """facenet-pytorch's MTCNN on `device`; its weights ship inside the wheel."""
    import torch
    from facenet_pytorch import MTCNN

    return MTCNN(keep_all=True, device=torch.device(device), min_face_size=MIN_FACE_PX, post_process=False)


class MtcnnFaceDetector:
    """Finds faces with their 5 landmarks; `backend` "torch" (facenet-pytorch) or "onnx" (verified files in `assets`)."""

    def __init__(
        self,
        device: torch.device | str = "cpu",
        max_side: int = 640,
        min_face_px: int = 40,
        min_confidence: float = 0.92,
        backend: str = "torch",
        assets: Path | None = None,
        threads: int = 1,
    ) -> None:
        if max_side < 64:
            raise ValueError(f"max_side={max_side} is too small to find faces; use 320 or more")
        self.max_side = max_side
        self.min_face_px = min_face_px
        self.min_confidence = min_confidence
        if backend == "onnx":
            self._mtcnn = OnnxMtcnn(assets or assets_dir(), min_face_size=MIN_FACE_PX, threads=threads)
        elif backend == "torch":
            self._mtcnn = facenet_mtcnn(device)
        else:
            raise ValueError(f"unknown backend {backend!r}; choose 'torch' or 'onnx'")
        self.backend = backend

    def detect(self, rgb: np.ndarray) -> list[FaceDetection]:
        """All faces in a whole frame; large frames are downscaled to `max_side` first for speed."""
        h, w = rgb.shape[:2]
        scale = min(1.0, self.max_side / max(h, w))
        small = cv2.resize(rgb, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA) if scale < 1 else rgb
        return self._run(small, 1.0 / scale, (0.0, 0.0))

    def detect_near(self, rgb: np.ndarray, box: Box, context: float = 0.6) -> FaceDetection | None:
        """Re-detect the face around `box` on a small region: the tracker's step between full detections."""
        h, w = rgb.shape[:2]
        x1, y1, x2, y2 = box
        bw, bh = x2 - x1, y2 - y1
        rx1, ry1 = max(0, int(x1 - context * bw)), max(0, int(y1 - context * bh))
        rx2, ry2 = min(w, int(x2 + context * bw)), min(h, int(y2 + context * bh))
        if rx2 - rx1 < 16 or ry2 - ry1 < 16:
            return None
        region = rgb[ry1:ry2, rx1:rx2]
        # The face fills ~1/2.2 of the region; 160 px across keeps MTCNN's pyramid short.
        scale = min(1.0, 160.0 / max(region.shape[:2]))
        if scale < 1:
            region = cv2.resize(region, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        # Only faces of at least half the known one's size: a shorter pyramid (fewer P-Net scales and proposals)
        # costs a third as much; a face that shrank more than that is found by the whole-region detection instead.
        min_face = max(MIN_FACE_PX, int(0.5 * min(bw, bh) * scale))
        found = self._run(region, 1.0 / scale, (float(rx1), float(ry1)), min_face)
        if not found:
            return None
        cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
        return min(found, key=lambda d: (d.box[0] + d.box[2] - 2 * cx) ** 2 + (d.box[1] + d.box[3] - 2 * cy) ** 2)

    def _run(self, rgb: np.ndarray, scale: float, offset: tuple[float, float],
             min_face: int = MIN_FACE_PX) -> list[FaceDetection]:
        if min(rgb.shape[:2]) < 12:
            return []
        self._mtcnn.min_face_size = min_face  # both runtimes read it per call to build the image pyramid
        boxes, probs, points = self._mtcnn.detect(np.ascontiguousarray(rgb), landmarks=True)
        if boxes is None:
            return []
        ox, oy = offset
        found = []
        for b, p, lm in zip(boxes, probs, points):
            if p is None or p < self.min_confidence:
                continue
            box = (b[0] * scale + ox, b[1] * scale + oy, b[2] * scale + ox, b[3] * scale + oy)
            det = FaceDetection(
                box=tuple(float(v) for v in box),
                confidence=float(p),
                landmarks=(lm * scale + np.array([ox, oy])).astype(np.float32),
            )
            if det.size >= self.min_face_px:
                found.append(det)
        return found
