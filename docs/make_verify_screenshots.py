"""Screenshots of "Verify now", step by step: the real app, engine, capture and challenge meter on the bundled demo.

Run `xvfb-run -a -s "-screen 0 1600x900x24" .venv/bin/python docs/make_verify_screenshots.py [--language zh_CN]`.
Steps: the offer, getting ready, a challenge with its countdown, the outcome the engine gave on the demo (whose
caller never turns: "did not perform"), and — to show its wording — the outcome page for a break, filled with a
scripted result and a real frame of the demo swap (marked as such in the file name).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
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
from app.monitoring.verification import VerificationReport
from app.paths import DEMO_SWAP_CLIP, assets_dir
from detectors.challenge import Action, ActionResult, Evidence

ROOT = Path(__file__).resolve().parents[1]


def pump(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        pump(0.1)
    return condition()


def shoot(rect: QRect, path: Path) -> None:
    rect = rect.intersected(QApplication.primaryScreen().geometry())  # X refuses a grab that leaves the screen
    with mss.MSS() as grabber:
        shot = np.asarray(grabber.grab({"left": rect.left(), "top": rect.top(), "width": rect.width(),
                                        "height": rect.height()}))[:, :, :3]
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), shot)
    print(f"saved {path}", flush=True)


def scripted_break(shell: CallShieldApp) -> VerificationReport:
    """Turns held, the hand broke: the wording of that outcome, with a real frame of the demo swap."""
    cap = cv2.VideoCapture(str(assets_dir() / DEMO_SWAP_CLIP))
    ok, bgr = cap.read()
    cap.release()
    frame = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB) if ok else np.zeros((240, 200, 3), np.uint8)
    held = Evidence(0.31, 0.35, 0.03, 0.0, 0.05, (), 2.0)
    broke = Evidence(0.31, 0.82, 0.41, 0.5, 0.2, ("score", "identity"), 6.1)
    results = (ActionResult(Action.TURN_LEFT, True, 1.0, 1.5, 2.5, held),
               ActionResult(Action.TURN_RIGHT, True, 3.0, 3.6, 4.4, held),
               ActionResult(Action.HAND, True, 5.5, 6.0, 6.8, broke, frame=frame))
    return VerificationReport(results, frozenset())


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--language", default="en", choices=("en", "zh_CN"))
    p.add_argument("--out", default=str(ROOT / "docs" / "verify-steps"), help="folder for the step screenshots")
    p.add_argument("--readme", help="also save the challenge step here (docs/screenshot-verify.png)")
    a = p.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("CallShield")
    install_language(a.language)
    tmp = Path(tempfile.mkdtemp(prefix="callshield-verify-"))
    store = SettingsStore(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    store.update(welcome_shown=True, sound=False)
    shell = CallShieldApp(store, audit_log=AuditLog(tmp / "audit.jsonl"))
    shell.launch()
    player = shell.start_demo([assets_dir() / DEMO_SWAP_CLIP], position=(30, 40))
    if not wait_for(lambda: shell.controller.status.level.is_checking and bool(shell.controller.status.faces), 180):
        print("the engine did not start analysing the demo", file=sys.stderr)
        return 1
    out, lang = Path(a.out), a.language.lower().replace("_", "-")
    dialog = shell.verify_now()
    dialog.move(player.frameGeometry().right() + 30, 280)  # over the timeline: the banner stays in view

    def area() -> QRect:
        return player.frameGeometry().united(dialog.frameGeometry()).united(shell.window.frameGeometry()).adjusted(
            -10, -10, 10, 30)

    pump(1.0)
    shoot(area(), out / f"1-offer-{lang}.png")
    dialog.start_button.click()
    pump(0.8)
    shoot(area(), out / f"2-getting-ready-{lang}.png")
    wait_for(lambda: dialog.index == 0, 10)
    pump(2.5)
    shoot(area(), out / f"3-challenge-{lang}.png")
    if a.readme:
        shoot(area(), Path(a.readme))
    if not wait_for(lambda: dialog.report is not None, 90):
        print("no outcome came", file=sys.stderr)
        return 1
    pump(0.5)
    shoot(area(), out / f"4-outcome-{lang}.png")
    dialog.show_report(scripted_break(shell))
    pump(0.5)
    shoot(area(), out / f"5-outcome-broke-scripted-{lang}.png")
    shell.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
