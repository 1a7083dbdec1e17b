"""Makes docs/screenshot-states-<language>.png: the real window and overlay in the calm, warning and not-monitoring
states side by side, in English and Simplified Chinese, and docs/screenshot-warning-zh.png (the warning alone).

The states are driven by scripted verdicts (the shipped model does not warn on the bundled demo swap; see
docs/make_screenshot.py for a screenshot that needs a real alert), over the real demo clips, window and overlay.
Run `xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python docs/make_state_screenshots.py` (needs a CJK font:
fonts-noto-cjk, installed by scripts/setup.sh).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import cv2
import mss
import numpy as np
from PySide6.QtCore import QEventLoop, QRect, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from app.language import install_language
from app.main import CallShieldApp
from app.monitoring.audit_log import AuditLog
from app.monitoring.settings import SettingsStore
from app.monitoring.status import ShieldLevel
from app.paths import DEMO_REAL_CLIP, DEMO_SWAP_CLIP, assets_dir
from detectors.records import EngineInfo, FaceAssessment, MonitorState, TrackState, Verdict

ROOT = Path(__file__).resolve().parents[1]
STATES = (("calm", DEMO_REAL_CLIP), ("warning", DEMO_SWAP_CLIP), ("not-monitoring", DEMO_REAL_CLIP))


class NoEngine:
    """The worker is never started here: verdicts are handed to the controller by this script."""

    def process(self, frame: object) -> Verdict:
        raise RuntimeError("not used")


def pump(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def scripted(state: str, size: tuple[int, int]) -> Verdict | None:
    """A fresh verdict for the state; the face box is the middle of the caller's video."""
    import time

    w, h = size
    box = (w * 0.33, h * 0.12, w * 0.67, h * 0.72)
    if state == "calm":
        return Verdict(time.monotonic(), 0, MonitorState.LOOKS_REAL,
                       (FaceAssessment(1, box, 0.21, 0.18, TrackState.LOOKS_REAL, 40, 4.0, None),))
    if state == "warning":
        return Verdict(time.monotonic(), 0, MonitorState.POSSIBLE_SWAP,
                       (FaceAssessment(1, box, 0.91, 0.94, TrackState.POSSIBLE_SWAP, 40, 4.0, 1.5),))
    return None


def shoot_state(shell: CallShieldApp, state: str, clip: str) -> np.ndarray:
    """Shows one state over its demo clip and grabs the screen around the demo, the overlay and the window."""
    player = shell.start_demo([assets_dir() / clip], position=(30, 40))
    pump(1.0)  # the demo window settles; the app picks its video as the region
    c = shell.controller
    if state == "not-monitoring":
        c.toggle_pause()
    for _ in range(8):  # fresh verdicts, as the worker would send them, so nothing turns stale
        if (v := scripted(state, player.display_size)) is not None:
            c.handle_verdict(v)
        pump(0.15)
    shell.window.timeline.redraw()
    pump(0.3)
    area = player.frameGeometry().united(shell.window.frameGeometry()).united(shell.overlay.banner.geometry())
    area = area.adjusted(-20, -20, 20, 20).intersected(QRect(0, 0, 1920, 1080))
    with mss.MSS() as sct:
        shot = np.asarray(sct.grab({"left": area.left(), "top": area.top(), "width": area.width(),
                                    "height": area.height()}))[:, :, :3]
    if state == "not-monitoring":
        c.toggle_pause()
    return np.ascontiguousarray(shot)


def side_by_side(shots: list[np.ndarray], gap: int = 16) -> np.ndarray:
    height = max(s.shape[0] for s in shots)
    padded = [np.pad(s, ((0, height - s.shape[0]), (0, gap), (0, 0)), constant_values=255) for s in shots]
    return np.concatenate(padded, axis=1)[:, :-gap]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--languages", default="en,zh_CN")
    p.add_argument("--out", default=str(ROOT / "docs"))
    a = p.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("CallShield")
    out = Path(a.out)
    for language in a.languages.split(","):
        install_language(language)
        tmp = Path(tempfile.mkdtemp(prefix="callshield-states-"))
        store = SettingsStore(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
        store.update(welcome_shown=True, sound=False, language=language)
        shell = CallShieldApp(store, lambda cfg: NoEngine(), audit_log=AuditLog(tmp / "audit.jsonl"))
        shell.window.show()  # no worker thread: this script hands the verdicts over itself
        shell.controller.handle_engine_ready(EngineInfo("cpu", "callshield-lite0", 0.5))
        shots = {state: shoot_state(shell, state, clip) for state, clip in STATES}
        assert shell.controller.status.level is not ShieldLevel.POSSIBLE_SWAP
        shell.shutdown()
        path = out / f"screenshot-states-{language.replace('_', '-').lower()}.png"
        cv2.imwrite(str(path), side_by_side(list(shots.values())))
        print(f"saved {path}")
        if language == "zh_CN":
            cv2.imwrite(str(out / "screenshot-warning-zh.png"), shots["warning"])
            print(f"saved {out / 'screenshot-warning-zh.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
