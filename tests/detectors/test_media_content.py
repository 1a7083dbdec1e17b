"""`scan` tells photos from videos by what a file holds, not by its name."""

import os
import shutil
import zlib
from pathlib import Path

import pytest

from detectors.media import is_image, probe
from detectors.offline.scan import FileScanner
from tests.conftest import fixture_path

PHOTO_JPG = "real/davisking+dlib__bald_guys.jpg"
PHOTO_PNG = "real/PyPI wheels scikit-image==0.26.0 + insightface==2.1__astronaut.png"
CLIP = "real/iperov+DeepFaceLive__Kim_Jarrey_1__left_real.mp4"


def misnamed(tmp_path: Path, fixture: str, name: str) -> Path:
    dst = tmp_path / name
    shutil.copy(fixture_path(fixture), dst)
    return dst


@pytest.mark.parametrize(("fixture", "name", "image"), [
    (PHOTO_JPG, "photo", True),  # no suffix
    (PHOTO_PNG, "photo.mp4", True),
    (PHOTO_JPG, "photo.png", True),  # another image format's suffix: OpenCV decodes by content
    (CLIP, "clip", False),
    (CLIP, "clip.jpg", False),
])
def test_kind_comes_from_the_content(tmp_path: Path, fixture: str, name: str, image: bool):
    path = misnamed(tmp_path, fixture, name)
    assert is_image(path) is image
    assert probe(path).is_image is image


def test_unreadable_paths_fall_back_to_the_name(tmp_path: Path):
    assert is_image(tmp_path / "missing.jpg") and not is_image(tmp_path / "missing.mp4")
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    assert not is_image(empty)  # nothing claims it: the video reader reports "empty"


@pytest.mark.parametrize(("fixture", "name"), [(PHOTO_JPG, "photo"), (PHOTO_PNG, "photo.mp4")])
def test_misnamed_photo_is_scanned_as_a_photo(pipeline, tmp_path: Path, fixture: str, name: str):
    r = FileScanner(pipeline).scan(misnamed(tmp_path, fixture, name))
    assert r.error is None and r.frames_analysed == 1 and r.verdict in ("looks_real", "possible_swap")


def test_video_without_suffix_is_scanned_as_a_video(pipeline, tmp_path: Path):
    r = FileScanner(pipeline, max_fps=2).scan(misnamed(tmp_path, CLIP, "clip"))
    assert r.error is None and r.frames_analysed >= 4 and r.duration_s > 2  # a 2.4-s clip at 2 frames per second


def test_a_huge_photo_is_decoded_smaller_and_a_giant_one_refused(tmp_path: Path):
    import cv2
    import numpy as np

    from detectors.media import MAX_IMAGE_PIXELS, MediaError, read_image

    big = tmp_path / "big.png"
    cv2.imwrite(str(big), np.zeros((9000, 9000, 3), np.uint8))  # 81 MP: compresses to a small file
    rgb = read_image(big)
    assert rgb.shape == (4500, 4500, 3) and rgb.shape[0] * rgb.shape[1] <= MAX_IMAGE_PIXELS
    giant = tmp_path / "giant.png"
    ihdr = b"IHDR" + (60000).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00"  # 60,000 × 60,000 RGB
    chunks = b"".join(len(c[4:]).to_bytes(4, "big") + c + zlib.crc32(c).to_bytes(4, "big") for c in (ihdr, b"IEND"))
    giant.write_bytes(b"\x89PNG\r\n\x1a\n" + chunks)
    with pytest.raises(MediaError, match="too large"):
        read_image(giant)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_pipe_or_folder_is_an_error_not_a_hang(pipeline, tmp_path: Path):
    pipe = tmp_path / "stream.mp4"
    os.mkfifo(pipe)  # opening it for reading would wait forever for a writer
    r = FileScanner(pipeline).scan(pipe)
    assert r.verdict == "error" and "not a regular file" in r.error
    r = FileScanner(pipeline).scan(tmp_path)
    assert r.verdict == "error" and "folder" in r.error
