"""The append-only, hash-chained event log: one JSON-lines file per UTC day in the user's data folder.

Crash-safe: each event is written with one `write` and flushed at once (the OS keeps it if the process dies);
alerts are also fsynced (they survive a power cut). Files older than the retention are deleted at start.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import re
import threading
from collections import deque
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import platformdirs

from app.audit.chain import GENESIS, canonical_json, seal, verify_file, verify_lines

log = logging.getLogger(__name__)

APP_NAME = "CallShield"
FILE_PATTERN = re.compile(r"^events-(\d{4}-\d{2}-\d{2})\.jsonl$")
EventSink = Callable[[dict], None]


def data_folder() -> Path:
    """The per-user data folder, the same one Qt's AppDataLocation gives the app (organisation and app CallShield)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=True)) / APP_NAME


def default_log_folder() -> Path:
    return data_folder() / "audit"


def day_file(folder: Path, day: date) -> Path:
    return folder / f"events-{day.isoformat()}.jsonl"


def day_files(folder: Path) -> list[Path]:
    """The folder's day files, oldest first."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if FILE_PATTERN.match(p.name))


def purge_old_files(folder: Path, keep_days: int, today: date) -> list[Path]:
    """Deletes day files (and their evidence folders) older than `keep_days` days before `today`; returns them."""
    cutoff = today - timedelta(days=max(1, keep_days) - 1)
    removed = []
    for path in day_files(folder):
        day = date.fromisoformat(FILE_PATTERN.match(path.name)[1])  # type: ignore[index]
        if day < cutoff:
            path.unlink(missing_ok=True)
            removed.append(path)
            evidence = folder / "evidence" / day.isoformat()
            if evidence.is_dir():
                for png in evidence.iterdir():
                    png.unlink(missing_ok=True)
                evidence.rmdir()
    return removed


def utc_now() -> datetime:
    return datetime.now(UTC)


class EventLog:
    """Appends sealed events to today's file; thread-safe; `sinks` get each written event (SIEM forwarders)."""

    def __init__(self, folder: Path, retention_days: int = 90, clock: Callable[[], datetime] = utc_now) -> None:
        self.folder = Path(folder)
        self.clock = clock
        self.sinks: list[EventSink] = []
        self._lock = threading.Lock()
        self._file = None
        self._day: date | None = None
        self._seq = 0
        self._prev = GENESIS
        self._unwritten: deque[dict] = deque()  # sealed, in chain order, not yet on disk (disk full)
        self._problem = ""
        self.folder.mkdir(parents=True, exist_ok=True)
        for path in purge_old_files(self.folder, retention_days, clock().date()):
            log.info("audit log: deleted %s (older than %d days)", path.name, retention_days)

    @property
    def path(self) -> Path | None:
        return None if self._day is None else day_file(self.folder, self._day)

    @property
    def final_hash(self) -> str:
        return self._prev

    def append(self, record: dict, durable: bool = False) -> dict:
        """Seals and writes one event (`time` is added if absent); `durable` also fsyncs. Returns the sealed event."""
        now = self.clock()
        with self._lock:
            if self._day != now.date():
                self._open_day(now.date())
            sealed = seal({"time": _stamp(now), **record}, self._seq + 1, self._prev)
            self._seq, self._prev = sealed["seq"], sealed["hash"]
            self._unwritten.append(sealed)
            self._write_unwritten(durable)
        for sink in self.sinks:
            try:
                sink(sealed)
            except Exception:  # a sink must never stop the log
                log.exception("audit log: an event sink failed")
        return sealed

    @property
    def problem(self) -> str:
        """Why events are waiting to be written ("" when the log is up to date), for the status line."""
        return self._problem

    def _write_unwritten(self, durable: bool) -> None:
        """Writes the waiting events in order. A full disk or a lost folder keeps them waiting (in memory, in chain
        order) and says so; they are written as soon as a write succeeds again."""
        try:
            while self._unwritten:
                self._write_line(self._unwritten[0])
                self._unwritten.popleft()
            if durable:
                os.fsync(self._file.fileno())
        except OSError as err:
            problem = f"cannot write the audit log ({err.strerror or err}): {len(self._unwritten)} event(s) waiting"
            if not self._problem:
                log.error("audit log %s: %s", self.path, problem)
            self._problem = problem
            return
        if self._problem:
            log.warning("audit log %s: writing again; the waiting events are written", self.path)
        self._problem = ""

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.flush()
                os.fsync(self._file.fileno())
                self._file.close()
                self._file = None
                self._day = None

    def _open_day(self, day: date) -> None:
        if self._file is not None:
            self._file.close()
        path = day_file(self.folder, day)
        self._seq, self._prev, torn = self._resume(path)
        if torn:
            # A crash cut the last write short: that fragment never was an event. It is cut off, and the next
            # event records its size and hash, so the chain stays verifiable and the repair stays visible.
            with open(path, "r+b") as f:
                f.truncate(path.stat().st_size - len(torn))
        # Unbuffered: each event is one write() to the OS, so a killed process leaves only whole lines behind.
        self._file = open(path, "ab", buffering=0)
        self._day = day
        if torn:
            self._write(seal({"time": _stamp(self.clock()), "event": "log_recovered", "torn_bytes": len(torn),
                              "torn_sha256": hashlib.sha256(torn).hexdigest()}, self._seq + 1, self._prev))
            log.warning("audit log %s: the last line was cut short by a crash (%d bytes)", path.name, len(torn))
        if self._seq == 0:
            self._write(seal({"time": _stamp(self.clock()), "event": "log_opened", **self._previous_day(day)}, 1, GENESIS))

    def _previous_day(self, day: date) -> dict:
        """Links a new day file to the last one before it: cutting lines off that file's end is then found too."""
        older = [p for p in day_files(self.folder) if p.name < day_file(self.folder, day).name]
        if not older:
            return {"previous_file": None, "previous_final_hash": None}
        report = verify_file(older[-1])
        return {"previous_file": older[-1].name, "previous_final_hash": report.final_hash,
                "previous_events": report.events}

    def _write(self, sealed: dict) -> None:
        self._write_line(sealed)
        self._seq, self._prev = sealed["seq"], sealed["hash"]

    def _write_line(self, sealed: dict) -> None:
        """One event as one line; a short write (disk full) is taken back, so no torn line stays in the file."""
        line = canonical_json(sealed)[:-1] + b',"hash":"' + sealed["hash"].encode() + b'"}\n'
        start = os.fstat(self._file.fileno()).st_size  # appends land at the end, wherever tell() points
        try:
            if self._file.write(line) != len(line):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        except OSError:
            with contextlib.suppress(OSError):
                self._file.truncate(start)
            raise

    @staticmethod
    def _resume(path: Path) -> tuple[int, str, bytes]:
        """Sequence number and hash to continue today's file from, and a torn last line if any."""
        if not path.exists():
            return 0, GENESIS, b""
        with open(path, "rb") as f:
            lines = f.readlines()
        report = verify_lines(lines)
        if report.ok:
            return report.events, report.final_hash, lines[-1] if report.torn_tail else b""
        # Damaged: chain on from the last line anyway; `callshield audit verify` keeps pointing at the damage.
        log.error("audit log %s is damaged: %s", path.name, report.describe())
        try:
            last = json.loads(lines[-1])
            return int(last["seq"]), str(last["hash"]), b""
        except (ValueError, KeyError, TypeError):
            return report.events, report.final_hash, b""


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
