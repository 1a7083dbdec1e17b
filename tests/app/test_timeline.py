"""The score timeline: one line per face, gaps where nothing was watched, the threshold always shown."""

from __future__ import annotations

import math

from pytestqt.qtbot import QtBot

from app.windows.timeline import ScoreTimeline
from detectors.records import MonitorState
from tests.app.conftest import face, verdict


def test_lines_per_face_gaps_and_threshold(qtbot: QtBot) -> None:
    t = ScoreTimeline(span_s=300)
    qtbot.addWidget(t)
    t.clock = lambda: 100.0
    t.set_threshold(0.8)
    for i in range(5):
        t.add_verdict(verdict(MonitorState.LOOKS_REAL, face(1, score=0.2 + i / 10), face(2, score=0.5),
                              timestamp=90.0 + i))
    t.add_gap(95.5)
    t.redraw()
    assert set(t._curves) == {1, 2}
    assert t.series(1)[0] == (90.0, 0.2) and math.isnan(t.series(1)[-1][1])
    x, _ = t._curves[1].getData()
    assert x[0] == -10.0 and x[-1] == -4.5  # seconds before now
    t.clear_scores()  # a new region: lines go, the threshold stays
    t.redraw()
    assert not t._curves
    assert t.threshold_line.scene() is t.plotItem.scene() and t.threshold_line.isVisible()
    assert t.threshold_line.value() == 0.8


def test_old_points_scroll_out(qtbot: QtBot) -> None:
    t = ScoreTimeline(span_s=60)
    qtbot.addWidget(t)
    t.add_verdict(verdict(MonitorState.LOOKS_REAL, face(1, score=0.3), timestamp=0.0))
    t.clock = lambda: 61.0
    t.redraw()
    assert t.series(1) == [] and not t._curves


def test_the_animation_score_is_a_dashed_line_that_turns_red_while_it_warns(qtbot: QtBot) -> None:
    from dataclasses import replace

    from app.windows.timeline import ALERT_COLOUR
    from detectors.records import TrackState

    t = ScoreTimeline(span_s=300)
    qtbot.addWidget(t)
    t.clock = lambda: 100.0
    calm = replace(face(1), animation_score=0.3)
    t.add_verdict(verdict(MonitorState.LOOKS_REAL, calm, timestamp=98.0))
    t.redraw()
    assert t.animation_series(1) == [(98.0, 0.3, False)]
    assert t._animation_curves[1].opts["pen"].color().name() != ALERT_COLOUR
    warning = replace(face(1, state=TrackState.POSSIBLE_ANIMATION), animation_score=0.95)
    t.add_verdict(verdict(MonitorState.POSSIBLE_ANIMATION, warning, timestamp=99.0))
    t.redraw()
    assert t._animation_curves[1].opts["pen"].color().name() == ALERT_COLOUR
    t.clear_scores()
    assert not t.animation_series(1) and not t._animation_curves
