"""The capture worker on its real QThread, with a scripted engine and synthetic frames."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QThread
from pytestqt.qtbot import QtBot

from app.monitoring.status import RunMode
from app.monitoring.worker import CaptureWorker, WorkerConfig, is_damaged_install
from detectors.records import Frame, MonitorState, Verdict
from tests.app.conftest import REGION, MainThreadRelay, ScriptedEngine, SyntheticSource

RUNNING = WorkerConfig(mode=RunMode.RUNNING, region=REGION, max_fps=30.0)


class WorkerHarness:
    """The worker on its thread; `signals` re-emits its signals on the GUI thread, where tests wait for them."""

    def __init__(self, engine_factory, source_factory=SyntheticSource, config: WorkerConfig = RUNNING) -> None:
        self.worker = CaptureWorker(engine_factory, source_factory, config)
        self.signals = MainThreadRelay(self.worker)
        self.thread = QThread()
        self.thread.setObjectName("test capture")
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.finished.connect(self.thread.quit, Qt.ConnectionType.DirectConnection)

    def stop(self) -> bool:
        self.worker.request_stop()
        return self.thread.wait(10_000)


@pytest.fixture
def harness() -> Iterator[list[WorkerHarness]]:
    made: list[WorkerHarness] = []
    yield made
    for h in made:
        h.stop()


def test_worker_starts_emits_verdicts_and_stops_cleanly(qtbot: QtBot, harness: list[WorkerHarness]) -> None:
    engine = ScriptedEngine()
    h = WorkerHarness(lambda cfg: engine)
    harness.append(h)
    got: list[Verdict] = []
    h.signals.verdict_ready.connect(got.append)
    with qtbot.waitSignal(h.signals.engine_ready, timeout=30_000):
        h.thread.start()
    qtbot.waitUntil(lambda: len(got) >= 3, timeout=5000)
    assert all(v.state is MonitorState.LOOKS_REAL for v in got)
    with qtbot.waitSignal(h.signals.stats, timeout=5000) as stats:
        pass
    assert stats.args[0].analysed_fps > 0 and stats.args[0].engine.model == "scripted"
    with qtbot.waitSignal(h.signals.finished, timeout=5000):
        h.worker.request_stop()
    assert h.thread.wait(5000)
    assert not h.thread.isRunning()
    assert engine.frames >= 3
    assert "MainThread" not in engine.thread_names  # the engine never runs on the GUI thread


def test_engine_exception_becomes_not_monitoring(qtbot: QtBot, harness: list[WorkerHarness]) -> None:
    def explode(frame: Frame) -> Verdict:
        raise RuntimeError("CUDA fell over")

    engine = ScriptedEngine(explode)
    h = WorkerHarness(lambda cfg: engine)
    harness.append(h)
    with qtbot.waitSignal(h.signals.verdict_ready, timeout=30_000) as got:
        h.thread.start()
    v = got.args[0]
    assert v.state is MonitorState.NOT_MONITORING
    assert "CUDA fell over" in v.message
    assert engine.resets >= 1  # the worker clears the engine's state and carries on
    with qtbot.waitSignal(h.signals.verdict_ready, timeout=5000):
        pass  # still running: the next frame is tried
    assert h.stop()


def test_model_not_loaded_is_reported_and_retried(qtbot: QtBot, harness: list[WorkerHarness],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.monitoring.worker.ENGINE_RETRY_S", 0.05)
    attempts: list[object] = []
    engine = ScriptedEngine()

    def factory(cfg: object) -> ScriptedEngine:
        attempts.append(cfg)
        if len(attempts) < 3:
            raise FileNotFoundError("assets/models/callshield-lite0.json is missing")
        return engine

    h = WorkerHarness(factory)
    harness.append(h)
    with qtbot.waitSignal(h.signals.engine_unavailable, timeout=30_000) as why:
        h.thread.start()
    assert why.args[0].startswith("model not loaded") and "callshield-lite0.json" in why.args[0]
    with qtbot.waitSignal(h.signals.engine_ready, timeout=5000):
        pass  # the model appeared: the worker picks it up by itself
    with qtbot.waitSignal(h.signals.verdict_ready, timeout=5000):
        pass
    assert h.stop()


def test_capture_failure_is_reported_and_capture_resumes(qtbot: QtBot, harness: list[WorkerHarness],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.monitoring.worker.CAPTURE_RETRY_S", 0.05)
    sources: list[SyntheticSource] = []

    def flaky_source(region: object) -> SyntheticSource:
        s = SyntheticSource(region)  # type: ignore[arg-type]
        s.fail_next = 1 if not sources else 0
        sources.append(s)
        return s

    h = WorkerHarness(lambda cfg: ScriptedEngine(), flaky_source)
    harness.append(h)
    with qtbot.waitSignal(h.signals.failed, timeout=30_000) as failed:
        h.thread.start()
    assert "screen capture failed" in failed.args[0] and "display went away" in failed.args[0]
    with qtbot.waitSignal(h.signals.verdict_ready, timeout=5000):
        pass
    assert len(sources) == 2 and sources[0].closed
    assert h.stop()


def test_new_config_is_applied_without_reload(qtbot: QtBot, harness: list[WorkerHarness]) -> None:
    loads: list[object] = []
    engine = ScriptedEngine()
    h = WorkerHarness(lambda cfg: loads.append(cfg) or engine)
    harness.append(h)
    with qtbot.waitSignal(h.signals.verdict_ready, timeout=30_000):
        h.thread.start()
    resets = engine.resets
    h.worker.set_config(WorkerConfig(RunMode.RUNNING, REGION, 30.0, sensitivity=0.5, call_id=1))
    qtbot.waitUntil(lambda: bool(engine.configs) and engine.resets > resets, timeout=5000)
    assert engine.configs[-1].sensitivity == 0.5  # type: ignore[attr-defined]
    assert len(loads) == 1  # sensitivity and a new call need no reload
    h.worker.set_config(WorkerConfig(RunMode.RUNNING, REGION, 30.0, device="cpu", call_id=1))
    with qtbot.waitSignal(h.signals.engine_ready, timeout=5000):
        pass  # a device change does
    assert len(loads) == 2 and loads[-1].device == "cpu"  # type: ignore[attr-defined]
    assert h.stop()


def test_paused_worker_captures_nothing(qtbot: QtBot, harness: list[WorkerHarness]) -> None:
    engine = ScriptedEngine()
    h = WorkerHarness(lambda cfg: engine, config=WorkerConfig(RunMode.PAUSED, REGION, 30.0))
    harness.append(h)
    with qtbot.waitSignal(h.signals.engine_ready, timeout=30_000):
        h.thread.start()
    with qtbot.assertNotEmitted(h.signals.verdict_ready, wait=300):
        pass
    assert engine.frames == 0
    with qtbot.waitSignal(h.signals.verdict_ready, timeout=5000):
        h.worker.set_config(RUNNING)  # wakes the idle loop at once
    assert h.stop()


def test_rate_is_capped_at_max_fps(qtbot: QtBot, harness: list[WorkerHarness]) -> None:
    engine = ScriptedEngine()
    h = WorkerHarness(lambda cfg: engine, config=WorkerConfig(RunMode.RUNNING, REGION, max_fps=5.0))
    harness.append(h)
    with qtbot.waitSignal(h.signals.verdict_ready, timeout=30_000):
        h.thread.start()
    first = engine.frames
    qtbot.wait(1000)  # let real time pass: the cap is what is measured
    assert engine.frames - first <= 6


@pytest.mark.parametrize(("err", "damaged"), [
    (FileNotFoundError("assets/models/callshield-lite0.json"), True),
    (ImportError("libtorch_cpu.so: cannot open shared object file"), True),
    (ValueError("unknown device 'tpu'"), False),
    (RuntimeError("CUDA out of memory"), False),
])
def test_damaged_install_errors_are_told_apart(err: Exception, damaged: bool) -> None:
    assert is_damaged_install(err) is damaged


def test_damaged_model_is_reported_as_broken_on_every_retry(qtbot: QtBot, harness: list[WorkerHarness],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from detectors.classifiers.weights import WeightsError

    monkeypatch.setattr("app.monitoring.worker.ENGINE_RETRY_S", 0.05)
    message = "model file assets/models/callshield-lite0.pt fails its SHA-256 check (tampered or corrupt)"

    def factory(cfg: object) -> ScriptedEngine:
        raise WeightsError(message)

    h = WorkerHarness(factory)
    harness.append(h)
    broken: list[str] = []
    unavailable: list[str] = []
    h.signals.engine_broken.connect(broken.append)
    h.signals.engine_unavailable.connect(unavailable.append)
    h.thread.start()
    qtbot.waitUntil(lambda: len(broken) >= 3, timeout=30_000)
    assert set(broken) == {message}  # the worker keeps retrying; the controller decides what to show once
    assert unavailable[0] == f"model not loaded — {message}"  # the status line says it too
    assert h.stop()


def test_other_load_errors_are_not_called_damaged_files(qtbot: QtBot, harness: list[WorkerHarness],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def factory(cfg: object) -> ScriptedEngine:
        raise ValueError("unknown device 'tpu'")

    h = WorkerHarness(factory)
    harness.append(h)
    with qtbot.assertNotEmitted(h.signals.engine_broken, wait=300):
        with qtbot.waitSignal(h.signals.engine_unavailable, timeout=30_000):
            h.thread.start()
    assert h.stop()


def test_gpu_out_of_memory_falls_back_to_the_cpu_and_says_so(qtbot: QtBot, harness: list[WorkerHarness]) -> None:
    from dataclasses import replace

    devices: list[str] = []

    def factory(cfg) -> ScriptedEngine:
        devices.append(cfg.device)
        if cfg.device == "cpu":
            return ScriptedEngine()
        return ScriptedEngine(lambda f: Verdict.not_monitoring(f.timestamp, "GPU out of memory: switching to the CPU",
                                                               f.index, gpu_out_of_memory=True))

    h = WorkerHarness(factory, config=replace(RUNNING, device="gpu"))
    harness.append(h)
    failures: list[str] = []
    loaded: list = []
    h.signals.failed.connect(failures.append)
    h.signals.engine_ready.connect(loaded.append)
    h.thread.start()
    qtbot.waitUntil(lambda: len(loaded) >= 2, timeout=30_000)
    assert loaded[0].note == "" and "running on the CPU" in loaded[1].note
    assert devices[0] in ("cuda", "mps") and devices[-1] == "cpu"
    assert any("switching to the CPU" in f for f in failures)
    got: list[Verdict] = []
    h.signals.verdict_ready.connect(got.append)
    qtbot.waitUntil(lambda: len(got) >= 3, timeout=5000)
    assert got[-1].state is MonitorState.LOOKS_REAL and len(devices) == 2  # stays on the CPU, no reload loop
