"""The crop resize that training and both runtimes share; torch-free."""

from __future__ import annotations

import cv2
import numpy as np


def resize_crop(crop: np.ndarray, size: int) -> np.ndarray:
    """An aligned crop at the network's input size, area-averaged: the one resize training and inference share."""
    return crop if crop.shape[0] == size else cv2.resize(np.ascontiguousarray(crop), (size, size), interpolation=cv2.INTER_AREA)
