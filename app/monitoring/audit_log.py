"""An append-only JSON-lines log of the user's decisions (e.g. "I verified this caller") in their data folder."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QStandardPaths

LOG_NAME = "audit-log.jsonl"


def default_log_path() -> Path:
    """`audit-log.jsonl` in the per-user data folder (QStandardPaths.AppDataLocation)."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(folder or Path.home() / ".callshield") / LOG_NAME


class AuditLog:
    """One JSON object per line, flushed and fsynced at once: a record must survive a crash right after."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def append(self, event: str, **fields: object) -> dict:
        record = {"time": datetime.now(UTC).isoformat(timespec="milliseconds"), "event": event, **fields}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())
        return record

    def records(self) -> list[dict]:
        """Every readable record, oldest first; a line torn by a crash is skipped."""
        if not self.path.exists():
            return []
        out = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return out
