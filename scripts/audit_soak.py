"""An 8-hour call through the session logger as fast as it goes (10 verdicts/s of simulated time, no network).

Prints RSS at start and end, the log's size, the time taken and `audit verify`'s answer, as one JSON line.
Usage: .venv/bin/python scripts/audit_soak.py [--hours 8] [--folder DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.audit.chain import verify_file
from app.audit.event_log import EventLog, day_files
from app.audit.events import FaceScore
from app.audit.session import SessionLogger
from detectors.records import MonitorState, TrackState, Verdict
from tests.app.audit_helpers import INFO, FakeClock, assessment


def run(hours: float, folder: Path) -> dict:
    process = psutil.Process()
    rss_start = process.memory_info().rss
    clock = FakeClock()
    session = SessionLogger(EventLog(folder, 30, clock))
    session.start(INFO)
    frames = int(hours * 3600 * 10)
    began = time.perf_counter()
    for i in range(frames):
        clock.advance(0.1)
        minute = (i // 600) % 30  # every 30 minutes: 2 min of swap, an alert, then 1 min without capture
        swap = minute in (10, 11)
        if i % 18000 == 6000:
            session.alert([1], [FaceScore(1, 0.96, 0.97, "possible_swap"), FaceScore(2, 0.1, 0.1, "looks_real")])
        if minute == 20:
            session.state("not_monitoring", "capture failed: display went away")
            continue
        session.state("possible_swap" if swap else "looks_real")
        state = TrackState.POSSIBLE_SWAP if swap else TrackState.LOOKS_REAL
        faces = (assessment(1, 0.96 if swap else 0.2, state), assessment(2, 0.1))
        session.verdict(Verdict(i / 10, i, MonitorState.LOOKS_REAL, faces))
    session.stop("soak test done")
    seconds = time.perf_counter() - began
    session.log.close()
    files = day_files(folder)
    reports = [verify_file(p) for p in files]
    return {"hours": hours, "verdicts": frames, "seconds": round(seconds, 1), "verdicts_per_s": round(frames / seconds),
            "rss_start_mb": round(rss_start / 2**20, 1), "rss_end_mb": round(process.memory_info().rss / 2**20, 1),
            "log_files": len(files), "log_bytes": sum(p.stat().st_size for p in files),
            "events": sum(r.events for r in reports), "event_counts": session.counts,
            "verify": [r.describe() for r in reports], "ok": all(r.ok for r in reports)}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--hours", type=float, default=8.0)
    p.add_argument("--folder", type=Path, default=None)
    args = p.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="callshield-soak-"))
    result = run(args.hours, folder)
    print(json.dumps(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
