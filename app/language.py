"""The app's languages: which one to show (the system's, or the one chosen in Settings), and its translations.

Sources are English (`self.tr(...)`, `translate(context, ...)`, `QT_TRANSLATE_NOOP`); `app/i18n/*.ts` hold the
translations and `assets/translations/*.qm` their compiled form (scripts/update_translations.sh; docs/desktop-app.md,
"Languages").
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.paths import assets_dir
from detectors.words import use_translator

SYSTEM = "system"
# Language choices in Settings, each named in its own language (so a user lost in the wrong one finds theirs).
LANGUAGE_NAMES = {"en": "English", "zh_CN": "简体中文"}
LANGUAGES = (SYSTEM, *LANGUAGE_NAMES)
TRANSLATIONS_FOLDER = "translations"

_installed: list[QTranslator] = []  # kept alive: Qt does not own installed translators


def translations_dir() -> Path:
    return assets_dir() / TRANSLATIONS_FOLDER


def resolve_language(choice: str, system: QLocale | None = None) -> str:
    """The language to show for a Settings choice: "system" picks Chinese for any Chinese locale, else English."""
    if choice in LANGUAGE_NAMES:
        return choice
    locale = system or QLocale.system()
    for name in [*locale.uiLanguages(), locale.name()]:
        if name.replace("-", "_").lower().startswith("zh"):
            return "zh_CN"  # the only Chinese we ship; Simplified reads better than English for most Chinese readers
    return "en"


def _translators(language: str) -> list[QTranslator]:
    """Ours, then Qt's own (standard buttons, context menus) for `language`; missing files are skipped."""
    found = []
    for folder, name in ((translations_dir(), f"callshield_{language}"),
                         (QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath), f"qtbase_{language}")):
        t = QTranslator()
        if t.load(name, str(folder)):
            found.append(t)
    return found


def install_language(choice: str) -> QLocale:
    """Installs the translations for a Settings choice (replacing earlier ones); returns the locale in use.

    Works before a QCoreApplication exists too (command-line messages): `translate` then asks the translators itself.
    The locale also becomes QLocale's default, so numbers and dates follow the language shown.
    """
    language = resolve_language(choice)
    app = QCoreApplication.instance()
    for t in _installed:
        if app is not None:
            QCoreApplication.removeTranslator(t)
    _installed.clear()
    _installed.extend(_translators(language))
    if app is not None:
        for t in _installed:
            QCoreApplication.installTranslator(t)
    # The computer's own regional formats when they belong to the language shown, the language's usual ones otherwise.
    system = QLocale.system()
    locale = system if resolve_language(SYSTEM, system) == language else QLocale("zh_CN" if language == "zh_CN" else "en_GB")
    QLocale.setDefault(locale)
    use_translator(None if language == "en" else translate)  # the engine's own words (errors, command-line reports)
    return locale


def current_language() -> str:
    return "zh_CN" if QLocale().language() is QLocale.Language.Chinese else "en"


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """`text` in the installed language; the signature of QCoreApplication.translate, whose calls pyside6-lupdate
    finds by name (a literal context and text), and `n` picks a plural form."""
    if QCoreApplication.instance() is not None:
        return QCoreApplication.translate(context, text, disambiguation, n)
    for t in _installed:
        if out := t.translate(context, text, disambiguation, n):
            return out
    return text.replace("%n", str(n)) if n >= 0 else text


def number(value: float, decimals: int) -> str:
    """A number written the way the language shown writes it."""
    return QLocale().toString(float(value), "f", decimals)
