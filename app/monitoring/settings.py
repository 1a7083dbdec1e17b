"""The user's settings, as one immutable record, stored in QSettings."""

from __future__ import annotations

import math
import sys
from dataclasses import Field, dataclass, field, fields, replace
from typing import Any

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


def setting(default: object, key: str, *, limits: tuple[float, float] | None = None,
            choices: tuple[str, ...] | None = None) -> Any:
    """One setting: its default, where QSettings keeps it, and what values it may take. The only place each is
    declared: loading, saving and checking all read it from here."""
    return field(default=default, metadata={"key": key, "limits": limits, "choices": choices})


@dataclass(frozen=True)
class AppSettings:
    sensitivity: float = setting(0.0, "engine/sensitivity", limits=(-1.0, 1.0))  # -1 quiet … +1 eager
    max_fps: float = setting(10.0, "engine/max_fps", limits=(MIN_FPS, MAX_FPS))  # the rest of the CPU is the call's
    device: str = setting("auto", "engine/device", choices=tuple(DEVICE_LABELS))
    sound: bool = setting(True, "alerts/sound")
    start_minimised: bool = setting(False, "window/start_minimised")
    welcome_shown: bool = setting(False, "window/welcome_shown")
    region: ScreenRegion | None = setting(None, "capture/region")

    def __post_init__(self) -> None:
        for f in fields(self):
            value, rules = getattr(self, f.name), f.metadata
            if rules["limits"] and not rules["limits"][0] <= value <= rules["limits"][1]:
                low, high = rules["limits"]
                raise ValueError(f"{f.name.replace('_', ' ')} {value:g} must lie in [{low:g}, {high:g}]")
            if rules["choices"] and value not in rules["choices"]:
                raise ValueError(f"{f.name.replace('_', ' ')} {value!r} must be one of {', '.join(rules['choices'])}")


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


def _as_region(value: object) -> ScreenRegion | None:
    try:
        return ScreenRegion.from_text(str(value)) if value else None
    except ValueError:
        return None


def _read(f: Field, raw: object) -> object:
    """A stored value as the setting's type; a damaged or out-of-range one becomes the default."""
    default, rules = f.default, f.metadata
    if isinstance(default, bool):
        return _as_bool(raw, default)
    if isinstance(default, int | float):
        low, high = rules["limits"] or (-math.inf, math.inf)
        return type(default)(_as_float(raw, default, low, high))
    if f.name == "region":
        return _as_region(raw)
    text = default if raw is None else str(raw)
    return text if not rules["choices"] or text in rules["choices"] else default


def _stored(value: object) -> object:
    return value.to_text() if isinstance(value, ScreenRegion) else ("" if value is None else value)


class SettingsStore:
    """Reads and writes `AppSettings`; a damaged value falls back to its default instead of failing start-up."""

    def __init__(self, qsettings: QSettings) -> None:
        self.qsettings = qsettings

    def load(self) -> AppSettings:
        return AppSettings(**{f.name: _read(f, self.qsettings.value(f.metadata["key"])) for f in fields(AppSettings)})

    def save(self, s: AppSettings) -> None:
        for f in fields(s):
            self.qsettings.setValue(f.metadata["key"], _stored(getattr(s, f.name)))
        self.qsettings.sync()

    def update(self, **changes: object) -> AppSettings:
        """Loads, changes the named fields, saves and returns the result."""
        s = replace(self.load(), **changes)  # type: ignore[arg-type]
        self.save(s)
        return s
