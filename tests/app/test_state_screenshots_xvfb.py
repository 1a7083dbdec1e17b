"""The real window and overlay drawn on an X display in both languages: docs/make_state_screenshots.py's pictures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.app.conftest import have_x_display

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.xvfb, pytest.mark.slow]


def red_share(image: np.ndarray) -> float:
    b, g, r = (image[:, :, i].astype(int) for i in range(3))
    return float(np.mean((r > 170) & (g < 60) & (b < 60)))


def green_share(image: np.ndarray) -> float:
    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
    return float(np.mean((hsv[:, :, 0] >= 40) & (hsv[:, :, 0] <= 80) & (hsv[:, :, 1] > 120) & (hsv[:, :, 2] > 80)))


def test_state_screenshots_in_both_languages(qapp: object, tmp_path: Path) -> None:
    if not have_x_display():
        pytest.skip("needs a real X display (run under xvfb-run, as scripts/test.sh does)")
    out = subprocess.run([sys.executable, "docs/make_state_screenshots.py", "--out", str(tmp_path)], cwd=ROOT,
                         env={**os.environ, "QT_QPA_PLATFORM": "xcb"}, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    for language in ("en", "zh-cn"):
        states = cv2.imread(str(tmp_path / f"screenshot-states-{language}.png"))
        assert states is not None and states.shape[1] > 3 * states.shape[0]  # three states side by side
        third = states.shape[1] // 3
        calm, warning, idle = states[:, :third], states[:, third:2 * third], states[:, 2 * third:]
        assert red_share(warning) > 0.02 and red_share(calm) < 0.002 and red_share(idle) < 0.002
        assert green_share(calm) < 0.002  # the calm state is not green
    warning_zh = cv2.imread(str(tmp_path / "screenshot-warning-zh.png"))
    assert warning_zh is not None and red_share(warning_zh) > 0.02
