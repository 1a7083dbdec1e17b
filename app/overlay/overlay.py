"""The on-screen overlay: a frame around the monitored region and a banner beside it, never over it.

Four thin edge windows and one banner window, each fully painted: nothing relies on transparency, so it
looks the same without a compositor, and the analysed pixels stay untouched (mss would capture anything
drawn over them). All windows are click-through and never take focus from the call.

No look relies on colour alone: "not monitoring" has grey dashes and a ✕, the warning red-and-white stripes, a ⚠ and
large bold words; text sizes follow the app's font (the system's size, times "large text").
"""

from __future__ import annotations

import enum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QWidget

from app.capture.screens import Rect, ScreenMapping, ScreenRegion
from app.language import translate
from app.monitoring.status import ShieldLevel, ShieldStatus
from app.style import ALERT_RED, FACE_MARK, LEVEL_SYMBOLS, scaled_font

OVERLAY_FLAGS = (
    Qt.WindowType.Tool
    | Qt.WindowType.FramelessWindowHint
    | Qt.WindowType.WindowStaysOnTopHint
    | Qt.WindowType.WindowTransparentForInput
    | Qt.WindowType.WindowDoesNotAcceptFocus
    | Qt.WindowType.NoDropShadowWindowHint
)


class OverlayLook(str, enum.Enum):
    HIDDEN = "hidden"  # no region
    IDLE = "idle"  # not monitoring / no face: grey, says so
    NEUTRAL = "neutral"  # analysing or looks real: thin and quiet
    VERIFIED = "verified"  # the user verified the flagged face
    ALERT = "alert"  # possible swap: bold red frame, banner, face marked


# look → (edge thickness in logical px, edge colour, banner background, banner text colour, banner text size as a
# multiple of the app's font)
LOOKS = {
    OverlayLook.IDLE: (3, "#80868b", "#3c4043", "#ffffff", 1.0),
    OverlayLook.NEUTRAL: (3, "#c8d1d9", "#2b3a47", "#e8eef3", 1.0),
    OverlayLook.VERIFIED: (3, "#f2a900", "#6b4a00", "#ffffff", 1.0),
    OverlayLook.ALERT: (10, ALERT_RED, ALERT_RED, "#ffffff", 1.6),
}
# The banner's own frame per look: dashed when not monitoring, a thick dashed yellow one on the warning.
BANNER_BORDERS = {
    OverlayLook.IDLE: "2px dashed #bdc1c6",
    OverlayLook.NEUTRAL: "1px solid #9fb3c4",
    OverlayLook.VERIFIED: "1px solid #f2a900",
    OverlayLook.ALERT: "4px dashed #ffd600",
}
STRIPE = "#ffffff"  # the warning frame's stripes between the red
SIDE_NAMES = {"top": QT_TRANSLATE_NOOP("Overlay", "top"), "bottom": QT_TRANSLATE_NOOP("Overlay", "bottom"),
              "left": QT_TRANSLATE_NOOP("Overlay", "left"), "right": QT_TRANSLATE_NOOP("Overlay", "right")}


def look_for(level: ShieldLevel) -> OverlayLook:
    if level.is_alert:
        return OverlayLook.ALERT
    if level is ShieldLevel.VERIFIED:
        return OverlayLook.VERIFIED
    if level in (ShieldLevel.ANALYSING, ShieldLevel.LOOKS_REAL):
        return OverlayLook.NEUTRAL
    return OverlayLook.IDLE


def banner_text(status: ShieldStatus) -> str:
    level = status.level
    symbol = LEVEL_SYMBOLS[level]
    if level.is_alert:
        return f"{symbol} {level.alert_text()}"
    if level is ShieldLevel.VERIFIED:
        return f"{symbol} " + translate("Overlay", "CallShield · you verified this caller — warning silenced for this call")
    if level.is_checking:
        return f"{symbol} " + translate("Overlay", "CallShield · {headline}").format(headline=status.headline)
    return f"{symbol} " + translate("Overlay", "CallShield is NOT monitoring — {reason}").format(reason=status.detail)


def _fraction(value: float, size: int) -> float:
    return round(min(1.0, max(0.0, value / size)), 2)


def _prepare(widget: QWidget) -> None:
    widget.setWindowFlags(OVERLAY_FLAGS)
    widget.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    widget.setAttribute(Qt.WidgetAttribute.WA_MacAlwaysShowToolWindow)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)


class FrameEdge(QWidget):
    """One side of the frame; it paints the face marks ("ticks") that fall on its side."""

    def __init__(self, side: str) -> None:
        super().__init__()
        self.side = side  # top, bottom, left, right
        self.colour = QColor("#80868b")
        self.dashed = False  # not monitoring: grey dashes
        self.striped = False  # the warning: red and white stripes
        self.marks: list[tuple[int, int]] = []  # spans along this edge, in its own pixels
        _prepare(self)
        self.setWindowTitle(translate("Overlay", "CallShield frame ({side})").format(
            side=translate("Overlay", SIDE_NAMES[side])))
        self.setAccessibleName(self.windowTitle())

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), self.colour)
        horizontal = self.side in ("top", "bottom")
        along = self.width() if horizontal else self.height()
        if self.dashed or self.striped:
            # Grey dashes (solid windows, no alpha) make "idle" distinct from "watching" at a glance; red and white
            # stripes mark the warning without relying on its colour.
            gap, (first, size, step) = (QColor("#202124"), (8, 8, 16)) if self.dashed else (QColor(STRIPE), (16, 8, 24))
            for start in range(first, along, step):
                p.fillRect(QRect(start, 0, size, self.height()) if horizontal else QRect(0, start, self.width(), size), gap)
        for a, b in self.marks:
            r = QRect(a, 0, b - a, self.height()) if horizontal else QRect(0, a, self.width(), b - a)
            p.fillRect(r, QColor(FACE_MARK))
            # Dark ends keep the mark readable against a yellow or white background around the call.
            for end in (a, b - 2):
                p.fillRect(QRect(end, 0, 2, self.height()) if horizontal else QRect(0, end, self.width(), 2),
                           QColor("#000000"))
        p.end()


class OverlayWindow:
    """The frame and banner around one region; `show_status` switches its look."""

    BANNER_GAP = 4

    def __init__(self) -> None:
        self.edges = {side: FrameEdge(side) for side in ("top", "bottom", "left", "right")}
        self.banner = QLabel()
        _prepare(self.banner)
        self.banner.setWindowTitle(translate("Overlay", "CallShield status beside the caller's video"))
        self.banner.setWordWrap(True)
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.region: ScreenRegion | None = None
        self.mapping: ScreenMapping | None = None
        self.frame_size: tuple[int, int] | None = None  # pixels of the analysed frames, for the face marks
        self.look = OverlayLook.HIDDEN
        self.text = ""
        self.face_spans: list[tuple[tuple[float, float], tuple[float, float]]] = []  # (x0,x1),(y0,y1) as fractions
        self._logical: Rect | None = None

    # --- public ---------------------------------------------------------------------------------------

    def set_region(self, region: ScreenRegion | None, mapping: ScreenMapping | None) -> None:
        """Places the frame just outside `region` (capture pixels) on the screen `mapping` describes."""
        self.region, self.mapping = region, mapping
        self._logical = mapping.to_logical(region) if region is not None and mapping is not None else None
        if self._logical is None:
            self.look = OverlayLook.HIDDEN
        self._layout()

    def show_status(self, status: ShieldStatus) -> None:
        """Switches look, banner text and face marks; repaints only what changed."""
        look = look_for(status.level) if self._logical is not None else OverlayLook.HIDDEN
        text = banner_text(status)
        spans = self._face_spans(status) if look is OverlayLook.ALERT else []
        if (look, text, spans) == (self.look, self.text, self.face_spans):
            return
        relayout = look != self.look or text != self.text
        self.look, self.text, self.face_spans = look, text, spans
        if relayout:
            self._layout()
        else:
            self._apply_marks()

    def set_frame_size(self, width: int, height: int) -> None:
        self.frame_size = (width, height)

    def refresh(self) -> None:
        """Lays out again (after a change of text size)."""
        self._layout()

    def hide(self) -> None:
        for w in (*self.edges.values(), self.banner):
            w.hide()

    def close(self) -> None:
        for w in (*self.edges.values(), self.banner):
            w.close()
            w.deleteLater()

    @property
    def windows(self) -> list[QWidget]:
        return [*self.edges.values(), self.banner]

    # --- layout ---------------------------------------------------------------------------------------

    def _face_spans(self, status: ShieldStatus) -> list[tuple[tuple[float, float], tuple[float, float]]]:
        if self.region is None:
            return []
        fw, fh = self.frame_size or (self.region.width, self.region.height)
        spans = []
        for f in status.alert_faces:
            x1, y1, x2, y2 = f.box
            # Rounded so tiny box jitter does not repaint the overlay ten times a second.
            spans.append(((_fraction(x1, fw), _fraction(x2, fw)), (_fraction(y1, fh), _fraction(y2, fh))))
        return spans

    def _layout(self) -> None:
        if self._logical is None or self.look is OverlayLook.HIDDEN:
            self.hide()
            return
        t, edge_colour, bg, fg, scale = LOOKS[self.look]
        r = self._logical
        geometry = {
            "top": QRect(r.left - t, r.top - t, r.width + 2 * t, t),
            "bottom": QRect(r.left - t, r.bottom, r.width + 2 * t, t),
            "left": QRect(r.left - t, r.top, t, r.height),
            "right": QRect(r.right, r.top, t, r.height),
        }
        for side, edge in self.edges.items():
            edge.setGeometry(geometry[side])
            edge.colour = QColor(edge_colour)
            edge.dashed = self.look is OverlayLook.IDLE
            edge.striped = self.look is OverlayLook.ALERT
        self._apply_marks()
        self._place_banner(t, bg, fg, scale)
        for w in self.windows:
            w.show()
            w.update()

    def _apply_marks(self) -> None:
        if self._logical is None:
            return
        t = LOOKS[self.look][0] if self.look in LOOKS else 0
        r = self._logical
        for side, edge in self.edges.items():
            marks = []
            for (x0, x1), (y0, y1) in self.face_spans:
                if side in ("top", "bottom"):
                    marks.append((t + round(x0 * r.width), t + round(x1 * r.width)))
                else:
                    marks.append((round(y0 * r.height), round(y1 * r.height)))
            if marks != edge.marks:
                edge.marks = marks
                edge.update()

    def _place_banner(self, t: int, bg: str, fg: str, scale: float) -> None:
        b = self.banner
        b.setFont(scaled_font(scale, bold=self.look is OverlayLook.ALERT))
        pad = 10 if self.look is OverlayLook.ALERT else 4
        b.setStyleSheet(f"QLabel {{ background: {bg}; color: {fg}; padding: {pad}px; border: {BANNER_BORDERS[self.look]}; }}")
        b.setText(self.text)
        b.setAccessibleName(self.text)
        r = self._logical
        assert r is not None
        width = max(r.width + 2 * t, 320)
        height = b.heightForWidth(width) if b.hasHeightForWidth() else b.sizeHint().height()
        height = max(height, b.sizeHint().height())
        screen = self.mapping.logical if self.mapping is not None else None
        left = r.left - t
        below = r.bottom + t + self.BANNER_GAP
        above = r.top - t - self.BANNER_GAP - height
        if screen is not None:
            left = min(max(left, screen.left), max(screen.left, screen.right - width))
            if below + height <= screen.bottom:
                top = below
            elif above >= screen.top:
                top = above
            else:
                # No room above or below: beside the region, still never over it.
                top = max(screen.top, r.top)
                right_room = screen.right - (r.right + t + self.BANNER_GAP)
                width = min(width, max(200, right_room, r.left - t - self.BANNER_GAP - screen.left))
                left = r.right + t + self.BANNER_GAP if right_room >= width else r.left - t - self.BANNER_GAP - width
                height = max(b.heightForWidth(width), b.sizeHint().height())
        else:
            top = below
        b.setGeometry(QRect(left, top, width, height))
