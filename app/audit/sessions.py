"""Reading sessions back from the day files: their events, a summary of each, and the chain's state."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from app.audit.chain import verify_file
from app.audit.event_log import day_file, day_files
from detectors.words import translate


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def read_events(path: Path) -> list[dict]:
    """The file's events in order; unreadable lines (a torn tail, damage) are skipped: `verify` reports them."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict):
                out.append({**record, "_file": path.name})
    return out


@dataclass
class SessionRecord:
    """One session's events (in order, across day files) and where its chain stands."""

    session_id: str
    events: list[dict] = field(default_factory=list)
    chain_ok: bool = True
    chain_text: str = ""
    final_hash: str = ""  # the hash of the session's last event

    @property
    def started(self) -> dict:
        return next((e for e in self.events if e.get("event") == "session_started"), {})

    @property
    def finished(self) -> bool:
        return any(e.get("event") == "session_stopped" for e in self.events)

    @property
    def start_time(self) -> datetime | None:
        return parse_time(self.events[0]["time"]) if self.events else None

    @property
    def end_time(self) -> datetime | None:
        return parse_time(self.events[-1]["time"]) if self.events else None

    def count(self, kind: str) -> int:
        return sum(1 for e in self.events if e.get("event") == kind)


def load_sessions(folder: Path, since: date | None = None, verify: bool = True) -> dict[str, SessionRecord]:
    """Every session in the day files from `since` on, oldest first; `verify` checks each file's chain once."""
    sessions: dict[str, SessionRecord] = {}
    for path in day_files(folder):
        if since is not None and path.name < day_file(folder, since).name:
            continue
        report = verify_file(path) if verify else None
        for event in read_events(path):
            sid = event.get("session")
            if not sid:
                continue
            record = sessions.setdefault(sid, SessionRecord(sid))
            record.events.append(event)
            record.final_hash = str(event.get("hash", ""))
            if report is not None:
                record.chain_ok = record.chain_ok and report.ok
                record.chain_text = f"{path.name}: {report.describe()}"
    return sessions


def load_session(folder: Path, session_id: str) -> SessionRecord:
    """One session by id (or a unique prefix of it); KeyError with the known ids when there is none."""
    since = None
    if re.match(r"^\d{8}", session_id):  # ids start with their UTC start date: older files cannot hold them
        since = datetime.strptime(session_id[:8], "%Y%m%d").date()
    sessions = load_sessions(folder, since)
    matches = [sid for sid in sessions if sid.startswith(session_id)]
    if len(matches) != 1:
        known = ", ".join(list(sessions)[-5:]) or translate("CallReport", "none")
        raise KeyError(translate("CallReport", "no single session {session} in {folder} (latest: {known})").format(
            session=repr(session_id), folder=folder, known=known))
    return sessions[matches[0]]
