"""The main window's state banner: the level's symbol, its words and its frame pattern, never its colour alone."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from app.monitoring.status import ShieldLevel
from app.style import LEVEL_COLOURS, LEVEL_PATTERNS, FramePattern, paint_pattern_frame, scaled_font, shield_icon

HEADLINE_SCALE = 1.7  # times the app's font (the system's size, times "large text")
PATTERN_COLOURS = {FramePattern.SOLID: "#9fb3c4", FramePattern.DASHED: "#e8eaed", FramePattern.STRIPED: "#ffd600"}


class StatusBanner(QFrame):
    """Shows one `ShieldLevel`: a shield icon with the level's symbol, the headline, and a solid, dashed (not
    monitoring) or hazard-striped (warning) frame; sizes follow the app's font."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = ShieldLevel.NOT_MONITORING
        self.icon = QLabel()
        self.headline = QLabel()
        self.headline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.headline.setWordWrap(True)
        row = QHBoxLayout(self)
        row.addWidget(self.icon)
        row.addWidget(self.headline, 1)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._apply_fonts()

    @property
    def frame_width(self) -> int:
        return max(4, round(self.fontMetrics().height() * (0.5 if self.level.is_alert else 0.3)))

    def show_level(self, level: ShieldLevel, headline: str) -> None:
        self.level = level
        self.headline.setText(headline)
        self.headline.setStyleSheet(f"QLabel {{ color: {LEVEL_COLOURS[level][1]}; background: transparent; }}")
        self.setAccessibleName(headline)
        self.headline.setAccessibleName(headline)
        self._apply_fonts()
        self.update()

    def _apply_fonts(self) -> None:
        self.headline.setFont(scaled_font(HEADLINE_SCALE, bold=True))
        side = round(self.headline.fontMetrics().height() * 1.6)
        self.icon.setPixmap(shield_icon(self.level, side).pixmap(side, side))
        self.icon.setFixedSize(side, side)
        pad = self.frame_width + 6
        self.layout().setContentsMargins(pad, pad, pad, pad)
        self.setMinimumHeight(side + 2 * pad)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.ApplicationFontChange, QEvent.Type.FontChange):
            self._apply_fonts()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.fillRect(self.rect(), QColor(LEVEL_COLOURS[self.level][0]))
        pattern = LEVEL_PATTERNS[self.level]
        paint_pattern_frame(p, QRectF(self.rect()), pattern, QColor(PATTERN_COLOURS[pattern]), self.frame_width)
        p.end()
