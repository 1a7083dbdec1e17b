"""The `callshield` command: engine subcommands (scan, eval, bench, train), `bench --live`, or the desktop app."""

from __future__ import annotations

import os
import shutil
import sys

NO_DISPLAY_MESSAGE = "CallShield needs a desktop session: no display found (DISPLAY/WAYLAND_DISPLAY unset)"
# Qt platforms that draw without a desktop session (framebuffer, VNC server, nothing at all).
HEADLESS_QT_PLATFORMS = {"offscreen", "minimal", "minimalegl", "eglfs", "linuxfb", "vnc", "vkkhrdisplay"}


def _needs_virtual_display() -> bool:
    return sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def display_problem(qt_args: list[str]) -> str | None:
    """Why Qt cannot open a window here, before it aborts trying (Linux without a display); None when it can."""
    if not _needs_virtual_display():
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
    return f"{NO_DISPLAY_MESSAGE}\nStart it from your desktop session, or point DISPLAY at an X server."


def run_live_bench(argv: list[str]) -> int:
    """`callshield bench --live`; on a Linux box without a display it re-runs itself under Xvfb."""
    if _needs_virtual_display():
        xvfb = shutil.which("xvfb-run")
        if xvfb is None:
            print("callshield bench --live: needs a display; install xvfb (scripts/setup.sh) or set DISPLAY",
                  file=sys.stderr)
            return 2
        cmd = [xvfb, "-a", "-s", "-screen 0 1920x1080x24", sys.executable, "-m", "app.cli", "bench", "--live", *argv]
        os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
        os.execv(xvfb, cmd)
    from app.bench_live import main as bench_main

    return bench_main(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:2] == ["bench", "--live"]:
        return run_live_bench(argv[2:])
    if argv and not argv[0].startswith("-"):
        # A subcommand is the engine's (it reports unknown ones). Checked without importing detectors.cli,
        # which loads torch: the window must not wait seconds for it.
        from detectors.cli import main as engine_main

        return engine_main(argv)
    from app.main import run_app  # Qt loads only for the GUI; the app takes options only

    return run_app(argv)


if __name__ == "__main__":
    sys.exit(main())
