"""`callshield soak --hours H`: the engine and the app's worker fed H hours of a call's frames (10 frames/s of
call time) as fast as the machine allows, printing the process's memory, threads, open files and pace as it goes.

The call alternates one face, no face, two faces and region changes. Time inside the run is the call's time: the
frames are stamped 0.1 s apart and the controller judges staleness on that clock, so the engine's temporal checks
see a 10 fps call however fast or slow the machine is.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import psutil
from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

from app.capture.screens import ScreenRegion
from app.monitoring.audit_log import AuditLog
from app.monitoring.controller import MonitorController
from app.monitoring.settings import AppSettings
from app.monitoring.worker import EngineFactory, load_pipeline
from app.paths import DEMO_SWAP_CLIP, assets_dir
from detectors.records import Frame, Verdict

CALL_FPS = 10.0
# One minute of call, repeated: (seconds, scene). A region change every REGION_EVERY_S starts a new call.
SCENES = ((20.0, "one face"), (10.0, "no face"), (20.0, "two faces"), (10.0, "one face"))
REGION_SIZES = ((640, 480), (480, 600), (800, 450))
REGION_EVERY_S = 300.0


class CallClock:
    """The call's own time, advanced by the frames handed out; read from the GUI and worker threads alike."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._t = 0.0

    def __call__(self) -> float:
        with self._lock:
            return self._t

    def tick(self) -> float:
        with self._lock:
            self._t += 1.0 / CALL_FPS
            return self._t


def demo_faces() -> list[np.ndarray]:
    """The bundled demo's frames (one person), the one face we may ship."""
    from detectors.media import iter_frames

    return [f.pixels for f in iter_frames(assets_dir() / DEMO_SWAP_CLIP, max_fps=CALL_FPS)]


def scene_at(t: float) -> str:
    t %= sum(d for d, _ in SCENES)
    for duration, scene in SCENES:
        if t < duration:
            return scene
        t -= duration
    return SCENES[-1][1]


def compose(scene: str, faces: list[np.ndarray], index: int, size: tuple[int, int]) -> np.ndarray:
    """One frame of the region (`size` = width, height) showing `scene`."""
    w, h = size
    canvas = np.full((h, w, 3), 70, np.uint8)
    if scene == "no face":
        return canvas
    people = [faces[index % len(faces)]] if scene == "one face" else [faces[index % len(faces)],
                                                                      faces[(index + 7) % len(faces)][:, ::-1]]
    slot_w = w // len(people)
    for n, face in enumerate(people):
        scale = min(slot_w / face.shape[1], h / face.shape[0])
        fw, fh = int(face.shape[1] * scale), int(face.shape[0] * scale)
        import cv2

        small = cv2.resize(face, (fw, fh), interpolation=cv2.INTER_AREA)
        x0, y0 = n * slot_w + (slot_w - fw) // 2, (h - fh) // 2
        canvas[y0:y0 + fh, x0:x0 + fw] = small
    return canvas


class CallSource:
    """A frame source that plays the soak's call: the scene and the region size follow the call clock."""

    def __init__(self, region: ScreenRegion, faces: list[np.ndarray], clock: CallClock) -> None:
        self.region, self._faces, self._clock = region, faces, clock
        self._index = 0

    def grab(self) -> Frame:
        t = self._clock.tick()
        self._index += 1
        size = (self.region.width, self.region.height)
        return Frame(compose(scene_at(t), self._faces, self._index, size), t, self._index)

    def close(self) -> None:
        pass


@dataclass(frozen=True)
class SoakSample:
    """The process at one moment of the soak."""

    call_hours: float
    wall_s: float
    rss_mb: float
    threads: int
    open_files: int
    fps: float  # frames analysed per wall-clock second since the previous sample


def sample(process: psutil.Process, call_s: float, wall_s: float, fps: float) -> SoakSample:
    files = process.num_fds() if hasattr(process, "num_fds") else process.num_handles()
    return SoakSample(round(call_s / 3600, 4), round(wall_s, 1), round(process.memory_info().rss / 2**20, 1),
                      process.num_threads(), files, round(fps, 2))


@dataclass
class SoakReport:
    """What a soak saw: samples over the run, verdict states, and the growth from the warmed-up start to the end."""

    hours: float
    frames: int
    states: dict[str, int]
    samples: list[SoakSample]
    errors: list[str]

    def summary(self) -> dict:
        start, end = self.samples[0], self.samples[-1]
        return {
            "call_hours": end.call_hours, "frames": self.frames, "wall_s": end.wall_s,
            "rss_mb": [start.rss_mb, end.rss_mb], "rss_growth_mb": round(end.rss_mb - start.rss_mb, 1),
            "threads": [start.threads, end.threads], "open_files": [start.open_files, end.open_files],
            "fps_first_last": [self.samples[1].fps if len(self.samples) > 1 else start.fps, end.fps],
            "states": self.states, "errors": self.errors[:10],
        }


class Soak:
    """Drives a MonitorController (its real worker thread) through the soak's call until `hours` of call time."""

    def __init__(self, hours: float, engine_factory: EngineFactory, samples: int = 16,
                 log_dir: Path | None = None, on_sample: Callable[[SoakSample], None] | None = None,
                 region_every_s: float = REGION_EVERY_S) -> None:
        self.hours, self.clock, self.region_every_s = hours, CallClock(), region_every_s
        self.every_s = max(hours * 3600 / samples, 1.0)
        self.faces = demo_faces()
        self._on_sample = on_sample or (lambda s: None)
        self.process = psutil.Process()
        self.states: Counter[str] = Counter()
        self.errors: list[str] = []
        self.samples: list[SoakSample] = []
        self._frames_at_sample, self._wall_at_sample = 0, 0.0
        # The first sample comes after every scene and region size has been seen once (warm-up), so that growth
        # is measured from settled allocations; a short run takes it a quarter of the way in.
        self._next_sample_s = min(region_every_s * len(REGION_SIZES), hours * 3600 / 4)
        self._next_region_s = region_every_s
        self._region_n = 0
        self._loop: QEventLoop | None = None  # while running
        self._started = 0.0
        audit = AuditLog((log_dir or Path(tempfile_dir())) / "soak-audit.jsonl")
        self.controller = MonitorController(AppSettings(max_fps=30.0, sound=False), engine_factory,
                                            lambda region: CallSource(region, self.faces, self.clock), audit,
                                            clock=self.clock, unpaced=True)
        self.controller.verdict_seen.connect(self._verdict)
        self.controller.worker.failed.connect(self._error)
        self.controller.worker.engine_unavailable.connect(self._error)

    def _region(self) -> ScreenRegion:
        w, h = REGION_SIZES[self._region_n % len(REGION_SIZES)]
        return ScreenRegion(100 + 10 * self._region_n % 200, 100, w, h)

    def _verdict(self, verdict: Verdict) -> None:
        self.states[verdict.state.value] += 1
        if verdict.timestamp >= self.hours * 3600 and self._loop is not None:
            self._turn()  # the call is over: end now, not at the next timer tick (a fast machine overshoots by 0.5 s)

    def _error(self, message: str) -> None:
        if message not in self.errors:
            self.errors.append(message)

    def _turn(self) -> None:
        """Every half second of wall time: samples, region changes, and the end of the run."""
        loop = self._loop
        if loop is None:
            return
        t = self.clock()
        if t >= self._next_sample_s or t >= self.hours * 3600:
            frames, wall = sum(self.states.values()), time.monotonic() - self._started
            fps = (frames - self._frames_at_sample) / max(wall - self._wall_at_sample, 1e-6)
            self._frames_at_sample, self._wall_at_sample = frames, wall
            self.samples.append(s := sample(self.process, t, wall, fps))
            self._on_sample(s)
            self._next_sample_s += self.every_s
        if t >= self._next_region_s:
            self._region_n += 1
            self._next_region_s += self.region_every_s
            self.controller.set_region(self._region())
            self.controller.start()
        if t >= self.hours * 3600 or (not self.controller.thread.isRunning() and self.samples):
            self._loop = None
            loop.quit()

    def run(self) -> SoakReport:
        loop, timer = QEventLoop(), QTimer()
        self._loop, self._started = loop, time.monotonic()
        timer.timeout.connect(self._turn)
        timer.start(500)
        self.controller.set_region(self._region())
        self.controller.start_worker()
        self.controller.start()
        loop.exec()
        timer.stop()
        self.controller.stop()
        self.controller.shutdown()
        return SoakReport(self.hours, sum(self.states.values()), dict(self.states), self.samples, self.errors)


def tempfile_dir() -> str:
    import tempfile

    return tempfile.mkdtemp(prefix="callshield-soak-")


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="callshield soak", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--hours", type=float, default=8.0, help="hours of call time to feed (default 8)")
    p.add_argument("--samples", type=int, default=16, help="how many times to print the process's figures")
    p.add_argument("--json", metavar="FILE", help="also write the samples and the summary here")
    a = p.parse_args(argv)
    if a.hours <= 0:
        p.error("--hours must be above 0")
    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])  # noqa: F841  (the worker's signals need it)
    soak = Soak(a.hours, load_pipeline, a.samples, on_sample=lambda s: print(json.dumps(asdict(s)), flush=True))
    report = soak.run()
    if not report.samples:
        print("callshield soak: no sample was taken (the engine never ran)", report.errors, file=sys.stderr)
        return 1
    summary = report.summary()
    print(json.dumps({"summary": summary}), flush=True)
    if a.json:
        Path(a.json).write_text(json.dumps({"samples": [asdict(s) for s in report.samples], "summary": summary},
                                           indent=2) + "\n")
    return 0 if not report.errors else 1
