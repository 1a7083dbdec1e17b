"""MTCNN without torch: facenet-pytorch's P-, R- and O-Net exported to ONNX, run with onnxruntime, and its
`detect_face` steps redone in numpy (torch's "area" resampling exactly, OpenCV's NMS in place of torchvision's).

Follows facenet_pytorch.models.utils.detect_face step by step so that both runtimes find the same faces.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from detectors.assets import verified_path
from detectors.runtime import onnx_session

MTCNN_ONNX = ("models/mtcnn-pnet.onnx", "models/mtcnn-rnet.onnx", "models/mtcnn-onet.onnx")  # under assets/
THRESHOLDS = (0.6, 0.7, 0.7)  # facenet-pytorch's defaults per stage
FACTOR = 0.709


def _bins(start: int, length: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """torch's adaptive-pooling bins: bin i of n over `length` spans [floor(i·L/n), ceil((i+1)·L/n)), from `start`."""
    i = np.arange(n)
    return start + (i * length) // n, start - ((-(i + 1) * length) // n)


class AreaSampler:
    """torch's `interpolate(mode="area")` (adaptive average pooling) of any rectangle of one image, exactly, from
    its integral image: every pyramid level and every crop of a frame reads the same table."""

    def __init__(self, rgb: np.ndarray) -> None:
        self.table = cv2.integral(np.ascontiguousarray(rgb), sdepth=cv2.CV_64F)  # (H+1)×(W+1)×3 box sums
        self.shape = rgb.shape[:2]

    def resize(self, y0: int, y1: int, x0: int, x1: int, out_h: int, out_w: int) -> np.ndarray:
        """Rows y0:y1 and columns x0:x1 area-resampled to out_h×out_w, as float32 pixels."""
        ys, ye = _bins(y0, y1 - y0, out_h)
        xs, xe = _bins(x0, x1 - x0, out_w)
        cols = self.table[:, x0:x1 + 1]
        rows = cols.take(ye, axis=0) - cols.take(ys, axis=0)  # out_h × (columns + 1) × 3
        sums = rows.take(xe - x0, axis=1) - rows.take(xs - x0, axis=1)
        count = np.outer(ye - ys, xe - xs)[:, :, None]
        return (sums / count).astype(np.float32)


def _normalise(batch: np.ndarray) -> np.ndarray:
    """N×H×W×3 float pixels to the networks' N×3×H×W input."""
    return np.ascontiguousarray(((batch - 127.5) * 0.0078125).transpose(0, 3, 1, 2), dtype=np.float32)


def nms(boxes: np.ndarray, scores: np.ndarray, threshold: float) -> np.ndarray:
    """Indices kept by IoU non-maximum suppression, best first (OpenCV's, as torchvision's `nms` does it)."""
    if len(boxes) == 0:
        return np.zeros(0, np.int64)
    xywh = [(float(b[0]), float(b[1]), float(b[2] - b[0]), float(b[3] - b[1])) for b in boxes]
    keep = cv2.dnn.NMSBoxes(xywh, [float(s) for s in scores], 0.0, threshold)
    return np.asarray(keep, np.int64).reshape(-1)


def nms_min(boxes: np.ndarray, scores: np.ndarray, threshold: float) -> np.ndarray:
    """facenet-pytorch's last NMS: overlap over the smaller box ("Min"), pixel-inclusive areas."""
    x1, y1, x2, y2 = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
    area = (x2 - x1 + 1) * (y2 - y1 + 1)
    order, keep = np.argsort(scores), []
    while order.size > 0:
        i, rest = order[-1], order[:-1]
        keep.append(i)
        w = np.maximum(0.0, np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest]) + 1)
        h = np.maximum(0.0, np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest]) + 1)
        order = rest[w * h / np.minimum(area[i], area[rest]) <= threshold]
    return np.asarray(keep, np.int64)


def square(boxes: np.ndarray) -> np.ndarray:
    """facenet-pytorch's `rerec`: each box grown to a square around its centre."""
    out = boxes.copy()
    w, h = boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]
    side = np.maximum(w, h)
    out[:, 0] = boxes[:, 0] + w * 0.5 - side * 0.5
    out[:, 1] = boxes[:, 1] + h * 0.5 - side * 0.5
    out[:, 2:4] = out[:, :2] + side[:, None]
    return out


def regress(boxes: np.ndarray, reg: np.ndarray) -> np.ndarray:
    """facenet-pytorch's `bbreg`: the network's box corrections, in pixel-inclusive widths."""
    out = boxes.copy()
    w = boxes[:, 2] - boxes[:, 0] + 1
    h = boxes[:, 3] - boxes[:, 1] + 1
    out[:, :4] = boxes[:, :4] + reg[:, :4] * np.stack([w, h, w, h], 1)
    return out


def crops(img: AreaSampler, boxes: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """`size`² crops of the boxes (clipped to the image, not padded) and which boxes gave one."""
    h, w = img.shape
    b = np.trunc(boxes[:, :4]).astype(np.int32)
    x, y = np.maximum(b[:, 0], 1), np.maximum(b[:, 1], 1)
    ex, ey = np.minimum(b[:, 2], w), np.minimum(b[:, 3], h)
    ok = (ey > y - 1) & (ex > x - 1)
    out = [img.resize(y[k] - 1, ey[k], x[k] - 1, ex[k], size, size) for k in np.flatnonzero(ok)]
    return (np.stack(out) if out else np.zeros((0, size, size, 3), np.float32)), ok


class OnnxMtcnn:
    """MTCNN.detect(img, landmarks=True) of facenet-pytorch (keep_all, select_largest) on onnxruntime."""

    def __init__(self, assets: Path, min_face_size: int = 20, threads: int = 1) -> None:
        self.min_face_size = min_face_size
        self.pnet, self.rnet, self.onet = (onnx_session(verified_path(assets, name), threads) for name in MTCNN_ONNX)

    def detect(self, rgb: np.ndarray, landmarks: bool = True) -> tuple:
        """(boxes N×4, probs N, points N×5×2) largest first, or (None, [None], None) when no face is found."""
        img = AreaSampler(rgb)
        boxes = self._proposals(img)
        if len(boxes):
            boxes = self._refine(img, boxes)
        points = np.zeros((0, 5, 2), np.float32)
        if len(boxes):
            boxes, points = self._output(img, boxes)
        if len(boxes) == 0:
            return None, [None], None
        order = np.argsort((boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]))[::-1]
        return boxes[order, :4], boxes[order, 4], points[order]

    def _scales(self, h: int, w: int) -> list[float]:
        m = 12.0 / self.min_face_size
        minl, scale, scales = min(h, w) * m, m, []
        while minl >= 12:
            scales.append(scale)
            scale, minl = scale * FACTOR, minl * FACTOR
        return scales

    def _proposals(self, img: AreaSampler) -> np.ndarray:
        """Stage 1: P-Net over the image pyramid; rows are x1, y1, x2, y2, score."""
        h, w = img.shape
        found = []
        for scale in self._scales(h, w):
            data = _normalise(img.resize(0, h, 0, w, int(h * scale + 1), int(w * scale + 1))[None])
            reg, probs = self.pnet.run(None, {"input": data})
            ys, xs = np.nonzero(probs[0, 1] >= THRESHOLDS[0])  # row-major, as torch's nonzero
            q1 = np.floor((2 * np.stack([xs, ys], 1) + 1) / scale)
            q2 = np.floor((2 * np.stack([xs, ys], 1) + 12) / scale)
            b = np.concatenate([q1, q2, probs[0, 1, ys, xs][:, None], reg[0][:, ys, xs].T], 1)
            found.append(b[nms(b[:, :4], b[:, 4], 0.5)])
        boxes = np.concatenate(found) if found else np.zeros((0, 9))
        boxes = boxes[nms(boxes[:, :4], boxes[:, 4], 0.7)]
        w_, h_ = boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]
        shifted = boxes[:, :4] + boxes[:, 5:9] * np.stack([w_, h_, w_, h_], 1)
        return square(np.concatenate([shifted, boxes[:, 4:5]], 1))

    def _refine(self, img: AreaSampler, boxes: np.ndarray) -> np.ndarray:
        """Stage 2: R-Net rescores and corrects each proposal."""
        data, ok = crops(img, boxes, 24)
        if len(data) == 0:
            return np.zeros((0, 5))
        reg, probs = self.rnet.run(None, {"input": _normalise(data)})
        boxes = boxes[ok]
        keep = probs[:, 1] > THRESHOLDS[1]
        boxes = np.concatenate([boxes[keep, :4], probs[keep, 1:2]], 1)
        reg = reg[keep]
        pick = nms(boxes[:, :4], boxes[:, 4], 0.7)
        return square(regress(boxes[pick], reg[pick]))

    def _output(self, img: AreaSampler, boxes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Stage 3: O-Net's final score, box and the 5 landmarks."""
        data, ok = crops(img, boxes, 48)
        if len(data) == 0:
            return np.zeros((0, 5)), np.zeros((0, 5, 2), np.float32)
        reg, pts, probs = self.onet.run(None, {"input": _normalise(data)})
        boxes = boxes[ok]
        keep = probs[:, 1] > THRESHOLDS[2]
        boxes = np.concatenate([boxes[keep, :4], probs[keep, 1:2]], 1)
        reg, pts = reg[keep], pts[keep]
        w = boxes[:, 2] - boxes[:, 0] + 1
        h = boxes[:, 3] - boxes[:, 1] + 1
        px = w[:, None] * pts[:, :5] + boxes[:, 0:1] - 1
        py = h[:, None] * pts[:, 5:10] + boxes[:, 1:2] - 1
        points = np.stack([px, py], 2)
        boxes = regress(boxes, reg)
        pick = nms_min(boxes[:, :4], boxes[:, 4], 0.7)
        return boxes[pick], points[pick].astype(np.float32)
