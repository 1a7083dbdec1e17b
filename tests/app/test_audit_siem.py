"""SIEM forwarding: RFC 5424 syslog to loopback UDP and TCP listeners, the JSON tail file, and dead hosts."""

from __future__ import annotations

import json
import re
import socket
import time
from pathlib import Path

import pytest

from app.audit.config import CallCentreSettings, forwarders
from app.audit.event_log import EventLog
from app.audit.events import FaceScore
from app.audit.session import SessionLogger
from app.audit.siem import JsonFileForwarder, SyslogForwarder, rfc5424
from tests.app.audit_helpers import INFO

# RFC 5424 section 6: <PRI>VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP SD [SP MSG]
RFC5424 = re.compile(rb'^<(\d{1,3})>1 (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (\S{1,255}) (\S{1,48}) (\d+) (\S{1,32}) '
                     rb'\[callshield@32473 session="([^"]+)" seq="(\d+)" hash="([0-9a-f]{64})"\] \xef\xbb\xbf(\{.*\})$',
                     re.DOTALL)


def _session(tmp_path: Path, sink: object) -> SessionLogger:
    log = EventLog(tmp_path)
    log.sinks.append(sink)  # type: ignore[arg-type]
    return SessionLogger(log)


def _check(message: bytes) -> dict:
    m = RFC5424.match(message)
    assert m, message[:200]
    event = json.loads(m[10])
    assert int(m[1]) == 16 * 8 + {"alert": 2, "session_started": 6, "session_stopped": 6}[event["event"]]
    assert m[6].decode() == event["event"] and m[8].decode() == str(event["seq"]) and m[9].decode() == event["hash"]
    assert m[2].decode() == event["time"]
    return event


def test_syslog_over_udp_reaches_a_loopback_listener_in_rfc5424(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
        server.bind(("127.0.0.1", 0))
        server.settimeout(5)
        forwarder = SyslogForwarder("127.0.0.1", server.getsockname()[1], "udp")
        session = _session(tmp_path, forwarder)
        session.start(INFO)
        session.alert([1], [FaceScore(1, 0.97, 0.99, "possible_swap")])
        session.stop()
        received = [_check(server.recv(65535)) for _ in range(3)]
        forwarder.close()
    assert [e["event"] for e in received] == ["session_started", "alert", "session_stopped"]
    assert received[1]["faces"][0]["score"] == 0.97 and forwarder.health().ok and forwarder.health().sent == 3


def _tcp_frames(conn: socket.socket, count: int) -> list[bytes]:
    """Reads RFC 6587 octet-counted frames: "LENGTH SP MESSAGE"."""
    buffer, frames = b"", []
    while len(frames) < count:
        chunk = conn.recv(65535)
        assert chunk, "connection closed early"
        buffer += chunk
        while b" " in buffer:
            length, _, rest = buffer.partition(b" ")
            if len(rest) < int(length):
                break
            frames.append(rest[: int(length)])
            buffer = rest[int(length):]
    return frames


def test_syslog_over_tcp_reaches_a_loopback_listener_in_rfc5424(tmp_path: Path) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        server.settimeout(5)
        forwarder = SyslogForwarder("127.0.0.1", server.getsockname()[1], "tcp")
        session = _session(tmp_path, forwarder)
        session.start(INFO)
        session.alert([1], [FaceScore(1, 0.97, 0.99, "possible_swap")])
        session.stop()
        conn, _ = server.accept()
        with conn:
            conn.settimeout(5)
            received = [_check(frame) for frame in _tcp_frames(conn, 3)]
        forwarder.close()
    assert [e["event"] for e in received] == ["session_started", "alert", "session_stopped"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_path_times(tmp_path: Path, forwarder: SyslogForwarder, events: int = 300) -> list[float]:
    session = _session(tmp_path, forwarder)
    session.start(INFO)
    times = []
    for i in range(events):
        start = time.perf_counter()
        session.state("looks_real" if i % 2 else "analysing")
        times.append(time.perf_counter() - start)
    return times


def test_a_closed_tcp_port_does_not_slow_the_log_and_is_reported(tmp_path: Path) -> None:
    forwarder = SyslogForwarder("127.0.0.1", _closed_port(), "tcp", max_queue=100)
    times = _write_path_times(tmp_path, forwarder)
    deadline = time.monotonic() + 5  # the sender thread may get its first try only after the queue filled
    while "ConnectionRefusedError" not in forwarder.health().message and time.monotonic() < deadline:
        time.sleep(0.05)
    health = forwarder.health()
    forwarder.close(timeout_s=1)
    assert not health.ok and "ConnectionRefusedError" in health.message and health.dropped > 0
    assert max(times) < 0.05 and sum(times) / len(times) < 0.005, (max(times), sum(times) / len(times))


def test_a_host_that_never_answers_does_not_slow_the_log(tmp_path: Path) -> None:
    """A listener whose backlog is full: connect() hangs until its timeout, as with an unroutable host."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        fillers = []
        for _ in range(4):  # fill the accept queue so that the next SYN gets no answer
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(server.getsockname())
            fillers.append(s)
        forwarder = SyslogForwarder("127.0.0.1", server.getsockname()[1], "tcp", max_queue=50, timeout_s=0.5)
        times = _write_path_times(tmp_path, forwarder)
        stuck_at = time.monotonic()
        forwarder.close(timeout_s=1)
        for s in fillers:
            s.close()
    assert time.monotonic() - stuck_at < 2.5
    assert forwarder.dropped > 0  # the queue filled while the sender waited; the log did not
    assert max(times) < 0.05 and sum(times) / len(times) < 0.005, (max(times), sum(times) / len(times))


def test_json_tail_file_gets_one_line_per_event(tmp_path: Path) -> None:
    forwarder = JsonFileForwarder(tmp_path / "siem" / "callshield-events.jsonl")
    session = _session(tmp_path / "log", forwarder)
    session.start(INFO)
    session.stop()
    forwarder.close()
    lines = [json.loads(line) for line in (tmp_path / "siem" / "callshield-events.jsonl").read_text().splitlines()]
    assert [line["event.action"] for line in lines] == ["session_started", "session_stopped"]
    assert lines[0]["@timestamp"] == lines[0]["callshield"]["time"] and len(lines[0]["callshield"]["hash"]) == 64


def test_forwarding_is_off_by_default_and_validated() -> None:
    assert forwarders(CallCentreSettings()) == []
    assert "no host" in CallCentreSettings(syslog_enabled=True).problem()
    assert forwarders(CallCentreSettings(syslog_enabled=True)) == []
    with pytest.raises(ValueError, match="must be one of udp, tcp"):
        CallCentreSettings(syslog_protocol="http")


def test_no_socket_is_opened_unless_forwarding_is_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[object] = []
    monkeypatch.setattr(socket, "socket", lambda *a, **k: opened.append(a))
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: opened.append(a))
    log = EventLog(tmp_path)
    for f in forwarders(CallCentreSettings()):
        log.sinks.append(f)
    session = SessionLogger(log)
    session.start(INFO)
    session.alert([1], [FaceScore(1, 0.97, 0.99, "possible_swap")])
    session.stop()
    assert opened == []


def test_structured_data_values_are_escaped() -> None:
    message = rfc5424({"event": "error", "session": 'a"b]c\\d', "seq": 1, "hash": "0" * 64, "time": "-"}, "host")
    assert b'session="a\\"b\\]c\\\\d"' in message
