"""Region geometry: logical ↔ capture pixels on HiDPI and multi-monitor layouts, and off-screen regions."""

from __future__ import annotations

import pytest

from app.capture.screens import Rect, ScreenRegion, mapping_for_logical, match_screens, off_screen_problem


def monitor(left: int, top: int, width: int, height: int) -> dict[str, int]:
    return {"left": left, "top": top, "width": width, "height": height}


def test_hidpi_screen_maps_logical_to_physical() -> None:
    # A 4K monitor at 200 %: Qt sees 1920×1080 logical, mss captures 3840×2160.
    [m] = match_screens([(Rect(0, 0, 1920, 1080), 2.0, "4k")], [monitor(0, 0, 3840, 2160)])
    assert m.scale == 2.0
    assert m.to_capture(Rect(100, 50, 320, 240)) == Rect(200, 100, 640, 480)
    assert m.to_logical(Rect(200, 100, 640, 480)) == Rect(100, 50, 320, 240)


def test_mixed_dpi_monitors_pair_by_size_and_keep_their_own_origin() -> None:
    # Windows-style layout: a 150 % laptop panel left of a 100 % monitor; Qt keeps native origins.
    qt = [(Rect(0, 0, 1280, 720), 1.5, "laptop"), (Rect(1920, 0, 2560, 1440), 1.0, "desk")]
    mss = [monitor(1920, 0, 2560, 1440), monitor(0, 0, 1920, 1080)]
    laptop, desk = match_screens(qt, mss)
    assert laptop.capture == Rect(0, 0, 1920, 1080) and desk.capture == Rect(1920, 0, 2560, 1440)
    assert desk.to_capture(Rect(2000, 100, 640, 480)) == Rect(2000, 100, 640, 480)
    assert laptop.to_capture(Rect(100, 100, 200, 200)) == Rect(150, 150, 300, 300)
    assert mapping_for_logical([laptop, desk], Rect(2000, 100, 10, 10)) is desk


def test_points_based_capture_is_matched_too() -> None:
    # macOS: mss reports monitors in points, the size Qt reports.
    [m] = match_screens([(Rect(0, 0, 1440, 900), 2.0, "retina")], [monitor(0, 0, 1440, 900)])
    assert m.scale == 1.0


def test_logical_rect_rounds_outwards_so_the_frame_never_covers_captured_pixels() -> None:
    [m] = match_screens([(Rect(0, 0, 1280, 720), 1.5, "")], [monitor(0, 0, 1920, 1080)])
    r = m.to_logical(Rect(101, 101, 301, 301))
    assert r.left <= 101 / 1.5 and r.top <= 101 / 1.5
    assert r.right >= 402 / 1.5 and r.bottom >= 402 / 1.5


def test_region_off_screen_is_reported_not_cropped() -> None:
    screens = [monitor(0, 0, 1920, 1080)]
    assert off_screen_problem(Rect(100, 100, 640, 480), screens) is None
    partly = off_screen_problem(Rect(1600, 100, 640, 480), screens)
    assert partly is not None and "50% of the monitored region" in partly and "pick the region again" in partly
    gone = off_screen_problem(Rect(2000, 100, 640, 480), screens)
    assert gone is not None and "no longer on any screen" in gone


def test_region_spanning_two_monitors_is_on_screen() -> None:
    screens = [monitor(0, 0, 1920, 1080), monitor(1920, 0, 1920, 1080)]
    assert off_screen_problem(Rect(1800, 100, 300, 300), screens) is None


def test_region_text_round_trip_and_validation() -> None:
    r = ScreenRegion(-1920, 10, 640, 480)
    assert ScreenRegion.from_text(r.to_text()) == r
    with pytest.raises(ValueError, match="too small"):
        ScreenRegion(0, 0, 10, 480)
    with pytest.raises(ValueError):
        ScreenRegion.from_text("1,2,3")
