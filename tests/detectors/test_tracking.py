import numpy as np
import pytest

from detectors.records import FaceDetection
from detectors.tracking import FaceTracker, iou


def face(x: float, y: float, s: float = 100.0) -> FaceDetection:
    return FaceDetection((x, y, x + s, y + s), 0.99, np.zeros((5, 2), np.float32))


def test_iou_of_identical_and_disjoint_boxes():
    assert iou((0, 0, 10, 10), (0, 0, 10, 10)) == pytest.approx(1.0)
    assert iou((0, 0, 10, 10), (20, 20, 30, 30)) == 0.0


def test_face_is_confirmed_only_after_the_initialization_delay_and_keeps_its_id():
    tracker = FaceTracker(init_delay=3)
    first = tracker.update([face(100, 100)], 0.0)
    assert not first[0].confirmed
    assert not tracker.update([face(105, 102)], 0.1)[0].confirmed
    third = tracker.update([face(110, 104)], 0.2)
    assert third[0].confirmed and third[0].track_id == first[0].track_id


def test_one_missed_frame_does_not_end_a_track_but_a_long_absence_does():
    tracker = FaceTracker(init_delay=1, max_misses=2)
    tid = tracker.update([face(0, 0)], 0.0)[0].track_id
    carried = tracker.update([], 0.1)
    assert carried[0].track_id == tid and not carried[0].fresh
    tracker.update([], 0.2)
    assert tracker.update([], 0.3) == []
    assert tracker.update([face(0, 0)], 0.4)[0].track_id != tid


def test_two_faces_get_two_ids():
    tracker = FaceTracker(init_delay=1)
    ids = {t.track_id for t in tracker.update([face(0, 0), face(300, 0)], 0.0)}
    assert len(ids) == 2
    again = {t.track_id for t in tracker.update([face(305, 2), face(3, 1)], 0.1)}
    assert again == ids


def test_invalid_settings_are_refused_with_the_fix():
    with pytest.raises(ValueError, match="min_iou"):
        FaceTracker(min_iou=1.5)


def test_one_face_found_twice_near_two_tracks_keeps_one_track():
    from detectors.pipeline import distinct_faces

    a = FaceDetection((100, 100, 200, 200), 0.99, np.zeros((5, 2), np.float32))
    b = FaceDetection((102, 101, 201, 198), 0.95, np.zeros((5, 2), np.float32))
    other = FaceDetection((400, 100, 500, 200), 0.90, np.zeros((5, 2), np.float32))
    assert distinct_faces([b, a, other]) == [a, other]
