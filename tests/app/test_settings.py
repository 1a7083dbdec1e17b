"""Settings persist in QSettings and a damaged file never stops the app from starting."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from app.capture.screens import ScreenRegion
from app.monitoring.settings import AppSettings, SettingsStore, engine_device


def test_defaults_on_first_start(store: SettingsStore) -> None:
    s = store.load()
    assert s == AppSettings()
    assert s.max_fps == 10.0 and s.device == "auto" and not s.welcome_shown and s.region is None


def test_settings_survive_a_restart(tmp_path: Path) -> None:
    path = str(tmp_path / "settings.ini")
    wanted = AppSettings(sensitivity=-0.4, max_fps=6.0, device="cpu", sound=False, start_minimised=True,
                         welcome_shown=True, region=ScreenRegion(-1280, 40, 800, 600))
    SettingsStore(QSettings(path, QSettings.Format.IniFormat)).save(wanted)
    # A new QSettings on the same file: values come back as strings, as after a real restart.
    again = SettingsStore(QSettings(path, QSettings.Format.IniFormat)).load()
    assert again == wanted


def test_damaged_values_fall_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    path.write_text("[engine]\nsensitivity=loud\nmax_fps=500\ndevice=tpu\n[capture]\nregion=1,2\n"
                    "[alerts]\nsound=false\n")
    s = SettingsStore(QSettings(str(path), QSettings.Format.IniFormat)).load()
    assert s.sensitivity == 0.0 and s.max_fps == 30.0 and s.device == "auto" and s.region is None
    assert s.sound is False


def test_update_changes_only_named_fields(store: SettingsStore) -> None:
    store.update(max_fps=5.0)
    s = store.update(welcome_shown=True)
    assert s.max_fps == 5.0 and s.welcome_shown


def test_invalid_settings_are_refused_with_the_range() -> None:
    with pytest.raises(ValueError, match=r"\[1, 30\]"):
        AppSettings(max_fps=0.0)
    with pytest.raises(ValueError, match="sensitivity"):
        AppSettings(sensitivity=2.0)


def test_gpu_choice_maps_to_the_platform_gpu() -> None:
    assert engine_device("gpu") in ("cuda", "mps")
    assert engine_device("cpu") == "cpu" and engine_device("auto") == "auto"


def test_every_setting_is_stored_under_its_own_key(tmp_path: Path) -> None:
    """Each field is declared once (with its key); saving writes every one of them and nothing else."""
    from dataclasses import fields

    q = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    SettingsStore(q).save(AppSettings())
    keys = [f.metadata["key"] for f in fields(AppSettings)]
    assert len(set(keys)) == len(keys) and sorted(q.allKeys()) == sorted(keys)
