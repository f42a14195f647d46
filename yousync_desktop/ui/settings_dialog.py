"""Preferences: for now the UI language. The main window applies and saves what is chosen."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget


class SettingsDialog(QDialog):
    # Language names are written in their own language so a learner finds theirs whatever the UI
    # currently speaks; only "System" is translated.
    _LANGUAGE_NAMES = {"en": "English", "ko": "한국어"}

    def __init__(self, language: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.language_box = QComboBox(self)
        self.language_box.addItem("", "system")
        for code, name in self._LANGUAGE_NAMES.items():
            self.language_box.addItem(name, code)
        self.language_box.setCurrentIndex(max(0, self.language_box.findData(language)))

        self.language_label = QLabel(self)
        self.language_label.setBuddy(self.language_box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout(self)
        form.addRow(self.language_label, self.language_box)
        form.addRow(self.buttons)
        self.retranslate_ui()

    def selected_language(self) -> str:
        """"system", "en" or "ko"."""
        return self.language_box.currentData()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Preferences"))
        self.language_label.setText(self.tr("&Language:"))
        self.language_box.setItemText(0, self.tr("System default"))
        self.language_box.setAccessibleName(self.tr("User interface language"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
