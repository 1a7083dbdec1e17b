"""`callshield bench --live`: the whole app watching one face in a 1280×720 region; analysed fps and CPU cores.

The "call" is a clip played by a separate process (as a video-call app would be), so the CPU figure is
CallShield's alone: capture, engine, window, overlay and plot together, measured with psutil.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psutil
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from app.capture.screens import ScreenRegion
from app.main import CallShieldApp
from app.monitoring.audit_log import AuditLog
from app.monitoring.settings import SettingsStore
from app.paths import DEMO_SWAP_CLIP, assets_dir
from detectors.records import Verdict


def _pump(seconds: float) -> None:
    """Runs the Qt event loop for `seconds` without spinning (a busy wait would inflate the CPU figure)."""
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def _wait_for(predicate: Callable[[], bool], timeout_s: float, step_s: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            return False
        _pump(step_s)
    return True


def start_player(clip: Path, size: tuple[int, int], pos: tuple[int, int] = (0, 0)) -> tuple[subprocess.Popen, ScreenRegion]:
    """Starts `python -m app.capture.demo_player` and reads the capture region of its video."""
    cmd = [sys.executable, "-m", "app.capture.demo_player", str(clip), "--size", f"{size[0]}x{size[1]}",
           "--pos", f"{pos[0]},{pos[1]}"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1])
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        proc.kill()
        raise RuntimeError("the clip player did not start (is there a display?)")
    left, top, width, height = json.loads(line)["region"]
    return proc, ScreenRegion(left, top, width, height)


def run_live_bench(seconds: float = 30.0, fps: float = 10.0, warmup_s: float = 5.0, clip: Path | None = None,
                   size: tuple[int, int] = (1280, 720), device: str = "cpu", backend: str = "auto") -> dict:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("CallShield live bench")
    clip = clip or assets_dir() / DEMO_SWAP_CLIP
    os.environ["CALLSHIELD_BACKEND"] = backend  # the engine's runtime (detectors.runtime); the app has no setting for it
    player, region = start_player(clip, size)
    tmp = tempfile.TemporaryDirectory(prefix="callshield-bench-")
    try:
        store = SettingsStore(QSettings(str(Path(tmp.name) / "settings.ini"), QSettings.Format.IniFormat))
        store.update(welcome_shown=True, max_fps=fps, device=device, sound=False)
        shell = CallShieldApp(store, audit_log=AuditLog(Path(tmp.name) / "audit.jsonl"))
        screen = shell.window.screen().availableGeometry()
        shell.window.move(min(region.right + 40, screen.right() - shell.window.width()), 0)
        shell.launch()
        c = shell.controller
        c.set_region(region)
        c.start()
        shell.place_overlay()
        verdicts: list[tuple[float, Verdict]] = []
        c.verdict_seen.connect(lambda v: verdicts.append((time.monotonic(), v)))
        if not _wait_for(lambda: c.engine is not None and len(verdicts) > 0, 180):
            raise RuntimeError(f"no verdict: {c.status.detail}")
        _pump(warmup_s)
        me = psutil.Process()
        cpu0, t0, n0 = sum(me.cpu_times()[:2]), time.monotonic(), len(verdicts)
        _pump(seconds)
        cpu1, t1, n1 = sum(me.cpu_times()[:2]), time.monotonic(), len(verdicts)
        window = [v for _, v in verdicts[n0:n1]]
        stage_names = sorted({k for v in window for k in v.stage_ms})
        report = {
            "region": region.describe(),
            "target_fps": fps,
            "seconds": round(t1 - t0, 2),
            "frames_analysed": n1 - n0,
            "analysed_fps": round((n1 - n0) / (t1 - t0), 2),
            "cpu_cores": round((cpu1 - cpu0) / (t1 - t0), 3),
            "peak_rss_mb": round(_peak_rss_mb(me), 1),
            "torch_loaded": "torch" in sys.modules,
            "faces_per_frame": round(statistics.fmean(len(v.faces) for v in window), 2) if window else 0.0,
            "states": {s: sum(1 for v in window if v.state.value == s) for s in sorted({v.state.value for v in window})},
            "stage_ms_median": {k: round(statistics.median(v.stage_ms.get(k, 0.0) for v in window), 2)
                                for k in stage_names},
            "engine": dataclasses.asdict(c.engine) if c.engine else None,
            # os.getloadavg is Unix-only: `callshield bench --live` runs on Windows too.
            "machine": {"cpus": os.cpu_count(),
                        "load_avg_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None},
            "mode": c.mode.value,
        }
        shell.shutdown()
        return report
    finally:
        player.terminate()
        player.wait(10)
        tmp.cleanup()


def _peak_rss_mb(me: psutil.Process) -> float:
    """The process's peak resident memory (Linux VmHWM, Windows peak working set), else its current RSS."""
    info = me.memory_info()
    peak = getattr(info, "peak_wset", None)
    if peak is None and sys.platform.startswith("linux"):
        for line in Path(f"/proc/{me.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) * 1024
    return (peak or info.rss) / 2**20


def format_report(r: dict) -> str:
    stages = ", ".join(f"{k} {v:.1f}" for k, v in r["stage_ms_median"].items())
    verdict = "meets" if r["analysed_fps"] >= 0.95 * r["target_fps"] and r["cpu_cores"] < 1.0 else "misses"
    return (
        f"live bench: {r['region']} region, {r['seconds']:.0f} s\n"
        f"  analysed fps: {r['analysed_fps']:.2f} (target {r['target_fps']:g})\n"
        f"  CPU: {r['cpu_cores']:.2f} cores on average for the whole CallShield process\n"
        f"  memory: peak RSS {r['peak_rss_mb']:.0f} MB; torch {'loaded' if r['torch_loaded'] else 'not loaded'}\n"
        f"  faces per frame: {r['faces_per_frame']}, states: {r['states']}\n"
        f"  engine stages (median ms): {stages}\n"
        f"  machine: {r['machine']['cpus']} CPUs, load {r['machine']['load_avg_1m']} · model {r['engine'].get('model')}\n"
        f"  {verdict} the target of {r['target_fps']:g} fps under one core"
    )


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="callshield bench --live", description=__doc__)
    p.add_argument("--seconds", type=float, default=30.0)
    p.add_argument("--fps", type=float, default=10.0, help="maximum analysis rate (default 10, the app's default)")
    p.add_argument("--clip", help="clip shown as the caller (default: the bundled demo swap)")
    p.add_argument("--device", default="cpu", choices=("auto", "cpu", "gpu"))
    p.add_argument("--backend", default="auto", choices=("auto", "torch", "onnx"),
                   help="the engine's runtime: torch, or onnx (onnxruntime, no torch); auto picks as the app does")
    p.add_argument("--json", metavar="FILE", help="write the report here too")
    a = p.parse_args(argv)
    report = run_live_bench(a.seconds, a.fps, clip=Path(a.clip) if a.clip else None, device=a.device, backend=a.backend)
    print(format_report(report))
    if a.json:
        Path(a.json).write_text(json.dumps(report, indent=2) + "\n")
    return 0
