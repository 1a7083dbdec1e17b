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
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal, Slot

from app.audit.evidence import alert_evidence
from app.capture.capture import FrameSource
from app.capture.screens import ScreenRegion
from app.language import translate
from app.monitoring.settings import engine_device
from app.monitoring.status import RunMode
from app.monitoring.verification import ChallengeStep, ChallengeTracker, MeterFactory, load_meter
from detectors.records import EngineInfo, Frame, Verdict

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

    def info(self) -> EngineInfo: ...


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
    keep_evidence: bool = False  # call-centre evidence frames: crop the faces that start alerting
    challenge: ChallengeStep | None = None  # "Verify now": the challenge the caller is performing
    detect_animation: bool = False  # the animated-photo detector (off until its model clears the bar; PipelineConfig)

    def pipeline_config(self) -> PipelineConfig:
        from detectors.pipeline import PipelineConfig  # the engine loads with it: only ever on the worker thread

        return PipelineConfig(device=engine_device(self.device), sensitivity=self.sensitivity,
                              detect_animation=self.detect_animation)


def load_pipeline(config: PipelineConfig) -> Engine:
    """The production engine; slow (MTCNN, our model, and torch on the torch runtime), so it runs on the worker thread.
    One intra-op thread (`PipelineConfig.threads`): at 10 fps the engine fits in well under a core, and the call keeps
    the rest. The CPU installer has no torch: the engine then runs on onnxruntime and never imports it."""
    from detectors.pipeline import Pipeline

    return Pipeline.load(config)


def is_damaged_install(err: BaseException) -> bool:
    """True for load errors that mean a bundled file is missing or damaged, which only a reinstall mends."""
    if isinstance(err, ImportError | OSError):
        return True
    # WeightsError's module imports torch: look it up only if the engine's loading has imported it already.
    weights = sys.modules.get("detectors.classifiers.weights")
    return weights is not None and isinstance(err, weights.WeightsError)


@dataclass(frozen=True)
class WorkerStats:
    """The worker's pace over the last seconds, emitted about once a second."""

    analysed_fps: float
    capture_ms: float  # mean of the last frames' screen grabs
    engine_ms: float  # mean of the last frames' engine calls
    stage_ms: dict[str, float]  # the last frame's per-stage times
    frame_size: tuple[int, int]  # width, height of the captured region in capture pixels
    engine: EngineInfo


class RateMeter:
    """Analysed frames per second over the last 2 s, and mean capture and engine times over the last 50 frames."""

    def __init__(self) -> None:
        self._done: deque[float] = deque()
        self._capture_ms: deque[float] = deque(maxlen=50)
        self._engine_ms: deque[float] = deque(maxlen=50)
        self._report_at = time.monotonic() + STATS_EVERY_S

    def clear(self) -> None:
        self._done.clear()

    def add(self, started: float, grabbed: float, done: float) -> None:
        self._capture_ms.append((grabbed - started) * 1000)
        self._engine_ms.append((done - grabbed) * 1000)
        self._done.append(done)
        while self._done and self._done[0] < done - 2.0:
            self._done.popleft()

    def due(self, now: float) -> bool:
        """True about once a second: time to report."""
        if now < self._report_at:
            return False
        self._report_at = now + STATS_EVERY_S
        return True

    def stats(self, verdict: Verdict, frame: Frame, engine: EngineInfo) -> WorkerStats:
        span = self._done[-1] - self._done[0] if len(self._done) > 1 else 0.0
        return WorkerStats(
            analysed_fps=(len(self._done) - 1) / span if span > 0 else 0.0,
            capture_ms=sum(self._capture_ms) / len(self._capture_ms),
            engine_ms=sum(self._engine_ms) / len(self._engine_ms),
            stage_ms=dict(verdict.stage_ms),
            frame_size=(frame.pixels.shape[1], frame.pixels.shape[0]),
            engine=engine,
        )


@dataclass
class _LoopState:
    """What the worker's loop keeps between turns; touched only on the worker thread."""

    engine: Engine | None = None
    engine_device: str | None = None  # the device choice the engine was loaded for
    on_cpu_after_oom: bool = False  # the GPU ran out of memory: the engine runs on the CPU until the device changes
    applied: PipelineConfig | None = None
    call_id: int | None = None
    engine_retry_at: float = 0.0
    engine_error: str | None = None  # the last load failure logged: retries every 5 s log only news
    source: FrameSource | None = None
    source_region: ScreenRegion | None = None
    source_retry_at: float = 0.0
    next_due: float = 0.0
    meter: RateMeter = field(default_factory=RateMeter)
    alerting: frozenset[int] = frozenset()  # faces alerting in the last verdict (for evidence frames)


class CaptureWorker(QObject):
    """Lives on a QThread; `run` is its loop until `request_stop`."""

    verdict_ready = Signal(object)  # Verdict
    evidence_ready = Signal(object)  # EvidenceFrame, just before its verdict; only with WorkerConfig.keep_evidence
    failed = Signal(str)  # capture or engine trouble, in words for the user
    stats = Signal(object)  # WorkerStats
    engine_ready = Signal(object)  # EngineInfo
    engine_unavailable = Signal(str)  # why the model could not be loaded
    engine_broken = Signal(str)  # a bundled file is missing or damaged (also reported as engine_unavailable)
    challenge_progress = Signal(object)  # ChallengeProgress, each analysed frame of a challenge
    challenge_result = Signal(object)  # ChallengeOutcome, when the GUI moves past a challenge
    challenge_unavailable = Signal(str)  # the challenge meter could not load
    finished = Signal()

    def __init__(self, engine_factory: EngineFactory, source_factory: SourceFactory,
                 config: WorkerConfig = WorkerConfig(), meter_factory: MeterFactory = load_meter) -> None:
        super().__init__()
        self._engine_factory = engine_factory
        self._source_factory = source_factory
        self._challenges = ChallengeTracker(meter_factory)  # touched only on the worker thread
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
            self.failed.emit(translate("Worker", "the monitor stopped after an internal error: {error}").format(
                error=f"{type(err).__name__}: {err}"))
        finally:
            self.finished.emit()

    def _loop(self) -> None:
        st = _LoopState()
        try:
            while not self._stop.is_set():
                cfg = self.config
                # Each step returns False when this turn is over (it slept, waited or reported a problem).
                if not self._engine_ready(st, cfg):
                    continue
                self._apply(st, cfg)
                if not self._source_ready(st, cfg):
                    continue
                self._analyse_next(st, cfg)
        finally:
            self._drop_source(st)
            self._challenges.close()

    def _engine_ready(self, st: _LoopState, cfg: WorkerConfig) -> bool:
        """Loads the engine (even while stopped, so that Start answers at once) or waits to retry loading it."""
        if st.engine is not None and cfg.device == st.engine_device:
            return True
        if cfg.device != st.engine_device:
            st.on_cpu_after_oom = False  # the user chose a device again: try it
        now = time.monotonic()
        if now < st.engine_retry_at:
            self._sleep(st.engine_retry_at - now)
            return False
        st.engine = None
        try:
            st.applied = self._wanted(st, cfg)
            st.engine = self._engine_factory(st.applied)
        except Exception as err:
            st.engine_retry_at = time.monotonic() + ENGINE_RETRY_S
            damaged = is_damaged_install(err)
            if str(err) != st.engine_error:
                st.engine_error = str(err)
                log.error("engine not loaded (%s): %s: %s", "damaged installation" if damaged else "retrying",
                          type(err).__name__, err, exc_info=not damaged)
            self.engine_unavailable.emit(translate("Worker", "model not loaded — {error}").format(error=err))
            if damaged:
                self.engine_broken.emit(str(err))
            return False
        st.engine_device, st.call_id, st.engine_error = cfg.device, cfg.call_id, None
        info = self._info(st)
        log.info("engine loaded in %.1f s: device %s, model %s, alert threshold %s",
                 time.monotonic() - now, info.device, info.model or "?", info.threshold)
        self.engine_ready.emit(info)
        return False  # the config may have changed during a slow load

    @staticmethod
    def _wanted(st: _LoopState, cfg: WorkerConfig) -> PipelineConfig:
        """The engine's config: the user's, but on the CPU after the GPU ran out of memory."""
        wanted = cfg.pipeline_config()
        return replace(wanted, device="cpu") if st.on_cpu_after_oom else wanted

    @staticmethod
    def _info(st: _LoopState) -> EngineInfo:
        assert st.engine is not None
        info = st.engine.info()
        if st.on_cpu_after_oom:
            return replace(info, note=translate("Worker", "the GPU ran out of memory: running on the CPU"))
        return info

    def _fall_back_to_cpu(self, st: _LoopState) -> None:
        """The GPU ran out of memory: the engine is reloaded on the CPU at the next turn, and the user is told."""
        if st.on_cpu_after_oom:
            return
        log.warning("GPU out of memory: reloading the engine on the CPU")
        st.on_cpu_after_oom, st.engine = True, None
        self.failed.emit(translate("Worker", "the GPU ran out of memory: switching to the CPU…"))

    @classmethod
    def _apply(cls, st: _LoopState, cfg: WorkerConfig) -> None:
        """New engine settings, and a fresh start for a new call."""
        assert st.engine is not None
        wanted = cls._wanted(st, cfg)
        if wanted != st.applied:
            st.engine.reconfigure(wanted)
            st.applied = wanted
        if cfg.call_id != st.call_id:
            st.engine.reset()
            st.call_id = cfg.call_id

    def _source_ready(self, st: _LoopState, cfg: WorkerConfig) -> bool:
        """Opens the capture of the region while running; lets go of the display while idle."""
        if cfg.mode is not RunMode.RUNNING or cfg.region is None:
            self._drop_source(st)
            st.meter.clear()
            self._sleep(None)
            return False
        if st.source is not None and st.source_region == cfg.region:
            return True
        self._drop_source(st)
        now = time.monotonic()
        if now < st.source_retry_at:
            self._sleep(st.source_retry_at - now)
            return False
        try:
            st.source, st.source_region = self._source_factory(cfg.region), cfg.region
        except Exception as err:
            st.source_retry_at = time.monotonic() + CAPTURE_RETRY_S
            self.failed.emit(translate("Worker", "cannot capture the region: {error}").format(error=err))
            return False
        return True

    def _analyse_next(self, st: _LoopState, cfg: WorkerConfig) -> None:
        """Grabs the newest frame when it is due, judges it and emits the verdict (and, once a second, stats)."""
        assert st.engine is not None and st.source is not None
        now = time.monotonic()
        if now < st.next_due:
            self._sleep(st.next_due - now)
            return
        # Pace from the start of this frame: a slow engine lowers the rate, it never builds a backlog.
        st.next_due = now + 1.0 / cfg.max_fps
        try:
            frame = st.source.grab()
        except Exception as err:
            self._drop_source(st)
            st.source_retry_at = time.monotonic() + CAPTURE_RETRY_S
            self.failed.emit(translate("Worker", "screen capture failed: {error}").format(error=err))
            return
        grabbed = time.monotonic()
        verdict = self._judge(st, frame)
        done = time.monotonic()
        if cfg.keep_evidence:
            evidence, st.alerting = alert_evidence(frame, verdict, st.alerting)
            if evidence is not None:  # pixels leave the worker only here, and only when the user opted in
                self.evidence_ready.emit(evidence)
        if cfg.challenge is not None or self._challenges.step is not None:
            self._follow_challenge(cfg.challenge, frame, verdict)
        self.verdict_ready.emit(verdict)
        st.meter.add(now, grabbed, done)
        if verdict.gpu_out_of_memory:
            self._fall_back_to_cpu(st)
        if st.engine is not None and st.meter.due(done):
            self.stats.emit(st.meter.stats(verdict, frame, self._info(st)))

    def _follow_challenge(self, step: ChallengeStep | None, frame: Frame, verdict: Verdict) -> None:
        """"Verify now": measures the caller beside the verdict; a judged challenge's frame leaves the worker only
        when the face broke, to be shown to the user (never stored unless they save it)."""
        try:
            outcome, progress = self._challenges.update(step, frame, verdict)
        except Exception as err:
            log.exception("verify now: the challenge meter failed")
            self._challenges.close()
            self.challenge_unavailable.emit(f"{type(err).__name__}: {err}")
            return
        if outcome is not None:
            self.challenge_result.emit(outcome)
        if progress is not None:
            self.challenge_progress.emit(progress)

    @staticmethod
    def _judge(st: _LoopState, frame: Frame) -> Verdict:
        assert st.engine is not None
        try:
            return st.engine.process(frame)
        except Exception as err:
            # The real engine returns its failures as verdicts; anything else is shown just the same.
            log.exception("engine raised")
            try:
                st.engine.reset()
            except Exception:
                st.engine = None  # reload it from scratch on the next turn
            return Verdict.not_monitoring(frame.timestamp, f"engine error: {type(err).__name__}: {err}", frame.index)

    @staticmethod
    def _drop_source(st: _LoopState) -> None:
        if st.source is not None:
            try:
                st.source.close()
            except Exception:  # closing a broken display handle may fail too; nothing to do about it
                log.debug("closing the frame source failed", exc_info=True)
        st.source, st.source_region = None, None
