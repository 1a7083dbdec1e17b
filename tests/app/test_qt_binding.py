"""The Qt binding itself must not wear the app down over a long call."""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QObject, Signal


class Probe(QObject):
    fired = Signal(object)


def test_emitting_signals_keeps_python_alive(qapp) -> None:
    """PySide6-Essentials 6.12.0 returned True from every emit() without a reference to it: after ~10,000 emits
    (minutes of monitoring at 10 frames/s) Python freed True and the app died ("bool_dealloc"). Pinned to 6.11.3."""
    probe = Probe()
    gc.collect()
    before = sys.getrefcount(True)
    for _ in range(2000):
        probe.fired.emit(1)
    gc.collect()
    assert sys.getrefcount(True) >= before - 10
