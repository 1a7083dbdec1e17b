"""Screen geometry: the monitored region in capture (mss) pixels, and its mapping to Qt's logical pixels.

Qt places windows in logical pixels; mss captures in the platform's capture coordinates (physical pixels on
Windows and X11). Each Qt screen is paired with the mss monitor of matching size, so HiDPI and mixed-DPI
multi-monitor setups map correctly whatever convention the platform uses for screen origins.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.language import translate


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle in integer pixels (of whichever space the owner says)."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:  # exclusive
        return self.left + self.width

    @property
    def bottom(self) -> int:  # exclusive
        return self.top + self.height

    @property
    def area(self) -> int:
        return max(0, self.width) * max(0, self.height)

    def intersection(self, other: Rect) -> Rect:
        left, top = max(self.left, other.left), max(self.top, other.top)
        right, bottom = min(self.right, other.right), min(self.bottom, other.bottom)
        return Rect(left, top, max(0, right - left), max(0, bottom - top))

    def describe(self) -> str:
        return translate("ScreenRegion", "{width}×{height} at ({left}, {top})").format(
            width=self.width, height=self.height, left=self.left, top=self.top)


@dataclass(frozen=True)
class ScreenRegion(Rect):
    """The monitored region in capture pixels, exactly as mss grabs it."""

    MIN_SIDE = 48  # smaller regions cannot hold a face the detector can judge

    def __post_init__(self) -> None:
        if self.width < self.MIN_SIDE or self.height < self.MIN_SIDE:
            raise ValueError(
                f"region {self.width}×{self.height} is too small: pick at least {self.MIN_SIDE}×{self.MIN_SIDE} pixels"
            )

    def as_mss(self) -> dict[str, int]:
        return {"left": self.left, "top": self.top, "width": self.width, "height": self.height}

    def to_text(self) -> str:
        return f"{self.left},{self.top},{self.width},{self.height}"

    @classmethod
    def from_text(cls, text: str) -> ScreenRegion:
        """Parses `to_text` output; raises ValueError on anything else."""
        parts = [int(p) for p in str(text).split(",")]
        if len(parts) != 4:
            raise ValueError(f"region {text!r} needs four numbers: left,top,width,height")
        return cls(*parts)


def off_screen_problem(region: Rect, monitors: Sequence[Mapping[str, int]]) -> str | None:
    """Why `region` cannot be captured whole on these mss monitors (index 1…), or None when it can.

    A region that is partly off screen is reported rather than cropped: a cropped region would silently
    stop watching part of the caller's video.
    """
    screens = [Rect(m["left"], m["top"], m["width"], m["height"]) for m in monitors]
    covered = sum(region.intersection(s).area for s in screens)
    if covered >= region.area:
        return None
    if covered == 0:
        return translate("ScreenRegion", "the monitored region ({region}) is no longer on any screen — a monitor was "
                         "unplugged or the resolution changed: pick the region again").format(region=region.describe())
    share = 100 * (1 - covered / region.area)
    return translate("ScreenRegion", "{share}% of the monitored region ({region}) lies off screen — a monitor was "
                     "unplugged or the resolution changed: pick the region again").format(
                         share=f"{share:.0f}", region=region.describe())


@dataclass(frozen=True)
class ScreenMapping:
    """One screen: its geometry in Qt logical pixels and in capture (mss) pixels."""

    logical: Rect
    capture: Rect
    name: str = ""

    @property
    def scale(self) -> float:
        """Capture pixels per logical pixel (the device pixel ratio where capture is physical)."""
        return self.capture.width / self.logical.width if self.logical.width else 1.0

    def to_capture(self, r: Rect) -> Rect:
        s = self.scale
        x1 = self.capture.left + round((r.left - self.logical.left) * s)
        y1 = self.capture.top + round((r.top - self.logical.top) * s)
        x2 = self.capture.left + round((r.right - self.logical.left) * s)
        y2 = self.capture.top + round((r.bottom - self.logical.top) * s)
        return Rect(x1, y1, x2 - x1, y2 - y1)

    def to_logical(self, r: Rect) -> Rect:
        s = self.scale
        x1 = self.logical.left + (r.left - self.capture.left) / s
        y1 = self.logical.top + (r.top - self.capture.top) / s
        x2 = self.logical.left + (r.right - self.capture.left) / s
        y2 = self.logical.top + (r.bottom - self.capture.top) / s
        # Round outwards so a frame drawn just outside the logical rect never overlaps captured pixels.
        left, top = math.floor(x1), math.floor(y1)
        return Rect(left, top, math.ceil(x2) - left, math.ceil(y2) - top)


def match_screens(
    qt_screens: Sequence[tuple[Rect, float, str]], monitors: Sequence[Mapping[str, int]]
) -> list[ScreenMapping]:
    """Pairs Qt screens (logical geometry, device pixel ratio, name) with mss monitors (index 1…).

    A monitor matches when its size is the screen's logical size times its pixel ratio (Windows, X11) or
    the logical size itself (macOS, where mss works in points). Among equal-sized candidates the nearest
    in left-to-right, top-to-bottom order wins.
    """
    free = [Rect(m["left"], m["top"], m["width"], m["height"]) for m in monitors]
    by_order = sorted(range(len(qt_screens)), key=lambda i: (qt_screens[i][0].left, qt_screens[i][0].top))
    mappings: dict[int, ScreenMapping] = {}
    for i in by_order:
        logical, dpr, name = qt_screens[i]
        candidates = []
        for scale in (dpr, 1.0):
            w, h = round(logical.width * scale), round(logical.height * scale)
            candidates = [m for m in free if abs(m.width - w) <= 2 and abs(m.height - h) <= 2]
            if candidates:
                break
        if not candidates:
            continue
        best = min(candidates, key=lambda m: (m.left, m.top))
        free.remove(best)
        mappings[i] = ScreenMapping(logical, best, name)
    return [mappings[i] for i in sorted(mappings)]


def mapping_for_logical(mappings: Sequence[ScreenMapping], r: Rect) -> ScreenMapping | None:
    """The screen holding the largest part of logical rect `r`."""
    best = max(mappings, key=lambda m: m.logical.intersection(r).area, default=None)
    return best if best is not None and best.logical.intersection(r).area > 0 else None


def mapping_for_capture(mappings: Sequence[ScreenMapping], r: Rect) -> ScreenMapping | None:
    """The screen holding the largest part of capture rect `r`."""
    best = max(mappings, key=lambda m: m.capture.intersection(r).area, default=None)
    return best if best is not None and best.capture.intersection(r).area > 0 else None
