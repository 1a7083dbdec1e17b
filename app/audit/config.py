"""Call-centre settings: one frozen record, validated; stored by app.monitoring.settings under "call_centre/"."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.audit.event_log import EventLog, default_log_folder
from app.audit.evidence import EvidenceStore
from app.audit.siem import JsonFileForwarder, SyslogForwarder

SYSLOG_PROTOCOLS = ("udp", "tcp")
MIN_RETENTION_DAYS, MAX_RETENTION_DAYS = 1, 3650


@dataclass(frozen=True)
class CallCentreSettings:
    operator: str = ""  # the agent's name or ID, written into every session
    retention_days: int = 90  # day files older than this are deleted at start
    log_folder: str = ""  # "" = the default (audit/ in the user's data folder)
    evidence_frames: bool = False  # keep PNG crops of alerting faces beside the log
    syslog_enabled: bool = False  # no network connection unless the user turns this on
    syslog_host: str = ""
    syslog_port: int = 514
    syslog_protocol: str = "udp"
    json_file_enabled: bool = False
    json_file_path: str = ""  # "" = siem-events.jsonl in the log folder

    def __post_init__(self) -> None:
        if not MIN_RETENTION_DAYS <= self.retention_days <= MAX_RETENTION_DAYS:
            raise ValueError(f"retention {self.retention_days} days must lie in [{MIN_RETENTION_DAYS}, {MAX_RETENTION_DAYS}]")
        if not 1 <= self.syslog_port <= 65535:
            raise ValueError(f"syslog port {self.syslog_port} must lie in [1, 65535]")
        if self.syslog_protocol not in SYSLOG_PROTOCOLS:
            raise ValueError(f"syslog protocol {self.syslog_protocol!r} must be one of {', '.join(SYSLOG_PROTOCOLS)}")

    def problem(self) -> str:
        """What stops these settings from working as meant ("" if nothing); the settings dialog shows it."""
        if self.syslog_enabled and not self.syslog_host.strip():
            return "Syslog forwarding is on but no host is set: enter the SIEM's host name or address."
        return ""

    def folder(self) -> Path:
        return Path(self.log_folder) if self.log_folder else default_log_folder()


def open_event_log(s: CallCentreSettings, default_folder: Path | None = None) -> EventLog:
    """The event log in the chosen folder, else `default_folder`, else the user's data folder; deletes old days."""
    folder = Path(s.log_folder) if s.log_folder else default_folder or default_log_folder()
    return EventLog(folder, s.retention_days)


def evidence_store(s: CallCentreSettings, log_folder: Path) -> EvidenceStore | None:
    return EvidenceStore(log_folder) if s.evidence_frames else None


def forwarders(s: CallCentreSettings, log_folder: Path | None = None) -> list[SyslogForwarder | JsonFileForwarder]:
    """The forwarders the settings ask for; none by default (the app then opens no network connection)."""
    out: list[SyslogForwarder | JsonFileForwarder] = []
    if s.syslog_enabled and s.syslog_host.strip():
        out.append(SyslogForwarder(s.syslog_host.strip(), s.syslog_port, s.syslog_protocol))
    if s.json_file_enabled:
        folder = log_folder or s.folder()
        out.append(JsonFileForwarder(Path(s.json_file_path) if s.json_file_path else folder / "siem-events.jsonl"))
    return out
