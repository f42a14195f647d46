"""The practice window's audio: opening it (at first, on "Try again", after a device switch) as a
background task, the banner that says why there is none, the latency shown in the status row, and
the calibration wizard on the running stream.

Its state is the screen's audio state (practice/screen_state.py): STARTING → READY, or FAILED
with a banner and a "Try again" button; a device lost while READY makes it FAILED as well.
Texts are in the PracticeWindow translation context, where they have always been.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from yousync_desktop.practice import PracticeSession
from yousync_desktop.practice.screen_state import FAILED, READY, STARTING
from yousync_desktop.tasks import TaskManager
from yousync_desktop.ui.error_texts import describe_error


class AudioController(QObject):
    state_changed = Signal(str)   # STARTING, READY or FAILED

    def __init__(self, session: PracticeSession, tasks: TaskManager, banner: QLabel,
                 retry_button: QPushButton, latency_label: QLabel, parent: QWidget):
        super().__init__(parent)
        self._session = session
        self._tasks = tasks
        self._banner = banner
        self._retry_button = retry_button
        self._latency_label = latency_label
        self.state = STARTING
        self.calibration_dialog = None
        retry_button.clicked.connect(self.start)

    def start(self) -> None:
        """Decode the scene's tracks and open the devices, off the GUI thread."""
        self._open(self._session.start_audio,
                   QCoreApplication.translate("PracticeWindow", "Starting the audio…"))

    def switch_devices(self) -> None:
        """Open the devices the settings name now."""
        self._open(self._session.restart_audio,
                   QCoreApplication.translate("PracticeWindow", "Switching audio devices…"))

    def _open(self, work: Callable[[], object], banner: str) -> None:
        self._set_state(STARTING, banner, retry=False)
        self._tasks.run(lambda _task: work(), on_success=lambda _result: self._started(),
                        on_failure=self.failed, owner=self, label="start audio")

    def _started(self) -> None:
        self.show_latency()
        self._set_state(READY, "", retry=False)

    def failed(self, error: BaseException | str) -> None:
        """The audio could not be opened, or a device was lost. A take in progress is finished by
        the engine with what was captured, and still shows up once it is saved."""
        reason = describe_error(error)
        self._set_state(FAILED, QCoreApplication.translate(
            "PracticeWindow", "No audio: {reason}").format(reason=reason), retry=True)

    def _set_state(self, state: str, banner: str, *, retry: bool) -> None:
        self.state = state
        self._banner.setText(banner)
        self._banner.setVisible(bool(banner))
        self._retry_button.setVisible(retry)
        self.state_changed.emit(state)

    def show_latency(self) -> None:
        latency = self._session.latency
        if latency.source == "none":
            text = QCoreApplication.translate("PracticeWindow", "Latency not calibrated")
        else:
            text = QCoreApplication.translate("PracticeWindow", "Latency {ms:.0f} ms").format(
                ms=latency.ms)
        self._latency_label.setText(text)

    def calibrate(self, parent: QWidget) -> None:
        """The calibration wizard, measuring on this window's running stream (call it only when
        the screen is idle: nothing else may play while it measures)."""
        from yousync_desktop.ui.calibration_dialog import CalibrationDialog

        self._session.playback.stop()
        dialog = CalibrationDialog(lambda acoustic: self._session.calibrate(acoustic=acoustic),
                                   self._tasks, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _code: self.show_latency())
        self.calibration_dialog = dialog
        dialog.open()

    def retranslate(self) -> None:
        if self.state == READY:
            self.show_latency()
