"""Colours per shield level and the shield icon (painted, so the tray shows the state without image files)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

from app.monitoring.status import ShieldLevel

# (background, text) per level: greys say "nothing checked", red says "warn"; reassurance stays muted.
LEVEL_COLOURS: dict[ShieldLevel, tuple[str, str]] = {
    ShieldLevel.NOT_MONITORING: ("#5f6368", "#ffffff"),
    ShieldLevel.NO_FACE: ("#5f6368", "#ffffff"),
    ShieldLevel.ANALYSING: ("#1f5f8b", "#ffffff"),
    ShieldLevel.LOOKS_REAL: ("#2e7d4f", "#ffffff"),
    ShieldLevel.VERIFIED: ("#9a6b00", "#ffffff"),
    ShieldLevel.POSSIBLE_SWAP: ("#d50000", "#ffffff"),
}
ALERT_RED = "#e00000"
FACE_MARK = "#ffd600"


def shield_icon(level: ShieldLevel, size: int = 64) -> QIcon:
    """A shield in the level's colour; a cross on it when not monitoring, an exclamation mark when warning."""
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
    p.setPen(QPen(QColor("#ffffff"), s * 0.09, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    if level is ShieldLevel.POSSIBLE_SWAP:
        p.drawLine(QPointF(s * 0.5, s * 0.28), QPointF(s * 0.5, s * 0.58))
        p.drawPoint(QPointF(s * 0.5, s * 0.74))
    elif level in (ShieldLevel.NOT_MONITORING, ShieldLevel.NO_FACE):
        p.drawLine(QPointF(s * 0.36, s * 0.36), QPointF(s * 0.64, s * 0.64))
        p.drawLine(QPointF(s * 0.64, s * 0.36), QPointF(s * 0.36, s * 0.64))
    else:
        p.drawLine(QPointF(s * 0.33, s * 0.5), QPointF(s * 0.45, s * 0.63))
        p.drawLine(QPointF(s * 0.45, s * 0.63), QPointF(s * 0.68, s * 0.36))
    p.end()
    return QIcon(pix)
