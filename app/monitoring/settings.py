"""The user's settings, as one immutable record, stored in QSettings."""

from __future__ import annotations

import logging
import math
import sys
import time
from dataclasses import Field, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSettings

from app.audit.config import MAX_RETENTION_DAYS, MIN_RETENTION_DAYS, SYSLOG_PROTOCOLS, CallCentreSettings
from app.capture.screens import ScreenRegion
from app.language import LANGUAGES, SYSTEM

log = logging.getLogger(__name__)

# Device choices shown to the user; "gpu" means whichever GPU the platform has.
DEVICE_LABELS = {"auto": QT_TRANSLATE_NOOP("SettingsDialog", "Automatic (GPU if present)"), "cpu": "CPU", "gpu": "GPU"}
MIN_FPS, MAX_FPS = 1.0, 30.0
CC = CallCentreSettings()  # the call-centre defaults (app.audit.config documents each)


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
    sound: bool = setting(False, "alerts/sound")  # off by default: a beep in a call-centre row alarms everyone near
    start_minimised: bool = setting(False, "window/start_minimised")
    language: str = setting(SYSTEM, "window/language", choices=LANGUAGES)  # "system" follows the computer's
    large_text: bool = setting(False, "window/large_text")  # on top of the system's own font scale
    welcome_shown: bool = setting(False, "window/welcome_shown")
    region: ScreenRegion | None = setting(None, "capture/region")
    # Call-centre mode: sessions, the hash-chained event log, evidence crops and SIEM forwarding (off by default).
    operator: str = setting(CC.operator, "call_centre/operator")
    retention_days: int = setting(CC.retention_days, "call_centre/retention_days",
                                  limits=(MIN_RETENTION_DAYS, MAX_RETENTION_DAYS))
    log_folder: str = setting(CC.log_folder, "call_centre/log_folder")
    evidence_frames: bool = setting(CC.evidence_frames, "call_centre/evidence_frames")
    syslog_enabled: bool = setting(CC.syslog_enabled, "call_centre/syslog_enabled")
    syslog_host: str = setting(CC.syslog_host, "call_centre/syslog_host")
    syslog_port: int = setting(CC.syslog_port, "call_centre/syslog_port", limits=(1, 65535))
    syslog_protocol: str = setting(CC.syslog_protocol, "call_centre/syslog_protocol", choices=SYSLOG_PROTOCOLS)
    json_file_enabled: bool = setting(CC.json_file_enabled, "call_centre/json_file_enabled")
    json_file_path: str = setting(CC.json_file_path, "call_centre/json_file_path")

    def __post_init__(self) -> None:
        for f in fields(self):
            value, rules = getattr(self, f.name), f.metadata
            if rules["limits"] and not rules["limits"][0] <= value <= rules["limits"][1]:
                low, high = rules["limits"]
                raise ValueError(f"{f.name.replace('_', ' ')} {value:g} must lie in [{low:g}, {high:g}]")
            if rules["choices"] and value not in rules["choices"]:
                raise ValueError(f"{f.name.replace('_', ' ')} {value!r} must be one of {', '.join(rules['choices'])}")

    def call_centre(self) -> CallCentreSettings:
        """The call-centre settings as the record app.audit takes."""
        return CallCentreSettings(**{f: getattr(self, f) for f in CallCentreSettings.__dataclass_fields__})


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
    """Reads and writes `AppSettings`; a damaged value falls back to its default instead of failing start-up, and a
    settings file that cannot be read at all is moved aside (kept for support) and replaced by the defaults."""

    def __init__(self, qsettings: QSettings) -> None:
        self.qsettings = qsettings
        self.damaged_file: Path | None = None  # where a damaged settings file was kept, for the notice
        if qsettings.status() is QSettings.Status.FormatError:  # a file that cannot be parsed (Windows: no file)
            self._set_aside_damaged_file()

    def _set_aside_damaged_file(self) -> None:
        path = Path(self.qsettings.fileName())
        kept = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            path.replace(kept)
        except OSError as err:  # cannot even move it: start from defaults in memory; saving will say what fails
            log.error("settings file %s is damaged and cannot be moved aside: %s", path, err)
            kept = path
        else:
            log.warning("settings file %s was damaged: kept as %s, starting from the default settings", path, kept)
        self.damaged_file = kept
        self.qsettings = QSettings(str(path), self.qsettings.format())

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
