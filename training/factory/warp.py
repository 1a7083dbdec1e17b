"""Moves a face onto another face's mesh (piecewise affine over Delaunay triangles) and draws masks from a mesh."""

from __future__ import annotations

import cv2
import numpy as np

from training.factory.mesh import BROWS, FACE_OVAL, INNER_LIPS


def triangle_affines(src_pts: np.ndarray, dst_pts: np.ndarray, tris: np.ndarray) -> np.ndarray:
    """(T, 2, 3) affine maps from each destination triangle to its source triangle."""
    dst = np.concatenate([dst_pts[tris], np.ones((len(tris), 3, 1), np.float64)], axis=2)  # (T, 3, 3)
    src = src_pts[tris].astype(np.float64)  # (T, 3, 2)
    ok = np.abs(np.linalg.det(dst)) > 1e-6
    out = np.zeros((len(tris), 2, 3))
    out[ok] = np.linalg.solve(dst[ok], src[ok]).transpose(0, 2, 1)
    return out


def piecewise_affine(src: np.ndarray, src_pts: np.ndarray, dst_pts: np.ndarray, tris: np.ndarray,
                     shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """`src` warped so that its `src_pts` land on `dst_pts`, triangle by triangle, into an image of `shape`; and the
    bool mask of the pixels that a triangle covers."""
    h, w = shape
    owner = np.full((h, w), -1, np.int32)
    for k, t in enumerate(tris):
        cv2.fillConvexPoly(owner, np.round(dst_pts[t]).astype(np.int32), int(k))
    covered = owner >= 0
    maps = triangle_affines(src_pts, dst_pts, tris)[np.maximum(owner, 0)]  # (h, w, 2, 3)
    ys, xs = np.mgrid[:h, :w].astype(np.float32)
    mx = (maps[..., 0, 0] * xs + maps[..., 0, 1] * ys + maps[..., 0, 2]).astype(np.float32)
    my = (maps[..., 1, 0] * xs + maps[..., 1, 1] * ys + maps[..., 1, 2]).astype(np.float32)
    mx[~covered], my[~covered] = xs[~covered], ys[~covered]
    out = cv2.remap(src, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return out, covered


def face_outline(mesh: np.ndarray, forehead: float = 1.0) -> np.ndarray:
    """The face's outline polygon; `forehead` < 1 pulls the points above the brows down towards them (0: brow line),
    as masks that leave the forehead out do."""
    pts = mesh[FACE_OVAL].astype(np.float32).copy()
    if forehead < 1.0:
        brow_y = mesh[BROWS, 1].min()
        above = pts[:, 1] < brow_y
        pts[above, 1] = brow_y + (pts[above, 1] - brow_y) * forehead
    return pts


def mesh_mask(shape: tuple[int, int], mesh: np.ndarray, forehead: float = 1.0, mouth: bool = True) -> np.ndarray:
    """Hard float32 mask (0/1) of the face inside its mesh outline; without the mouth opening if not `mouth`."""
    mask = np.zeros(shape, np.float32)
    cv2.fillPoly(mask, [np.round(face_outline(mesh, forehead)).astype(np.int32)], 1.0)
    if not mouth:
        cv2.fillPoly(mask, [np.round(mesh[INNER_LIPS]).astype(np.int32)], 0.0)
    return mask


def erode_blur(mask: np.ndarray, erode_px: float, blur_sigma: float) -> np.ndarray:
    """DeepFaceLive's mask treatment: erode (negative: dilate) by a 3×3 ellipse `erode_px` times, then feather with
    a Gaussian of `blur_sigma` px."""
    n = int(round(abs(erode_px)))
    if n:
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
        mask = (cv2.erode if erode_px > 0 else cv2.dilate)(mask, kernel, iterations=n)
    if blur_sigma > 0.3:
        mask = cv2.GaussianBlur(mask, (0, 0), blur_sigma)
    return np.clip(mask, 0, 1)
