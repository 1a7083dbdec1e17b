"""Call-centre widgets: the operator and call-reference bar, the Sessions dialog with its reports, the settings group."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QLocale, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.audit.config import MAX_RETENTION_DAYS, MIN_RETENTION_DAYS, SYSLOG_PROTOCOLS
from app.audit.event_log import default_log_folder
from app.audit.report import write_html
from app.audit.sessions import SessionRecord, load_sessions
from app.monitoring.call_centre import CallCentre
from app.monitoring.settings import AppSettings


def _local_time_text(moment: datetime) -> str:
    """A UTC time as the language shown writes dates (the column says UTC), to the second."""
    locale = QLocale()
    return f"{locale.toString(moment.date(), QLocale.FormatType.ShortFormat)} {moment.strftime('%H:%M:%S')}"

LIST_DAYS = 31  # the dialog lists the sessions of the last month; `callshield report` reaches older ones
SESSION_COLUMNS = (QT_TRANSLATE_NOOP("SessionsDialog", "Started (UTC)"), QT_TRANSLATE_NOOP("SessionsDialog", "Operator"),
                   QT_TRANSLATE_NOOP("SessionsDialog", "Call"), QT_TRANSLATE_NOOP("SessionsDialog", "Warnings"),
                   QT_TRANSLATE_NOOP("SessionsDialog", "Verified"), QT_TRANSLATE_NOOP("SessionsDialog", "Status"))


class CallCentreBar(QWidget):
    """Operator (from Settings or --operator), the call reference for the next call, and "Sessions…"."""

    call_ref_changed = Signal(str)
    sessions_requested = Signal()

    def __init__(self, operator: str, call_ref: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.operator = QLabel()
        self.set_operator(operator)
        self.call_ref = QLineEdit(call_ref)
        self.call_ref.setPlaceholderText(self.tr("call reference (ticket, case no.)"))
        self.call_ref.setToolTip(self.tr("Written into the next session's log and report; set it before pressing Start."))
        self.call_ref.setAccessibleName(self.tr("Call reference"))
        self.call_ref.textChanged.connect(self.call_ref_changed)
        sessions = QPushButton(self.tr("Sessions…"))
        sessions.setAccessibleName(self.tr("Sessions and call reports"))
        sessions.clicked.connect(self.sessions_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 0, 4, 0)
        row.addWidget(self.operator)
        row.addWidget(self.call_ref, 1)
        row.addWidget(sessions)

    def set_operator(self, operator: str) -> None:
        self.operator.setText(self.tr("Operator: {name}").format(name=operator) if operator
                              else self.tr("Operator: (set in Settings)"))


class SessionsDialog(QDialog):
    """Every session in the log folder, newest first; a finished one gets an HTML and PDF report on request."""

    def __init__(self, folder: Path, reports: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("CallShield sessions"))
        self.resize(760, 420)
        self.folder, self.reports = folder, reports or folder.parent / "reports"
        self.sessions: list[SessionRecord] = []
        self.table = QTableWidget(0, len(SESSION_COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in SESSION_COLUMNS])
        self.table.setAccessibleName(self.tr("Sessions"))
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.report_button = QPushButton(self.tr("Write report (HTML and PDF)"))
        self.report_button.setAccessibleName(self.report_button.text())
        self.report_button.setEnabled(False)
        self.report_button.clicked.connect(self.write_report)
        self.open_button = QPushButton(self.tr("Open reports folder"))
        self.open_button.setAccessibleName(self.open_button.text())
        self.open_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.reports))))
        self.message = QLabel(self.tr("Sessions of the last {days} days in {folder}").format(days=LIST_DAYS, folder=folder))
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.report_button)
        row.addWidget(self.open_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        # Newest first, by where each session begins in the log (ids made in the same second do not sort by time).
        since = datetime.now(UTC).date() - timedelta(days=LIST_DAYS - 1)
        self.sessions = sorted(load_sessions(self.folder, since, verify=False).values(), reverse=True,
                               key=lambda s: (s.events[0].get("_file", ""), s.events[0].get("seq", 0)))
        self.table.setRowCount(len(self.sessions))
        for row, s in enumerate(self.sessions):
            start = _local_time_text(s.start_time) if s.start_time else "—"
            status = self.tr("finished") if s.finished else self.tr("running or not stopped")  # the report checks the chain
            cells = (start, s.started.get("operator") or "—", s.started.get("call_ref") or "—", str(s.count("alert")),
                     str(s.count("acknowledged")), status)
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))

    def selected(self) -> SessionRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.sessions[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        session = self.selected()
        self.report_button.setEnabled(session is not None and session.finished)

    def write_report(self) -> list[Path]:
        """Writes the selected session's report; returns the files (none if nothing is selected)."""
        session = self.selected()
        if session is None:
            return []
        from app.audit.report_pdf import write_pdf  # QtGui's PDF writer: loaded only when a report is asked for

        paths = [write_html(session, self.reports), write_pdf(session, self.reports)]
        self.message.setText(self.tr("Report written: {files}").format(files=" · ".join(str(p) for p in paths)))
        return paths


class CallCentreSettingsGroup(QGroupBox):
    """The "Call centre" group of the settings dialog: operator, log, evidence frames, SIEM forwarding."""

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Call centre"), parent)
        self.operator = QLineEdit(settings.operator)
        self.operator.setPlaceholderText(self.tr("your name or agent ID (written into every session)"))
        self.retention = QSpinBox()
        self.retention.setRange(MIN_RETENTION_DAYS, MAX_RETENTION_DAYS)
        self.retention.setValue(settings.retention_days)
        self.retention.setSuffix(self.tr(" days"))
        self.log_folder = QLineEdit(settings.log_folder)
        self.log_folder.setPlaceholderText(str(default_log_folder()))
        self.log_folder.setToolTip(self.tr("Takes effect at the next start, as does the retention."))
        self.evidence = QCheckBox(self.tr("Keep the alerting faces' crops (PNG) as evidence beside the log"))
        self.evidence.setChecked(settings.evidence_frames)
        self.syslog = QCheckBox(self.tr("Forward events to a SIEM by syslog (RFC 5424); off: no network connection at all"))
        self.syslog.setChecked(settings.syslog_enabled)
        self.syslog_host = QLineEdit(settings.syslog_host)
        self.syslog_host.setPlaceholderText(self.tr("host name or address"))
        self.syslog_port = QSpinBox()
        self.syslog_port.setRange(1, 65535)
        self.syslog_port.setValue(settings.syslog_port)
        self.syslog_protocol = QComboBox()
        self.syslog_protocol.addItems([p.upper() for p in SYSLOG_PROTOCOLS])
        self.syslog_protocol.setCurrentIndex(SYSLOG_PROTOCOLS.index(settings.syslog_protocol))
        self.json_file = QCheckBox(self.tr("Also append events to a JSON file for a Splunk or Elastic agent to tail"))
        self.json_file.setChecked(settings.json_file_enabled)
        self.json_path = QLineEdit(settings.json_file_path)
        self.json_path.setPlaceholderText(self.tr("default: siem-events.jsonl in the log folder"))
        target = QHBoxLayout()
        target.addWidget(self.syslog_host, 1)
        target.addWidget(self.syslog_port)
        target.addWidget(self.syslog_protocol)
        form = QFormLayout(self)
        form.addRow(self.tr("Operator"), self.operator)
        form.addRow(self.tr("Keep the event log for"), self.retention)
        form.addRow(self.tr("Event log folder"), self.log_folder)
        form.addRow("", self.evidence)
        form.addRow("", self.syslog)
        form.addRow(self.tr("Syslog server"), target)
        form.addRow("", self.json_file)
        form.addRow(self.tr("JSON file"), self.json_path)
        self._name_controls()

    def _name_controls(self) -> None:
        """Accessible names: what a screen reader says on reaching each control."""
        names = {self.operator: self.tr("Operator"), self.retention: self.tr("Keep the event log for"),
                 self.log_folder: self.tr("Event log folder"), self.syslog_host: self.tr("Syslog server"),
                 self.syslog_port: self.tr("Syslog port"), self.syslog_protocol: self.tr("Syslog protocol"),
                 self.json_path: self.tr("JSON file")}
        for control, name in names.items():
            control.setAccessibleName(name)
        for box in (self.evidence, self.syslog, self.json_file):
            box.setAccessibleName(box.text())

    def apply_to(self, settings: AppSettings) -> AppSettings:
        return replace(settings, operator=self.operator.text().strip(), retention_days=self.retention.value(),
                       log_folder=self.log_folder.text().strip(), evidence_frames=self.evidence.isChecked(),
                       syslog_enabled=self.syslog.isChecked(), syslog_host=self.syslog_host.text().strip(),
                       syslog_port=self.syslog_port.value(),
                       syslog_protocol=SYSLOG_PROTOCOLS[self.syslog_protocol.currentIndex()],
                       json_file_enabled=self.json_file.isChecked(), json_file_path=self.json_path.text().strip())


class CallCentreUi(QObject):
    """Puts call-centre mode into the main window: the bar as a toolbar, the forwarding status, the Sessions dialog."""

    def __init__(self, window: QMainWindow, call_centre: CallCentre) -> None:
        super().__init__(window)
        self.window, self.call_centre = window, call_centre
        self.bar = CallCentreBar(call_centre.identity.operator, call_centre.identity.call_ref)
        self.bar.call_ref_changed.connect(call_centre.set_call_ref)
        self.bar.sessions_requested.connect(self.show_sessions)
        toolbar = window.addToolBar(self.tr("Call centre"))
        toolbar.setObjectName("call-centre")
        toolbar.setMovable(False)
        toolbar.addWidget(self.bar)
        self.forwarding = QLabel()
        self.forwarding.setStyleSheet("QLabel { color: #b00020; }")
        self.forwarding.hide()
        window.statusBar().addWidget(self.forwarding)
        call_centre.problem_changed.connect(self.show_problem)
        self.sessions: SessionsDialog | None = None

    def show_problem(self, problem: str) -> None:
        """A failing forwarder is said in the status line; monitoring and the local log go on regardless."""
        self.forwarding.setText(self.tr("SIEM forwarding failing ({problem}); monitoring and the local log go on").format(
            problem=problem) if problem else "")
        self.forwarding.setToolTip(problem)
        self.forwarding.setVisible(bool(problem))

    def settings_applied(self, settings: AppSettings) -> None:
        self.call_centre.apply_settings(settings)
        self.bar.set_operator(self.call_centre.identity.operator)

    def show_sessions(self) -> SessionsDialog:
        self.sessions = SessionsDialog(self.call_centre.folder, parent=self.window)
        self.sessions.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.sessions.open()
        return self.sessions
