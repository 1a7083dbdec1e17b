"""The fail-safe status logic: nothing looks safe without fresh analysis behind it."""

from __future__ import annotations

from app.monitoring.status import RunMode, ShieldLevel, StatusTracker
from detectors.records import MonitorState, TrackState
from tests.app.conftest import face, verdict


def running_tracker() -> StatusTracker:
    t = StatusTracker(stale_after_s=2.0)
    t.engine_problem = None
    t.set_mode(RunMode.RUNNING)
    return t


def test_fresh_verdicts_map_to_levels() -> None:
    t = running_tracker()
    cases = [
        (verdict(MonitorState.ANALYSING, face(state=TrackState.ANALYSING), timestamp=10.0), ShieldLevel.ANALYSING),
        (verdict(MonitorState.LOOKS_REAL, face(), timestamp=10.0), ShieldLevel.LOOKS_REAL),
        (verdict(MonitorState.POSSIBLE_SWAP, face(state=TrackState.POSSIBLE_SWAP, score=0.97), timestamp=10.0),
         ShieldLevel.POSSIBLE_SWAP),
        (verdict(MonitorState.NO_FACE, timestamp=10.0), ShieldLevel.NO_FACE),
        (verdict(MonitorState.NOT_MONITORING, timestamp=10.0, message="engine error: boom"),
         ShieldLevel.NOT_MONITORING),
    ]
    for v, level in cases:
        t.on_verdict(v)
        assert t.status(now=10.5).level is level


def test_a_stale_verdict_is_not_monitoring() -> None:
    t = running_tracker()
    t.on_verdict(verdict(MonitorState.LOOKS_REAL, face(), timestamp=10.0))
    assert t.status(now=11.9).level is ShieldLevel.LOOKS_REAL
    s = t.status(now=13.0)
    assert s.level is ShieldLevel.NOT_MONITORING and "no fresh analysis for 3 s" in s.detail


def test_paused_stopped_and_model_missing_say_so() -> None:
    t = running_tracker()
    t.on_verdict(verdict(MonitorState.LOOKS_REAL, face(), timestamp=10.0))
    t.set_mode(RunMode.PAUSED)
    assert t.status(10.1).level is ShieldLevel.NOT_MONITORING and "paused" in t.status(10.1).detail
    t.set_mode(RunMode.RUNNING)
    assert t.status(10.1).level is ShieldLevel.NOT_MONITORING  # the verdict from before the pause is gone
    t.set_mode(RunMode.STOPPED)
    assert "stopped" in t.status(10.1).detail
    t.set_mode(RunMode.RUNNING)
    t.engine_problem = "model not loaded — model file missing"
    t.on_verdict(verdict(MonitorState.LOOKS_REAL, face(), timestamp=10.0))
    assert t.status(10.1).detail == "model not loaded — model file missing"


def test_capture_failure_overrides_older_verdicts_until_a_newer_one() -> None:
    t = running_tracker()
    t.on_verdict(verdict(MonitorState.LOOKS_REAL, face(), timestamp=10.0))
    t.on_failure("screen capture failed: display went away", now=10.2)
    assert t.status(10.3).level is ShieldLevel.NOT_MONITORING
    t.on_verdict(verdict(MonitorState.LOOKS_REAL, face(), timestamp=10.4))
    assert t.status(10.5).level is ShieldLevel.LOOKS_REAL


def test_acknowledging_one_face_quiets_only_that_face() -> None:
    t = running_tracker()
    two = verdict(MonitorState.POSSIBLE_SWAP, face(1, TrackState.POSSIBLE_SWAP, 0.9),
                  face(2, TrackState.POSSIBLE_SWAP, 0.8), timestamp=10.0)
    t.on_verdict(two)
    t.acknowledge(1)
    s = t.status(10.1)
    assert s.level is ShieldLevel.POSSIBLE_SWAP and [f.track_id for f in s.alert_faces] == [2]
    t.acknowledge(2)
    assert t.status(10.1).level is ShieldLevel.VERIFIED
    t.new_call()
    t.on_verdict(two)
    assert t.status(10.1).level is ShieldLevel.POSSIBLE_SWAP  # a new call forgets acknowledgements


def test_too_slow_analysis_never_reassures_but_still_warns() -> None:
    from app.monitoring.status import TRUSTED_MIN_FPS

    t = StatusTracker()
    t.engine_problem = None
    t.set_mode(RunMode.RUNNING)
    t.on_verdict(verdict(MonitorState.LOOKS_REAL, face(), timestamp=100.0))
    t.analysed_fps = TRUSTED_MIN_FPS + 5
    assert t.status(100.5).level is ShieldLevel.LOOKS_REAL
    t.analysed_fps = 1.8  # a starved CPU
    s = t.status(100.5)
    assert s.level is ShieldLevel.ANALYSING and "too slow to be trusted (1.8 frames/s)" in s.detail
    t.on_verdict(verdict(MonitorState.POSSIBLE_SWAP, face(1, TrackState.POSSIBLE_SWAP, 0.97), timestamp=101.0))
    assert t.status(101.2).level is ShieldLevel.POSSIBLE_SWAP


def test_an_animated_photo_warns_like_a_swap_in_its_own_words() -> None:
    from app.overlay.overlay import OverlayLook, banner_text, look_for
    from app.style import LEVEL_COLOURS, LEVEL_PATTERNS, LEVEL_SYMBOLS

    t = running_tracker()
    t.on_verdict(verdict(MonitorState.POSSIBLE_ANIMATION, face(state=TrackState.POSSIBLE_ANIMATION), timestamp=10.0))
    s = t.status(now=10.5)
    assert s.level is ShieldLevel.POSSIBLE_ANIMATION and s.level.is_alert
    assert "Possible animated photo — verify the caller by another channel" in s.detail
    assert [f.track_id for f in s.alert_faces] == [1]
    swap = ShieldLevel.POSSIBLE_SWAP
    # The same frame, banner colours and symbol as the swap warning; only the words differ.
    assert look_for(s.level) is look_for(swap) is OverlayLook.ALERT
    assert (LEVEL_COLOURS[s.level], LEVEL_PATTERNS[s.level], LEVEL_SYMBOLS[s.level]) == (
        LEVEL_COLOURS[swap], LEVEL_PATTERNS[swap], LEVEL_SYMBOLS[swap])
    assert "animated photo" in banner_text(s)
    # A swap on another face outranks it; acknowledging the animated face silences it like a swap.
    t.on_verdict(verdict(MonitorState.POSSIBLE_SWAP, face(state=TrackState.POSSIBLE_ANIMATION),
                         face(2, state=TrackState.POSSIBLE_SWAP), timestamp=11.0))
    assert t.status(now=11.5).level is ShieldLevel.POSSIBLE_SWAP
    t.acknowledge(1)
    t.acknowledge(2)
    assert t.status(now=11.5).level is ShieldLevel.VERIFIED
