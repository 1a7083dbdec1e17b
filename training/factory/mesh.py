"""The 478-point MediaPipe face mesh of a face crop, from the face_mesh model bundled in mediapipe's wheel (offline)."""

from __future__ import annotations

import cv2
import numpy as np

from detectors.face_mesh import import_mediapipe

# The face outline of the mesh, in order around the face (MediaPipe FACEMESH_FACE_OVAL).
FACE_OVAL = [10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176,
             149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109]
# Upper edge of both eyebrows: where DeepFaceLab's "full face" masks stop when the forehead is left out.
BROWS = [70, 63, 105, 66, 107, 336, 296, 334, 293, 300]
IRISES = [468, 473]
# Inner lip contour, in order: the mouth opening, whose teeth and tongue a generator takes from the target's frame.
INNER_LIPS = [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95]
N_POINTS = 478


class FaceMesher:
    """Finds the dense mesh of the main face of an RGB image; None when it finds no face or another face than the
    one whose eyes are given."""

    def __init__(self, min_confidence: float = 0.3) -> None:
        mp = import_mediapipe()  # the engine's offline import (no matplotlib needed)
        self._mesh = mp.solutions.face_mesh.FaceMesh(static_image_mode=True, max_num_faces=1, refine_landmarks=True,
                                                     min_detection_confidence=min_confidence)

    def __call__(self, rgb: np.ndarray, eyes: np.ndarray | None = None) -> np.ndarray | None:
        result = self._mesh.process(np.ascontiguousarray(rgb))
        if not result.multi_face_landmarks:
            return None
        h, w = rgb.shape[:2]
        pts = np.array([(p.x * w, p.y * h) for p in result.multi_face_landmarks[0].landmark], np.float32)
        if eyes is not None and not _same_eyes(pts[IRISES], np.asarray(eyes, np.float32)):
            return None
        return pts

    def close(self) -> None:
        self._mesh.close()


def _same_eyes(irises: np.ndarray, eyes: np.ndarray) -> bool:
    """Whether the mesh's irises sit on the given eye landmarks (in either order), within a quarter eye distance."""
    span = float(np.linalg.norm(eyes[0] - eyes[1]))
    direct = np.linalg.norm(irises - eyes, axis=1).max()
    swapped = np.linalg.norm(irises[::-1] - eyes, axis=1).max()
    return min(direct, swapped) < 0.25 * span


def triangulate(points: np.ndarray) -> np.ndarray:
    """Delaunay triangles of `points` as (T, 3) vertex indices."""
    lo, hi = points.min(0) - 2, points.max(0) + 2
    subdiv = cv2.Subdiv2D((int(lo[0]), int(lo[1]), int(hi[0] - lo[0]) + 2, int(hi[1] - lo[1]) + 2))
    subdiv.insert([(float(x), float(y)) for x, y in points])
    tri = subdiv.getTriangleList().reshape(-1, 3, 2)
    # Map each corner back to the nearest input point; Subdiv2D returns the input coordinates themselves.
    d = np.linalg.norm(tri[:, :, None, :] - points[None, None], axis=3)
    idx = d.argmin(2)
    ok = (d.min(2) < 0.5).all(1) & (idx[:, 0] != idx[:, 1]) & (idx[:, 1] != idx[:, 2]) & (idx[:, 0] != idx[:, 2])
    return idx[ok].astype(np.int32)
