"""Entry point of the built app: runs `app.cli:main`, as the `callshield` command does from source.

A bundle needs what a source checkout does not: standard streams where the OS gives none (a windowed
Windows app), model hubs told they are offline, and, when start-up fails before the app can show a window
of its own (a missing or damaged file inside the bundle), a message window and a log file in the user's
data folder instead of a traceback in a terminal nobody sees.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

APP_NAME = "CallShield"
LOG_NAME = "startup.log"
# Nothing is downloaded at run time; libraries that know a model hub (timm → huggingface_hub) must not try.
# ORT_DISABLE_TELEMETRY: onnxruntime's 1DS telemetry otherwise looks up and posts to mobile.events.data.microsoft.com.
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1", "TRANSFORMERS_OFFLINE": "1",
               "ORT_DISABLE_TELEMETRY": "1"}
# Qt platforms nobody can see: a message window there would wait forever for a click.
INVISIBLE_QT_PLATFORMS = {"offscreen", "minimal"}


def user_data_dir() -> Path:
    """The app's data folder, as QStandardPaths.AppDataLocation names it for organisation and app "CallShield"."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_NAME / APP_NAME


def log_path() -> Path:
    return user_data_dir() / "logs" / LOG_NAME


def append_log(text: str) -> Path | None:
    """Appends a time-stamped entry to the start-up log; None when the folder cannot be written."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"--- {datetime.now(UTC).isoformat(timespec='seconds')} {APP_NAME} {sys.argv[1:]!r}\n{text.rstrip()}\n")
    except OSError:
        return None
    return path


def give_missing_streams() -> None:
    """A windowed Windows app starts with sys.stdout/stderr = None; printing would then crash it."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # lives as long as the process
    if sys.stderr is None:
        try:
            log_path().parent.mkdir(parents=True, exist_ok=True)
            sys.stderr = open(log_path(), "a", encoding="utf-8", buffering=1)
        except OSError:
            sys.stderr = open(os.devnull, "w", encoding="utf-8")


def describe(err: BaseException) -> str:
    """One paragraph a non-technical person can act on."""
    if isinstance(err, ImportError | OSError) or type(err).__name__ == "WeightsError":
        return f"A file inside CallShield is missing or damaged:\n{err}\n\nPlease reinstall CallShield."
    return f"An unexpected error stopped CallShield:\n{type(err).__name__}: {err}"


def show_error(text: str) -> None:
    """A message window with `text`; stderr too. Falls back to the OS's own dialog tools if Qt itself is damaged."""
    print(f"{APP_NAME} could not start. {text}", file=sys.stderr, flush=True)
    if os.environ.get("QT_QPA_PLATFORM", "") in INVISIBLE_QT_PLATFORMS or os.environ.get("CALLSHIELD_NO_DIALOG"):
        return
    try:
        from PySide6.QtWidgets import QApplication, QMessageBox

        qapp = QApplication.instance() or QApplication([sys.argv[0]])  # noqa: F841 (must exist while the box shows)
        QMessageBox.critical(None, f"{APP_NAME} could not start", text)
        return
    except Exception:  # Qt is the damaged part, or there is no display: try the platform's own dialog
        pass
    title = f"{APP_NAME} could not start"
    try:
        if sys.platform == "win32":
            import ctypes

            ctypes.windll.user32.MessageBoxW(None, text, title, 0x10)  # MB_ICONERROR
        elif sys.platform == "darwin":
            script = f"display alert {_applescript_string(title)} message {_applescript_string(text)} as critical"
            subprocess.run(["osascript", "-e", script], check=False, timeout=600)
        else:
            for tool, args in (("zenity", ["--error", f"--title={title}", f"--text={text}"]),
                               ("kdialog", ["--title", title, "--error", text]),
                               ("xmessage", ["-center", f"{title}\n\n{text}"])):
                if exe := shutil.which(tool):
                    subprocess.run([exe, *args], check=False, timeout=600)
                    break
    except Exception:  # the message is on stderr and in the log already
        pass


def _applescript_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def log_uncaught(kind: type[BaseException], err: BaseException, tb: object) -> None:
    """sys.excepthook for the GUI: Qt reports exceptions raised in slots here; keep them in the log file."""
    text = "".join(traceback.format_exception(kind, err, tb))  # type: ignore[arg-type]
    append_log(text)
    sys.__excepthook__(kind, err, tb)  # type: ignore[arg-type]


def run(argv: list[str]) -> int:
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    give_missing_streams()
    gui = not argv or argv[0].startswith("-")  # engine commands (scan, eval, …) are words; the GUI takes options
    if not gui:  # a terminal user: errors print as they would from source
        from app.cli import main

        return main(argv)
    sys.excepthook = log_uncaught
    try:
        from app.cli import main

        return main(argv)
    except Exception as err:
        where = append_log(traceback.format_exc())
        text = describe(err)
        if where is not None:
            text += f"\n\nDetails were saved to {where}"
        show_error(text)
        return 1


if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen child process must run its task, not a second app
    sys.exit(run(sys.argv[1:]))
