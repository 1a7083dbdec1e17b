"""Turns a face's per-frame measurements into a judgement that alerts fast on swaps and stays quiet on real callers.

Per track: a sliding window of measurements (classifier score, landmark jitter, seam flicker, colour drift).
The window's evidence score is either the mean classifier score (baseline) or the output of a small fusion
model over the windowed signals (`FusionModel`, fitted on train data by `callshield train-fusion`).
The alert policy is hysteresis — enter `possible_swap` when the evidence reaches `enter`, leave only when it
falls below `leave` — and acts only once the window holds `min_evidence_s` seconds of scored frames.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from detectors.logistic import LogisticModel
from detectors.records import FrameMeasurement, TrackState
from detectors.signals import window_signals


@dataclass(frozen=True)
class AlertPolicy:
    enter: float  # evidence score that raises the alert
    leave: float  # evidence score under which a raised alert is dropped
    window_s: float = 2.0
    min_evidence_s: float = 1.0
    min_frames: int = 5

    def __post_init__(self) -> None:
        if not 0.0 <= self.leave <= self.enter <= 1.0:
            raise ValueError(f"need 0 ≤ leave ({self.leave}) ≤ enter ({self.enter}) ≤ 1 for hysteresis")
        if self.window_s <= 0 or self.min_evidence_s < 0 or self.min_evidence_s > self.window_s:
            raise ValueError("need window_s > 0 and 0 ≤ min_evidence_s ≤ window_s")

    @staticmethod
    def from_threshold(threshold: float, sensitivity: float = 0.0) -> AlertPolicy:
        """The model's threshold shifted by the user's sensitivity (-1 quiet … +1 eager), with a hysteresis band."""
        enter = float(np.clip(threshold - 0.15 * sensitivity, 0.02, 0.98))
        return AlertPolicy(enter=enter, leave=max(0.0, enter - 0.1))


@dataclass(frozen=True)
class FusionModel(LogisticModel):
    """Logistic regression over standardised window signals; its own alert threshold comes with it."""

    KIND: ClassVar[str] = "fusion model"

    note: str = ""


@dataclass(frozen=True)
class TrackJudgement:
    evidence: float | None  # the score the policy acts on (fused, or the mean classifier score)
    state: TrackState
    evidence_s: float
    frames_scored: int
    alert_since: float | None
    signals: dict[str, float]


class TrackEvidence:
    """One face's measurements over the last `window_s` seconds, and its alert state."""

    def __init__(self, policy: AlertPolicy, classifier_threshold: float, fusion: FusionModel | None = None) -> None:
        self.policy = policy
        self.classifier_threshold = classifier_threshold
        self.fusion = fusion
        self._window: deque[FrameMeasurement] = deque()
        self._alert_since: float | None = None
        self.frames_scored = 0

    def update(self, timestamp: float, measurement: FrameMeasurement | None) -> TrackJudgement:
        if measurement is not None:
            self._window.append(measurement)
            self.frames_scored += 1
        while self._window and self._window[0].timestamp < timestamp - self.policy.window_s:
            self._window.popleft()
        window = list(self._window)
        span = (window[-1].timestamp - window[0].timestamp) if len(window) > 1 else 0.0
        enough = len(window) >= self.policy.min_frames and span + 1e-6 >= self.policy.min_evidence_s
        signals = window_signals(window, self.classifier_threshold) if window else {}
        evidence = None
        if signals:
            evidence = self.fusion.probability(signals) if self.fusion else signals["score_mean"]
        if not enough or evidence is None:
            state = TrackState.POSSIBLE_SWAP if self._alert_since is not None else TrackState.ANALYSING
        elif self._alert_since is not None:
            if evidence < self.policy.leave:
                self._alert_since = None
            state = TrackState.POSSIBLE_SWAP if self._alert_since is not None else TrackState.LOOKS_REAL
        elif evidence >= self.policy.enter:
            self._alert_since = timestamp
            state = TrackState.POSSIBLE_SWAP
        else:
            state = TrackState.LOOKS_REAL
        return TrackJudgement(evidence, state, span, self.frames_scored, self._alert_since, signals)
