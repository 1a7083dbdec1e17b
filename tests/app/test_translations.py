"""Simplified Chinese everywhere: the .ts files are complete and current, and in zh_CN no window shows English."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.capture.region_picker import RegionPicker
from app.capture.screens import ScreenMapping
from app.language import install_language, resolve_language, translate, translations_dir
from app.main import CallShieldApp
from app.monitoring.settings import SettingsStore
from app.windows.dialogs import SettingsDialog, WelcomeDialog, about_box
from app.windows.timeline import ScoreTimeline
from detectors.records import EngineInfo, MonitorState, TrackState
from tests.app.conftest import face, verdict

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "app" / "i18n"
LANGUAGES = ("zh_CN", "en")
# Words that stay as they are in Chinese text: names, keys, units, devices.
KEEP = re.compile(r"CallShield|Ctrl\+\S+|Shift|Esc|Enter|CPU|GPU|SIEM|syslog|RFC \d+|JSON|PDF|HTML|PNG|UDP|TCP|TLS|"
                  r"Splunk|Elastic|https?://\S+|\S*[/\\]\S*|\S+\.(jsonl|json|log|pt)\b", re.IGNORECASE)
QT_ENGLISH = {"OK", "Cancel", "Close", "Show Details...", "Hide Details...", "Apply", "Yes", "No"}


def ts_messages(language: str) -> list[ET.Element]:
    return list(ET.parse(I18N / f"callshield_{language}.ts").getroot().iter("message"))


def english_sources() -> list[re.Pattern[str]]:
    """Each translated English source as a pattern: its placeholders ({name}, %n) match anything."""
    patterns = []
    for m in ts_messages("zh_CN"):
        source, translation = m.findtext("source") or "", m.find("translation")
        forms = [f.text for f in translation.iter("numerusform")] or [translation.text]
        if not source or [re.sub(r"\(&\w\)|&", "", f or "") for f in forms] == [source.replace("&", "")]:
            continue  # the same in both languages (a name, a placeholder around a name)
        parts = re.split(r"\{\w*\}|%n", source.replace("&", ""))
        patterns.append(re.compile(".*?".join(re.escape(p) for p in parts)))
    return patterns


# --- the .ts files -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_ts_files_have_no_unfinished_or_stale_entry(language: str) -> None:
    messages = ts_messages(language)
    # English needs entries only for plural forms (its source text is the English), and the app has none now.
    assert messages or language == "en"
    for m in messages:
        t = m.find("translation")
        assert t.get("type") not in ("unfinished", "vanished", "obsolete"), m.findtext("source")
        forms = [f.text for f in t.iter("numerusform")] if m.get("numerus") == "yes" else [t.text]
        assert forms and all(f and f.strip() for f in forms), m.findtext("source")
        placeholders = sorted(set(re.findall(r"\{\w*\}|%n", m.findtext("source") or "")))
        for f in forms:  # a translation that drops or renames a placeholder breaks .format()
            assert sorted(set(re.findall(r"\{\w*\}|%n", f))) == placeholders, (m.findtext("source"), f)


def test_ts_files_hold_every_string_of_the_code(tmp_path: Path) -> None:
    """pyside6-lupdate over app/ and the engine finds nothing that the committed .ts lacks (scripts/update_translations.sh)."""
    lupdate = shutil.which("pyside6-lupdate") or str(Path(ROOT / ".venv" / "bin" / "pyside6-lupdate"))
    fresh = tmp_path / "fresh.ts"
    shutil.copy(I18N / "callshield_zh_CN.ts", fresh)
    sources = sorted(str(p) for folder in ("app", "detectors") for p in (ROOT / folder).rglob("*.py"))
    subprocess.run([lupdate, "-no-obsolete", "-locations", "none", *sources, "-ts", str(fresh)], check=True,
                   capture_output=True, timeout=120)
    committed = {(m.findtext("source")) for m in ts_messages("zh_CN")}
    new = [m.findtext("source") for m in ET.parse(fresh).getroot().iter("message")
           if m.findtext("source") not in committed]
    assert not new, f"strings not in app/i18n/callshield_zh_CN.ts: {new}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_translations_are_shipped_and_load(language: str) -> None:
    qm = translations_dir() / f"callshield_{language}.qm"
    assert qm.is_file() and qm.stat().st_mtime >= (I18N / f"callshield_{language}.ts").stat().st_mtime - 1
    install_language(language)
    stale = "no fresh analysis for {seconds} s — the computer may be too busy"
    expected = "已经 3 秒没有新的分析结果" if language == "zh_CN" else "no fresh analysis for 3 s"
    assert translate("ShieldStatus", stale).format(seconds=3).startswith(expected)


def test_the_system_locale_picks_the_language() -> None:
    assert resolve_language("system", QLocale("zh_CN")) == "zh_CN"
    assert resolve_language("system", QLocale("zh_TW")) == "zh_CN"  # the Chinese we have beats English
    assert resolve_language("system", QLocale("de_DE")) == "en"
    assert resolve_language("en", QLocale("zh_CN")) == "en"  # the setting overrides the system


def test_numbers_follow_the_language() -> None:
    from app.language import number

    install_language("zh_CN")
    assert QLocale().language() is QLocale.Language.Chinese and number(0.934, 2) == "0.93"


# --- every widget in Chinese ------------------------------------------------------------------------------------


def widget_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every text a user can see or hear in `root` and its children, menus included."""
    for w in [root, *root.findChildren(QWidget)]:
        name = f"{type(w).__name__} {w.objectName()}".strip()
        yield from ((f"{name}.{kind}", t) for kind, t in (
            ("toolTip", w.toolTip()), ("accessibleName", w.accessibleName()),
            ("accessibleDescription", w.accessibleDescription()), ("windowTitle", w.windowTitle() if w.isWindow() else ""),
        ))
        yield from ((name, t) for t in _own_texts(w))
        for a in w.actions():
            yield f"{name} action", a.text()
            yield f"{name} action tip", a.toolTip() if a.toolTip() != a.text().replace("&", "") else ""


def _own_texts(w: QWidget) -> list[str]:
    if isinstance(w, QLabel):
        return [re.sub(r"<[^>]+>", " ", w.text())]
    if isinstance(w, QAbstractButton):
        return [w.text()]
    if isinstance(w, QLineEdit):
        return [w.placeholderText()]
    if isinstance(w, QComboBox):
        return [w.itemText(i) for i in range(w.count())]
    if isinstance(w, QAbstractSpinBox):
        return [getattr(w, "suffix", str)(), getattr(w, "prefix", str)()]
    if isinstance(w, QGroupBox):
        return [w.title()]
    if isinstance(w, QTableWidget):
        return [w.horizontalHeaderItem(c).text() for c in range(w.columnCount()) if w.horizontalHeaderItem(c)]
    if isinstance(w, QMenu):
        return [w.title()]
    if isinstance(w, QMessageBox):
        return [w.text(), w.informativeText()]
    if isinstance(w, ScoreTimeline):
        return [w.getAxis(side).labelText for side in ("left", "bottom")]
    return []


def untranslated(root: QWidget) -> list[str]:
    sources = english_sources()
    found = []
    for where, shown in widget_texts(root):
        text = shown.replace("&", "").strip()
        if not text:
            continue
        english = KEEP.sub(" ", text)
        if (text in QT_ENGLISH or any(p.fullmatch(text) for p in sources)
                or re.search(r"[A-Za-z']{2,}[\s,.:;()-]+[A-Za-z']{2,}[\s,.:;()-]+[A-Za-z']{2,}", english)):
            found.append(f"{where}: {text!r}")
    return found


@pytest.fixture
def chinese(qapp: object) -> Iterator[None]:
    install_language("zh_CN")
    yield
    install_language("en")


@pytest.fixture
def zh_shell(chinese: None, shell: CallShieldApp) -> CallShieldApp:
    """The app built after Chinese was installed (fixtures are set up in the order they are named)."""
    return shell


def test_main_window_and_overlay_show_no_english_in_chinese(zh_shell: CallShieldApp, qtbot: QtBot) -> None:
    c, problems = zh_shell.controller, []
    problems += untranslated(zh_shell.window)  # stopped, model loading
    c.handle_engine_ready(EngineInfo("cpu", "test-model", 0.6))
    assert c.start()
    steps = [verdict(MonitorState.LOOKS_REAL, face(score=0.12)),
             verdict(MonitorState.POSSIBLE_SWAP, face(2, TrackState.POSSIBLE_SWAP, 0.93)),
             verdict(MonitorState.POSSIBLE_SWAP, face(2, TrackState.POSSIBLE_SWAP, 0.93),
                     face(3, TrackState.POSSIBLE_SWAP, 0.88, box=(400.0, 100.0, 500.0, 220.0))),
             verdict(MonitorState.NO_FACE)]
    for v in steps:
        c.handle_verdict(v)
        zh_shell.window.timeline.redraw()
        problems += untranslated(zh_shell.window)
        for w in zh_shell.overlay.windows:
            problems += untranslated(w)
    c.toggle_pause()
    problems += untranslated(zh_shell.window) + untranslated(zh_shell.overlay.banner)
    assert "没有在监测" in zh_shell.window.banner.text()
    assert not problems, "\n".join(dict.fromkeys(problems))


def test_dialogs_show_no_english_in_chinese(chinese: None, qtbot: QtBot, store: SettingsStore,
                                            flat_screen: list[ScreenMapping]) -> None:
    windows: list[QWidget] = [WelcomeDialog(), SettingsDialog(store.load()), about_box(None, None),
                              about_box(None, EngineInfo("cpu", "callshield-lite0", 0.5))]
    picker = RegionPicker(flat_screen, [np.zeros((1080, 1920, 3), np.uint8)])
    windows += picker.panes
    problems = []
    for w in windows:
        qtbot.addWidget(w)
        problems += untranslated(w)
    assert windows[0].windowTitle() == "欢迎使用 CallShield"
    assert not problems, "\n".join(dict.fromkeys(problems))


def test_every_control_has_an_accessible_name(zh_shell: CallShieldApp) -> None:
    controls = (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox, QTableWidget)
    dialogs: list[QWidget] = [zh_shell.window, SettingsDialog(zh_shell.settings), WelcomeDialog()]
    nameless = [f"{type(w).__name__} {getattr(w, 'text', str)()!r}" for d in dialogs for w in d.findChildren(QWidget)
                if isinstance(w, controls) and not w.accessibleName() and w.isVisibleTo(d)
                and not (isinstance(w, QAbstractButton) and w.text())  # Qt names a button by its words
                and not isinstance(w.parent(), QMainWindow | QMenu | QAbstractSpinBox | QComboBox)
                and w.metaObject().className() != "QToolButton"]
    assert not nameless, nameless


def test_messages_made_outside_qt_are_translated_where_shown(chinese: None) -> None:
    from app.audit.config import CallCentreSettings
    from app.monitoring.status import engine_message

    problem = CallCentreSettings(syslog_enabled=True, syslog_host="").problem()
    assert problem and re.search(r"[\u4e00-\u9fff]", translate("SettingsDialog", problem))
    assert re.search(r"[\u4e00-\u9fff]", engine_message("GPU out of memory: switching to the CPU"))
    assert engine_message("engine error: RuntimeError: boom") == "检测器出错：RuntimeError: boom"


@pytest.mark.parametrize(("lc_all", "expected"), [("zh_CN.UTF-8", "在窗口中播放自带的演示视频"),
                                                  ("C.UTF-8", "play the bundled demo clip in a window")])
def test_command_line_follows_the_system_locale(tmp_path: Path, lc_all: str, expected: str) -> None:
    import os
    import sys

    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / ".config"), "LC_ALL": lc_all,
           "LANG": lc_all, "LANGUAGE": ""}
    out = subprocess.run([sys.executable, "-m", "app.cli", "--help"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert expected in " ".join(out.stdout.split()), out.stdout  # argparse wraps lines
