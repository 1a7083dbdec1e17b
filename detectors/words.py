"""Words said to people by code without Qt (the engine's errors and command-line reports, the app's call reports), in
the language the shell installs.

The app hands in Qt's translate when it installs a language (app/language.py); until then, and wherever no shell
runs, the English source is used. Calls are written `translate("Context", "literal text")` so that pyside6-lupdate
finds them (scripts/update_translations.sh); values go in with `.format()` afterwards.
"""

from __future__ import annotations

from collections.abc import Callable

Translator = Callable[[str, str], str]

_installed: list[Translator] = []  # the one translator in use, if any


def use_translator(translator: Translator | None) -> None:
    """Routes the engine's words through `translator(context, text)`; None restores English."""
    _installed[:] = [translator] if translator is not None else []


def translate(context: str, text: str) -> str:
    return _installed[0](context, text) if _installed else text
