"""Crops of faces at the frame's edge: padded with a constant, never with a mirrored copy of the head."""

import cv2
import numpy as np
import pytest

from detectors.alignment import PAD_VALUE, align_face, padded_mask

# 5 landmarks (eyes, nose, mouth corners) of a face `scale` px between the eyes, centred at (cx, cy).
_UNIT = np.array([[-0.5, -0.4], [0.5, -0.4], [0.0, 0.1], [-0.4, 0.6], [0.4, 0.6]], np.float32)


def _frame(h: int = 360, w: int = 480) -> np.ndarray:
    """A frame with no pixel equal to PAD_VALUE and a left-right gradient, so a mirror would show."""
    rng = np.random.default_rng(0)
    grad = np.linspace(60, 250, w, dtype=np.float32)[None, :, None]
    return np.clip(grad + rng.normal(0, 3, (h, w, 3)), 30, 255).astype(np.uint8)


@pytest.mark.parametrize("eye_distance", [40.0, 160.0])  # 160 px takes the area-shrink path
def test_face_at_the_left_edge_is_padded_not_mirrored(eye_distance):
    frame = _frame(360, 640)
    landmarks = _UNIT * eye_distance + np.array([eye_distance * 1.5, 180], np.float32)
    crop = align_face(frame, landmarks, 224, 1.5)
    mask = padded_mask(frame.shape, landmarks, 224, 1.5)
    assert 0.1 < mask.mean() < 0.6, "the face should sit partly past the frame's left edge"
    # Every padded pixel (but the 1-px band that bilinear sampling blends with the frame's edge) holds the pad
    # value; a reflected border holds mirrored frame pixels there.
    deep = cv2.erode(mask.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    assert deep.sum() > 0.5 * mask.sum()
    assert np.all(crop[deep] == PAD_VALUE)
    # And what came from inside the frame (away from the blended edge) is frame content, never the pad.
    inside = ~mask
    inside[:, : int(np.argmax(inside.any(0))) + 3] = False
    assert crop[inside].min() > PAD_VALUE + 10


def test_face_inside_the_frame_has_no_padding():
    frame = _frame()
    landmarks = _UNIT * 40 + np.array([240, 180], np.float32)
    assert not padded_mask(frame.shape, landmarks, 224, 1.5).any()
    assert align_face(frame, landmarks, 224, 1.5).min() > PAD_VALUE
