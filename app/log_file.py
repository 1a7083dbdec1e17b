"""The app's log file (`logs/callshield.log` in the user's data folder), so a double-clicked app still leaves a trace.

The PyInstaller launcher writes `startup.log` (failures before the app runs) into the same folder.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from PySide6.QtCore import QStandardPaths

LOG_NAME = "callshield.log"
MAX_BYTES = 1_000_000
BACKUPS = 2  # callshield.log, .1 and .2: at most 3 files of 1 MB
FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"
HANDLER_NAME = "callshield-log-file"
STDERR_HANDLER_NAME = "callshield-stderr"


def default_log_folder() -> Path:
    """`logs/` in the per-user data folder (QStandardPaths.AppDataLocation; needs the organisation and app names set)."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(folder or Path.home() / ".callshield") / "logs"


def configure_logging(folder: Path | None = None, level: int = logging.INFO) -> Path | None:
    """Sends the root logger's records of `level` and above to a rotating file; returns its path.

    Warnings and errors still reach stderr too, as they did before any handler existed. None when the
    folder cannot be written (a read-only home): the app runs on without a log file. Calling it again
    replaces the handlers it added before.
    """
    close_log_file()
    root = logging.getLogger()
    if sys.stderr is not None:
        to_stderr = logging.StreamHandler(sys.stderr)
        to_stderr.set_name(STDERR_HANDLER_NAME)
        to_stderr.setLevel(logging.WARNING)
        to_stderr.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(to_stderr)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    path = (folder or default_log_folder()) / LOG_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    except OSError:
        return None
    handler.set_name(HANDLER_NAME)
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    return path


def close_log_file() -> None:
    """Removes and closes the handlers `configure_logging` added, if any."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() in (HANDLER_NAME, STDERR_HANDLER_NAME)]:
        root.removeHandler(handler)
        handler.close()
