"""Colours, frame patterns, symbols and text sizes per shield level, and the shield icon (painted, so the tray shows
the state without image files).

No state relies on colour alone: each has its own symbol, its own words and its own frame pattern (dashed for "not
monitoring", hazard stripes for the warning). The calm state is a muted slate blue, never green: CallShield cannot
know that a caller is real, and green would say so.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QApplication

from app.monitoring.status import ShieldLevel

CALM_SLATE = "#24445c"
# (background, text) per level: grey says "nothing checked", red says "warn"; the calm state stays neutral.
LEVEL_COLOURS: dict[ShieldLevel, tuple[str, str]] = {
    ShieldLevel.NOT_MONITORING: ("#5f6368", "#ffffff"),
    ShieldLevel.NO_FACE: ("#5f6368", "#ffffff"),
    ShieldLevel.ANALYSING: (CALM_SLATE, "#ffffff"),
    ShieldLevel.LOOKS_REAL: (CALM_SLATE, "#ffffff"),
    ShieldLevel.VERIFIED: ("#8a5f00", "#ffffff"),
    ShieldLevel.POSSIBLE_SWAP: ("#c40000", "#ffffff"),
    ShieldLevel.POSSIBLE_ANIMATION: ("#c40000", "#ffffff"),
}
ALERT_RED = "#e00000"
FACE_MARK = "#ffd600"
HAZARD_DARK = "#111111"


class FramePattern(str, enum.Enum):
    SOLID = "solid"
    DASHED = "dashed"  # not monitoring
    STRIPED = "striped"  # warning: yellow and black hazard stripes


LEVEL_PATTERNS = {
    ShieldLevel.NOT_MONITORING: FramePattern.DASHED,
    ShieldLevel.NO_FACE: FramePattern.DASHED,
    ShieldLevel.ANALYSING: FramePattern.SOLID,
    ShieldLevel.LOOKS_REAL: FramePattern.SOLID,
    ShieldLevel.VERIFIED: FramePattern.SOLID,
    ShieldLevel.POSSIBLE_SWAP: FramePattern.STRIPED,
    ShieldLevel.POSSIBLE_ANIMATION: FramePattern.STRIPED,
}
# A symbol in the text itself, for screen readers, monochrome screens and colour-blind eyes alike.
LEVEL_SYMBOLS = {
    ShieldLevel.NOT_MONITORING: "✕",
    ShieldLevel.NO_FACE: "✕",
    ShieldLevel.ANALYSING: "◉",
    ShieldLevel.LOOKS_REAL: "◉",
    ShieldLevel.VERIFIED: "✓",
    ShieldLevel.POSSIBLE_SWAP: "⚠",
    ShieldLevel.POSSIBLE_ANIMATION: "⚠",
}
LARGE_TEXT_FACTOR = 1.35
_BASE_POINT_SIZE = "callshield_base_point_size"  # the system's own size, kept on the app before "large text"


def apply_text_size(large: bool) -> None:
    """Scales the app's font for the "large text" setting, on top of the system's font size (never compounding)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    base = app.property(_BASE_POINT_SIZE)
    if base is None:
        base = app.font().pointSizeF()
        app.setProperty(_BASE_POINT_SIZE, base)
    font = QFont(app.font())
    font.setPointSizeF(float(base) * (LARGE_TEXT_FACTOR if large else 1.0))
    app.setFont(font)


def scaled_font(factor: float, bold: bool = False) -> QFont:
    """The app's font (system size, times "large text") times `factor`: no size in the app is absolute."""
    font = QFont(QApplication.font())
    font.setPointSizeF(max(6.0, font.pointSizeF() * factor))
    font.setBold(bold)
    return font


def paint_pattern_frame(p: QPainter, rect: QRectF, pattern: FramePattern, colour: QColor, width: float) -> None:
    """A frame of `width` inside `rect`: solid, dashed or hazard-striped (the warning)."""
    if pattern is FramePattern.SOLID:
        p.setPen(QPen(colour, width))
    elif pattern is FramePattern.DASHED:
        p.setPen(QPen(colour, width, Qt.PenStyle.DashLine, Qt.PenCapStyle.FlatCap))
    else:
        p.setPen(QPen(QColor(HAZARD_DARK), width))
        p.drawRect(rect.adjusted(width / 2, width / 2, -width / 2, -width / 2))
        pen = QPen(QColor(FACE_MARK), width, Qt.PenStyle.CustomDashLine, Qt.PenCapStyle.FlatCap)
        pen.setDashPattern([1.5, 1.5])
        p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(rect.adjusted(width / 2, width / 2, -width / 2, -width / 2))


def shield_icon(level: ShieldLevel, size: int = 64) -> QIcon:
    """A shield in the level's colour: a cross on it when not monitoring, an exclamation mark when warning, an eye
    while watching, a tick only when the user verified the caller."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size
    path = QPainterPath(QPointF(s * 0.5, s * 0.05))
    path.cubicTo(QPointF(s * 0.7, s * 0.15), QPointF(s * 0.85, s * 0.15), QPointF(s * 0.9, s * 0.15))
    path.cubicTo(QPointF(s * 0.9, s * 0.6), QPointF(s * 0.75, s * 0.82), QPointF(s * 0.5, s * 0.96))
    path.cubicTo(QPointF(s * 0.25, s * 0.82), QPointF(s * 0.1, s * 0.6), QPointF(s * 0.1, s * 0.15))
    path.cubicTo(QPointF(s * 0.15, s * 0.15), QPointF(s * 0.3, s * 0.15), QPointF(s * 0.5, s * 0.05))
    p.fillPath(path, QColor(LEVEL_COLOURS[level][0]))
    p.strokePath(path, QPen(QColor("#ffffff"), max(1.0, s * 0.04)))  # shows the shape on a banner of the same colour
    p.setPen(QPen(QColor("#ffffff"), s * 0.09, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    if level.is_alert:
        p.drawLine(QPointF(s * 0.5, s * 0.28), QPointF(s * 0.5, s * 0.58))
        p.drawPoint(QPointF(s * 0.5, s * 0.74))
    elif level in (ShieldLevel.NOT_MONITORING, ShieldLevel.NO_FACE):
        p.drawLine(QPointF(s * 0.36, s * 0.36), QPointF(s * 0.64, s * 0.64))
        p.drawLine(QPointF(s * 0.64, s * 0.36), QPointF(s * 0.36, s * 0.64))
    elif level is ShieldLevel.VERIFIED:  # a tick only where the user said so; the engine never earns one
        p.drawLine(QPointF(s * 0.33, s * 0.5), QPointF(s * 0.45, s * 0.63))
        p.drawLine(QPointF(s * 0.45, s * 0.63), QPointF(s * 0.68, s * 0.36))
    else:  # an eye: "watching", not "safe"
        p.setPen(QPen(QColor("#ffffff"), s * 0.06))
        p.drawEllipse(QRectF(s * 0.24, s * 0.36, s * 0.52, s * 0.26))
        p.setBrush(QColor("#ffffff"))
        p.drawEllipse(QPointF(s * 0.5, s * 0.49), s * 0.07, s * 0.07)
    p.end()
    return QIcon(pix)
