"""The welcome, settings and about dialogs."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
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

from app.monitoring.settings import DEVICE_LABELS, MAX_FPS, MIN_FPS, AppSettings
from app.paths import assets_dir
from detectors.records import EngineInfo

WELCOME_HTML = """
<h2>CallShield watches your caller's video for AI face swaps</h2>
<p>Criminals use real-time face-swap software to appear on video calls as someone you trust —
a relative, your boss, your bank. CallShield looks at the part of your screen where the caller's
video is shown, on this computer only (no video leaves it), and warns you when the face looks swapped.</p>
<p><b>What it cannot do:</b> it cannot prove that someone is real or who they say they are.
A caller can be a fraud without a face swap, and a quiet CallShield is not a guarantee.</p>
<p><b>If you see the red warning:</b> do not send money or share codes. End the call and call back on a
number you already know — not one given in the call.</p>
<p>Next, drag a rectangle around the caller's video. You can pick it again at any time.</p>
"""


class WelcomeDialog(QDialog):
    """Shown on first start; `accepted` leads to picking the region, `demo_requested` to the demo."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to CallShield")
        self.wants_demo = False
        text = QLabel(WELCOME_HTML)
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setMinimumWidth(480)
        buttons = QDialogButtonBox()
        pick = buttons.addButton("Pick the caller's video…", QDialogButtonBox.ButtonRole.AcceptRole)
        demo = buttons.addButton("Try the demo", QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("Later", QDialogButtonBox.ButtonRole.RejectRole)
        pick.setDefault(True)
        demo.clicked.connect(self._demo)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)

    def _demo(self) -> None:
        self.wants_demo = True
        self.accept()


class SettingsDialog(QDialog):
    """Edits `AppSettings`; `result_settings()` returns the edited copy."""

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("CallShield settings")
        self._original = settings
        self.sensitivity = QSlider(Qt.Orientation.Horizontal)
        self.sensitivity.setRange(-10, 10)
        self.sensitivity.setValue(round(settings.sensitivity * 10))
        self.sensitivity.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.sensitivity.setTickInterval(5)
        row = QHBoxLayout()
        row.addWidget(QLabel("fewer warnings"))
        row.addWidget(self.sensitivity, 1)
        row.addWidget(QLabel("more warnings"))
        sens = QWidget()
        sens.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        self.max_fps = QDoubleSpinBox()
        self.max_fps.setRange(MIN_FPS, MAX_FPS)
        self.max_fps.setDecimals(0)
        self.max_fps.setSuffix(" frames/s")
        self.max_fps.setValue(settings.max_fps)
        self.max_fps.setToolTip("Lower leaves more of the computer to the call itself; 10 is enough to catch a swap.")
        self.device = QComboBox()
        for key, label in DEVICE_LABELS.items():
            self.device.addItem(label, key)
        self.device.setCurrentIndex(list(DEVICE_LABELS).index(settings.device))
        self.sound = QCheckBox("Beep when a warning appears")
        self.sound.setChecked(settings.sound)
        self.start_minimised = QCheckBox("Start minimised (to the tray where there is one)")
        self.start_minimised.setChecked(settings.start_minimised)
        form = QFormLayout()
        form.addRow("Sensitivity", sens)
        form.addRow("Maximum analysis rate", self.max_fps)
        form.addRow("Run the detector on", self.device)
        form.addRow("", self.sound)
        form.addRow("", self.start_minimised)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def result_settings(self) -> AppSettings:
        return replace(
            self._original,
            sensitivity=self.sensitivity.value() / 10,
            max_fps=float(self.max_fps.value()),
            device=str(self.device.currentData()),
            sound=self.sound.isChecked(),
            start_minimised=self.start_minimised.isChecked(),
        )


def show_about(parent: QWidget | None, engine: EngineInfo | None) -> None:
    """About box: what the app is, the model in use, and the demo clips' attribution."""
    attribution = assets_dir() / "demo" / "ATTRIBUTION.md"
    try:
        credits = attribution.read_text(encoding="utf-8")
    except OSError:
        credits = f"({attribution} is missing)"
    model = engine.model if engine else "not loaded"
    box = QMessageBox(parent)
    box.setWindowTitle("About CallShield")
    box.setTextFormat(Qt.TextFormat.MarkdownText)
    box.setText(
        "**CallShield** warns when a video caller's face is a real-time AI face swap. "
        "It runs on this computer only; no video leaves it.\n\n"
        f"Detector model: {model} · device: {engine.device if engine else '—'}\n\n"
        "It cannot prove that a caller is real: on a warning, end the call and call back on a number "
        "you already know."
    )
    box.setDetailedText(credits)
    box.setInformativeText("Demo clip credits: see “Show Details…”.")
    box.exec()
