"""The user's settings, as one immutable record, stored in QSettings."""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, replace

from PySide6.QtCore import QSettings

from app.capture.screens import ScreenRegion

# Device choices shown to the user; "gpu" means whichever GPU the platform has.
DEVICE_LABELS = {"auto": "Automatic (GPU if present)", "cpu": "CPU", "gpu": "GPU"}
MIN_FPS, MAX_FPS = 1.0, 30.0


def engine_device(choice: str) -> str:
    """The engine's device name (detectors.device) for a user's choice."""
    if choice == "gpu":
        return "mps" if sys.platform == "darwin" else "cuda"
    return choice if choice in DEVICE_LABELS else "auto"


@dataclass(frozen=True)
class AppSettings:
    sensitivity: float = 0.0  # -1 quiet … +1 eager; shifts the model's own threshold
    max_fps: float = 10.0  # analysed frames per second; the rest of the CPU is left to the call
    device: str = "auto"  # a key of DEVICE_LABELS
    sound: bool = True
    start_minimised: bool = False
    welcome_shown: bool = False
    region: ScreenRegion | None = None

    def __post_init__(self) -> None:
        if not -1.0 <= self.sensitivity <= 1.0:
            raise ValueError(f"sensitivity {self.sensitivity} must lie in [-1, 1]")
        if not MIN_FPS <= self.max_fps <= MAX_FPS:
            raise ValueError(f"maximum analysis rate {self.max_fps} must lie in [{MIN_FPS:g}, {MAX_FPS:g}] fps")
        if self.device not in DEVICE_LABELS:
            raise ValueError(f"device {self.device!r} must be one of {', '.join(DEVICE_LABELS)}")


def _as_bool(value: object, default: bool) -> bool:
    # INI-backed QSettings hands back strings after a restart.
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return default if value is None else bool(value)


def _as_float(value: object, default: float, low: float, high: float) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
    return min(high, max(low, number)) if math.isfinite(number) else default


class SettingsStore:
    """Reads and writes `AppSettings`; a damaged value falls back to its default instead of failing start-up."""

    def __init__(self, qsettings: QSettings) -> None:
        self.qsettings = qsettings

    def load(self) -> AppSettings:
        q, d = self.qsettings, AppSettings()
        device = str(q.value("engine/device", d.device))
        region = None
        if text := q.value("capture/region", ""):
            try:
                region = ScreenRegion.from_text(str(text))
            except ValueError:
                region = None
        return AppSettings(
            sensitivity=_as_float(q.value("engine/sensitivity"), d.sensitivity, -1.0, 1.0),
            max_fps=_as_float(q.value("engine/max_fps"), d.max_fps, MIN_FPS, MAX_FPS),
            device=device if device in DEVICE_LABELS else d.device,
            sound=_as_bool(q.value("alerts/sound"), d.sound),
            start_minimised=_as_bool(q.value("window/start_minimised"), d.start_minimised),
            welcome_shown=_as_bool(q.value("window/welcome_shown"), d.welcome_shown),
            region=region,
        )

    def save(self, s: AppSettings) -> None:
        q = self.qsettings
        q.setValue("engine/sensitivity", s.sensitivity)
        q.setValue("engine/max_fps", s.max_fps)
        q.setValue("engine/device", s.device)
        q.setValue("alerts/sound", s.sound)
        q.setValue("window/start_minimised", s.start_minimised)
        q.setValue("window/welcome_shown", s.welcome_shown)
        q.setValue("capture/region", s.region.to_text() if s.region else "")
        q.sync()

    def update(self, **changes: object) -> AppSettings:
        """Loads, changes the named fields, saves and returns the result."""
        s = replace(self.load(), **changes)  # type: ignore[arg-type]
        self.save(s)
        return s
