"""The live side of "Verify now": measures each frame of the caller (dense mesh, hands, identity, the face region)
beside the swap engine's verdict, keeps the seconds before a challenge as its baseline, and judges each challenge."""

from __future__ import annotations

from collections import deque
from dataclasses import replace

import cv2
import numpy as np

from detectors.challenge import (
    Action,
    ActionResult,
    Baseline,
    ChallengeSample,
    ChallengeThresholds,
    baseline_of,
    judge,
    progress,
)
from detectors.face_mesh import FaceMeshTracker
from detectors.identity import FaceEmbedder
from detectors.records import Box, FaceAssessment, Frame, Verdict


def main_face(verdict: Verdict) -> FaceAssessment | None:
    """The largest face of a verdict: the caller."""
    if not verdict.faces:
        return None
    return max(verdict.faces, key=lambda f: (f.box[2] - f.box[0]) * (f.box[3] - f.box[1]))


def face_thumb(rgb: np.ndarray, box: Box, size: int = 32) -> np.ndarray:
    """The face box as a small grey image normalised to zero mean and unit spread (light changes cancel out)."""
    h, w = rgb.shape[:2]
    x1, y1, x2, y2 = (int(round(v)) for v in box)
    x1, y1, x2, y2 = max(0, x1), max(0, y1), min(w, x2), min(h, y2)
    if x2 - x1 < 4 or y2 - y1 < 4:
        return np.zeros((size, size), np.float32)
    grey = cv2.cvtColor(rgb[y1:y2, x1:x2], cv2.COLOR_RGB2GRAY)
    small = cv2.resize(grey, (size, size), interpolation=cv2.INTER_AREA).astype(np.float32)
    return (small - small.mean()) / (small.std() + 8.0)



class ChallengeMeter:
    """Samples the caller frame by frame (mesh, hands, identity) beside the swap engine's verdicts, keeps the
    seconds before a challenge as its baseline, and judges each challenge when it ends."""

    def __init__(self, mesh: FaceMeshTracker, embedder: FaceEmbedder | None,
                 th: ChallengeThresholds = ChallengeThresholds(), baseline_s: float = 3.0) -> None:
        self.mesh = mesh
        self.embedder = embedder
        self.th = th
        self.baseline_s = baseline_s
        self._before: deque[ChallengeSample] = deque()
        self._during: list[ChallengeSample] = []
        self._worst: tuple[float, np.ndarray] | None = None  # the step's frame with the strongest evidence
        self._base: Baseline | None = None
        self._action: Action | None = None
        self._last_box: Box | None = None

    @property
    def action(self) -> Action | None:
        return self._action

    def sample(self, frame: Frame, verdict: Verdict) -> ChallengeSample:
        """This frame's measurements of the caller's main face."""
        face = main_face(verdict)
        seen = self.mesh.process(frame.pixels, frame.timestamp)
        box = face.box if face is not None else (seen.pose.box if seen.pose else self._last_box)
        self._last_box = box
        emb = self.embedder.embed(frame.pixels, face.box) if self.embedder is not None and face is not None else None
        return ChallengeSample(
            frame.timestamp, face.box if face else None, face.frame_score if face else None,
            face.signals.get("boundary_flicker") if face else None, seen.pose, seen.hands, emb,
            face_thumb(frame.pixels, box) if box is not None else None,
        )

    def observe(self, frame: Frame, verdict: Verdict) -> float | None:
        """Adds a frame; during a challenge, returns how far the caller is towards its goal (1 = reached)."""
        s = self.sample(frame, verdict)
        if self._action is None:
            self._before.append(s)
            while self._before and self._before[0].timestamp < s.timestamp - self.baseline_s:
                self._before.popleft()
            return None
        self._during.append(s)
        worst = (s.score or 0.0) + (0.0 if s.pose is not None or s.face_box is None else 1.0)
        if self._worst is None or worst > self._worst[0]:
            self._worst = (worst, frame.pixels.copy())
        return progress(self._action, s, self._base, self.th) if self._base is not None else None

    def begin(self, action: Action) -> None:
        """The caller has just been asked to perform `action`: the frames so far are its baseline."""
        self._action, self._during, self._worst = action, [], None
        self._base = baseline_of(list(self._before))

    def finish(self) -> ActionResult | None:
        """Judges the challenge that is running (None when none is); its frames then join the next baseline."""
        if self._action is None:
            return None
        result = judge(self._action, list(self._before), self._during, self.th)
        if result.broke and self._worst is not None:
            result = replace(result, frame=self._worst[1])
        self._before.extend(self._during)
        self._action, self._during, self._worst, self._base = None, [], None, None
        return result

    def close(self) -> None:
        self.mesh.close()
