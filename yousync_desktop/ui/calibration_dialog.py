"""The latency calibration wizard: what it does, a button to run it, and the result in words.

`run(acoustic)` does the measurement (on the practice window's running stream, or on freshly
opened devices) and returns a CalibrationResult; it runs as a background task."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget,
)

from yousync_desktop.tasks import TaskManager
from yousync_desktop.ui.error_texts import describe_error


class CalibrationDialog(QDialog):
    def __init__(self, run: Callable[[bool], object], tasks: TaskManager,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._run = run
        self._tasks = tasks
        self.result = None
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.acoustic_box = QCheckBox(self)
        self.start_button = QPushButton(self)
        self.start_button.clicked.connect(self.start)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        self.result_label.setObjectName("calibrationResult")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.intro, self.acoustic_box, self.start_button, self.progress,
                       self.result_label):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.retranslate_ui()

    def start(self) -> None:
        self.start_button.setEnabled(False)
        self.progress.show()
        self.result_label.setText(self.tr("Measuring… keep quiet for a few seconds."))
        acoustic = self.acoustic_box.isChecked()
        self._tasks.run(lambda _task: self._run(acoustic), on_success=self._finished,
                        on_failure=self._failed, owner=self, label="calibrate latency")

    def _finished(self, result) -> None:
        self.result = result
        self.start_button.setEnabled(True)
        self.progress.hide()
        lines = [self.tr("Round trip: {ms:.1f} ms (spread {spread:.2f} ms, confidence {conf:.2f})")
                 .format(ms=result.latency_ms, spread=result.spread_ms, conf=result.confidence)]
        lines += list(result.warnings)
        lines.append(self.tr("Saved: takes are corrected by this delay.") if result.stable
                     else self.tr("Not saved: the measurement was not reliable. Try again."))
        self.result_label.setText("\n".join(lines))

    def _failed(self, error: BaseException) -> None:
        self.start_button.setEnabled(True)
        self.progress.hide()
        self.result_label.setText(self.tr("Calibration failed: {reason}").format(
            reason=describe_error(error)))

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Latency calibration"))
        self.intro.setText(self.tr(
            "YouSync plays a few short sweeps and listens for them, to measure how long sound "
            "takes from the speakers back to the microphone. Takes are then cut to match what "
            "you heard. Turn the volume up and keep the room quiet."))
        self.acoustic_box.setText(self.tr("Speakers and microphone (not a loopback cable)"))
        self.start_button.setText(self.tr("Start calibration"))
        self.start_button.setAccessibleName(self.tr("Start calibration"))
        self.progress.setAccessibleName(self.tr("Calibration in progress"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
