"""Reads video and image files into `Frame`s, with errors that say what is wrong with the file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from detectors.records import Frame
from detectors.words import translate

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"}


class MediaError(Exception):
    """A file could not be read as a video or an image."""


@dataclass(frozen=True)
class MediaInfo:
    path: Path
    is_image: bool
    fps: float
    frame_count: int
    width: int
    height: int

    @property
    def duration_s(self) -> float:
        return self.frame_count / self.fps if self.fps > 0 else 0.0


def _image_signature(head: bytes) -> bool:
    """Whether leading bytes open a still-image format OpenCV decodes (JPEG, PNG, BMP, WebP, TIFF)."""
    return (
        head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*"))
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")  # AVI is RIFF too, with "AVI " there
        or (head[:2] == b"BM" and head[6:10] == b"\x00\x00\x00\x00")  # BMP's reserved field, to avoid chance matches
    )


def is_image(path: Path) -> bool:
    """Whether a file is a still image, by its content: names lie (a photo saved as .mp4, a JPEG without suffix).

    Content that no image format claims is a video; only a file that cannot be read (missing, a folder) is judged by
    its name, so that the reader for that kind reports what is wrong.
    """
    path = Path(path)
    if not path.is_file():  # a pipe or device would block the read; the reader says what it is instead
        return path.suffix.lower() in IMAGE_SUFFIXES
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError:
        return path.suffix.lower() in IMAGE_SUFFIXES
    return _image_signature(head)


def _check_file(path: Path) -> None:
    if not path.exists():
        raise MediaError(translate("Media", "{path}: no such file").format(path=path))
    if path.is_dir():
        raise MediaError(translate("Media", "{path}: is a folder, not a video or image").format(path=path))
    if not path.is_file():
        raise MediaError(translate("Media", "{path}: not a regular file (a pipe, socket or device), not a video or image")
                         .format(path=path))
    if not os.access(path, os.R_OK):
        raise MediaError(translate("Media", "{path}: cannot be read (permission denied)").format(path=path))
    if os.path.getsize(path) == 0:
        raise MediaError(translate("Media", "{path}: file is empty (0 bytes)").format(path=path))


# A photo larger than this is decoded at 1/2, 1/4 or 1/8 of its size: a 30,000-px-wide image would otherwise take
# gigabytes, and a face needs far fewer pixels. Larger still, it is refused.
MAX_IMAGE_PIXELS = 40_000_000
_REDUCED = ((1, cv2.IMREAD_COLOR), (2, cv2.IMREAD_REDUCED_COLOR_2), (4, cv2.IMREAD_REDUCED_COLOR_4),
            (8, cv2.IMREAD_REDUCED_COLOR_8))


def _decode_flag(path: Path) -> int:
    """The OpenCV decode flag that keeps the decoded image within MAX_IMAGE_PIXELS, from the header's size alone."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:  # reads the header only
            w, h = im.size
    except Image.DecompressionBombError as err:
        raise MediaError(translate("Media", "{path}: image too large ({err})").format(path=path, err=err)) from None
    except (OSError, UnidentifiedImageError):
        return cv2.IMREAD_COLOR  # let OpenCV say what is wrong with it
    for factor, flag in _REDUCED:
        if w * h / factor**2 <= MAX_IMAGE_PIXELS:
            return flag
    raise MediaError(translate("Media", "{path}: image too large ({w}×{h} pixels)").format(path=path, w=w, h=h))


def read_image(path: Path) -> np.ndarray:
    """RGB uint8 pixels of an image file."""
    path = Path(path)
    _check_file(path)
    data = np.fromfile(str(path), dtype=np.uint8)
    bgr = cv2.imdecode(data, _decode_flag(path))
    if bgr is None:
        raise MediaError(translate("Media", "{path}: not a readable image (corrupt or unsupported format)").format(path=path))
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def probe(path: Path) -> MediaInfo:
    """Size, rate and length of a video or image, or a MediaError."""
    path = Path(path)
    if is_image(path):
        rgb = read_image(path)
        return MediaInfo(path, True, 0.0, 1, rgb.shape[1], rgb.shape[0])
    _check_file(path)
    cap = cv2.VideoCapture(str(path))
    try:
        if not cap.isOpened():
            raise MediaError(translate("Media", "{path}: not a readable video (corrupt or unsupported format)").format(path=path))
        ok, first = cap.read()
        if not ok or first is None:
            raise MediaError(translate("Media", "{path}: video has no decodable frames (corrupt or truncated)").format(path=path))
        fps = cap.get(cv2.CAP_PROP_FPS) or 0.0
        if not 1.0 <= fps <= 240.0:
            fps = 25.0  # containers without a rate: assume the common webcam rate
        count = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        return MediaInfo(path, False, fps, max(count, 1), first.shape[1], first.shape[0])
    finally:
        cap.release()


def iter_frames(path: Path, max_fps: float | None = None) -> Iterator[Frame]:
    """Frames of a video (or the one frame of an image) stamped with their time in the clip.

    `max_fps` skips frames so that at most that many per second of clip are yielded, as the live app
    analyses at most `max_fps` frames per second of a call.
    """
    path = Path(path)
    if is_image(path):
        yield Frame(read_image(path), 0.0, 0)
        return
    info = probe(path)
    cap = cv2.VideoCapture(str(path))
    step_s = 1.0 / max_fps if max_fps else 0.0
    next_t = 0.0
    index = 0
    decoded = 0
    try:
        while True:
            ok = cap.grab()
            if not ok:
                break
            t = index / info.fps
            index += 1
            if t + 1e-6 < next_t:
                continue
            ok, bgr = cap.retrieve()
            if not ok or bgr is None:
                break
            decoded += 1
            next_t = t + step_s
            yield Frame(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), t, index - 1)
    finally:
        cap.release()
    if decoded == 0:
        raise MediaError(translate("Media", "{path}: video has no decodable frames (corrupt or truncated)").format(path=path))
