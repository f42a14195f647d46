"""What can be done when the library does not open, and doing it. No Qt: the start-up screen
(ui/startup_problem_dialog.py) shows a `StartupProblem` and hands back the learner's choice.

`diagnose` looks at the situation a LibraryOpenError names and lists what is possible, most
helpful first: restore the latest automatic backup (and then put back from the media folders the
scenes and takes made after it), start a new library — the old file renamed aside, never deleted —
rebuilt from the scenes and takes on disk, open the library read-only (offered only when a trial
read works), try again (another program may let go), or quit. Nothing is offered that would
write while another process owns the library or when its folder cannot be written.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from yousync_desktop.library import backups
from yousync_desktop.library.backups import Backup
from yousync_desktop.library.locks import take_library_lock
from yousync_desktop.library.open_errors import LibraryOpenError, os_error
from yousync_desktop.library.opening import MediaInventory
from yousync_desktop.library.rebuild import RebuildReport, rebuild_from_media
from yousync_desktop.library.repository import Library
from yousync_desktop.settings import AppPaths

log = logging.getLogger(__name__)


class StartupAction(Enum):
    SHOW_OTHER_WINDOW = "show_other_window"  # offered by the app when the owner answers
    RESTORE_BACKUP = "restore_backup"
    START_NEW = "start_new"
    OPEN_READ_ONLY = "open_read_only"
    RETRY = "retry"
    QUIT = "quit"


# Which situations each action can help with (read-only also needs a trial read to work).
_RESTORABLE = {"library.damaged", "library.not_a_library", "library.database_is_folder",
               "library.missing_database", "library.empty_database", "library.migration_failed"}
_READABLE = {"library.in_use", "library.in_use_by_command", "library.locked", "library.locked_by",
             "library.read_only_folder", "library.read_only_file", "library.newer_version",
             "library.migration_failed", "library.backup_failed", "library.damaged"}
_PASSING = {"library.in_use", "library.in_use_by_command", "library.locked", "library.locked_by",
            "library.read_only_folder", "library.read_only_file", "library.cannot_open"}


@dataclass(frozen=True)
class StartupProblem:
    error: LibraryOpenError
    actions: tuple[StartupAction, ...]   # offered in this order; QUIT is always last
    latest_backup: Backup | None
    media: MediaInventory                # what a new library would be rebuilt from

    @property
    def code(self) -> str:
        return self.error.code


@dataclass
class RecoveryOutcome:
    """What a recovery action did, for the learner."""
    set_aside: Path | None = None        # the old library file, renamed
    restored: Backup | None = None
    rebuilt: RebuildReport = field(default_factory=RebuildReport)


def diagnose(paths: AppPaths, error: LibraryOpenError) -> StartupProblem:
    code = error.code
    latest = backups.latest_backup(paths)
    actions = []
    if code in _RESTORABLE and latest is not None:
        actions.append(StartupAction.RESTORE_BACKUP)
    if code in _RESTORABLE:
        actions.append(StartupAction.START_NEW)
    if code in _READABLE and can_read(paths):
        actions.append(StartupAction.OPEN_READ_ONLY)
    if code in _PASSING:
        actions.append(StartupAction.RETRY)
    actions.append(StartupAction.QUIT)
    return StartupProblem(error=error, actions=tuple(actions), latest_backup=latest,
                          media=MediaInventory.of(paths))


def can_read(paths: AppPaths) -> bool:
    """Whether the library opens read-only and its scenes can be listed."""
    try:
        with Library(paths, read_only=True) as library:
            library.list_scenes()
    except Exception as exc:  # noqa: BLE001 - any failure means "not readable"; logged
        log.info("the library cannot be read either: %s", exc)
        return False
    return True


def restore_latest_backup(paths: AppPaths) -> RecoveryOutcome:
    """Put the newest backup in place of the library (the replaced file is set aside), then add
    back the scenes and takes on disk that the backup does not know (made after it)."""
    lock = take_library_lock(paths.data_dir)
    try:
        latest = backups.latest_backup(paths)
        if latest is None:
            raise LibraryOpenError("library.no_backup")
        outcome = RecoveryOutcome(restored=latest)
        outcome.set_aside = backups.restore(paths, latest)
        with Library(paths) as library:
            outcome.rebuilt = rebuild_from_media(library)
        return outcome
    finally:
        lock.release()


def start_new_library(paths: AppPaths) -> RecoveryOutcome:
    """Set the library file aside (renamed, never deleted) and start a new one holding every
    scene and take the media folders describe."""
    lock = take_library_lock(paths.data_dir)
    try:
        outcome = RecoveryOutcome()
        try:
            outcome.set_aside = backups.set_aside(paths)
        except OSError as exc:
            raise os_error(paths.database, exc) from exc
        with Library(paths, new_over_media=True) as library:
            outcome.rebuilt = rebuild_from_media(library)
        return outcome
    finally:
        lock.release()
