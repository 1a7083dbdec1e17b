"""A live plot of each face's smoothed swap score over the last minutes, with the alert threshold, and (dashed, in the
same colour, red while it warns) its animated-photo score."""

from __future__ import annotations

import math
import time
from collections import deque

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from app.language import translate
from detectors.records import TrackState, Verdict

PALETTE = ("#4fc3f7", "#ffb74d", "#ba68c8", "#81c784", "#f06292", "#a1887f")
ALERT_COLOUR = "#e53935"


class ScoreTimeline(pg.PlotWidget):
    """Collects scores on every verdict but redraws at `redraw_hz`: plotting is the GUI's costliest work."""

    MIN_VISIBLE_S = 30.0  # a fresh call shows its first seconds large, then the axis grows to `span_s`

    def __init__(self, span_s: float = 300.0, redraw_hz: float = 2.0, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent, background="#1e1e1e")
        self.span_s = span_s
        self.clock = time.monotonic
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.setMenuEnabled(False)
        self.setYRange(0.0, 1.0, padding=0.02)
        self._shown_span = 0.0
        self._show_span(self.MIN_VISIBLE_S)
        self.setLabel("left", translate("ScoreTimeline", "swap score"))
        self.setLabel("bottom", translate("ScoreTimeline", "seconds ago"))
        self.showGrid(x=True, y=True, alpha=0.15)
        self.legend = self.addLegend(offset=(8, 8), labelTextSize="8pt")
        self.threshold_line = pg.InfiniteLine(angle=0, movable=False,
                                              pen=pg.mkPen("#e53935", width=1, style=pg.QtCore.Qt.PenStyle.DashLine))
        self.threshold_line.setVisible(False)
        self.addItem(self.threshold_line)
        capacity = int(span_s * 35)  # above any analysis rate a user can pick
        self._capacity = capacity
        self._points: dict[int, deque[tuple[float, float]]] = {}
        self._curves: dict[int, pg.PlotDataItem] = {}
        # Animated-photo scores, per face: (timestamp, score, warning) and their dashed curves.
        self._animation: dict[int, deque[tuple[float, float, bool]]] = {}
        self._animation_curves: dict[int, pg.PlotDataItem] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(int(1000 / redraw_hz))
        self._timer.timeout.connect(self.redraw)
        self._timer.start()

    def _show_span(self, seconds: float) -> None:
        if seconds != self._shown_span:
            self._shown_span = seconds
            self.setXRange(-seconds, 0.0, padding=0.0)

    def set_threshold(self, threshold: float | None) -> None:
        self.threshold_line.setVisible(threshold is not None)
        if threshold is not None:
            self.threshold_line.setValue(threshold)

    def add_verdict(self, verdict: Verdict) -> None:
        for face in verdict.faces:
            if face.animation_score is not None:
                self._animation.setdefault(face.track_id, deque(maxlen=self._capacity)).append(
                    (verdict.timestamp, face.animation_score, face.state is TrackState.POSSIBLE_ANIMATION))
            if face.smoothed_score is None:
                continue
            self._points.setdefault(face.track_id, deque(maxlen=self._capacity)).append(
                (verdict.timestamp, face.smoothed_score))

    def add_gap(self, timestamp: float) -> None:
        """Breaks every line at `timestamp` (pause, failure): no line is drawn across time nobody watched."""
        for points in self._points.values():
            if points and not np.isnan(points[-1][1]):
                points.append((timestamp, float("nan")))

    def clear_scores(self) -> None:
        """Forgets every face's line (new call or region); named apart from PlotWidget.clear, which drops all items."""
        for curve in self._curves.values():
            self.removeItem(curve)
            self.legend.removeItem(curve)
        self._curves.clear()
        self._points.clear()
        for curve in self._animation_curves.values():
            self.removeItem(curve)
        self._animation_curves.clear()
        self._animation.clear()

    def animation_series(self, track_id: int) -> list[tuple[float, float, bool]]:
        return list(self._animation.get(track_id, ()))

    def _redraw_animation(self, now: float) -> None:
        """Each face's animated-photo score, dashed in the face's colour; red while that face warns of an animation."""
        for track_id, points in list(self._animation.items()):
            while points and points[0][0] < now - self.span_s:
                points.popleft()
            curve = self._animation_curves.get(track_id)
            if not points:
                del self._animation[track_id]
                if curve is not None:
                    self.removeItem(self._animation_curves.pop(track_id))
                continue
            warning = points[-1][2]
            colour = ALERT_COLOUR if warning else PALETTE[(track_id - 1) % len(PALETTE)]
            pen = pg.mkPen(colour, width=3 if warning else 1, style=pg.QtCore.Qt.PenStyle.DashLine)
            if curve is None:
                curve = self._animation_curves[track_id] = self.plot(pen=pen, connect="finite")
            curve.setPen(pen)
            data = np.asarray([(t, v) for t, v, _ in points], dtype=float)
            curve.setData(data[:, 0] - now, data[:, 1], connect="finite")

    def series(self, track_id: int) -> list[tuple[float, float]]:
        return list(self._points.get(track_id, ()))

    def redraw(self) -> None:
        # Relative time axis: the newest point sits at 0 and slides left as time passes.
        now = self.clock()
        oldest = min((p[0][0] for p in self._points.values() if p), default=now)
        # Grows in 30 s steps so the axis does not creep every redraw.
        self._show_span(min(self.span_s, max(self.MIN_VISIBLE_S, 30.0 * math.ceil((now - oldest + 1) / 30.0))))
        for track_id, points in list(self._points.items()):
            while points and points[0][0] < now - self.span_s:
                points.popleft()
            if not points:
                del self._points[track_id]
                if curve := self._curves.pop(track_id, None):
                    self.removeItem(curve)
                    self.legend.removeItem(curve)
                continue
            data = np.asarray(points, dtype=float)
            curve = self._curves.get(track_id)
            if curve is None:
                colour = PALETTE[(track_id - 1) % len(PALETTE)]
                name = translate("ScoreTimeline", "face {id}").format(id=track_id)
                curve = self.plot(pen=pg.mkPen(colour, width=2), name=name, connect="finite")
                self._curves[track_id] = curve
            curve.setData(data[:, 0] - now, data[:, 1], connect="finite")
        self._redraw_animation(now)
