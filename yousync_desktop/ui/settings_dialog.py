"""Preferences: language; microphone and speakers with the latency calibration wizard; the practice
screen's count-in, pre/post-roll and pitch display. The main window applies and saves what is
chosen (`apply_to(settings)` inside `SettingsStore.edit()`, which checks the result against the
schema); the device list is read in the background when the dialog opens. Ranges and choices come
from the schema (settings_schema.py), so a limit is written in one place."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QLabel, QPushButton, QSpinBox,
    QVBoxLayout, QWidget,
)

from yousync_desktop.settings_schema import setting_bounds, setting_choices
from yousync_desktop.tasks import TaskManager
from yousync_desktop.ui.error_texts import describe_error


class SettingsDialog(QDialog):
    # Language names are written in their own language so a learner finds theirs whatever the UI
    # currently speaks; only "System" is translated.
    _LANGUAGE_NAMES = {"en": "English", "ko": "한국어"}

    def __init__(self, settings, parent: QWidget | None = None, *,
                 tasks: TaskManager | None = None,
                 list_devices: Callable[[], list] | None = None,
                 open_calibration: Callable[[], None] | None = None):
        super().__init__(parent)
        self._settings = settings
        self._open_calibration = open_calibration
        self.language_box = QComboBox(self)
        for code in setting_choices("language"):
            self.language_box.addItem(self._LANGUAGE_NAMES.get(code, ""), code)
        self.language_box.setCurrentIndex(max(0, self.language_box.findData(settings.language)))
        self.language_label = QLabel(self)
        self.language_label.setBuddy(self.language_box)

        self.input_box, self.output_box = QComboBox(self), QComboBox(self)
        for box, key in ((self.input_box, settings.audio_input_device),
                         (self.output_box, settings.audio_output_device)):
            box.addItem("", "")  # the system default, named in retranslate_ui
            if key:
                box.addItem(key, key)  # until the list arrives: keep the saved choice
            box.setCurrentIndex(box.count() - 1)
            box.setMinimumWidth(320)
        self.input_label, self.output_label = QLabel(self), QLabel(self)
        self.input_label.setBuddy(self.input_box)
        self.output_label.setBuddy(self.output_box)
        self.devices_note = QLabel(self)
        self.devices_note.setWordWrap(True)
        self.calibrate_button = QPushButton(self)
        self.calibrate_button.clicked.connect(self._calibrate)
        self.calibrate_button.setEnabled(open_calibration is not None)

        self.count_in_box = self._spin("practice_count_in_beats", 1, settings)
        self.pre_roll_box = self._spin("take_pre_roll_ms", 100, settings, " ms")
        self.post_roll_box = self._spin("take_post_roll_ms", 100, settings, " ms")
        self.units_box = QComboBox(self)
        for units in setting_choices("practice_pitch_units"):
            self.units_box.addItem("", units)  # named in retranslate_ui
        self.units_box.setCurrentIndex(max(0, self.units_box.findData(
            settings.practice_pitch_units)))
        self.count_in_label, self.pre_roll_label, self.post_roll_label, self.units_label = (
            QLabel(self) for _ in range(4))
        for label, box in ((self.count_in_label, self.count_in_box),
                           (self.pre_roll_label, self.pre_roll_box),
                           (self.post_roll_label, self.post_roll_box),
                           (self.units_label, self.units_box)):
            label.setBuddy(box)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        self.general_group, self.audio_group, self.practice_group = (QGroupBox(self)
                                                                     for _ in range(3))
        general = QFormLayout(self.general_group)
        general.addRow(self.language_label, self.language_box)
        audio = QFormLayout(self.audio_group)
        audio.addRow(self.input_label, self.input_box)
        audio.addRow(self.output_label, self.output_box)
        audio.addRow(self.devices_note)
        audio.addRow(self.calibrate_button)
        practice = QFormLayout(self.practice_group)
        practice.addRow(self.count_in_label, self.count_in_box)
        practice.addRow(self.pre_roll_label, self.pre_roll_box)
        practice.addRow(self.post_roll_label, self.post_roll_box)
        practice.addRow(self.units_label, self.units_box)
        layout = QVBoxLayout(self)
        for group in (self.general_group, self.audio_group, self.practice_group):
            layout.addWidget(group)
        layout.addWidget(self.buttons)
        self.retranslate_ui()
        if list_devices is not None and tasks is not None:
            tasks.run(lambda _task: list_devices(), on_success=self.show_devices,
                      on_failure=lambda error: self.devices_note.setText(describe_error(error)),
                      owner=self, label="list audio devices")

    def _spin(self, name: str, step: int, settings, suffix: str = "") -> QSpinBox:
        box = QSpinBox(self)
        box.setRange(*setting_bounds(name))
        box.setSingleStep(step)
        box.setValue(getattr(settings, name))
        box.setSuffix(suffix)
        return box

    def show_devices(self, devices: list) -> None:
        """Fill the device boxes (`audio.devices.AudioDevice` objects), keeping the choice."""
        for box, for_input in ((self.input_box, True), (self.output_box, False)):
            chosen = box.currentData()
            box.clear()
            box.addItem(self.tr("System default"), "")
            for device in devices:
                if device.key and (device.is_input if for_input else device.is_output):
                    box.addItem(device.label, device.key)
            index = box.findData(chosen)
            if index < 0:  # saved but not connected now: keep it listed, say so
                box.addItem(self.tr("{name} (not connected)").format(name=chosen), chosen)
                index = box.count() - 1
            box.setCurrentIndex(index)

    def _calibrate(self) -> None:
        if self._open_calibration is not None:
            self._open_calibration()

    def selected_language(self) -> str:
        """"system", "en" or "ko"."""
        return self.language_box.currentData()

    def apply_to(self, settings) -> bool:
        """Write the choices into `settings`; True when the audio devices changed."""
        devices_changed = (settings.audio_input_device != self.input_box.currentData()
                           or settings.audio_output_device != self.output_box.currentData())
        settings.audio_input_device = self.input_box.currentData()
        settings.audio_output_device = self.output_box.currentData()
        settings.practice_count_in_beats = self.count_in_box.value()
        settings.take_pre_roll_ms = self.pre_roll_box.value()
        settings.take_post_roll_ms = self.post_roll_box.value()
        settings.practice_pitch_units = self.units_box.currentData()
        return devices_changed

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Preferences"))
        self.general_group.setTitle(self.tr("General"))
        self.audio_group.setTitle(self.tr("Audio"))
        self.practice_group.setTitle(self.tr("Practice"))
        self.language_label.setText(self.tr("&Language:"))
        self.language_box.setItemText(self.language_box.findData("system"),
                                      self.tr("System default"))
        self.language_box.setAccessibleName(self.tr("User interface language"))
        self.input_label.setText(self.tr("&Microphone:"))
        self.output_label.setText(self.tr("Spea&kers:"))
        for box in (self.input_box, self.output_box):
            box.setItemText(0, self.tr("System default"))
        self.input_box.setAccessibleName(self.tr("Microphone"))
        self.output_box.setAccessibleName(self.tr("Speakers"))
        self.devices_note.setText(self.tr("Calibrate again after changing devices."))
        self.calibrate_button.setText(self.tr("&Calibrate latency…"))
        self.count_in_label.setText(self.tr("Count-&in clicks:"))
        self.count_in_box.setAccessibleName(self.tr("Count-in clicks before each take"))
        self.pre_roll_label.setText(self.tr("&Before the line:"))
        self.pre_roll_box.setAccessibleName(self.tr("Recorded before the line starts"))
        self.post_roll_label.setText(self.tr("&After the line:"))
        self.post_roll_box.setAccessibleName(self.tr("Recorded after the line ends"))
        self.units_label.setText(self.tr("&Pitch display:"))
        self.units_box.setItemText(self.units_box.findData("semitones"),
                                   self.tr("Semitones from your own average"))
        self.units_box.setItemText(self.units_box.findData("hz"), self.tr("Hertz (Hz)"))
        self.units_box.setAccessibleName(self.tr("Pitch display"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
