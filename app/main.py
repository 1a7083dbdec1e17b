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

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QSystemTrayIcon

from app.audit.config import open_event_log
from app.capture.capture import mss_source_factory
from app.capture.demo_player import DemoPlayer
from app.capture.desktop import region_mapping, screen_mappings, widget_capture_region
from app.capture.region_picker import RegionPicker, grab_screens
from app.capture.screens import ScreenMapping, ScreenRegion
from app.display import display_problem
from app.language import install_language, translate
from app.log_file import configure_logging
from app.monitoring.audit_log import AuditLog, default_log_path
from app.monitoring.call_centre import CallCentre, CallIdentity
from app.monitoring.controller import MonitorController
from app.monitoring.settings import SettingsStore
from app.monitoring.status import ShieldLevel, ShieldStatus, alert_text, animation_alert_text
from app.monitoring.verification import VerificationReport, record_verification
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
from app.style import apply_text_size, shield_icon
from app.windows.call_centre import CallCentreUi
from app.windows.dialogs import SettingsDialog, WelcomeDialog, show_about
from app.windows.main_window import MainWindow
from app.windows.verify_dialog import VerifyDialog
from detectors.records import TrackState

log = logging.getLogger(__name__)

DEMO_CAPTIONS = {
    Path(DEMO_REAL_CLIP).name: QT_TRANSLATE_NOOP("CallShieldApp", "Demo caller: the original clip, no face swap"),
    Path(DEMO_SWAP_CLIP).name: QT_TRANSLATE_NOOP("CallShieldApp", "Demo caller: an AI face swap of the same clip"),
}
ALARM_REPEAT_MS = 4000  # the optional sound repeats while a warning stands, for a user who looked away


class CallShieldApp(QObject):
    """The composition root: one per process; tests build it with a small engine and a temporary QSettings."""

    demo_started = Signal(object)  # DemoPlayer, before its first frame

    def __init__(self, store: SettingsStore, engine_factory: EngineFactory = load_pipeline,
                 source_factory: SourceFactory = mss_source_factory, audit_log: AuditLog | None = None,
                 mappings_provider: Callable[[], list[ScreenMapping]] = screen_mappings,
                 identity: CallIdentity = CallIdentity()) -> None:
        super().__init__()
        self.store = store
        self.settings = store.load()
        self.settings_notice: QMessageBox | None = None  # shown when a damaged settings file was set aside
        apply_text_size(self.settings.large_text)
        self.mappings_provider = mappings_provider
        audit_log = audit_log or AuditLog(default_log_path())
        self.controller = MonitorController(self.settings, engine_factory, source_factory, audit_log, parent=self)
        self.window = MainWindow(self.controller)
        # The session event log sits beside the decisions log (the user's data folder) unless Settings name a folder.
        events = open_event_log(self.settings.call_centre(), audit_log.path.parent / "audit")
        self.call_centre = CallCentre(self.controller, self.settings, identity, app_version(), events, parent=self)
        self.call_centre_ui = CallCentreUi(self.window, self.call_centre)
        self.overlay = OverlayWindow()
        self.demo: DemoPlayer | None = None
        self.picker: RegionPicker | None = None
        self.welcome: WelcomeDialog | None = None
        self.verify_dialog: VerifyDialog | None = None
        self.tray = self._make_tray()
        self._alarm = QTimer(self)
        self._alarm.setInterval(ALARM_REPEAT_MS)
        self._alarm.timeout.connect(self._beep)
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
        w.verify_now_requested.connect(self.verify_now)
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
        if self.store.damaged_file is not None:
            self.settings_notice = self._settings_reset_notice(self.store.damaged_file)
        if demo:
            self.start_demo()
        elif not self.settings.welcome_shown:
            self.show_welcome()
        elif self.controller.region is not None:
            # Started even if the region is off screen now: the worker says why and resumes when it can.
            self.place_overlay()
            self.controller.start()

    def _settings_reset_notice(self, kept: Path) -> QMessageBox:
        """Says, without waiting for an answer, that the settings were reset and where the old file is."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("CallShield: settings were reset"),
                          self.tr("Your settings file could not be read, so CallShield started with the default "
                                  "settings. Please check them in Settings. The old file is kept at:\n{0}").format(kept),
                          QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("settings-reset-notice")
        box.open()
        return box

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
        tray.setToolTip(self.tr("CallShield: {headline}").format(headline=self.controller.status.headline))
        menu = QMenu()
        menu.addAction(self.tr("Show CallShield"), self.show_window)
        menu.addAction(self.tr("Pause / resume"), self.controller.toggle_pause)
        menu.addSeparator()
        menu.addAction(self.tr("Quit"), self.quit)
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
            QMessageBox.warning(self.window, "CallShield",
                                self.tr("Cannot take a screenshot to pick from: {error}").format(error=err))
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
        if captions is None:
            captions = {name: self.tr(text) for name, text in DEMO_CAPTIONS.items()}
        player = DemoPlayer(clips or demo_clips(), display_size, captions=captions)
        player.setWindowTitle(self.tr("CallShield demo — the caller's video"))
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
            self.tray.setToolTip(self.tr("CallShield: {headline}").format(headline=status.headline))
        if not status.level.is_alert:
            self._alarm.stop()

    @staticmethod
    def _beep() -> None:
        QApplication.beep()

    def _stats_changed(self, stats: WorkerStats) -> None:
        self.overlay.set_frame_size(*stats.frame_size)

    def _alert_raised(self, faces: tuple) -> None:
        if self.controller.settings.sound:
            QApplication.beep()
            self._alarm.start()
        if self.tray is not None:
            ids = ", ".join(str(f.track_id) for f in faces)
            if any(f.state is TrackState.POSSIBLE_SWAP for f in faces) or not faces:
                title, alert = self.tr("CallShield: POSSIBLE AI FACE SWAP"), alert_text()
            else:
                title, alert = self.tr("CallShield: POSSIBLE ANIMATED PHOTO"), animation_alert_text()
            self.tray.showMessage(title, self.tr("{alert} (face {ids}).").format(alert=alert, ids=ids),
                                  QSystemTrayIcon.MessageIcon.Critical, 15_000)

    def verify_now(self) -> VerifyDialog:
        """"Verify now": the guided challenges, in a non-modal dialog (monitoring and the overlay carry on)."""
        dialog = self.verify_dialog
        if dialog is None or not dialog.isVisible():
            if dialog is not None:
                dialog.deleteLater()
            dialog = self.verify_dialog = VerifyDialog(self.controller, self.window)
            dialog.finished_with.connect(self._verification_done)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _verification_done(self, report: VerificationReport) -> None:
        c = self.controller
        session = self.call_centre.session if self.call_centre.session.active else None
        record_verification(c.audit_log, session, report, c.region.to_text() if c.region else None,
                            c.engine.model if c.engine else "")

    def edit_settings(self) -> None:
        old = self.controller.settings
        dialog = SettingsDialog(old, self.window)
        if dialog.exec():
            new = dialog.result_settings()
            self.store.save(replace(new, region=self.store.load().region))
            self.settings = new
            self.controller.apply_settings(new)
            if new.large_text != old.large_text:
                apply_text_size(new.large_text)
                self.overlay.refresh()
            if new.language != old.language:
                QMessageBox.information(self.window, "CallShield",
                                        self.tr("The new language shows the next time CallShield starts."))
            self.call_centre_ui.settings_applied(new)

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
        self._alarm.stop()
        self.call_centre.shutdown()  # first: the session ends as "CallShield closed", not as a Stop
        self.controller.stop()
        self.controller.shutdown()
        self._stop_demo()
        self.overlay.close()
        if self.tray is not None:
            self.tray.hide()
        self.window.hide()


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    p = argparse.ArgumentParser(prog="callshield", description=translate(
        "CommandLine", "CallShield: warns when a video caller's face may be an AI face swap. Engine commands: "
        "callshield scan|eval|bench|train --help."))
    p.add_argument("--demo", action="store_true",
                   help=translate("CommandLine", "play the bundled demo clip in a window and monitor it"))
    p.add_argument("--minimised", action="store_true", default=None,
                   help=translate("CommandLine", "start minimised (to the tray)"))
    p.add_argument("--startup-report", action="store_true",
                   help=translate("CommandLine", "print seconds from launch to a usable window"))
    p.add_argument("--smoke-test", action="store_true", help=translate(
        "CommandLine", "monitor the bundled demo, then print one JSON line of what worked; exit 0 only if verdicts came "
        "(monitors for --quit-after seconds once the model has loaded or failed, default {seconds})").format(
            seconds=f"{DEFAULT_SECONDS:.0f}"))
    p.add_argument("--quit-after", type=float, default=0.0, metavar="SECONDS", help=translate(
        "CommandLine", "quit after this many seconds (for tests; with --smoke-test, counted from the model load)"))
    p.add_argument("--operator", default="", metavar="NAME", help=translate(
        "CommandLine", "call-centre mode: the agent's name or ID for this run's sessions (default: the one in Settings)"))
    p.add_argument("--call-ref", default="", metavar="REF", help=translate(
        "CommandLine", "call-centre mode: the reference of the call (ticket, case)"))
    return p.parse_known_args(argv)  # the rest goes to Qt (-platform, -style …)


def stored_settings() -> SettingsStore:
    """The user's settings (QSettings with our organisation and app names: readable before the app exists)."""
    return SettingsStore(QSettings("CallShield", "CallShield"))


def run_app(argv: list[str], engine_factory: EngineFactory = load_pipeline) -> int:
    """Runs the desktop app until the user quits; returns the exit status (2: no display to show it on)."""
    store = stored_settings()
    install_language(store.load().language)  # command-line help and messages too, before the app exists
    args, qt_args = parse_args(argv)
    if problem := display_problem(qt_args):
        # Qt would abort with a message few would understand.
        print("\n".join(translate("CommandLine", line) for line in problem.splitlines()), file=sys.stderr, flush=True)
        return 2
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setOrganizationName("CallShield")
    app.setApplicationName("CallShield")
    app.setQuitOnLastWindowClosed(False)  # the tray may be all that is left
    install_language(store.load().language)
    log_path = configure_logging()
    log.info("CallShield %s starting: %s, Python %s, Qt platform %s, log %s", app_version(), platform.platform(),
             platform.python_version(), QApplication.platformName(), log_path)
    source_factory, mappings_provider, frames = mss_source_factory, screen_mappings, None
    if args.smoke_test and not screen_capture_possible():
        frames = DemoFrames()  # nothing on screen to grab: the worker reads the demo's frames instead
        source_factory, mappings_provider = frames.source, logical_screen_mappings
    shell = CallShieldApp(store, engine_factory, source_factory, mappings_provider=mappings_provider,
                          identity=CallIdentity(args.operator, args.call_ref))
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
