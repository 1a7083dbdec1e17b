"""Optional SIEM forwarding (off by default): RFC 5424 syslog over UDP or TCP and a JSON-lines file for log agents.

The log's writer only puts events on a bounded queue; a background thread sends them. A dead or slow host fills
the queue, and then events are dropped and counted: monitoring is never held up, and `health()` says so.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

FACILITY_LOCAL0 = 16
# Private enterprise number 32473 is reserved for documentation (RFC 5612): the structured data's id.
SD_ID = "callshield@32473"
SEVERITY = {"alert": 2, "error": 3, "not_monitoring": 4, "challenge_result": 5, "acknowledged": 5}  # else 6 (info)
NIL = "-"


def _sd_escape(value: object) -> str:
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("]", "\\]")


def rfc5424(event: dict, hostname: str, app_name: str = "callshield", procid: int | None = None) -> bytes:
    """One event as an RFC 5424 message: header, structured data (session, seq, hash), a BOM and the JSON event."""
    kind = str(event.get("event", "event"))
    pri = FACILITY_LOCAL0 * 8 + SEVERITY.get(kind, 6)
    stamp = str(event.get("time", NIL))
    msgid = kind[:32]
    params = {"session": event.get("session") or NIL, "seq": event.get("seq", NIL), "hash": event.get("hash", NIL)}
    sd = "[" + SD_ID + "".join(f' {k}="{_sd_escape(v)}"' for k, v in params.items()) + "]"
    host = (hostname or NIL)[:255].replace(" ", "_")
    header = f"<{pri}>1 {stamp} {host} {app_name} {procid or os.getpid()} {msgid} {sd} "
    return header.encode("ascii", "replace") + b"\xef\xbb\xbf" + json.dumps(event, ensure_ascii=False).encode("utf-8")


@dataclass(frozen=True)
class ForwarderHealth:
    ok: bool
    message: str  # "" when fine; else what went wrong, for the status line
    sent: int = 0
    dropped: int = 0


class _QueuedSender:
    """A bounded queue drained by one daemon thread; `submit` never blocks."""

    name = "sender"

    def __init__(self, max_queue: int = 1000) -> None:
        self._queue: queue.Queue[dict | None] = queue.Queue(maxsize=max_queue)
        self._error = ""
        self.sent = 0
        self.dropped = 0
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._drain, name=f"CallShield {self.name}", daemon=True)
        self._thread.start()

    def submit(self, event: dict) -> None:
        try:
            self._queue.put_nowait(event)
        except queue.Full:
            self.dropped += 1

    __call__ = submit  # an EventLog sink

    def health(self) -> ForwarderHealth:
        if self._error:
            lost = f" ({self.dropped} events dropped)" if self.dropped else ""
            return ForwarderHealth(False, f"{self.name}: {self._error}{lost}", self.sent, self.dropped)
        if self.dropped:
            return ForwarderHealth(False, f"{self.name}: {self.dropped} events dropped (queue full)", self.sent, self.dropped)
        return ForwarderHealth(True, "", self.sent, self.dropped)

    def close(self, timeout_s: float = 2.0) -> None:
        """Lets the thread send what is queued for at most `timeout_s`, then stops it after its current send."""
        try:
            self._queue.put_nowait(None)
        except queue.Full:
            self._closing.set()
        self._thread.join(timeout_s)
        self._closing.set()
        self._thread.join(timeout_s)

    def _drain(self) -> None:
        while (event := self._queue.get()) is not None and not self._closing.is_set():
            try:
                self._send(event)
                self.sent += 1
                self._error = ""
            except OSError as err:
                self.dropped += 1
                self._error = f"{type(err).__name__}: {err}"
                self._disconnect()
                self._closing.wait(0.2)  # a dead host: do not spin; the queue absorbs the rest or drops it
        self._disconnect()

    def _send(self, event: dict) -> None:
        raise NotImplementedError

    def _disconnect(self) -> None:
        pass


class SyslogForwarder(_QueuedSender):
    """Sends each event to host:port over "udp" (one datagram each) or "tcp" (octet-counted framing, RFC 6587)."""

    def __init__(self, host: str, port: int, protocol: str = "udp", max_queue: int = 1000,
                 timeout_s: float = 2.0) -> None:
        if protocol not in ("udp", "tcp"):
            raise ValueError(f"syslog protocol {protocol!r} must be udp or tcp")
        self.host, self.port, self.protocol, self.timeout_s = host, int(port), protocol, timeout_s
        self.name = f"syslog {protocol}://{host}:{port}"
        self.hostname = socket.gethostname()
        self._sock: socket.socket | None = None
        super().__init__(max_queue)

    def _send(self, event: dict) -> None:
        message = rfc5424(event, self.hostname)
        if self._sock is None:
            self._sock = self._connect()
        if self.protocol == "udp":
            self._sock.sendto(message[:8192], (self.host, self.port))
        else:
            self._sock.sendall(str(len(message)).encode() + b" " + message)

    def _connect(self) -> socket.socket:
        if self.protocol == "udp":
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.settimeout(self.timeout_s)
            return sock
        return socket.create_connection((self.host, self.port), timeout=self.timeout_s)

    def _disconnect(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None


class JsonFileForwarder(_QueuedSender):
    """Appends each event as one JSON line to a fixed file that a Splunk or Elastic agent can tail."""

    def __init__(self, path: Path, max_queue: int = 1000) -> None:
        self.path = Path(path)
        self.name = f"JSON file {self.path}"
        super().__init__(max_queue)

    def _send(self, event: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = {"@timestamp": event.get("time"), "event.action": event.get("event"), "callshield": event}
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
