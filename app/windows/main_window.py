"""The small main window: state banner, per-face scores, the score timeline, and start / pause / stop.

Every control is reachable from the keyboard (tab order, shortcuts) and has an accessible name; every text goes
through Qt's translations."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.capture.screens import ScreenRegion
from app.language import number
from app.monitoring.controller import MonitorController
from app.monitoring.status import RunMode, ShieldLevel, ShieldStatus
from app.monitoring.worker import WorkerStats
from app.style import scaled_font, shield_icon
from app.windows.banner import StatusBanner
from app.windows.timeline import ScoreTimeline
from detectors.records import EngineInfo

PAUSE_SHORTCUT = "Ctrl+P"
VERIFY_SHORTCUT = "Ctrl+Shift+V"
DAMAGED_FILE_TITLE = QT_TRANSLATE_NOOP("MainWindow", "CallShield: a file is damaged")
# A face's state in the table: never "real", only whether a sign of a swap was seen.
STATE_WORDS = {"analysing": QT_TRANSLATE_NOOP("MainWindow", "checking"),
               "looks_real": QT_TRANSLATE_NOOP("MainWindow", "no sign of a swap"),
               "possible_swap": QT_TRANSLATE_NOOP("MainWindow", "POSSIBLE SWAP"),
               "possible_animation": QT_TRANSLATE_NOOP("MainWindow", "POSSIBLE ANIMATED PHOTO")}


def _score_text(score: float | None) -> str:
    return "—" if score is None else number(score, 2)


class MainWindow(QMainWindow):
    """Shows what the controller decides; every button is a request to the controller or the app."""

    pick_region_requested = Signal()
    settings_requested = Signal()
    demo_requested = Signal()
    about_requested = Signal()
    welcome_requested = Signal()
    verify_now_requested = Signal()  # "Verify now": the guided challenges
    quit_requested = Signal()

    def __init__(self, controller: MonitorController) -> None:
        super().__init__()
        self.controller = controller
        self.minimise_to_tray = False  # set by the app when a system tray exists
        self.setWindowTitle("CallShield")
        self.setWindowIcon(shield_icon(ShieldLevel.NOT_MONITORING))
        self.resize(600, 700)
        self._build_status_area()
        controls = self._build_controls()
        self._build_faces_area()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.status_banner)
        layout.addWidget(self.detail)
        layout.addWidget(self.verify_offer)
        layout.addWidget(self.verify_button)
        layout.addLayout(controls)
        layout.addWidget(self.fps_label)
        layout.addWidget(self.faces)
        layout.addWidget(self.timeline, 1)
        self.setCentralWidget(central)
        self.region_label = QLabel()
        self.region_label.setAccessibleName(self.tr("Monitored region"))
        self.engine_label = QLabel()
        self.engine_label.setAccessibleName(self.tr("Detector model"))
        self.statusBar().addWidget(self.region_label, 1)
        self.statusBar().addPermanentWidget(self.engine_label)
        self._build_menu()
        self._set_tab_order()
        self._shown_level: ShieldLevel | None = None
        self.shown_status: ShieldStatus | None = None
        self._follow(controller)

    def _build_status_area(self) -> None:
        """The big banner, the sentence under it, and the "I verified this caller" button."""
        self.status_banner = StatusBanner()
        self.banner = self.status_banner.headline  # the headline's words
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setFont(scaled_font(1.1))
        self.detail.setAccessibleName(self.tr("Why CallShield shows this"))
        self.verify_button = QPushButton(self.tr("I verified this caller"))
        self.verify_button.setToolTip(self.tr("You confirmed who the caller is by another channel (e.g. you called them "
                                              "back on a number you already knew). Silences this face's warning for this "
                                              "call. Shortcut: {keys}").format(keys=VERIFY_SHORTCUT))
        self.verify_button.setAccessibleName(self.tr("I verified this caller"))
        self.verify_button.clicked.connect(self._verify_clicked)
        self.verify_button.hide()
        self._verify_menu = QMenu(self)
        self.verify_button.setMenu(None)
        # The warning's offer of "Verify now": live face swaps often break when the caller moves.
        self.verify_offer = QPushButton(self.tr("Not sure? Verify now: ask the caller to turn their head and pass a "
                                                "hand over their face"))
        self.verify_offer.setAccessibleName(self.tr("Verify now"))
        self.verify_offer.setStyleSheet("QPushButton { font-weight: bold; padding: 6px; }")
        self.verify_offer.clicked.connect(self.verify_now_requested)
        self.verify_offer.hide()

    def _build_controls(self) -> QHBoxLayout:
        self.start_button = QPushButton(self.tr("Start"))
        self.pause_button = QPushButton(self.tr("Pause ({keys})").format(keys=PAUSE_SHORTCUT))
        self.stop_button = QPushButton(self.tr("Stop"))
        self.region_button = QPushButton(self.tr("Pick region…"))
        self.verify_now_button = QPushButton(self.tr("Verify now"))
        self.verify_now_button.clicked.connect(self.verify_now_requested)
        self.start_button.clicked.connect(self._start_clicked)
        self.pause_button.clicked.connect(self.controller.toggle_pause)
        self.stop_button.clicked.connect(self.controller.stop)
        self.region_button.clicked.connect(self.pick_region_requested)
        names = {self.start_button: self.tr("Start monitoring"), self.pause_button: self.tr("Pause or resume monitoring"),
                 self.stop_button: self.tr("Stop monitoring"),
                 self.region_button: self.tr("Pick the caller's video (Ctrl+R)"),
                 self.verify_now_button: self.tr("Ask the caller to turn their head, pass a hand over their face and "
                                                 "come closer: live face swaps often break when they do")}
        controls = QHBoxLayout()
        for b, name in names.items():
            b.setAccessibleName(name)
            b.setToolTip(name)
            b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            controls.addWidget(b)
        self.fps_label = QLabel(self._fps_idle_text())
        self.fps_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.fps_label.setAccessibleName(self.tr("Analysis speed"))
        return controls

    def _fps_idle_text(self) -> str:
        return self.tr("analysed: — frames/s")

    def _build_faces_area(self) -> None:
        """The table of faces in view and the timeline of their scores."""
        self.faces = QTableWidget(0, 4)
        self.faces.setHorizontalHeaderLabels([self.tr("Face"), self.tr("Score"), self.tr("This frame"), self.tr("State")])
        self.faces.setAccessibleName(self.tr("Faces in view and their swap scores"))
        self.faces.verticalHeader().hide()
        self.faces.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.faces.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.faces.setTabKeyNavigation(False)  # Tab leaves the table (arrows move in it): no keyboard trap
        self.faces.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.faces.setMaximumHeight(self.fontMetrics().height() * 7)
        self.timeline = ScoreTimeline()
        self.timeline.setMinimumHeight(180)
        self.timeline.setAccessibleName(self.tr("Swap score of each face over the last minutes"))

    def _set_tab_order(self) -> None:
        """The warning's button first (it appears only with a warning), then the controls in reading order."""
        chain = [self.verify_offer, self.verify_button, self.start_button, self.pause_button, self.stop_button,
                 self.region_button, self.verify_now_button, self.faces]
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)

    def _follow(self, controller: MonitorController) -> None:
        """Shows the controller's current state now, and every change from here on."""
        controller.status_changed.connect(self.show_status)
        controller.verdict_seen.connect(self.timeline.add_verdict)
        controller.stats_changed.connect(self.show_stats)
        controller.mode_changed.connect(self._mode_changed)
        controller.engine_changed.connect(self.show_engine)
        controller.region_changed.connect(self.show_region)
        controller.engine_broken.connect(self.show_damaged_file)
        self.show_status(controller.status)
        self.show_region(controller.region)
        self.show_engine(controller.engine)
        self._mode_changed(controller.mode)

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&CallShield"))
        self.pause_action = QAction(self.tr("Pause / resume monitoring"), self)
        self.pause_action.setShortcut(QKeySequence(PAUSE_SHORTCUT))
        self.pause_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.pause_action.triggered.connect(self.controller.toggle_pause)
        self.verify_action = QAction(self.tr("I verified this caller"), self)
        self.verify_action.setShortcut(QKeySequence(VERIFY_SHORTCUT))
        self.verify_action.setEnabled(False)
        self.verify_action.triggered.connect(self._verify_by_keyboard)
        actions = [
            (self.tr("Start monitoring"), self._start_clicked, "Ctrl+Return"),
            (self.tr("Pick the caller's video…"), self.pick_region_requested, "Ctrl+R"),
            (self.tr("Play the demo"), self.demo_requested, "Ctrl+D"),
            (self.tr("Settings…"), self.settings_requested, "Ctrl+,"),
        ]
        for text, slot, keys in actions:
            a = QAction(text, self)
            a.setShortcut(QKeySequence(keys))
            a.triggered.connect(slot)
            menu.addAction(a)
        self.settings_action = menu.actions()[-1]
        menu.addAction(self.pause_action)
        menu.addAction(self.verify_action)
        menu.addSeparator()
        quit_action = QAction(self.tr("Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.quit_requested)
        menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        welcome = QAction(self.tr("What CallShield does and doesn't…"), self)
        welcome.triggered.connect(self.welcome_requested)
        about = QAction(self.tr("About CallShield…"), self)
        about.triggered.connect(self.about_requested)
        help_menu.addAction(welcome)
        help_menu.addAction(about)

    # --- showing state ------------------------------------------------------------------------------

    def show_status(self, status: ShieldStatus) -> None:
        self.shown_status = status
        if status.level is not self._shown_level:
            # Style sheets are costly to re-parse: only on a change of level, not on every verdict.
            self.status_banner.show_level(status.level, status.headline)
            self.setWindowIcon(shield_icon(status.level))
            self._shown_level = status.level
            if not status.level.is_checking:
                self.timeline.add_gap(self.controller.clock())
        self.detail.setText(status.detail)
        self.detail.setAccessibleDescription(status.detail)
        self._show_faces(status)
        self._show_verify(status)
        if not status.level.is_checking:
            self.fps_label.setText(self._fps_idle_text())

    def _show_verify(self, status: ShieldStatus) -> None:
        """The "I verified this caller" button: one face, a plain button; several, a menu of them."""
        alert = status.alert_faces
        self.verify_button.setVisible(bool(alert))
        self.verify_offer.setVisible(bool(alert))
        self.verify_action.setEnabled(bool(alert))
        if len(alert) == 1:
            self.verify_button.setText(self.tr("I verified this caller (face {id})").format(id=alert[0].track_id))
            self.verify_button.setMenu(None)
        elif alert:
            self.verify_button.setText(self.tr("I verified this caller…"))
            self._verify_menu.clear()
            for f in alert:
                self._verify_menu.addAction(self.tr("Face {id} (score {score})").format(id=f.track_id,
                                                                                        score=_score_text(f.score)),
                                            lambda tid=f.track_id: self.controller.acknowledge(tid))
            self.verify_button.setMenu(self._verify_menu)

    def _show_faces(self, status: ShieldStatus) -> None:
        table = self.faces
        if table.rowCount() != len(status.faces):
            table.setRowCount(len(status.faces))
        for row, f in enumerate(status.faces):
            words = STATE_WORDS.get(f.state.value)
            state = self.tr("verified by you") if f.acknowledged else (self.tr(words) if words else f.state.value)
            for col, text in enumerate((str(f.track_id), _score_text(f.score), _score_text(f.frame_score), state)):
                item = table.item(row, col)
                if item is None:
                    table.setItem(row, col, QTableWidgetItem(text))
                elif item.text() != text:
                    item.setText(text)

    def show_stats(self, stats: WorkerStats) -> None:
        if self.controller.status.level.is_checking or self.controller.status.level is ShieldLevel.NO_FACE:
            self.fps_label.setText(self.tr("analysed: {fps} frames/s · engine {ms} ms/frame").format(
                fps=number(stats.analysed_fps, 1), ms=number(stats.engine_ms, 0)))
        self.timeline.set_threshold(stats.engine.threshold)

    def show_engine(self, engine: EngineInfo | None) -> None:
        if engine:
            text = self.tr("model {model} on {device}").format(model=engine.model or "?", device=engine.device or "?")
            self.engine_label.setText(f"{text} — {engine.note}" if engine.note else text)
            self.timeline.set_threshold(engine.threshold)
        else:
            self.engine_label.setText(self.tr("model not loaded"))

    def show_damaged_file(self, message: str) -> QMessageBox:
        """A message window (not waited for: the worker keeps retrying, and a later fix must show) asking to reinstall."""
        box = QMessageBox(QMessageBox.Icon.Critical, self.tr(DAMAGED_FILE_TITLE),
                          self.tr("{problem}\n\nPlease reinstall CallShield.").format(problem=message),
                          QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def show_region(self, region: ScreenRegion | None) -> None:
        if region is None:
            self.region_label.setText(self.tr("no region picked yet"))
        else:
            self.region_label.setText(self.tr("watching {width}×{height} at ({left}, {top})").format(
                width=region.width, height=region.height, left=region.left, top=region.top))
        self.timeline.clear_scores()

    def _mode_changed(self, mode: RunMode) -> None:
        self.start_button.setEnabled(mode is RunMode.STOPPED)
        self.pause_button.setEnabled(mode is not RunMode.STOPPED)
        words = self.tr("Resume ({keys})") if mode is RunMode.PAUSED else self.tr("Pause ({keys})")
        self.pause_button.setText(words.format(keys=PAUSE_SHORTCUT))
        self.stop_button.setEnabled(mode is not RunMode.STOPPED)
        self.verify_now_button.setEnabled(mode is RunMode.RUNNING)

    # --- user actions -----------------------------------------------------------------------------------

    def _start_clicked(self) -> None:
        if not self.controller.start():
            self.pick_region_requested.emit()

    def _verify_clicked(self) -> None:
        alert = self.shown_status.alert_faces if self.shown_status else ()
        if len(alert) == 1:
            self.controller.acknowledge(alert[0].track_id)

    def _verify_by_keyboard(self) -> None:
        """Ctrl+Shift+V: acknowledges the one alerting face, or opens the menu of them (arrow keys, Enter)."""
        if self.verify_button.menu() is not None:
            self.verify_button.setFocus()
            self.verify_button.showMenu()
        else:
            self._verify_clicked()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.WindowStateChange and self.isMinimized() and self.minimise_to_tray:
            # Hidden after the minimise completes, or some window managers restore it at once.
            QTimer.singleShot(0, self.hide)

    def closeEvent(self, event: QCloseEvent) -> None:
        event.accept()
        self.quit_requested.emit()
