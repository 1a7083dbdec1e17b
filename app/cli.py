"""The `callshield` command: engine subcommands (scan, eval, bench, train), `bench --live`, or the desktop app."""

from __future__ import annotations

import os
import shutil
import sys


def _needs_virtual_display() -> bool:
    return sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


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
