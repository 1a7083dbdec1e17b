"""Makes docs/screenshot-warning.png: the real app, real engine and real capture warning on a face-swap clip.

Run `xvfb-run -a -s "-screen 0 1600x900x24" .venv/bin/python docs/make_screenshot.py` (or on a desktop).
It saves only when the overlay actually turned red; otherwise it says what the scores were and exits 1.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import cv2
import mss
import numpy as np
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from app.main import CallShieldApp
from app.monitoring.audit_log import AuditLog
from app.monitoring.settings import SettingsStore
from app.overlay.overlay import OverlayLook
from app.paths import DEMO_SWAP_CLIP, assets_dir

ROOT = Path(__file__).resolve().parents[1]


def pump(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--clip", default=str(assets_dir() / DEMO_SWAP_CLIP))
    p.add_argument("--sensitivity", type=float, default=0.0, help="the app's setting, -1 … +1 (default 0)")
    p.add_argument("--wait", type=float, default=30.0, help="seconds to wait for the warning")
    p.add_argument("--out", default=str(ROOT / "docs" / "screenshot-warning.png"))
    a = p.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("CallShield")
    tmp = Path(tempfile.mkdtemp(prefix="callshield-shot-"))
    store = SettingsStore(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    store.update(welcome_shown=True, sound=False, sensitivity=a.sensitivity)
    shell = CallShieldApp(store, audit_log=AuditLog(tmp / "audit.jsonl"))
    shell.launch()
    shell.start_demo([Path(a.clip)], position=(30, 40))
    scores: list[float] = []
    shell.controller.verdict_seen.connect(
        lambda v: scores.extend(f.smoothed_score for f in v.faces if f.smoothed_score is not None))
    deadline = time.monotonic() + a.wait
    while shell.overlay.look is not OverlayLook.ALERT and time.monotonic() < deadline:
        pump(0.1)
    alerted = shell.overlay.look is OverlayLook.ALERT
    if alerted:
        pump(0.6)  # let the timeline redraw with the alert in it
        w, o = shell.window.frameGeometry(), shell.overlay.banner.geometry()
        right, bottom = max(w.right(), o.right()) + 20, max(w.bottom(), o.bottom()) + 20
        with mss.MSS() as sct:
            shot = np.asarray(sct.grab({"left": 0, "top": 0, "width": right, "height": bottom}))
        cv2.imwrite(a.out, shot[:, :, :3])
    threshold = shell.controller.engine.threshold
    model = shell.controller.engine.model
    shell.shutdown()
    top = f"{max(scores):.3f}" if scores else "none"
    if not alerted:
        print(f"no warning within {a.wait:g} s (model {model}, alert threshold {threshold}, highest smoothed score "
              f"{top}): nothing saved", file=sys.stderr)
        return 1
    print(f"saved {a.out} (model {model}, sensitivity {a.sensitivity:+g}, threshold {threshold}, highest score {top})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
