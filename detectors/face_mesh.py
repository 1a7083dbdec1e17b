"""Head pose and hands of the caller, from MediaPipe's dense face mesh and hand landmarks (the .tflite models that
ship inside mediapipe's own wheel; loaded offline). Used by the "Verify now" challenges: did the head turn, did a
hand pass over the face, did the face come closer, and did the landmark tracking lose the face."""

from __future__ import annotations

import importlib.util
import math
import sys
import types
from dataclasses import dataclass

import cv2
import numpy as np

from detectors.records import Box

# Mesh points: forehead top, chin, the face's outline at the ears (image left / right).
FOREHEAD, CHIN, CHEEK_IMAGE_LEFT, CHEEK_IMAGE_RIGHT = 10, 152, 234, 454
MESH_POINTS = 478
# Mesh points of a generic head model (nose tip, chin, outer eye corners, mouth corners; image left then right) and
# that model in millimetre-like units, camera axes (x right, y down, z away from the camera), nose tip at the origin.
POSE_POINTS = (1, 152, 33, 263, 61, 291)
HEAD_MODEL = np.array([(0, 0, 0), (0, 330, 65), (-225, -170, 135), (225, -170, 135), (-150, 150, 125), (150, 150, 125)],
                      np.float64)


def import_mediapipe() -> types.ModuleType:
    """mediapipe, imported offline. Its package imports its drawing helpers, which import matplotlib; the mesh never
    draws, so without matplotlib installed an empty stand-in satisfies that import."""
    if "matplotlib" not in sys.modules and importlib.util.find_spec("matplotlib") is None:
        for name in ("matplotlib", "matplotlib.pyplot"):
            sys.modules.setdefault(name, types.ModuleType(name))
    import mediapipe

    return mediapipe


def mediapipe_available() -> bool:
    return importlib.util.find_spec("mediapipe") is not None


@dataclass(frozen=True)
class HeadPose:
    """Where the face mesh found the face in one frame and how the head is turned.

    yaw: degrees, positive when the person turns to *their own* left (as seen in an unmirrored video the nose
    moves to the image's right); pitch: degrees, positive when the head tilts up."""

    yaw: float
    pitch: float
    box: Box  # the mesh's extent, frame pixels
    scale: float  # the face's size: forehead-to-chin distance in pixels (stable under a turn)


@dataclass(frozen=True)
class MeshFrame:
    """What the mesh and the hand model saw in one frame; no pixels."""

    timestamp: float
    pose: HeadPose | None  # None: the landmark tracking found no face
    hands: tuple[Box, ...] = ()  # boxes of the hands found, frame pixels


def mesh_angles(points: np.ndarray) -> tuple[float, float]:
    """Yaw and pitch (degrees, the person's left and up positive) from the mesh's own depth: the ear-to-ear and
    forehead-to-chin lines against the image plane. The sign is reliable; the size is low (its z is flattened)."""
    across = points[CHEEK_IMAGE_RIGHT] - points[CHEEK_IMAGE_LEFT]
    down = points[CHIN] - points[FOREHEAD]
    return math.degrees(math.atan2(across[2], across[0])), math.degrees(math.atan2(-down[2], down[1]))


def head_pose(points: np.ndarray, frame_size: tuple[int, int]) -> HeadPose:
    """Yaw and pitch of the head: a generic 3-D head (six points) fitted to the mesh's 2-D points (solvePnP with a
    pinhole camera whose focal length is the frame's width), started from the mesh's own angles so that the fit
    cannot fall into the mirrored solution."""
    w, h = frame_size
    camera = np.array([[w, 0, w / 2], [0, w, h / 2], [0, 0, 1]], np.float64)
    image = points[list(POSE_POINTS), :2].astype(np.float64)
    yaw0, pitch0 = mesh_angles(points)
    guess = cv2.Rodrigues(_rotation(yaw0, pitch0))[0]
    eye_span = max(1.0, float(np.linalg.norm(image[3] - image[2])))
    t0 = np.array([[image[0, 0] - w / 2], [image[0, 1] - h / 2], [w]], np.float64) * (450.0 / eye_span)
    ok, rvec, _ = cv2.solvePnP(HEAD_MODEL, image, camera, None, guess, t0, True, cv2.SOLVEPNP_ITERATIVE)
    forward = cv2.Rodrigues(rvec)[0] @ np.array([0.0, 0.0, -1.0]) if ok else None
    yaw, pitch = yaw0, pitch0
    if forward is not None and forward[2] < 0:
        yaw = math.degrees(math.atan2(forward[0], -forward[2]))
        pitch = math.degrees(math.atan2(-forward[1], -forward[2]))
    lo, hi = points[:, :2].min(0), points[:, :2].max(0)
    box = (float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1]))
    scale = float(np.linalg.norm(points[CHIN, :2] - points[FOREHEAD, :2]))
    return HeadPose(float(yaw), float(pitch), box, scale)


def _rotation(yaw: float, pitch: float) -> np.ndarray:
    """The head model's rotation (camera axes) for a yaw to the image right and a pitch upwards, in degrees."""
    a, b = math.radians(yaw), math.radians(pitch)
    # The model faces -z; yawing it so its nose points to +x is a rotation by -a about y; pitching up, by -b about x.
    ry = np.array([[math.cos(a), 0, -math.sin(a)], [0, 1, 0], [math.sin(a), 0, math.cos(a)]])
    rx = np.array([[1, 0, 0], [0, math.cos(b), math.sin(b)], [0, -math.sin(b), math.cos(b)]])
    return ry @ rx


class FaceMeshTracker:
    """The dense mesh of the main face and up to two hands, frame after frame of one stream (tracking mode)."""

    def __init__(self, min_confidence: float = 0.5, hands: bool = True) -> None:
        mp = import_mediapipe()
        self._mesh = mp.solutions.face_mesh.FaceMesh(static_image_mode=False, max_num_faces=1, refine_landmarks=True,
                                                     min_detection_confidence=min_confidence,
                                                     min_tracking_confidence=min_confidence)
        self._hands = mp.solutions.hands.Hands(static_image_mode=False, max_num_hands=2, model_complexity=0,
                                               min_detection_confidence=min_confidence) if hands else None

    def process(self, rgb: np.ndarray, timestamp: float) -> MeshFrame:
        rgb = np.ascontiguousarray(rgb)
        h, w = rgb.shape[:2]
        result = self._mesh.process(rgb)
        pose = None
        if result.multi_face_landmarks:
            pts = np.array([(p.x * w, p.y * h, p.z * w) for p in result.multi_face_landmarks[0].landmark], np.float32)
            pose = head_pose(pts, (w, h))
        hands: list[Box] = []
        if self._hands is not None:
            found = self._hands.process(rgb)
            for hand in found.multi_hand_landmarks or []:
                xy = np.array([(p.x * w, p.y * h) for p in hand.landmark], np.float32)
                lo, hi = xy.min(0), xy.max(0)
                hands.append((float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])))
        return MeshFrame(timestamp, pose, tuple(hands))

    def close(self) -> None:
        self._mesh.close()
        if self._hands is not None:
            self._hands.close()
