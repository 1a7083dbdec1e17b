"""Starts the desktop app: wires settings, the monitor controller, the window, the overlay, tray and demo."""

from __future__ import annotations

import argparse
import logging
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QSystemTrayIcon

from app.capture.capture import mss_source_factory
from app.capture.demo_player import DemoPlayer
from app.capture.desktop import region_mapping, screen_mappings, widget_capture_region
from app.capture.region_picker import RegionPicker, grab_screens
from app.capture.screens import ScreenMapping, ScreenRegion
from app.display import display_problem
from app.log_file import configure_logging
from app.monitoring.audit_log import AuditLog, default_log_path
from app.monitoring.controller import MonitorController
from app.monitoring.settings import SettingsStore
from app.monitoring.status import ALERT_TEXT, ShieldLevel, ShieldStatus
from app.monitoring.worker import EngineFactory, SourceFactory, WorkerStats, load_pipeline
from app.overlay.overlay import OverlayWindow
from app.paths import DEMO_REAL_CLIP, DEMO_SWAP_CLIP, demo_clips
from app.smoke import (
    DEFAULT_SECONDS,
    ENGINE_LOAD_LIMIT_S,
    DemoFrames,
    SmokeReport,
    logical_screen_mappings,
    screen_capture_possible,
)
from app.style import shield_icon
from app.windows.dialogs import SettingsDialog, WelcomeDialog, show_about
from app.windows.main_window import MainWindow

log = logging.getLogger(__name__)

DEMO_CAPTIONS = {
    Path(DEMO_REAL_CLIP).name: "Demo caller: the real person (original clip)",
    Path(DEMO_SWAP_CLIP).name: "Demo caller: an AI face swap of the same clip",
}


class CallShieldApp(QObject):
    """The composition root: one per process; tests build it with a small engine and a temporary QSettings."""

    demo_started = Signal(object)  # DemoPlayer, before its first frame

    def __init__(self, store: SettingsStore, engine_factory: EngineFactory = load_pipeline,
                 source_factory: SourceFactory = mss_source_factory, audit_log: AuditLog | None = None,
                 mappings_provider: Callable[[], list[ScreenMapping]] = screen_mappings) -> None:
        super().__init__()
        self.store = store
        self.settings = store.load()
        self.mappings_provider = mappings_provider
        self.controller = MonitorController(self.settings, engine_factory, source_factory,
                                            audit_log or AuditLog(default_log_path()), parent=self)
        self.window = MainWindow(self.controller)
        self.overlay = OverlayWindow()
        self.demo: DemoPlayer | None = None
        self.picker: RegionPicker | None = None
        self.welcome: WelcomeDialog | None = None
        self.tray = self._make_tray()
        self._shut_down = False
        self.window.minimise_to_tray = self.tray is not None
        self._demo_follow = QTimer(self)
        self._demo_follow.setSingleShot(True)
        self._demo_follow.setInterval(300)
        self._demo_follow.timeout.connect(self._watch_demo)

        c = self.controller
        c.status_changed.connect(self._status_changed)
        c.region_changed.connect(lambda _region: self.place_overlay())
        c.stats_changed.connect(self._stats_changed)
        c.alert_raised.connect(self._alert_raised)
        w = self.window
        w.pick_region_requested.connect(self.pick_region)
        w.settings_requested.connect(self.edit_settings)
        w.demo_requested.connect(self.start_demo)
        w.about_requested.connect(lambda: show_about(self.window, self.controller.engine))
        w.welcome_requested.connect(self.show_welcome)
        w.quit_requested.connect(self.quit)

    # --- start-up -----------------------------------------------------------------------------------

    def launch(self, demo: bool = False, minimised: bool | None = None) -> None:
        """Shows the window at once (the engine loads in the background), then the first step for the user."""
        minimised = self.settings.start_minimised if minimised is None else minimised
        if minimised and self.tray is not None:
            self.tray.show()
        elif minimised:
            self.window.showMinimized()
        else:
            self.window.show()
        self.controller.start_worker()
        if demo:
            self.start_demo()
        elif not self.settings.welcome_shown:
            self.show_welcome()
        elif self.controller.region is not None:
            # Started even if the region is off screen now: the worker says why and resumes when it can.
            self.place_overlay()
            self.controller.start()

    def show_welcome(self) -> None:
        self.welcome = WelcomeDialog(self.window)
        self.welcome.finished.connect(self._welcome_done)
        self.welcome.open()

    def _welcome_done(self, result: int) -> None:
        self.settings = self.store.update(welcome_shown=True)
        wants_demo = self.welcome is not None and self.welcome.wants_demo
        self.welcome = None
        if wants_demo:
            self.start_demo()
        elif result:
            self.pick_region()

    def _make_tray(self) -> QSystemTrayIcon | None:
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return None
        tray = QSystemTrayIcon(shield_icon(ShieldLevel.NOT_MONITORING), self)
        tray.setToolTip("CallShield: not monitoring")
        menu = QMenu()
        menu.addAction("Show CallShield", self.show_window)
        menu.addAction("Pause / resume", self.controller.toggle_pause)
        menu.addSeparator()
        menu.addAction("Quit", self.quit)
        tray.setContextMenu(menu)
        self._tray_menu = menu  # the tray does not own its menu
        tray.activated.connect(lambda reason: self.show_window()
                               if reason == QSystemTrayIcon.ActivationReason.Trigger else None)
        tray.show()
        return tray

    def show_window(self) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()

    # --- region and overlay ---------------------------------------------------------------------------

    def place_overlay(self) -> None:
        region = self.controller.region
        mapping = None
        if region is not None:
            try:
                mapping = region_mapping(region, self.mappings_provider())
            except Exception:  # no display to map on: no overlay, the window still shows the state
                mapping = None
        self.overlay.set_region(region, mapping)
        self.overlay.show_status(self.controller.status)

    def pick_region(self) -> None:
        if self.picker is not None:
            return
        self.overlay.hide()  # the frozen screenshot must show the call, not our frame
        QTimer.singleShot(150, self._open_picker)

    def _open_picker(self) -> None:
        try:
            mappings = self.mappings_provider()
            self.picker = RegionPicker(mappings, grab_screens(mappings), self.controller.region)
        except Exception as err:
            self.place_overlay()
            QMessageBox.warning(self.window, "CallShield", f"Cannot take a screenshot to pick from: {err}")
            return
        self.picker.picked.connect(self._region_picked)
        self.picker.cancelled.connect(self._pick_cancelled)
        self.picker.show()

    def _region_picked(self, region: ScreenRegion) -> None:
        self.picker = None
        self._stop_demo()
        self.settings = self.store.update(region=region)
        self.controller.set_region(region)
        self.controller.start()
        self.place_overlay()

    def _pick_cancelled(self) -> None:
        self.picker = None
        self.place_overlay()

    # --- demo -----------------------------------------------------------------------------------------

    def start_demo(self, clips: list[Path] | None = None, display_size: tuple[int, int] | None = None,
                   position: tuple[int, int] | None = None, captions: dict[str, str] | None = None) -> DemoPlayer:
        """Plays clips (default: the bundled demo, real then swap, looped) and monitors that window."""
        self._stop_demo()
        player = DemoPlayer(clips or demo_clips(), display_size, captions=DEMO_CAPTIONS if captions is None else captions)
        player.setWindowTitle("CallShield demo — the caller's video")
        screen = self.window.screen().availableGeometry()
        x, y = position or (screen.left() + 40, screen.top() + 60)
        player.move(x, y)
        self.demo_started.emit(player)
        player.show()
        player.start()
        # Keep our own window off the watched video.
        self.window.move(x + player.sizeHint().width() + 60, y)
        player.moved.connect(self._demo_follow.start)
        player.closed.connect(self._demo_closed)
        self.demo = player
        self._demo_follow.start()
        return player

    def _watch_demo(self) -> None:
        if self.demo is None or not self.demo.isVisible():
            return
        try:
            region = widget_capture_region(self.demo.video, self.mappings_provider())
        except Exception as err:
            self.controller.handle_failure(f"cannot locate the demo window: {err}")
            return
        self.controller.set_region(region)  # not saved: the user's own region stays for real calls
        self.controller.start()
        self.place_overlay()

    def _demo_closed(self) -> None:
        """The user closed the demo: back to their own region (or to stopped, without one)."""
        self._stop_demo()
        region = self.store.load().region
        self.controller.set_region(region)
        if region is None:
            self.controller.stop()
        self.place_overlay()

    def _stop_demo(self) -> None:
        if self.demo is not None:
            self.demo.moved.disconnect(self._demo_follow.start)
            self.demo.closed.disconnect(self._demo_closed)
            self.demo.close()
            self.demo.deleteLater()
            self.demo = None

    # --- reactions --------------------------------------------------------------------------------------

    def _status_changed(self, status: ShieldStatus) -> None:
        self.overlay.show_status(status)
        if self.tray is not None:
            self.tray.setIcon(shield_icon(status.level))
            self.tray.setToolTip(f"CallShield: {status.headline}")

    def _stats_changed(self, stats: WorkerStats) -> None:
        self.overlay.set_frame_size(*stats.frame_size)

    def _alert_raised(self, faces: tuple) -> None:
        if self.controller.settings.sound:
            QApplication.beep()
        if self.tray is not None:
            ids = ", ".join(str(f.track_id) for f in faces)
            self.tray.showMessage("CallShield: POSSIBLE FACE SWAP", f"{ALERT_TEXT} (face {ids}).",
                                  QSystemTrayIcon.MessageIcon.Critical, 15_000)

    def edit_settings(self) -> None:
        dialog = SettingsDialog(self.controller.settings, self.window)
        if dialog.exec():
            new = dialog.result_settings()
            self.store.save(replace(new, region=self.store.load().region))
            self.settings = new
            self.controller.apply_settings(new)

    def quit(self) -> None:
        self.shutdown()
        QApplication.quit()

    def shutdown(self) -> None:
        """Stops monitoring and waits for the worker thread; closes every window of ours. Idempotent."""
        if self._shut_down:
            return
        self._shut_down = True
        log.info("CallShield quitting")
        self._demo_follow.stop()
        self.controller.stop()
        self.controller.shutdown()
        self._stop_demo()
        self.overlay.close()
        if self.tray is not None:
            self.tray.hide()
        self.window.hide()


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    p = argparse.ArgumentParser(prog="callshield", description="CallShield: warns when a video caller's face is an "
                                "AI face swap. Engine commands: callshield scan|eval|bench|train --help.")
    p.add_argument("--demo", action="store_true", help="play the bundled demo clip in a window and monitor it")
    p.add_argument("--minimised", action="store_true", default=None, help="start minimised (to the tray)")
    p.add_argument("--startup-report", action="store_true", help="print seconds from launch to a usable window")
    p.add_argument("--smoke-test", action="store_true",
                   help="monitor the bundled demo, then print one JSON line of what worked; exit 0 only if verdicts "
                   f"came (monitors for --quit-after seconds once the model has loaded or failed, default "
                   f"{DEFAULT_SECONDS:.0f})")
    p.add_argument("--quit-after", type=float, default=0.0, metavar="SECONDS",
                   help="quit after this many seconds (for tests; with --smoke-test, counted from the model load)")
    return p.parse_known_args(argv)  # the rest goes to Qt (-platform, -style …)


def run_app(argv: list[str], engine_factory: EngineFactory = load_pipeline) -> int:
    """Runs the desktop app until the user quits; returns the exit status (2: no display to show it on)."""
    args, qt_args = parse_args(argv)
    if problem := display_problem(qt_args):
        print(problem, file=sys.stderr, flush=True)  # Qt would abort with a message few would understand
        return 2
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setOrganizationName("CallShield")
    app.setApplicationName("CallShield")
    app.setQuitOnLastWindowClosed(False)  # the tray may be all that is left
    log_path = configure_logging()
    log.info("CallShield %s starting: %s, Python %s, Qt platform %s, log %s", app_version(), platform.platform(),
             platform.python_version(), QApplication.platformName(), log_path)
    source_factory, mappings_provider, frames = mss_source_factory, screen_mappings, None
    if args.smoke_test and not screen_capture_possible():
        frames = DemoFrames()  # nothing on screen to grab: the worker reads the demo's frames instead
        source_factory, mappings_provider = frames.source, logical_screen_mappings
    shell = CallShieldApp(SettingsStore(QSettings()), engine_factory, source_factory, mappings_provider=mappings_provider)
    report = None
    if args.smoke_test:
        report = SmokeReport(shell, "screen" if frames is None else "demo-frames")
        if frames is not None:
            shell.demo_started.connect(frames.follow)
    shell.launch(demo=args.demo or args.smoke_test, minimised=False if args.smoke_test else args.minimised)
    if args.startup_report:
        QTimer.singleShot(0, _report_startup)
    quit_after = args.quit_after or (DEFAULT_SECONDS if args.smoke_test else 0.0)
    if report is not None:
        # The smoke test monitors for `quit_after` seconds from when the engine loaded or failed, not from launch:
        # a busy machine can take longer than that to load the model, and then nothing would have been tested.
        report.engine_settled.connect(lambda: QTimer.singleShot(int(quit_after * 1000), shell.quit))
        QTimer.singleShot(int((ENGINE_LOAD_LIMIT_S + quit_after) * 1000), shell.quit)
    elif quit_after:
        QTimer.singleShot(int(quit_after * 1000), shell.quit)
    app.aboutToQuit.connect(shell.shutdown)
    status = app.exec()
    shell.shutdown()
    if report is None:
        return status
    line, status = report.finish()
    log.info("smoke test: %s", line)
    print(line, flush=True)
    return status


def app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("callshield")
    except PackageNotFoundError:  # a bundle carries no package metadata
        return "(version unknown)"


def _report_startup() -> None:
    import psutil

    since_launch = time.time() - psutil.Process().create_time()
    print(f"callshield: usable window {since_launch:.2f} s after launch", file=sys.stderr, flush=True)
