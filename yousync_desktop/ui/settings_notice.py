"""Telling the learner, once, what loading the settings found (settings.SettingsLoadReport).

- The file could not be read (kept aside as settings.json.bad-<time>) or some values went back to
  their defaults: a small dialog after the main window opens, with "Copy details" for what exactly
  was wrong.
- Settings can't be saved (a read-only folder, a file where the folder should be): one line in
  the status bar for the whole session; the app works as usual otherwise.

Setting names are translated in the "settings" context (their titles live in settings_schema).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QWidget

from yousync_desktop.settings import SettingsError, SettingsLoadReport
from yousync_desktop.settings_schema import setting_title
from yousync_desktop.ui.error_dialog import ErrorDialog, show_error
from yousync_desktop.ui.error_texts import describe_error

SETTINGS_CONTEXT = "settings"


class SaveWarning(QLabel):
    """The status bar's one line while settings can't be saved (re-worded on a language change)."""

    def __init__(self, error: SettingsError, parent: QWidget | None = None):
        super().__init__(parent)
        self.error = error
        self.setObjectName("settingsSaveWarning")
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setText("⚠ " + describe_error(self.error))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


def describe_load_problems(report: SettingsLoadReport) -> str:
    """What went wrong reading the file, in the UI language ("" when nothing did)."""
    said = []
    if report.kept_aside is not None:
        said.append(describe_error(SettingsError("settings.kept_aside",
                                                 name=report.kept_aside.name)))
    if report.reset:
        names = ", ".join(QCoreApplication.translate(SETTINGS_CONTEXT, setting_title(name))
                          for name in report.reset)
        said.append(describe_error(SettingsError("settings.reset", names=names)))
    return " ".join(said)


def show_settings_notices(window: QMainWindow,
                          report: SettingsLoadReport) -> ErrorDialog | None:
    """Say what `report` holds (see the module doc); the dialog, when one was opened."""
    if report.cannot_save is not None:
        window.statusBar().addPermanentWidget(SaveWarning(report.cannot_save, window))
    problems = describe_load_problems(report)
    if not problems:
        return None
    return show_error(
        window, QCoreApplication.translate("SettingsNotice", "Settings"),
        QCoreApplication.translate("SettingsNotice", "Not all of your settings could be used."),
        reason=problems, details=report.details(), icon=QMessageBox.Icon.Information)
