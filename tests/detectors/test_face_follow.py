"""Detection that does not run on every frame: landmarks followed by flow, and one face keeping one track id."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from detectors.assets import DEMO_SWAP_CLIP, assets_dir
from detectors.face_follow import FaceFollower
from detectors.media import iter_frames
from detectors.records import FaceDetection, Frame
from detectors.tracking import FaceTracker


def test_flow_follows_a_moved_face_and_gives_up_on_a_vanished_one(pipeline):
    frame = next(iter(iter_frames(assets_dir() / DEMO_SWAP_CLIP, max_fps=10))).pixels
    face = max(pipeline.detector.detect(frame), key=lambda d: d.size)
    follower = FaceFollower()
    follower.remember(frame, [(1, face)])
    moved = np.roll(frame, (3, 5), axis=(0, 1))  # 5 px right, 3 px down
    followed = follower.follow(moved, 1, face)
    assert followed is not None
    np.testing.assert_allclose(followed.landmarks - face.landmarks, np.tile([5.0, 3.0], (5, 1)), atol=1.0)
    np.testing.assert_allclose(np.subtract(followed.box, face.box), [5, 3, 5, 3], atol=1.0)
    assert follower.follow(np.full_like(frame, 128), 1, face) is None


def _face(x: float) -> FaceDetection:
    return FaceDetection((x, 0.0, x + 100.0, 100.0), 0.99, np.zeros((5, 2), np.float32))


def test_a_face_found_by_following_its_track_keeps_the_id_even_after_a_long_jump():
    tracker = FaceTracker()
    tracker.update([_face(0)], 0.0)
    (moved,) = tracker.update([_face(80)], 0.1, owners=[1])  # IoU 0.11: plain IoU matching would start a new track
    assert moved.track_id == 1 and moved.fresh
    (alone,) = tracker.update([_face(80)], 0.2)
    assert alone.track_id == 1


def test_a_missed_track_over_a_face_another_track_holds_is_dropped():
    tracker = FaceTracker()
    tracker.update([_face(0)], 0.0)
    tracker.update([_face(300)], 0.1)  # track 1 missed, track 2 born far away
    faces = tracker.update([_face(10)], 0.2, owners=[2])  # track 2 followed its face onto track 1's old place
    assert [f.track_id for f in faces] == [2]


@pytest.mark.parametrize("fps", [2.0, 3.7, 10.0])
def test_one_caller_in_a_1280x720_region_keeps_one_track_when_the_clip_loops(pipeline, fps):
    """The live bench's view: the clip scaled into a screen region and played in a loop (a jump cut at each start)."""
    pipeline.reset()
    ids, counts, offset = set(), [], 0.0
    for _ in range(2):
        for f in iter_frames(assets_dir() / DEMO_SWAP_CLIP, max_fps=fps):
            canvas = np.zeros((720, 1280, 3), np.uint8)
            canvas[:, 205:205 + 869] = cv2.resize(f.pixels, (869, 720))
            v = pipeline.process(Frame(canvas, f.timestamp + offset, f.index))
            counts.append(len(v.faces))
            ids |= {face.track_id for face in v.faces}
        offset += 3.0
    assert len(ids) == 1 and max(counts) == 1, (ids, counts)
