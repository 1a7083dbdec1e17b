"""The small main window: state banner, per-face scores, the score timeline, and start / pause / stop."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeySequence
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
from app.monitoring.controller import MonitorController
from app.monitoring.status import RunMode, ShieldLevel, ShieldStatus
from app.monitoring.worker import WorkerStats
from app.style import LEVEL_COLOURS, shield_icon
from app.windows.timeline import ScoreTimeline
from detectors.records import EngineInfo

PAUSE_SHORTCUT = "Ctrl+P"
DAMAGED_FILE_TITLE = "CallShield: a file is damaged"
STATE_WORDS = {"analysing": "analysing", "looks_real": "looks real", "possible_swap": "POSSIBLE SWAP"}


def _score_text(score: float | None) -> str:
    return "—" if score is None else f"{score:.2f}"


class MainWindow(QMainWindow):
    """Shows what the controller decides; every button is a request to the controller or the app."""

    pick_region_requested = Signal()
    settings_requested = Signal()
    demo_requested = Signal()
    about_requested = Signal()
    welcome_requested = Signal()
    quit_requested = Signal()

    def __init__(self, controller: MonitorController) -> None:
        super().__init__()
        self.controller = controller
        self.minimise_to_tray = False  # set by the app when a system tray exists
        self.setWindowTitle("CallShield")
        self.setWindowIcon(shield_icon(ShieldLevel.NOT_MONITORING))
        self.resize(560, 680)
        self._build_status_area()
        controls = self._build_controls()
        self._build_faces_area()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.banner)
        layout.addWidget(self.detail)
        layout.addWidget(self.verify_button)
        layout.addLayout(controls)
        layout.addWidget(self.fps_label)
        layout.addWidget(self.faces)
        layout.addWidget(self.timeline, 1)
        self.setCentralWidget(central)
        self.region_label = QLabel()
        self.engine_label = QLabel()
        self.statusBar().addWidget(self.region_label, 1)
        self.statusBar().addPermanentWidget(self.engine_label)
        self._build_menu()
        self._shown_level: ShieldLevel | None = None
        self.shown_status: ShieldStatus | None = None
        self._follow(controller)

    def _build_status_area(self) -> None:
        """The big banner, the sentence under it, and the "I verified this caller" button."""
        self.banner = QLabel()
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setMinimumHeight(64)
        font = QFont(self.banner.font())
        font.setPointSize(20)
        font.setBold(True)
        self.banner.setFont(font)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verify_button = QPushButton("I verified this caller")
        self.verify_button.setToolTip("You confirmed who the caller is by another channel (e.g. you called them back "
                                      "on a number you already knew). Silences this face's warning for this call.")
        self.verify_button.clicked.connect(self._verify_clicked)
        self.verify_button.hide()
        self._verify_menu = QMenu(self)
        self.verify_button.setMenu(None)

    def _build_controls(self) -> QHBoxLayout:
        self.start_button = QPushButton("Start")
        self.pause_button = QPushButton(f"Pause ({PAUSE_SHORTCUT})")
        self.stop_button = QPushButton("Stop")
        self.region_button = QPushButton("Pick region…")
        self.start_button.clicked.connect(self._start_clicked)
        self.pause_button.clicked.connect(self.controller.toggle_pause)
        self.stop_button.clicked.connect(self.controller.stop)
        self.region_button.clicked.connect(self.pick_region_requested)
        controls = QHBoxLayout()
        for b in (self.start_button, self.pause_button, self.stop_button, self.region_button):
            controls.addWidget(b)
        self.fps_label = QLabel("analysed: — frames/s")
        self.fps_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        return controls

    def _build_faces_area(self) -> None:
        """The table of faces in view and the timeline of their scores."""
        self.faces = QTableWidget(0, 4)
        self.faces.setHorizontalHeaderLabels(["Face", "Score", "This frame", "State"])
        self.faces.verticalHeader().hide()
        self.faces.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.faces.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.faces.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.faces.setMaximumHeight(120)
        self.timeline = ScoreTimeline()
        self.timeline.setMinimumHeight(180)

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
        menu = self.menuBar().addMenu("&CallShield")
        self.pause_action = QAction("Pause / resume monitoring", self)
        self.pause_action.setShortcut(QKeySequence(PAUSE_SHORTCUT))
        self.pause_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.pause_action.triggered.connect(self.controller.toggle_pause)
        actions = [
            ("Pick the caller's video…", self.pick_region_requested, "Ctrl+R"),
            ("Play the demo", self.demo_requested, "Ctrl+D"),
            ("Settings…", self.settings_requested, "Ctrl+,"),
        ]
        for text, signal, keys in actions:
            a = QAction(text, self)
            a.setShortcut(QKeySequence(keys))
            a.triggered.connect(signal)
            menu.addAction(a)
        menu.addAction(self.pause_action)
        menu.addSeparator()
        quit_action = QAction("Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.quit_requested)
        menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        welcome = QAction("What CallShield does and doesn't…", self)
        welcome.triggered.connect(self.welcome_requested)
        about = QAction("About CallShield…", self)
        about.triggered.connect(self.about_requested)
        help_menu.addAction(welcome)
        help_menu.addAction(about)

    # --- showing state ------------------------------------------------------------------------------

    def show_status(self, status: ShieldStatus) -> None:
        self.shown_status = status
        if status.level is not self._shown_level:
            # Style sheets are costly to re-parse: only on a change of level, not on every verdict.
            bg, fg = LEVEL_COLOURS[status.level]
            self.banner.setStyleSheet(f"QLabel {{ background: {bg}; color: {fg}; border-radius: 6px; }}")
            self.banner.setText(status.headline)
            self.setWindowIcon(shield_icon(status.level))
            self._shown_level = status.level
            if not status.level.is_checking:
                self.timeline.add_gap(self.controller.clock())
        self.detail.setText(status.detail)
        self._show_faces(status)
        alert = status.alert_faces
        self.verify_button.setVisible(bool(alert))
        if len(alert) == 1:
            self.verify_button.setText(f"I verified this caller (face {alert[0].track_id})")
            self.verify_button.setMenu(None)
        elif alert:
            self.verify_button.setText("I verified this caller…")
            self._verify_menu.clear()
            for f in alert:
                self._verify_menu.addAction(f"Face {f.track_id} (score {_score_text(f.score)})",
                                            lambda tid=f.track_id: self.controller.acknowledge(tid))
            self.verify_button.setMenu(self._verify_menu)
        if not status.level.is_checking:
            self.fps_label.setText("analysed: — frames/s")

    def _show_faces(self, status: ShieldStatus) -> None:
        table = self.faces
        if table.rowCount() != len(status.faces):
            table.setRowCount(len(status.faces))
        for row, f in enumerate(status.faces):
            state = "verified by you" if f.acknowledged else STATE_WORDS.get(f.state.value, f.state.value)
            for col, text in enumerate((str(f.track_id), _score_text(f.score), _score_text(f.frame_score), state)):
                item = table.item(row, col)
                if item is None:
                    table.setItem(row, col, QTableWidgetItem(text))
                elif item.text() != text:
                    item.setText(text)

    def show_stats(self, stats: WorkerStats) -> None:
        if self.controller.status.level.is_checking or self.controller.status.level is ShieldLevel.NO_FACE:
            self.fps_label.setText(
                f"analysed: {stats.analysed_fps:.1f} frames/s · engine {stats.engine_ms:.0f} ms/frame"
            )
        self.timeline.set_threshold(stats.engine.threshold)

    def show_engine(self, engine: EngineInfo | None) -> None:
        if engine:
            self.engine_label.setText(f"model {engine.model or '?'} on {engine.device or '?'}")
            self.timeline.set_threshold(engine.threshold)
        else:
            self.engine_label.setText("model not loaded")

    def show_damaged_file(self, message: str) -> QMessageBox:
        """A message window (not waited for: the worker keeps retrying, and a later fix must show) asking to reinstall."""
        box = QMessageBox(QMessageBox.Icon.Critical, DAMAGED_FILE_TITLE, f"{message}\n\nPlease reinstall CallShield.",
                          QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def show_region(self, region: ScreenRegion | None) -> None:
        self.region_label.setText(f"watching {region.describe()}" if region else "no region picked yet")
        self.timeline.clear_scores()

    def _mode_changed(self, mode: RunMode) -> None:
        self.start_button.setEnabled(mode is RunMode.STOPPED)
        self.pause_button.setEnabled(mode is not RunMode.STOPPED)
        self.pause_button.setText(f"Resume ({PAUSE_SHORTCUT})" if mode is RunMode.PAUSED else f"Pause ({PAUSE_SHORTCUT})")
        self.stop_button.setEnabled(mode is not RunMode.STOPPED)

    # --- user actions -----------------------------------------------------------------------------------

    def _start_clicked(self) -> None:
        if not self.controller.start():
            self.pick_region_requested.emit()

    def _verify_clicked(self) -> None:
        alert = self.shown_status.alert_faces if self.shown_status else ()
        if len(alert) == 1:
            self.controller.acknowledge(alert[0].track_id)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.WindowStateChange and self.isMinimized() and self.minimise_to_tray:
            # Hidden after the minimise completes, or some window managers restore it at once.
            QTimer.singleShot(0, self.hide)

    def closeEvent(self, event: QCloseEvent) -> None:
        event.accept()
        self.quit_requested.emit()
