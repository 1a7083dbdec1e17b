"""The log file: what the worker and controller log ends up in `callshield.log`, rotated at 1 MB."""

from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThread
from pytestqt.qtbot import QtBot

from app.log_file import BACKUPS, HANDLER_NAME, MAX_BYTES, close_log_file, configure_logging
from app.monitoring.worker import CaptureWorker
from tests.app.conftest import MainThreadRelay


@pytest.fixture
def log_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "data" / "logs"
    yield folder
    close_log_file()


def test_engine_failure_lands_in_the_log_file(qtbot: QtBot, log_folder: Path) -> None:
    from detectors.classifiers.weights import WeightsError

    path = configure_logging(log_folder)
    assert path == log_folder / "callshield.log" and path.parent.is_dir()

    def factory(cfg: object) -> object:
        raise WeightsError("model config assets/models/callshield-lite0.json is damaged: Expecting value")

    worker = CaptureWorker(factory, lambda region: None)  # type: ignore[arg-type,return-value]
    signals = MainThreadRelay(worker)
    thread = QThread()
    thread.setObjectName("test capture")
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
    try:
        with qtbot.waitSignal(signals.engine_broken, timeout=30_000):
            thread.start()
    finally:
        worker.request_stop()
        assert thread.wait(10_000)
    text = path.read_text(encoding="utf-8")
    assert "ERROR" in text and "engine not loaded (damaged installation)" in text
    assert "callshield-lite0.json is damaged: Expecting value" in text
    assert text[:4].isdigit()  # each record starts with its time


def test_log_file_rotates_and_is_not_added_twice(log_folder: Path) -> None:
    configure_logging(log_folder)
    configure_logging(log_folder)  # run_app may run twice in one process (tests): one handler, not two
    handlers = [h for h in logging.getLogger().handlers if h.get_name() == HANDLER_NAME]
    assert len(handlers) == 1
    handler = handlers[0]
    assert isinstance(handler, logging.handlers.RotatingFileHandler)
    assert (handler.maxBytes, handler.backupCount, handler.level) == (MAX_BYTES, BACKUPS, logging.INFO)
    logging.getLogger("app.test").info("x" * 1000)
    logging.getLogger("app.test").debug("not at INFO")
    text = (log_folder / "callshield.log").read_text()
    assert "xxxx" in text and "not at INFO" not in text


def test_unwritable_log_folder_does_not_stop_the_app(tmp_path: Path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("")
    try:
        assert configure_logging(blocker / "logs") is None
    finally:
        close_log_file()
