"""The event log's tamper evidence: canonical JSON, SHA-256 chained line to line, and its verification.

Each line is one JSON object with `seq` (1, 2, … within the file), `prev` (the previous line's hash; GENESIS for
the first line) and `hash` = SHA-256 of the canonical JSON of the object without `hash`. Canonical JSON: keys
sorted, no whitespace (separators "," and ":"), UTF-8 without escaping non-ASCII, floats as Python's repr.
Editing, deleting, inserting or reordering a line breaks the chain at that line; cutting lines off the end
leaves a shorter valid chain, which is why the final hash is printed in reports, to be kept elsewhere.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from detectors.words import translate

GENESIS = "0" * 64


def canonical_json(record: dict) -> bytes:
    """The bytes that are hashed: every field but `hash`, sorted keys, compact, UTF-8."""
    body = {k: v for k, v in record.items() if k != "hash"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def event_hash(record: dict) -> str:
    return hashlib.sha256(canonical_json(record)).hexdigest()


def seal(record: dict, seq: int, prev: str) -> dict:
    """Adds `seq`, `prev` and `hash` to a record (a new dict), ready to be written as one line."""
    sealed = {**record, "seq": seq, "prev": prev}
    sealed["hash"] = event_hash(sealed)
    return sealed


@dataclass(frozen=True)
class ChainReport:
    """What `verify_lines` found: `ok`, the number of good events, the last good hash and the first problem."""

    ok: bool
    events: int
    final_hash: str
    bad_line: int | None = None  # 1-based line number of the first problem
    problem: str = ""
    torn_tail: bool = False  # the last line was cut short by a crash while writing (no newline, not JSON)

    def describe(self) -> str:
        if not self.ok:
            return translate("AuditChain", "line {line}: {problem} (the {events} events before it are intact)").format(
                line=self.bad_line, problem=self.problem, events=self.events)
        text = translate("AuditChain", "chain intact, {events} events, final hash {hash}").format(
            events=self.events, hash=self.final_hash)
        if self.torn_tail:
            text += translate("AuditChain", "; the last line was cut short by a crash while writing and is not an event")
        return text


def _check_line(number: int, text: str, prev: str) -> tuple[dict | None, str]:
    """The parsed record if it continues the chain after `prev`, else None and why."""
    try:
        record = json.loads(text)
    except json.JSONDecodeError as err:
        return None, translate("AuditChain", "not valid JSON ({error}): the line was altered or damaged").format(error=err.msg)
    if not isinstance(record, dict) or not isinstance(record.get("hash"), str):
        return None, translate("AuditChain", "not an event record (no hash): the line was altered")
    seq = record.get("seq")
    if seq != number:
        if isinstance(seq, int) and seq > number:
            return None, translate("AuditChain", "events {first}…{last} are missing (this line is event {seq})").format(
                first=number, last=seq - 1, seq=seq)
        return None, translate("AuditChain", "out of order or inserted (it says it is event {seq}, expected {number})").format(
            seq=seq, number=number)
    if record.get("prev") != prev:
        return None, translate("AuditChain", "does not follow the previous event (its prev hash differs): a line before it "
                               "was removed or altered")
    if event_hash(record) != record["hash"]:
        return None, translate("AuditChain", "altered: its content does not match its hash")
    return record, ""


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return False
    return True


def verify_lines(lines: list[bytes]) -> ChainReport:
    """Verifies raw lines (each with its newline, as read in binary) from the start of one day file."""
    prev, count = GENESIS, 0
    for number, raw in enumerate(lines, start=1):
        last = number == len(lines)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return ChainReport(False, count, prev, number,
                               translate("AuditChain", "not UTF-8 text: the line was altered or damaged"))
        if not text.strip():
            return ChainReport(False, count, prev, number, translate("AuditChain", "an empty line where an event should be"))
        record, problem = _check_line(number, text, prev)
        if record is None:
            if last and not raw.endswith(b"\n") and not _is_json(text):
                return ChainReport(True, count, prev, torn_tail=True)  # killed mid-write: never a complete event
            return ChainReport(False, count, prev, number, problem)
        prev, count = record["hash"], count + 1
    return ChainReport(True, count, prev)


def verify_file(path: Path) -> ChainReport:
    with open(path, "rb") as f:
        return verify_lines(f.readlines())


def check_link(previous: Path, previous_report: ChainReport, path: Path) -> str:
    """"" if `path` opens by naming `previous` and its final hash; else what is wrong. Only for consecutive files."""
    with open(path, "rb") as f:
        first = f.readline()
    try:
        opened = json.loads(first)
    except json.JSONDecodeError:
        return ""  # the file's own check reports its first line
    if not isinstance(opened, dict) or opened.get("event") != "log_opened" or opened.get("previous_file") != previous.name:
        return ""
    if opened.get("previous_final_hash") != previous_report.final_hash:
        return translate("AuditChain", "{file} was opened after {previous} ended at hash {opened_hash} ({opened_events} "
                         "events), but {previous} now ends at {hash} ({events} events): lines were cut off its end or the "
                         "file was replaced").format(
            file=path.name, previous=previous.name, opened_hash=opened.get("previous_final_hash"),
            opened_events=opened.get("previous_events"), hash=previous_report.final_hash, events=previous_report.events)
    return ""

