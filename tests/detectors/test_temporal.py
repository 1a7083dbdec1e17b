import numpy as np
import pytest

from detectors.records import FrameMeasurement, TrackState
from detectors.temporal import AlertPolicy, FusionModel, TrackEvidence


def m(t: float, score: float) -> FrameMeasurement:
    return FrameMeasurement(t, score, np.zeros((5, 2), np.float32), (0.0, 0.0), 100.0, None, None, None, 0.0)


def feed(track: TrackEvidence, scores: list[float], fps: float = 10.0, t0: float = 0.0):
    out = None
    for i, s in enumerate(scores):
        out = track.update(t0 + i / fps, m(t0 + i / fps, s))
    return out


def test_no_judgement_before_minimum_evidence():
    w = TrackEvidence(AlertPolicy(enter=0.5, leave=0.4, window_s=2.0, min_evidence_s=1.0), 0.5)
    assert feed(w, [0.99] * 5).state is TrackState.ANALYSING  # 0.4 s of evidence
    assert feed(w, [0.99] * 7, t0=0.5).state is TrackState.POSSIBLE_SWAP


def test_hysteresis_keeps_the_alert_until_the_score_falls_below_leave():
    w = TrackEvidence(AlertPolicy(enter=0.6, leave=0.4, window_s=1.0, min_evidence_s=0.5, min_frames=3), 0.5)
    j = feed(w, [0.9] * 12)
    assert j.state is TrackState.POSSIBLE_SWAP and j.alert_since is not None
    assert feed(w, [0.5] * 12, t0=1.2).state is TrackState.POSSIBLE_SWAP  # between leave and enter: stays
    assert feed(w, [0.1] * 12, t0=2.4).state is TrackState.LOOKS_REAL


def test_single_spike_does_not_alert():
    w = TrackEvidence(AlertPolicy(enter=0.6, leave=0.5, window_s=2.0, min_evidence_s=1.0), 0.5)
    assert feed(w, [0.1] * 10 + [0.99] + [0.1] * 10).state is TrackState.LOOKS_REAL


def test_frames_without_a_score_age_out_of_the_window():
    w = TrackEvidence(AlertPolicy(enter=0.6, leave=0.5, window_s=1.0, min_evidence_s=0.5), 0.5)
    feed(w, [0.1] * 10)
    j = w.update(5.0, None)  # the face was not scored for seconds: no stale judgement
    assert j.state is TrackState.ANALYSING and j.evidence is None


def test_fusion_model_decides_when_present():
    fusion = FusionModel(("score_mean",), (0.5,), (0.1,), (-5.0,), 0.0, threshold=0.5)  # inverted on purpose
    w = TrackEvidence(AlertPolicy(enter=0.5, leave=0.4, window_s=2.0, min_evidence_s=1.0), 0.5, fusion)
    assert feed(w, [0.1] * 15).state is TrackState.POSSIBLE_SWAP


def test_policy_refuses_inverted_hysteresis():
    with pytest.raises(ValueError, match="hysteresis"):
        AlertPolicy(enter=0.3, leave=0.5)


def test_sensitivity_moves_the_threshold_both_ways():
    base = AlertPolicy.from_threshold(0.5).enter
    assert AlertPolicy.from_threshold(0.5, 1.0).enter < base < AlertPolicy.from_threshold(0.5, -1.0).enter
