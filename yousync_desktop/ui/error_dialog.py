"""The app's error dialog: what failed and why in one line each, in the learner's language, and a
"Copy details" button that puts the technical detail (the exception's type and text, its traceback
when it has one, and where the log file is) on the clipboard for a bug report. The detail is never
shown in the window itself.

`show_error(parent, title, text, error)` opens one window-modal (open(), not exec(): whatever
failed has already finished, nothing waits for the answer) and returns it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from yousync_desktop.logs import technical_details
from yousync_desktop.ui.error_texts import describe_error


class ErrorDialog(QMessageBox):
    """A QMessageBox (so it looks like every other warning) whose extra button copies instead of
    closing. `details` overrides the text copied (default: `technical_details(error)`)."""

    def __init__(self, parent: QWidget | None, title: str, text: str,
                 error: BaseException | None = None, *, reason: str | None = None,
                 details: str | None = None, icon: QMessageBox.Icon = QMessageBox.Icon.Warning):
        super().__init__(icon, title, text, QMessageBox.StandardButton.Ok, parent)
        self.error = error
        if reason is None and error is not None:
            reason = describe_error(error)
        if reason:
            self.setInformativeText(reason)
        self.details = details if details is not None else technical_details(
            error, context=f"{title}: {text}")
        self.copy_button = QPushButton(self.tr("Copy details"), self)
        self.addButton(self.copy_button, QMessageBox.ButtonRole.ActionRole)
        # With a second button Qt no longer knows which one Esc means: OK, as before.
        self.setEscapeButton(self.button(QMessageBox.StandardButton.Ok))
        self.buttonClicked.connect(self._on_button)
        self._copy_clicked = False
        self.retranslate_ui()

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
        self.copy_button.setText(self.tr("Details copied"))

    def _on_button(self, button) -> None:
        if button is self.copy_button:
            self._copy_clicked = True
            self.copy_details()

    def done(self, result: int) -> None:
        # QMessageBox closes on every button; the copy button must leave it open.
        if self._copy_clicked:
            self._copy_clicked = False
            return
        super().done(result)

    def retranslate_ui(self) -> None:
        self.copy_button.setText(self.tr("Copy details"))
        self.copy_button.setToolTip(self.tr(
            "Copy the technical details (for a bug report) to the clipboard"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


def show_error(parent: QWidget | None, title: str, text: str,
               error: BaseException | None = None, **options) -> ErrorDialog:
    """Open an ErrorDialog window-modal; it deletes itself when closed."""
    box = ErrorDialog(parent, title, text, error, **options)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
