"""The one screen shown when the library does not open, and its two companions.

`StartupProblemDialog` says what happened (the LibraryOpenError in the learner's language), what
it means for their scenes and takes, and offers what `library/recovery.py` found possible — one
button each, the most helpful first. `WriterWaitDialog` is shown while another program holds a
write transaction on the library (the open waits, saying for whom, with a Quit button).
`recovery_report` words what a restore or a rebuild did, for the message shown once the main
window is up. `ReadOnlyBadge` sits in the main window's status bar while the library is open
read-only.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QLocale, Qt
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QStyle, QVBoxLayout, QWidget,
)

from yousync_desktop.library.open_errors import LibraryOpenError
from yousync_desktop.library.recovery import RecoveryOutcome, StartupAction, StartupProblem
from yousync_desktop.ui.error_texts import describe_error

CONTEXT = "StartupProblemDialog"

# What each situation means for the learner's scenes and takes (by LibraryOpenError code).
_MEANING = {
    ("library.in_use", "library.in_use_by_command"): QT_TRANSLATE_NOOP(
        "StartupProblemDialog",
        "Only one YouSync window can change a library at a time. Switch to the other window, or "
        "open the library here read-only to look at your scenes and takes."),
    ("library.locked", "library.locked_by"): QT_TRANSLATE_NOOP(
        "StartupProblemDialog",
        "When the other program has finished, try again. Meanwhile the library can be opened "
        "read-only."),
    ("library.damaged", "library.not_a_library", "library.database_is_folder"): QT_TRANSLATE_NOOP(
        "StartupProblemDialog",
        "Your scenes and takes are files beside the library and are not affected. Whatever you "
        "choose, the current library file is kept aside, renamed with today's date, never "
        "deleted."),
    ("library.read_only_folder", "library.read_only_file"): QT_TRANSLATE_NOOP(
        "StartupProblemDialog",
        "YouSync needs to save your takes there. Make it writable (or reconnect the drive) and "
        "try again, or open the library read-only."),
    ("library.newer_version",): QT_TRANSLATE_NOOP(
        "StartupProblemDialog",
        "Your library is safe: this version never changes a library saved by a newer one. You "
        "can look at it read-only."),
    ("library.missing_database", "library.empty_database"): QT_TRANSLATE_NOOP(
        "StartupProblemDialog",
        "Your scenes and takes are still on disk, and the library can be rebuilt from them "
        "(scores and ★ marks are not kept with the files). A restored backup is completed from "
        "them too."),
    ("library.migration_failed",): QT_TRANSLATE_NOOP(
        "StartupProblemDialog",
        "Your library was not changed. Restore the backup, open it read-only, or start a new "
        "library from your scenes and takes on disk."),
    ("library.backup_failed",): QT_TRANSLATE_NOOP(
        "StartupProblemDialog",
        "Nothing was changed. Free some space on the disk and start YouSync again, or open the "
        "library read-only."),
}
_OTHERWISE = QT_TRANSLATE_NOOP(
    "StartupProblemDialog",
    "Check that the drive holding the library is connected, then try again.")


class Text:
    """Every other sentence of these screens, marked for lupdate; `translated` gives it in the UI
    language where it is shown."""

    RESTORE = QT_TRANSLATE_NOOP("StartupProblemDialog", "Restore the backup of %1")
    REBUILD = QT_TRANSLATE_NOOP("StartupProblemDialog",
                                "Rebuild the library from the media folders")
    START_FROM_DISK = QT_TRANSLATE_NOOP(
        "StartupProblemDialog",
        "Start a new library from the scenes and takes on disk")
    START_EMPTY = QT_TRANSLATE_NOOP("StartupProblemDialog", "Start a new, empty library")
    SHOW_OTHER = QT_TRANSLATE_NOOP("StartupProblemDialog", "Show the other window")
    READ_ONLY = QT_TRANSLATE_NOOP("StartupProblemDialog", "Open read-only")
    RETRY = QT_TRANSLATE_NOOP("StartupProblemDialog", "Try again")
    QUIT = QT_TRANSLATE_NOOP("StartupProblemDialog", "Quit")
    TITLE = QT_TRANSLATE_NOOP("StartupProblemDialog", "YouSync — the library did not open")
    FAILED = QT_TRANSLATE_NOOP("StartupProblemDialog", "That did not work: %1")
    WAIT_TITLE = QT_TRANSLATE_NOOP("StartupProblemDialog", "YouSync — waiting for the library")
    RESTORED = QT_TRANSLATE_NOOP(
        "StartupProblemDialog",
        "The library was restored from the automatic backup of %1.")
    STARTED = QT_TRANSLATE_NOOP("StartupProblemDialog", "A new library was started.")
    KEPT_AS = QT_TRANSLATE_NOOP("StartupProblemDialog", "The previous library file was kept as %1.")
    PUT_BACK = QT_TRANSLATE_NOOP(
        "StartupProblemDialog",
        "Put back from the media folders: %1 scene(s) and %2 take(s).")
    UNSCORED = QT_TRANSLATE_NOOP(
        "StartupProblemDialog",
        "Takes put back from their files have no score or ★ yet: each is scored again when you "
        "open its scene.")
    NOT_PUT_BACK = QT_TRANSLATE_NOOP(
        "StartupProblemDialog",
        "%1 item(s) could not be put back; their files were left where they are.")
    BADGE = QT_TRANSLATE_NOOP("StartupProblemDialog", "Read-only")
    BADGE_TIP = QT_TRANSLATE_NOOP(
        "StartupProblemDialog",
        "The library is open read-only: nothing you change is saved.")
    WORKING = QT_TRANSLATE_NOOP("StartupProblemDialog", "Putting your library back together…")
    REPORT_TITLE = QT_TRANSLATE_NOOP("StartupProblemDialog", "YouSync — your library")


def translated(text: str) -> str:
    """One of this module's marked sentences in the UI language."""
    return QCoreApplication.translate(CONTEXT, text)


def _explanation(problem: StartupProblem) -> str:
    for codes, text in _MEANING.items():
        if problem.code in codes:
            return translated(text)
    return translated(_OTHERWISE)


def _when(backup) -> str:
    return QLocale().toString(backup.taken_at.astimezone(), QLocale.FormatType.ShortFormat)


def action_label(problem: StartupProblem, action: StartupAction) -> str:
    if action is StartupAction.RESTORE_BACKUP:
        return translated(Text.RESTORE).replace("%1", _when(problem.latest_backup))
    if action is StartupAction.START_NEW:
        if problem.code in ("library.missing_database", "library.empty_database"):
            return translated(Text.REBUILD)
        return translated(Text.START_FROM_DISK if problem.media.scenes else Text.START_EMPTY)
    return translated({StartupAction.SHOW_OTHER_WINDOW: Text.SHOW_OTHER,
                       StartupAction.OPEN_READ_ONLY: Text.READ_ONLY,
                       StartupAction.RETRY: Text.RETRY, StartupAction.QUIT: Text.QUIT}[action])


class StartupProblemDialog(QDialog):
    def __init__(self, problem: StartupProblem, *, failed_attempt: LibraryOpenError | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.problem = problem
        self.choice = StartupAction.QUIT
        self.setObjectName("startupProblemDialog")
        self.setWindowTitle(translated(Text.TITLE))
        icon = QLabel(self)
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(48, 48))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.headline = QLabel(describe_error(problem.error), self)
        self.headline.setObjectName("startupProblemHeadline")
        self.headline.setStyleSheet("font-weight: bold;")
        self.explanation = QLabel(_explanation(problem), self)
        self.failure = QLabel(self)
        if failed_attempt is not None:
            self.failure.setText(translated(Text.FAILED).replace(
                "%1", describe_error(failed_attempt)))
        self.failure.setVisible(failed_attempt is not None)
        for label in (self.headline, self.explanation, self.failure):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text = QVBoxLayout()
        text.addWidget(self.headline)
        text.addWidget(self.explanation)
        text.addWidget(self.failure)
        text.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addLayout(text, 1)
        self.buttons: dict[StartupAction, QPushButton] = {}
        column = QVBoxLayout()
        for action in problem.actions:
            button = QPushButton(action_label(problem, action), self)
            button.setObjectName(f"startup_{action.value}")
            button.clicked.connect(lambda _checked=False, chosen=action: self._choose(chosen))
            column.addWidget(button)
            self.buttons[action] = button
        self.buttons[problem.actions[0]].setDefault(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(8)
        layout.addLayout(column)
        self.setMinimumWidth(520)

    def _choose(self, action: StartupAction) -> None:
        self.choice = action
        if action is StartupAction.QUIT:
            self.reject()
        else:
            self.accept()

    def text(self) -> str:
        """Everything the dialog says, as one string (tests and the log read it)."""
        parts = [self.headline.text(), self.explanation.text()]
        if self.failure.isVisibleTo(self):
            parts.append(self.failure.text())
        return "\n".join(parts + [button.text() for button in self.buttons.values()])

    @classmethod
    def ask(cls, problem: StartupProblem, failed_attempt: LibraryOpenError | None = None,
            parent: QWidget | None = None) -> StartupAction:
        dialog = cls(problem, failed_attempt=failed_attempt, parent=parent)
        dialog.exec()
        return dialog.choice


class WriterWaitDialog(QDialog):
    """Call it with each waiting notice (the library's `on_wait`): it shows itself, says for
    whom the library waits, keeps the screen alive, and returns False once Quit was pressed."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.stopped = False
        self.setObjectName("writerWaitDialog")
        self.setWindowTitle(translated(Text.WAIT_TITLE))
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        bar = QProgressBar(self)
        bar.setRange(0, 0)
        quit_button = QPushButton(translated(Text.QUIT), self)
        quit_button.clicked.connect(self._stop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(bar)
        layout.addWidget(quit_button, 0, Qt.AlignmentFlag.AlignRight)
        self.setMinimumWidth(440)

    def _stop(self) -> None:
        self.stopped = True

    def __call__(self, notice: LibraryOpenError) -> bool:
        self.label.setText(describe_error(notice))
        if not self.isVisible():
            self.show()
        QCoreApplication.processEvents()
        return not self.stopped


def recovery_report(outcome: RecoveryOutcome) -> tuple[str, list[str]]:
    """What a recovery did, in the UI language: a paragraph and the list of what could not be
    put back."""
    lines = []
    if outcome.restored is not None:
        lines.append(translated(Text.RESTORED).replace("%1", _when(outcome.restored)))
    else:
        lines.append(translated(Text.STARTED))
    if outcome.set_aside is not None:
        lines.append(translated(Text.KEPT_AS).replace("%1", str(outcome.set_aside)))
    rebuilt = outcome.rebuilt
    if rebuilt.scenes or rebuilt.takes:
        lines.append(translated(Text.PUT_BACK).replace("%1", str(len(rebuilt.scenes)))
                     .replace("%2", str(rebuilt.takes)))
    if rebuilt.takes:
        lines.append(translated(Text.UNSCORED))
    if rebuilt.problems:
        lines.append(translated(Text.NOT_PUT_BACK).replace("%1", str(len(rebuilt.problems))))
    return " ".join(lines), [describe_error(problem) for problem in rebuilt.problems]


class ReadOnlyBadge(QLabel):
    """"Read-only" in the status bar, in the current language."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("readOnlyBadge")
        self.setStyleSheet("padding: 0 6px; font-weight: bold;")
        self._retranslate()

    def _retranslate(self) -> None:
        self.setText(translated(Text.BADGE))
        self.setToolTip(translated(Text.BADGE_TIP))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
