"""The one worker: on its own thread it loads the engine, grabs the newest frame when ready, and emits verdicts.

The GUI never waits on it: it hands over a new immutable `WorkerConfig` (read at the top of every loop)
and listens to `verdict_ready`, `failed`, `stats`, `engine_ready`, `engine_unavailable` and `engine_broken`.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal, Slot

from app.capture.capture import FrameSource
from app.capture.screens import ScreenRegion
from app.monitoring.settings import engine_device
from app.monitoring.status import RunMode
from detectors.records import Frame, Verdict

if TYPE_CHECKING:
    from detectors.pipeline import PipelineConfig

log = logging.getLogger(__name__)

ENGINE_RETRY_S = 5.0  # the model may appear (an update lands) or a GPU may come back
CAPTURE_RETRY_S = 1.0  # a monitor may come back or the region be re-picked
STATS_EVERY_S = 1.0


class Engine(Protocol):
    """What the worker needs of `detectors.pipeline.Pipeline`; tests pass small stand-ins."""

    def process(self, frame: Frame) -> Verdict: ...

    def reset(self) -> None: ...

    def reconfigure(self, config: PipelineConfig) -> None: ...


EngineFactory = Callable[["PipelineConfig"], Engine]
SourceFactory = Callable[[ScreenRegion], FrameSource]


@dataclass(frozen=True)
class WorkerConfig:
    mode: RunMode = RunMode.STOPPED
    region: ScreenRegion | None = None
    max_fps: float = 10.0
    device: str = "auto"  # the user's choice (app.monitoring.settings.DEVICE_LABELS)
    sensitivity: float = 0.0
    call_id: int = 0  # a new id starts a new call: the engine forgets every face

    def pipeline_config(self) -> PipelineConfig:
        from detectors.pipeline import PipelineConfig  # torch loads with it: only ever on the worker thread

        return PipelineConfig(device=engine_device(self.device), sensitivity=self.sensitivity)


def load_pipeline(config: PipelineConfig) -> Engine:
    """The production engine; slow (torch, MTCNN, our model), so it runs on the worker thread."""
    import torch

    from detectors.pipeline import Pipeline

    # One intra-op thread: at 10 fps the engine fits in well under a core, and the call keeps the rest.
    torch.set_num_threads(1)
    return Pipeline.load(config)


def is_damaged_install(err: BaseException) -> bool:
    """True for load errors that mean a bundled file is missing or damaged, which only a reinstall mends."""
    if isinstance(err, ImportError | OSError):
        return True
    # WeightsError's module imports torch: look it up only if the engine's loading has imported it already.
    weights = sys.modules.get("detectors.classifiers.weights")
    return weights is not None and isinstance(err, weights.WeightsError)


def engine_info(engine: Engine) -> dict:
    """Device, model version and alert threshold of an engine, as far as it tells."""
    classifier = getattr(engine, "classifier", None)
    policy = getattr(engine, "policy", None)
    return {
        "device": str(getattr(engine, "device", "")),
        "model": str(getattr(getattr(classifier, "config", None), "version", "")),
        "threshold": float(policy.enter) if policy is not None else None,
    }


class CaptureWorker(QObject):
    """Lives on a QThread; `run` is its loop until `request_stop`."""

    verdict_ready = Signal(object)  # Verdict
    failed = Signal(str)  # capture or engine trouble, in words for the user
    stats = Signal(dict)  # analysed_fps, capture_ms, engine_ms, stage_ms
    engine_ready = Signal(dict)  # engine_info
    engine_unavailable = Signal(str)  # why the model could not be loaded
    engine_broken = Signal(str)  # a bundled file is missing or damaged (also reported as engine_unavailable)
    finished = Signal()

    def __init__(self, engine_factory: EngineFactory, source_factory: SourceFactory,
                 config: WorkerConfig = WorkerConfig()) -> None:
        super().__init__()
        self._engine_factory = engine_factory
        self._source_factory = source_factory
        self._config = config
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()

    @property
    def config(self) -> WorkerConfig:
        with self._lock:
            return self._config

    def set_config(self, config: WorkerConfig) -> None:
        """Thread-safe: the loop picks it up at its next turn (at once if it is waiting)."""
        with self._lock:
            self._config = config
        self._wake.set()

    def request_stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def _sleep(self, seconds: float | None) -> None:
        self._wake.wait(seconds)
        self._wake.clear()

    @Slot()
    def run(self) -> None:
        try:
            self._loop()
        except Exception as err:  # a bug here must not leave the user thinking they are protected
            log.exception("capture worker crashed")
            self.failed.emit(f"the monitor stopped after an internal error: {type(err).__name__}: {err}")
        finally:
            self.finished.emit()

    def _loop(self) -> None:
        engine: Engine | None = None
        engine_device_choice: str | None = None
        applied: PipelineConfig | None = None
        call_id: int | None = None
        engine_retry_at = 0.0
        engine_error: str | None = None  # the last load failure logged: retries every 5 s log only news
        source: FrameSource | None = None
        source_region: ScreenRegion | None = None
        source_retry_at = 0.0
        next_due = 0.0
        done: deque[float] = deque()  # finish times of analysed frames, for the rate
        capture_ms: deque[float] = deque(maxlen=50)
        engine_ms: deque[float] = deque(maxlen=50)
        stats_at = time.monotonic() + STATS_EVERY_S
        last_stage_ms: dict[str, float] = {}

        def drop_source() -> None:
            nonlocal source, source_region
            if source is not None:
                try:
                    source.close()
                except Exception:  # closing a broken display handle may fail too; nothing to do about it
                    log.debug("closing the frame source failed", exc_info=True)
            source, source_region = None, None

        try:
            while not self._stop.is_set():
                cfg = self.config
                now = time.monotonic()
                # The engine loads even while stopped, so that Start answers at once.
                if engine is None or cfg.device != engine_device_choice:
                    if now < engine_retry_at:
                        self._sleep(engine_retry_at - now)
                        continue
                    engine = None
                    load_started = time.monotonic()
                    try:
                        applied = cfg.pipeline_config()
                        engine = self._engine_factory(applied)
                    except Exception as err:
                        engine_retry_at = time.monotonic() + ENGINE_RETRY_S
                        damaged = is_damaged_install(err)
                        if str(err) != engine_error:
                            engine_error = str(err)
                            log.error("engine not loaded (%s): %s: %s", "damaged installation" if damaged else "retrying",
                                      type(err).__name__, err, exc_info=not damaged)
                        self.engine_unavailable.emit(f"model not loaded — {err}")
                        if damaged:
                            self.engine_broken.emit(str(err))
                        continue
                    engine_device_choice, call_id, engine_error = cfg.device, cfg.call_id, None
                    info = engine_info(engine)
                    log.info("engine loaded in %.1f s: device %s, model %s, alert threshold %s",
                             time.monotonic() - load_started, info["device"], info["model"] or "?", info["threshold"])
                    self.engine_ready.emit(info)
                    continue  # the config may have changed during a slow load
                wanted = cfg.pipeline_config()
                if wanted != applied:
                    engine.reconfigure(wanted)
                    applied = wanted
                if cfg.call_id != call_id:
                    engine.reset()
                    call_id = cfg.call_id
                if cfg.mode is not RunMode.RUNNING or cfg.region is None:
                    drop_source()  # let go of the display while idle
                    done.clear()
                    self._sleep(None)
                    continue
                if source is None or source_region != cfg.region:
                    drop_source()
                    if now < source_retry_at:
                        self._sleep(source_retry_at - now)
                        continue
                    try:
                        source, source_region = self._source_factory(cfg.region), cfg.region
                    except Exception as err:
                        source_retry_at = time.monotonic() + CAPTURE_RETRY_S
                        self.failed.emit(f"cannot capture the region: {err}")
                        continue
                if now < next_due:
                    self._sleep(next_due - now)
                    continue
                # Pace from the start of this frame: a slow engine lowers the rate, it never builds a backlog.
                next_due = now + 1.0 / cfg.max_fps
                try:
                    frame = source.grab()
                except Exception as err:
                    drop_source()
                    source_retry_at = time.monotonic() + CAPTURE_RETRY_S
                    self.failed.emit(f"screen capture failed: {err}")
                    continue
                t_grabbed = time.monotonic()
                try:
                    verdict = engine.process(frame)
                except Exception as err:
                    # The real engine returns its failures as verdicts; anything else is shown just the same.
                    log.exception("engine raised")
                    verdict = Verdict.not_monitoring(frame.timestamp, f"engine error: {type(err).__name__}: {err}",
                                                     frame.index)
                    try:
                        engine.reset()
                    except Exception:
                        engine = None  # reload it from scratch on the next turn
                t_done = time.monotonic()
                self.verdict_ready.emit(verdict)
                capture_ms.append((t_grabbed - now) * 1000)
                engine_ms.append((t_done - t_grabbed) * 1000)
                last_stage_ms = dict(verdict.stage_ms)
                done.append(t_done)
                while done and done[0] < t_done - 2.0:
                    done.popleft()
                if t_done >= stats_at:
                    stats_at = t_done + STATS_EVERY_S
                    span = done[-1] - done[0] if len(done) > 1 else 0.0
                    self.stats.emit({
                        "analysed_fps": (len(done) - 1) / span if span > 0 else 0.0,
                        "capture_ms": sum(capture_ms) / len(capture_ms),
                        "engine_ms": sum(engine_ms) / len(engine_ms),
                        "stage_ms": last_stage_ms,
                        "frame_size": [frame.pixels.shape[1], frame.pixels.shape[0]],
                        "threshold": engine_info(engine)["threshold"] if engine is not None else None,
                    })
        finally:
            drop_source()
