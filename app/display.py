"""Whether Qt can open a window here: checked before Qt is loaded, so that a missing display is a message, not an abort."""

from __future__ import annotations

import os
import sys


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name pyside6-lupdate looks for
    """Marks a message for translation (app.language translates it where it is printed); Qt is not loaded here."""
    return text


NO_DISPLAY_MESSAGE = QT_TRANSLATE_NOOP(
    "CommandLine", "CallShield needs a desktop session: no display found (DISPLAY/WAYLAND_DISPLAY unset)")
NO_DISPLAY_HELP = QT_TRANSLATE_NOOP("CommandLine", "Start it from your desktop session, or point DISPLAY at an X server.")
# Qt platforms that draw without a desktop session (framebuffer, VNC server, nothing at all).
HEADLESS_QT_PLATFORMS = {"offscreen", "minimal", "minimalegl", "eglfs", "linuxfb", "vnc", "vkkhrdisplay"}


def needs_virtual_display() -> bool:
    return sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def display_problem(qt_args: list[str]) -> str | None:
    """Why Qt cannot open a window here, before it aborts trying (Linux without a display); None when it can."""
    if not needs_virtual_display():
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    for i, arg in enumerate(qt_args[:-1]):
        if arg in ("-platform", "--platform"):
            platform = qt_args[i + 1]
        elif arg in ("-display", "--display") and qt_args[i + 1]:
            return None  # an X display named on the command line
    # "offscreen", "xcb;offscreen" (fallbacks in order) or "vnc:size=1280x720" (options after the colon)
    if any(name.split(":")[0].strip() in HEADLESS_QT_PLATFORMS for name in platform.split(";")):
        return None
    return f"{NO_DISPLAY_MESSAGE}\n{NO_DISPLAY_HELP}"  # one message per line: each is translated where printed
