"""The welcome, settings and about dialogs."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from app.language import LANGUAGE_NAMES, SYSTEM, resolve_language, translate
from app.monitoring.settings import DEVICE_LABELS, MAX_FPS, MIN_FPS, AppSettings
from app.paths import assets_dir
from app.windows.call_centre import CallCentreSettingsGroup
from detectors.records import EngineInfo

# What app.audit.config's CallCentreSettings.problem() may say (app.audit loads no Qt): translated when shown.
SETTINGS_PROBLEMS = (
    QT_TRANSLATE_NOOP("SettingsDialog", "Syslog forwarding is on but no host is set: enter the SIEM's host name or address."),
)


class WelcomeDialog(QDialog):
    """Shown on first start; `accepted` leads to picking the region, `demo_requested` to the demo."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Welcome to CallShield"))
        self.wants_demo = False
        text = QLabel(self.welcome_html())
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setMinimumWidth(text.fontMetrics().averageCharWidth() * 60)
        text.setAccessibleName(self.tr("What CallShield does and cannot do"))
        buttons = QDialogButtonBox()
        pick = buttons.addButton(self.tr("Pick the caller's video…"), QDialogButtonBox.ButtonRole.AcceptRole)
        demo = buttons.addButton(self.tr("Try the demo"), QDialogButtonBox.ButtonRole.ActionRole)
        later = buttons.addButton(self.tr("Later"), QDialogButtonBox.ButtonRole.RejectRole)
        for b in (pick, demo, later):
            b.setAccessibleName(b.text())
        pick.setDefault(True)
        pick.setFocus()
        demo.clicked.connect(self._demo)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)

    def welcome_html(self) -> str:
        return "".join((
            "<h2>", self.tr("CallShield watches your caller's video for AI face swaps"), "</h2><p>",
            self.tr("Criminals use real-time face-swap software to appear on video calls as someone you trust — a "
                    "relative, your boss, your bank. CallShield looks at the part of your screen where the caller's "
                    "video is shown, on this computer only (no video leaves it), and warns you when the face may be "
                    "swapped."),
            "</p><p><b>", self.tr("What it cannot do:"), "</b> ",
            self.tr("it cannot prove that someone is real or who they say they are. It can miss a face swap, and a "
                    "caller can be a fraud without one: a quiet CallShield is not a guarantee."),
            "</p><p><b>", self.tr("If you see the warning:"), "</b> ",
            self.tr("do not send money or share codes. End the call and call back on a number you already know — "
                    "not one given in the call."),
            "</p><p>", self.tr("Next, drag a rectangle around the caller's video (or use the arrow keys and Enter). You "
                               "can pick it again at any time with Ctrl+R."), "</p>",
        ))

    def _demo(self) -> None:
        self.wants_demo = True
        self.accept()


class SettingsDialog(QDialog):
    """Edits `AppSettings`; `result_settings()` returns the edited copy."""

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("CallShield settings"))
        self._original = settings
        form = QFormLayout()
        self._build_engine_rows(form, settings)
        self._build_display_rows(form, settings)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.call_centre = CallCentreSettingsGroup(settings)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.call_centre)
        layout.addWidget(buttons)

    def _build_engine_rows(self, form: QFormLayout, settings: AppSettings) -> None:
        self.sensitivity = QSlider(Qt.Orientation.Horizontal)
        self.sensitivity.setRange(-10, 10)
        self.sensitivity.setValue(round(settings.sensitivity * 10))
        self.sensitivity.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.sensitivity.setTickInterval(5)
        self.sensitivity.setAccessibleName(self.tr("Sensitivity: left for fewer warnings, right for more"))
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("fewer warnings")))
        row.addWidget(self.sensitivity, 1)
        row.addWidget(QLabel(self.tr("more warnings")))
        sens = QWidget()
        sens.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        self.max_fps = QDoubleSpinBox()
        self.max_fps.setRange(MIN_FPS, MAX_FPS)
        self.max_fps.setDecimals(0)
        self.max_fps.setSuffix(self.tr(" frames/s"))
        self.max_fps.setValue(settings.max_fps)
        self.max_fps.setToolTip(self.tr("Lower leaves more of the computer to the call itself; 10 is enough to catch a "
                                        "swap."))
        self.max_fps.setAccessibleName(self.tr("Maximum analysis rate"))
        self.device = QComboBox()
        for key, label in DEVICE_LABELS.items():
            self.device.addItem(self.tr(label), key)
        self.device.setCurrentIndex(list(DEVICE_LABELS).index(settings.device))
        self.device.setAccessibleName(self.tr("Run the detector on"))
        form.addRow(self.tr("Sensitivity"), sens)
        form.addRow(self.tr("Maximum analysis rate"), self.max_fps)
        form.addRow(self.tr("Run the detector on"), self.device)

    def _build_display_rows(self, form: QFormLayout, settings: AppSettings) -> None:
        """Language, text size, sound and start-up: how CallShield speaks to the user."""
        self.language = QComboBox()
        system_name = LANGUAGE_NAMES[resolve_language(SYSTEM)]
        self.language.addItem(self.tr("Same as the computer ({language})").format(language=system_name), SYSTEM)
        for key, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, key)  # each language in its own words
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.language.setToolTip(self.tr("Takes effect the next time CallShield starts."))
        self.language.setAccessibleName(self.tr("Language"))
        self.large_text = QCheckBox(self.tr("Large text (on top of the computer's own text size)"))
        self.large_text.setChecked(settings.large_text)
        self.sound = QCheckBox(self.tr("Sound an alarm while a warning stands (for when you look away from the screen)"))
        self.sound.setChecked(settings.sound)
        self.start_minimised = QCheckBox(self.tr("Start minimised (to the tray where there is one)"))
        self.start_minimised.setChecked(settings.start_minimised)
        for box in (self.large_text, self.sound, self.start_minimised):
            box.setAccessibleName(box.text())
        form.addRow(self.tr("Language"), self.language)
        form.addRow("", self.large_text)
        form.addRow("", self.sound)
        form.addRow("", self.start_minimised)

    def accept(self) -> None:
        if problem := self.result_settings().call_centre().problem():
            QMessageBox.warning(self, self.tr("CallShield settings"), self.tr(problem))
            return
        super().accept()

    def result_settings(self) -> AppSettings:
        return self.call_centre.apply_to(replace(
            self._original,
            sensitivity=self.sensitivity.value() / 10,
            max_fps=float(self.max_fps.value()),
            device=str(self.device.currentData()),
            sound=self.sound.isChecked(),
            start_minimised=self.start_minimised.isChecked(),
            language=str(self.language.currentData()),
            large_text=self.large_text.isChecked(),
        ))


def about_box(parent: QWidget | None, engine: EngineInfo | None) -> QMessageBox:
    """About box: what the app is, the model in use, and the demo clips' attribution."""
    attribution = assets_dir() / "demo" / "ATTRIBUTION.md"
    try:
        credits = attribution.read_text(encoding="utf-8")
    except OSError:
        credits = translate("AboutBox", "({path} is missing)").format(path=attribution)
    box = QMessageBox(parent)
    box.setWindowTitle(translate("AboutBox", "About CallShield"))
    box.setTextFormat(Qt.TextFormat.MarkdownText)
    model = engine.model if engine else translate("AboutBox", "not loaded")
    box.setText("\n\n".join((
        translate("AboutBox", "**CallShield** warns when a video caller's face may be a real-time AI face swap. It "
                  "runs on this computer only; no video leaves it."),
        translate("AboutBox", "Detector model: {model} · device: {device}").format(
            model=model, device=engine.device if engine else "—"),
        translate("AboutBox", "It cannot prove that a caller is real: on a warning, end the call and call back on a "
                  "number you already know."),
    )))
    box.setDetailedText(credits)
    box.setInformativeText(translate("AboutBox", "Demo clip credits: see “Show Details…”."))
    return box


def show_about(parent: QWidget | None, engine: EngineInfo | None) -> None:
    about_box(parent, engine).exec()

