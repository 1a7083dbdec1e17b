import numpy as np

from detectors.alignment import align_face, alignment_transform, landmark_template
from detectors.media import read_image
from tests.conftest import fixture_path


def test_finds_the_faces_of_a_group_photo(pipeline):
    rgb = read_image(fixture_path("real/davisking+dlib__2008_002470.jpg"))
    faces = pipeline.detector.detect(rgb)
    assert len(faces) >= 1
    for f in faces:
        assert f.landmarks.shape == (5, 2) and f.confidence > 0.9


def test_dogs_have_no_face(pipeline):
    assert pipeline.detector.detect(read_image(fixture_path("other/davisking+dlib__dogs.jpg"))) == []


def test_alignment_puts_landmarks_on_the_template(pipeline):
    rgb = read_image(fixture_path("real/wuhuikai+FaceSwap__test1.jpg"))
    face = max(pipeline.detector.detect(rgb), key=lambda f: f.size)
    m = alignment_transform(face.landmarks, 224, 1.5)
    mapped = np.c_[face.landmarks, np.ones(5)] @ m.T
    # A similarity transform cannot fit 5 points exactly; a few pixels is a good face.
    assert np.abs(mapped - landmark_template(224, 1.5)).max() < 12
    crop = align_face(rgb, face.landmarks, 224, 1.5)
    assert crop.shape == (224, 224, 3) and crop.dtype == np.uint8


def test_re_detection_near_a_known_face_finds_the_same_face(pipeline):
    rgb = read_image(fixture_path("real/wuhuikai+FaceSwap__test1.jpg"))
    face = max(pipeline.detector.detect(rgb), key=lambda f: f.size)
    again = pipeline.detector.detect_near(rgb, face.box)
    assert again is not None
    assert np.abs(np.array(again.box) - np.array(face.box)).max() < 0.15 * face.size
