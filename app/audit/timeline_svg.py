"""The report's timeline as SVG: per-face scores over the session, alert spans red, not-monitoring spans grey."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Protocol

from detectors.words import translate

FACE_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2")


class SpanLike(Protocol):
    start_s: float
    end_s: float


def _ticks(duration: float) -> list[float]:
    for step in (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200):
        if duration / step <= 8:
            return [i * step for i in range(int(duration // step) + 1)]
    return [0.0, duration]


def _tick_label(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def timeline_svg(series: dict[int, list[tuple[float, float]]], alerts: Sequence[SpanLike], gaps: Sequence[SpanLike],
                 duration: float, threshold: float | None, width: int = 900, height: int = 260) -> str:
    """A self-contained SVG document; x is seconds from the session's start, y the smoothed swap score 0…1."""
    left, right, top, bottom = 48, 16, 14, 40
    pw, ph = width - left - right, height - top - bottom
    duration = max(duration, 1.0)

    def x(t: float) -> float:
        return left + pw * min(max(t, 0.0), duration) / duration

    def y(v: float) -> float:
        return top + ph * (1.0 - min(max(v, 0.0), 1.0))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Noto Sans CJK SC, Arial, sans-serif" font-size="11">',
           f'<rect x="0" y="0" width="{width}" height="{height}" fill="white"/>']
    for spans, colour in ((gaps, "#d0d0d0"), (alerts, "#f4b6b6")):
        for s in spans:
            out.append(f'<rect x="{x(s.start_s):.1f}" y="{top}" width="{max(1.0, x(s.end_s) - x(s.start_s)):.1f}" '
                       f'height="{ph}" fill="{colour}"/>')
    for v in (0.0, 0.25, 0.5, 0.75, 1.0):
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e6e6e6"/>')
        out.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:.2f}</text>')
    for t in _ticks(duration):
        out.append(f'<text x="{x(t):.1f}" y="{top + ph + 16}" text-anchor="middle">{_tick_label(t)}</text>')
    if threshold is not None:
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{y(threshold):.1f}" y2="{y(threshold):.1f}" '
                   f'stroke="#c00000" stroke-dasharray="6,4"/>')
    for i, (track, points) in enumerate(sorted(series.items())):
        colour = FACE_COLOURS[i % len(FACE_COLOURS)]
        path = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in points)
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.6"/>')
        name = escape(translate("CallReport", "face {face}").format(face=track))
        out.append(f'<text x="{left + 8 + 70 * i}" y="{height - 6}" fill="{colour}">● {name}</text>')
    key = escape(translate("CallReport", "red: warning shown · grey: not monitoring · dashed: alert threshold"))
    legend = f'<text x="{width - right}" y="{height - 6}" text-anchor="end" fill="#555">{key}</text>'
    out += [legend, f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#888"/>', "</svg>"]
    return "\n".join(out)
