"""`callshield train-fusion --fixed`: signals weighed as given, the threshold chosen by the clip rule under the live
alert policy, so that no held-out real clip would have alerted and a wavering swap does."""

from __future__ import annotations

import numpy as np
import pytest

from detectors.records import FrameMeasurement
from detectors.temporal import AlertPolicy, TrackEvidence
from training.train_fusion import clip_rule_threshold, fixed_model, live_peak

FPS = 10


def _track(scores: list[float]) -> list[FrameMeasurement]:
    lm = np.zeros((5, 2), np.float32)
    return [FrameMeasurement(i / FPS, s, lm, (100.0, 100.0), 80.0, None, None, None, 0.0) for i, s in enumerate(scores)]


def test_the_fixed_evidence_alerts_on_a_wavering_swap_and_on_no_held_out_real_clip() -> None:
    model = fixed_model("logit_mean=1,logit_std=1", "test")
    steady_high = _track([0.95] * 60)  # real footage the classifier scores high: steady
    calm = _track([0.2, 0.3] * 30)
    swap = _track([0.97, 0.5] * 30)  # its mean score (0.735) sits below the steady real's
    clips = [(steady_high, 0, "a"), (calm, 0, "b"), (swap, 1, "c")]
    threshold = clip_rule_threshold([live_peak(t, model, 0.5) for t, y, _ in clips if y == 0])
    assert live_peak(steady_high, model, 0.5) == pytest.approx(0.95, abs=1e-3)
    assert threshold > live_peak(steady_high, model, 0.5) and threshold == pytest.approx(0.95, abs=1e-3)
    assert live_peak(swap, model, 0.5) > threshold
    # The live engine with that threshold raises the alert on the swap and not on the steady real clip.
    policy = AlertPolicy.from_threshold(threshold)
    for track, alerts in ((steady_high, False), (swap, True)):
        ev = TrackEvidence(policy, 0.5, model)
        states = [ev.update(m.timestamp, m).state.name for m in track]
        assert ("POSSIBLE_SWAP" in states) is alerts


def test_live_peak_waits_for_enough_evidence_and_a_bad_spec_is_refused() -> None:
    model = fixed_model("logit_mean=1", "test")
    # Half a second of frames is not enough for the live policy (1 s): no evidence is judged at all.
    assert live_peak(_track([0.99] * 5), model, 0.5) is None
    with pytest.raises(SystemExit, match="cannot choose a threshold"):
        clip_rule_threshold([None])
    with pytest.raises(SystemExit, match="NAME=WEIGHT"):
        fixed_model("logit_mean", "test")
    with pytest.raises(SystemExit, match="NAME=WEIGHT"):
        fixed_model("no_such_signal=1", "test")


def test_training_judges_a_clip_by_the_same_logit_evidence_as_the_engine() -> None:
    from detectors.signals import window_signals
    from training.train import held_out_clips, window_logit_evidence

    model = fixed_model("logit_mean=1,logit_std=1", "test")
    scores = np.array([0.97, 0.5, 0.9, 0.999, 0.6, 0.8, 0.99, 0.7, 0.95, 0.4, 0.93, 0.85], np.float32)
    frames = np.arange(len(scores)) * 6  # 5 fps samples of a 30 fps clip, as the crops file holds them
    windows = window_logit_evidence(scores, frames, fps=5.0, window_s=2.0)
    assert len(windows) == 3  # 12 samples, 10 to a window
    for k, w in enumerate(windows):
        engine = model.probability(window_signals(_track(scores[k:k + 10].tolist()), 0.5))
        assert w == pytest.approx(engine, abs=1e-6)
    # A clip scored by that evidence: its windows as above, its score their mean (the engine's call score).
    item = np.zeros(len(scores), int)
    clips = held_out_clips(scores, [(i, 2) for i in range(len(scores))], item, np.array(["fake"]), frames,
                           np.array(["dfl:a"]), evidence="logit")
    assert clips.windows[0] == pytest.approx(windows) and clips.scores[0] == pytest.approx(windows.mean())
    plain = held_out_clips(scores, [(i, 2) for i in range(len(scores))], item, np.array(["fake"]), frames,
                           np.array(["dfl:a"]))
    assert plain.scores[0] == pytest.approx(scores.mean())


def test_a_chosen_threshold_is_written_rounded_up_so_the_peak_it_must_stay_above_cannot_alert() -> None:
    from training.train import threshold_digits

    peak = 0.8139144295081544  # a real clip's live peak, as met on the shipped model's held-out clips
    chosen = clip_rule_threshold([peak, 0.2])
    assert threshold_digits(chosen) == 0.814 and threshold_digits(chosen) > peak  # round() gave 0.8139: it alerted
    for value in (0.6428, 0.1 + 0.2, 0.98, 0.05, np.nextafter(0.7, 1.0)):
        written = threshold_digits(float(value))
        assert written >= value and written - value < 1e-4 + 1e-12
