"""The call-centre event log: a complete ordered session, the hash chain, `audit verify`, crashes and retention."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from app.audit.chain import GENESIS, event_hash, verify_file
from app.audit.cli import audit_main
from app.audit.event_log import EventLog, day_file, day_files, purge_old_files
from app.audit.events import FaceScore
from app.audit.evidence import EvidenceStore, crop_faces
from app.audit.session import SessionLogger
from app.audit.sessions import load_session, read_events
from tests.app.audit_helpers import INFO, START, FakeClock, scripted_call

REPO = Path(__file__).resolve().parents[2]


def test_scripted_session_gives_a_complete_ordered_event_stream(tmp_path: Path) -> None:
    _, sid = scripted_call(tmp_path)
    events = read_events(day_file(tmp_path, START.date()))
    kinds = [e["event"] for e in events if e["event"] != "scores"]
    assert kinds == ["log_opened", "session_started", "state_changed", "state_changed", "alert", "state_changed", "acknowledged",
                     "state_changed", "state_changed", "state_changed", "error", "not_monitoring", "state_changed",
                     "challenge_result", "session_stopped"]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert events[0]["previous_file"] is None and all(e["session"] == sid for e in events[1:])
    assert [e["time"] for e in events] == sorted(e["time"] for e in events)
    started = events[1]
    assert started["operator"] == "agent-007" and started["call_ref"] == "CASE-4711"
    assert started["model_version"] == "lite0-test" and started["settings"] == {"sensitivity": 0.0, "max_fps": 10.0}
    alert = next(e for e in events if e["event"] == "alert")
    assert alert["alerting"] == [1] and [f["score"] for f in alert["faces"]] == [0.95, 0.1]
    ack = next(e for e in events if e["event"] == "acknowledged")
    assert ack["by"] == "agent-007" and ack["statement"] == "verified this caller by another channel"
    gap = next(e for e in events if e["event"] == "not_monitoring")
    assert gap["reason"].startswith("capture failed") and gap["seconds"] == pytest.approx(5.0, abs=0.01)
    scores = [e for e in events if e["event"] == "scores"]
    assert 110 <= len(scores) <= 120 and {f["track_id"] for f in scores[0]["faces"]} == {1, 2}
    assert events[-1]["counts"]["alert"] == 1


def test_chain_links_every_event_to_the_one_before(tmp_path: Path) -> None:
    scripted_call(tmp_path)
    events = read_events(day_file(tmp_path, START.date()))
    assert events[0]["prev"] == GENESIS
    for before, after in itertools.pairwise(events):
        assert after["prev"] == before["hash"]
    for e in events:
        e.pop("_file")
        assert event_hash(e) == e["hash"]


def test_audit_verify_passes_an_intact_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scripted_call(tmp_path)
    path = day_file(tmp_path, START.date())
    n = len(path.read_text().splitlines())
    assert audit_main(["verify", str(path)]) == 0
    out = capsys.readouterr().out
    final = json.loads(path.read_text().splitlines()[-1])["hash"]
    assert f"chain intact, {n} events, final hash {final}" in out


@pytest.mark.parametrize("tamper, problem", [
    (lambda lines: lines.__setitem__(5, lines[5].replace('"state":"looks_real"', '"state":"possible_swap"')), "altered"),
    (lambda lines: lines.__delitem__(5), "missing"),
    (lambda lines: lines.insert(5, lines[2]), "out of order or inserted"),
    (lambda lines: lines.__setitem__(5, lines[5][:40]), "not valid JSON"),
])
def test_audit_verify_names_the_first_bad_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], tamper: object,
                                               problem: str) -> None:
    scripted_call(tmp_path)
    path = day_file(tmp_path, START.date())
    lines = path.read_text().splitlines()
    tamper(lines)  # type: ignore[operator]
    path.write_text("\n".join(lines) + "\n")
    assert audit_main(["verify", str(path)]) == 1
    err = capsys.readouterr().err
    assert "line 6:" in err and problem in err, err


def test_an_edited_line_with_a_recomputed_hash_still_breaks_the_chain(tmp_path: Path) -> None:
    scripted_call(tmp_path)
    path = day_file(tmp_path, START.date())
    lines = path.read_text().splitlines()
    record = json.loads(lines[3])
    record["alerting"] = []
    record["hash"] = event_hash(record)  # a forger who knows the scheme must rewrite every later line too
    lines[3] = json.dumps(record)
    path.write_text("\n".join(lines) + "\n")
    report = verify_file(path)
    assert not report.ok and report.bad_line == 5 and "does not follow" in report.problem


WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from app.audit.event_log import EventLog
    from app.audit.events import FaceScore, SessionInfo
    from app.audit.session import SessionLogger
    session = SessionLogger(EventLog(Path(sys.argv[1])))
    session.start(SessionInfo(operator="crash-test"))
    i = 0
    while True:
        i += 1
        session.state("looks_real" if i % 2 else "analysing", "x" * (i % 300))
        if i % 50 == 0:
            session.alert([1], [FaceScore(1, 0.97, 0.99, "possible_swap")])
        if i == 200:
            print("ready", flush=True)
""")


def test_a_killed_process_leaves_a_log_that_parses_and_verifies(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"  # type: ignore[union-attr]
        time.sleep(0.3)  # writing flat out when killed
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    [path] = day_files(tmp_path)
    raw = path.read_bytes()
    lines = raw.splitlines()
    parsed = [json.loads(line) for line in lines[:-1]]
    assert len(parsed) >= 200 and parsed[1]["event"] == "session_started"
    report = verify_file(path)
    assert report.ok, report.describe()
    assert report.events in (len(lines), len(lines) - 1)  # the last line is whole, or torn by the kill
    # The app starts again the same day: the chain goes on from the last whole event.
    log = EventLog(tmp_path)
    log.append({"event": "session_started", "session": "after-crash"})
    log.close()
    again = verify_file(path)
    assert again.ok and again.events > report.events and not again.torn_tail


def test_a_torn_last_line_is_cut_off_and_recorded_on_restart(tmp_path: Path) -> None:
    clock = FakeClock()
    log = EventLog(tmp_path, clock=clock)
    for i in range(3):
        log.append({"event": "state_changed", "state": str(i)})
    log.close()
    path = day_file(tmp_path, START.date())
    with open(path, "ab") as f:
        f.write(b'{"event":"alert","sess')  # a power cut in the middle of a write
    assert verify_file(path).torn_tail
    log = EventLog(tmp_path, clock=clock)
    log.append({"event": "state_changed", "state": "after"})
    events = read_events(path)
    assert [e["event"] for e in events] == ["log_opened"] + ["state_changed"] * 3 + ["log_recovered", "state_changed"]
    assert events[4]["torn_bytes"] == 22
    assert verify_file(path).ok and verify_file(path).events == 6


def test_each_utc_day_gets_its_own_file_and_old_files_are_deleted(tmp_path: Path) -> None:
    clock = FakeClock()
    log = EventLog(tmp_path, clock=clock)
    log.append({"event": "a"})
    clock.advance(24 * 3600)
    log.append({"event": "b"})
    log.close()
    assert [p.name for p in day_files(tmp_path)] == ["events-2026-12-02.jsonl", "events-2026-12-03.jsonl"]
    assert all(verify_file(p).events == 2 for p in day_files(tmp_path))  # log_opened and the event
    old = day_file(tmp_path, START.date() - timedelta(days=40))
    old.write_text("")
    (tmp_path / "evidence" / old.stem[7:]).mkdir(parents=True)
    (tmp_path / "evidence" / old.stem[7:] / "x.png").write_bytes(b"png")
    (tmp_path / "notes.txt").write_text("not ours")
    EventLog(tmp_path, retention_days=30, clock=clock)
    assert not old.exists() and not (tmp_path / "evidence" / old.stem[7:]).exists()
    assert (tmp_path / "notes.txt").exists() and len(day_files(tmp_path)) == 2
    assert purge_old_files(tmp_path, 1, date(2026, 12, 3)) == [day_file(tmp_path, START.date())]


def test_evidence_crops_are_kept_only_when_opted_in_and_hashed_into_the_chain(tmp_path: Path) -> None:
    import hashlib

    pixels = np.zeros((480, 640, 3), np.uint8)
    pixels[100:300, 200:360] = (200, 150, 120)
    crops = crop_faces(pixels, {1: (200.0, 100.0, 360.0, 300.0)})
    assert crops[0].pixels.shape == (280, 224, 3)
    without = SessionLogger(EventLog(tmp_path / "off"))
    without.start(INFO)
    assert without.alert([1], [FaceScore(1, 0.97, 0.99, "possible_swap")], crops)["evidence"] == []
    assert not (tmp_path / "off" / "evidence").exists()
    session = SessionLogger(EventLog(tmp_path / "on"), EvidenceStore(tmp_path / "on"))
    session.start(INFO)
    event = session.alert([1], [FaceScore(1, 0.97, 0.99, "possible_swap")], crops)
    [item] = event["evidence"]
    png = tmp_path / "on" / item["file"]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert hashlib.sha256(png.read_bytes()).hexdigest() == item["sha256"]
    assert verify_file(day_files(tmp_path / "on")[0]).ok


def test_sessions_are_found_by_id_prefix(tmp_path: Path) -> None:
    _, sid = scripted_call(tmp_path, seconds=10)
    session = load_session(tmp_path, sid[:12])
    assert session.session_id == sid and session.finished and session.chain_ok
    with pytest.raises(KeyError, match="no single session"):
        load_session(tmp_path, "1999")


def test_audit_verify_command_exit_status_without_gui_or_torch(tmp_path: Path) -> None:
    scripted_call(tmp_path, seconds=5)
    path = day_file(tmp_path, START.date())
    # QtCore only, for the translations of its messages: no GUI library, no torch.
    probe = ("import sys; from app.cli import main; status = main(sys.argv[1:]); "
             "assert not {'PySide6.QtGui', 'PySide6.QtWidgets', 'torch'} & set(sys.modules); sys.exit(status)")
    ok = subprocess.run([sys.executable, "-c", probe, "audit", "verify", str(path)], cwd=REPO, capture_output=True,
                        text=True, timeout=60)
    assert ok.returncode == 0 and "chain intact" in ok.stdout, ok.stderr
    lines = path.read_text().splitlines()
    lines[2] = lines[2].replace("analysing", "looks_real")
    path.write_text("\n".join(lines) + "\n")
    bad = subprocess.run([sys.executable, "-c", probe, "audit", "verify", str(path)], cwd=REPO, capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 1 and "line 3: altered" in bad.stderr


@pytest.mark.slow
def test_an_eight_hour_session_stays_small_and_verifies(tmp_path: Path) -> None:
    """8 h at 10 verdicts/s through the session logger as fast as it goes (scripts/audit_soak.py)."""
    run = subprocess.run([sys.executable, str(REPO / "scripts" / "audit_soak.py"), "--hours", "8", "--folder",
                          str(tmp_path)], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["ok"] and result["verdicts"] == 288_000
    assert result["rss_end_mb"] - result["rss_start_mb"] < 20  # no growth with the session's length
    assert result["log_bytes"] < 40e6


def test_alert_evidence_crops_only_faces_that_start_alerting() -> None:
    from app.audit.evidence import alert_evidence
    from detectors.records import Frame, MonitorState, TrackState, Verdict
    from tests.app.audit_helpers import assessment

    frame = Frame(np.zeros((480, 640, 3), np.uint8), 3.0)
    both = Verdict(3.0, 1, MonitorState.POSSIBLE_SWAP,
                   (assessment(1, 0.97, TrackState.POSSIBLE_SWAP), assessment(2, 0.1)))
    evidence, alerting = alert_evidence(frame, both, frozenset())
    assert alerting == {1} and evidence is not None and [c.track_id for c in evidence.crops] == [1]
    assert evidence.timestamp == 3.0
    again, _ = alert_evidence(frame, both, alerting)
    assert again is None  # still alerting: no new crop on every frame


def test_each_day_file_names_the_final_hash_of_the_one_before(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    clock = FakeClock()
    log = EventLog(tmp_path, clock=clock)
    for i in range(3):
        log.append({"event": "state_changed", "state": str(i)})
    first_final = log.final_hash
    clock.advance(24 * 3600)
    log.append({"event": "state_changed", "state": "next day"})
    log.close()
    first, second = day_files(tmp_path)
    opened = read_events(second)[0]
    assert (opened["event"], opened["previous_file"], opened["previous_final_hash"]) == (
        "log_opened", first.name, first_final)
    assert audit_main(["verify", str(second), str(first)]) == 0
    first.write_bytes(b"".join(first.read_bytes().splitlines(keepends=True)[:-1]))  # the last event cut off
    capsys.readouterr()
    assert verify_file(first).ok  # on its own, a shorter chain still verifies…
    assert audit_main(["verify", str(first), str(second)]) == 1  # …but the next day's file knows its end
    assert "lines were cut off its end" in capsys.readouterr().err


class FullDisk:
    """Wraps the log's open file: writes fail as on a full disk (`partial`: half the bytes land, then the disk is full)."""

    def __init__(self, file: object, partial: bool = False) -> None:
        self.file, self.partial = file, partial

    def write(self, data: bytes) -> int:
        if self.partial:
            return self.file.write(data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    def __getattr__(self, name: str) -> object:
        return getattr(self.file, name)


@pytest.mark.parametrize("partial", [False, True], ids=["write refused", "short write"])
def test_a_full_disk_keeps_events_waiting_says_so_and_writes_them_later(tmp_path: Path, partial: bool) -> None:
    log = EventLog(tmp_path)
    log.append({"event": "a"})
    real = log._file
    log._file = FullDisk(real, partial)
    log.append({"event": "b"})
    log.append({"event": "c"}, durable=True)
    assert "cannot write the audit log" in log.problem and "2 event(s) waiting" in log.problem
    log._file = real  # space again
    log.append({"event": "d"})
    assert log.problem == ""
    lines = log.path.read_bytes().splitlines()
    assert [json.loads(line)["event"] for line in lines] == ["log_opened", "a", "b", "c", "d"]
    assert verify_file(log.path).ok
