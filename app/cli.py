"""The `callshield` command: the engine's offline subcommands (scan, eval, bench), the training tools of a source
checkout (train, …), `bench --live`, or the desktop app."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Callable

from app.display import needs_virtual_display


def command_line_language() -> Callable[..., str]:
    """Installs the language chosen in Settings (or the system's) for a message printed here; returns `translate`."""
    from PySide6.QtCore import QSettings

    from app.language import install_language, translate
    from app.monitoring.settings import SettingsStore

    install_language(SettingsStore(QSettings("CallShield", "CallShield")).load().language)
    return translate


def run_live_bench(argv: list[str]) -> int:
    """`callshield bench --live`; on a Linux box without a display it re-runs itself under Xvfb."""
    if needs_virtual_display():
        xvfb = shutil.which("xvfb-run")
        if xvfb is None:
            translate = command_line_language()
            print(translate("CommandLine", "callshield bench --live: needs a display; install xvfb (scripts/setup.sh) or "
                            "set DISPLAY"), file=sys.stderr)
            return 2
        cmd = [xvfb, "-a", "-s", "-screen 0 1920x1080x24", sys.executable, "-m", "app.cli", "bench", "--live", *argv]
        os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
        os.execv(xvfb, cmd)
    from app.bench_live import main as bench_main

    return bench_main(argv)


# Subcommands of the training tools (training/cli.py), which the app bundle leaves out.
TRAINING_COMMANDS = ("train", "train-fusion", "extract-crops", "robustness", "make-swaps")


def run_training_tool(argv: list[str]) -> int:
    """Hands a training subcommand to the `training` package, or says why this installation has none."""
    if importlib.util.find_spec("training") is None:
        translate = command_line_language()
        print(translate("CommandLine", "callshield {command}: the training tools are not part of this installation; run "
                        "it from a source checkout set up with `pip install -e .[train]`").format(command=argv[0]),
              file=sys.stderr)
        return 2
    # Imported by name: the training tools sit above the app's layers and nothing that ships may import them.
    return importlib.import_module("training.cli").main(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in TRAINING_COMMANDS:
        return run_training_tool(argv)
    if argv and argv[0] in ("audit", "report"):
        from app.audit.cli import audit_main, report_main  # no torch; Qt only for a report's PDF

        command_line_language()
        return (audit_main if argv[0] == "audit" else report_main)(argv[1:])
    if argv[:2] == ["bench", "--live"]:
        return run_live_bench(argv[2:])
    if argv[:1] == ["soak"]:
        from app.soak import main as soak_main

        return soak_main(argv[1:])
    if argv and not argv[0].startswith("-"):
        # A subcommand is the engine's (it reports unknown ones). Checked without importing detectors.offline.cli,
        # which loads torch: the window must not wait seconds for it.
        from detectors.offline.cli import main as engine_main

        command_line_language()  # the engine's reports and errors in the language of the app
        return engine_main(argv)
    from app.main import run_app  # Qt loads only for the GUI; the app takes options only

    return run_app(argv)


if __name__ == "__main__":
    sys.exit(main())
