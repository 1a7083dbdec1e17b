"""Full-screen rubber-band selection of the caller's video over a frozen screenshot of every monitor.

Keyboard: the arrow keys make and move a selection (Shift+arrows resize it, Alt for single pixels), Enter confirms,
Esc cancels. One pane per screen, each showing that screen's own capture, so the selection maps to capture pixels with
that screen's pixel ratio (mixed-DPI setups included). "Pick a window" is not offered: Qt has no
cross-platform way to list other applications' windows, and X11/Wayland give none without extra bindings.
"""

from __future__ import annotations

import mss
import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QWidget

from app.capture.screens import Rect, ScreenMapping, ScreenRegion
from app.language import translate

HINT = QT_TRANSLATE_NOOP("RegionPicker", "Drag a rectangle around the caller's video, then release · Esc cancels\n"
                         "Keyboard: arrow keys move the box, Shift+arrows change its size, Enter confirms\n"
                         "Include the whole face, leave out your own self-view. (Clicking a window to pick it is not "
                         "available: drag around its video instead.)")
KEY_STEP, FINE_STEP = 10, 1  # logical pixels per arrow key press (Alt held: fine)
ARROWS = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}


def grab_screens(mappings: list[ScreenMapping]) -> list[np.ndarray]:
    """A frozen RGB screenshot of each mapped screen, in capture pixels."""
    shots = []
    with mss.MSS() as sct:
        for m in mappings:
            shot = np.asarray(sct.grab({"left": m.capture.left, "top": m.capture.top,
                                        "width": m.capture.width, "height": m.capture.height}))
            shots.append(np.ascontiguousarray(shot[:, :, 2::-1]))
    return shots


def _to_pixmap(rgb: np.ndarray, dpr: float) -> QPixmap:
    h, w, _ = rgb.shape
    image = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
    pix = QPixmap.fromImage(image)
    pix.setDevicePixelRatio(dpr)  # drawn at the screen's logical size, sharp on HiDPI
    return pix


def _span(a: QPoint, b: QPoint) -> QRect:
    """The rectangle between two drag points; QRect(QPoint, QPoint) would count both ends as inside."""
    return QRect(min(a.x(), b.x()), min(a.y(), b.y()), abs(b.x() - a.x()), abs(b.y() - a.y()))


class PickerPane(QWidget):
    """Covers one screen with its frozen screenshot and lets the user drag a rectangle."""

    selected = Signal(object)  # Rect in this screen's logical pixels
    cancelled = Signal()

    def __init__(self, mapping: ScreenMapping, screenshot: np.ndarray, current: Rect | None = None,
                 note: str = "") -> None:
        super().__init__()
        self.mapping = mapping
        self.current = current  # the region being replaced, in local logical px, drawn for reference
        self.note = note
        self.pixmap = _to_pixmap(screenshot, mapping.scale)
        self._origin: QPoint | None = None
        self._rect = QRect()
        self.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
                            | Qt.WindowType.Tool)
        self.setWindowTitle(translate("RegionPicker", "CallShield: pick the caller's video"))
        self.setAccessibleName(self.windowTitle())
        self.setAccessibleDescription(translate("RegionPicker", HINT))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setMouseTracking(True)
        g = mapping.logical
        self.setGeometry(g.left, g.top, g.width, g.height)

    @property
    def selection(self) -> QRect:
        return QRect(self._rect)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._origin = event.position().toPoint()
            self._rect = QRect()
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._origin is not None:
            self._rect = _span(self._origin, event.position().toPoint())
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._origin is None or event.button() != Qt.MouseButton.LeftButton:
            return
        self._rect = _span(self._origin, event.position().toPoint())
        self._origin = None
        self._confirm()

    def _confirm(self) -> None:
        """Emits the selection; a click without a drag, or a sliver, is a slip of the hand: the picker stays open."""
        r = self._rect
        min_side = ScreenRegion.MIN_SIDE / self.mapping.scale
        if r.width() < min_side or r.height() < min_side:
            self.note = translate("RegionPicker", "Too small: drag at least {side}×{side} pixels.").format(
                side=ScreenRegion.MIN_SIDE)
            self._rect = QRect()
            self.update()
            return
        g = self.mapping.logical
        self.selected.emit(Rect(g.left + r.x(), g.top + r.y(), r.width(), r.height()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.cancelled.emit()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self._rect.isNull():
            self._confirm()
        elif key in ARROWS:
            self._nudge(*ARROWS[key], event.modifiers())
        else:
            super().keyPressEvent(event)

    def _nudge(self, dx: int, dy: int, modifiers: Qt.KeyboardModifier) -> None:
        """Arrow keys: the first press puts a box on screen (the current region, or one in the middle), later ones
        move it, or with Shift grow (right, down) and shrink (left, up) it; it never leaves the screen."""
        if self._rect.isNull():
            c, w, h = self.current, self.width(), self.height()
            self._rect = QRect(c.left, c.top, c.width, c.height) if c is not None else \
                QRect(w // 4, h // 4, max(w // 2, 1), max(h // 2, 1))
        else:
            step = FINE_STEP if modifiers & Qt.KeyboardModifier.AltModifier else KEY_STEP
            r = QRect(self._rect)
            if modifiers & Qt.KeyboardModifier.ShiftModifier:
                r.setWidth(max(1, r.width() + dx * step))
                r.setHeight(max(1, r.height() + dy * step))
            else:
                r.translate(dx * step, dy * step)
            self._rect = r.intersected(self.rect())
        self.note = ""
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.drawPixmap(0, 0, self.pixmap)
        p.fillRect(self.rect(), QColor(0, 0, 0, 110))
        if self.current is not None:
            c = self.current
            p.setPen(QPen(QColor("#c8d1d9"), 1, Qt.PenStyle.DashLine))
            p.drawRect(QRect(c.left, c.top, c.width, c.height))
        if not self._rect.isNull():
            r = self._rect
            src = QRect(round(r.x() * self.mapping.scale), round(r.y() * self.mapping.scale),
                        round(r.width() * self.mapping.scale), round(r.height() * self.mapping.scale))
            p.drawPixmap(r, self.pixmap, src)
            p.setPen(QPen(QColor("#ffd600"), 2))
            p.drawRect(r)
            px = self.mapping.to_capture(Rect(r.x(), r.y(), r.width(), r.height()))
            p.drawText(r.bottomLeft() + QPoint(4, 16), f"{px.width}×{px.height} px")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)  # follows the system's text size and "large text"
        p.setFont(font)
        text = translate("RegionPicker", HINT) + (f"\n{self.note}" if self.note else "")
        box = p.boundingRect(self.rect().adjusted(40, 20, -40, 0), Qt.AlignmentFlag.AlignHCenter, text)
        p.fillRect(box.adjusted(-12, -8, 12, 8), QColor(20, 20, 20, 220))
        p.setPen(QColor("#ffffff"))
        p.drawText(box, Qt.AlignmentFlag.AlignHCenter, text)
        p.end()


class RegionPicker(QObject):
    """Opens a pane on every screen; emits `picked(ScreenRegion)` or `cancelled()` and closes them all."""

    picked = Signal(object)
    cancelled = Signal()

    def __init__(self, mappings: list[ScreenMapping], screenshots: list[np.ndarray],
                 current: ScreenRegion | None = None) -> None:
        super().__init__()
        if not mappings:
            raise ValueError("no screen can be captured: is a display connected?")
        self.panes: list[PickerPane] = []
        for m, shot in zip(mappings, screenshots, strict=True):
            local = None
            if current is not None and m.capture.intersection(current).area:
                lr = m.to_logical(current)
                local = Rect(lr.left - m.logical.left, lr.top - m.logical.top, lr.width, lr.height)
            pane = PickerPane(m, shot, local)
            pane.selected.connect(lambda rect, m=m: self._finish(m, rect))
            pane.cancelled.connect(self._cancel)
            self.panes.append(pane)

    def show(self) -> None:
        for pane in self.panes:
            pane.show()
            pane.raise_()
        self.panes[0].activateWindow()
        self.panes[0].setFocus()
        # Every key goes to the picker while it is open (arrows, Enter, Esc), whichever window had focus before.
        self.panes[0].grabKeyboard()

    def _close(self) -> None:
        if self.panes:
            self.panes[0].releaseKeyboard()
        for pane in self.panes:
            pane.close()
            pane.deleteLater()
        self.panes = []

    def _finish(self, mapping: ScreenMapping, logical: Rect) -> None:
        r = mapping.to_capture(logical)
        self._close()
        self.picked.emit(ScreenRegion(r.left, r.top, r.width, r.height))

    def _cancel(self) -> None:
        self._close()
        self.cancelled.emit()
