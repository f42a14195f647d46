"""Why a library cannot be opened (or not for writing), as codes the start-up screen words.

Raised while opening: the locks (library/locks.py), the checks on the database and its folder
(library/opening.py), the backups (library/backups.py). Each code is one situation the start-up
screen knows what to offer for (library/recovery.py decides what is possible). SQLite's own
message never reaches the learner: it goes to the log, the sentence here says what it means.
"""

from __future__ import annotations

import errno
from pathlib import Path

from yousync_desktop.errors import QT_TRANSLATE_NOOP, CodedError


class LibraryOpenError(CodedError):
    messages = {
        # another process
        "library.in_use": QT_TRANSLATE_NOOP(
            "errors", "The library is open in another YouSync window (process {pid})."),
        "library.in_use_by_command": QT_TRANSLATE_NOOP(
            "errors", "The library is being changed by the command `yousync {command}` "
                      "(process {pid})."),
        "library.waiting_for_writer": QT_TRANSLATE_NOOP(
            "errors", "Waiting for another program to finish writing to the library…"),
        "library.waiting_for_writer_known": QT_TRANSLATE_NOOP(
            "errors", "Waiting for another program ({program}, process {pid}) to finish writing "
                      "to the library…"),
        "library.locked": QT_TRANSLATE_NOOP(
            "errors", "Another program is still writing to the library, so it cannot be opened "
                      "for changes now."),
        "library.locked_by": QT_TRANSLATE_NOOP(
            "errors", "Another program ({program}, process {pid}) is still writing to the "
                      "library, so it cannot be opened for changes now."),
        # the file or its folder
        "library.damaged": QT_TRANSLATE_NOOP(
            "errors", "The library file {path} is damaged and cannot be opened."),
        "library.not_a_library": QT_TRANSLATE_NOOP(
            "errors", "The file {path} is not a YouSync library."),
        "library.database_is_folder": QT_TRANSLATE_NOOP(
            "errors", "The library file {path} is a folder, not a file."),
        "library.read_only_folder": QT_TRANSLATE_NOOP(
            "errors", "The library folder {path} is read-only: nothing can be saved there."),
        "library.read_only_file": QT_TRANSLATE_NOOP(
            "errors", "The library file {path} is read-only: nothing can be saved in it."),
        "library.cannot_open": QT_TRANSLATE_NOOP(
            "errors", "The library at {path} cannot be used: {reason}."),
        "library.missing_database": QT_TRANSLATE_NOOP(
            "errors", "The library file {path} is missing, but the media folder still holds "
                      "scenes ({scenes}) and takes ({takes})."),
        "library.empty_database": QT_TRANSLATE_NOOP(
            "errors", "The library file {path} is empty, but the media folder still holds "
                      "scenes ({scenes}) and takes ({takes})."),
        "library.nothing_to_read": QT_TRANSLATE_NOOP(
            "errors", "There is no library at {path} to open read-only."),
        # versions, upgrades, backups
        "library.newer_version": QT_TRANSLATE_NOOP(
            "errors", "This library was saved by a newer version of YouSync (format {revision}). "
                      "This version cannot change it: update YouSync to keep working with it."),
        "library.migration_failed": QT_TRANSLATE_NOOP(
            "errors", "The library could not be upgraded to this version of YouSync and was left "
                      "as it was (a backup made just before is in {folder})."),
        "library.backup_failed": QT_TRANSLATE_NOOP(
            "errors", "The library could not be backed up before its upgrade, so it was not "
                      "upgraded: {reason}."),
        "library.no_backup": QT_TRANSLATE_NOOP(
            "errors", "There is no backup of the library to restore."),
        "library.restore_failed": QT_TRANSLATE_NOOP(
            "errors", "The backup {name} could not be restored: {reason}."),
    }


READ_ONLY_ERRNOS = (errno.EROFS, errno.EACCES, errno.EPERM)


def os_error(path: Path, error: OSError) -> LibraryOpenError:
    """An OSError met while opening, as what it means for the learner."""
    if error.errno in READ_ONLY_ERRNOS:
        return LibraryOpenError("library.read_only_folder", path=str(path))
    return LibraryOpenError("library.cannot_open", path=str(path),
                            reason=error.strerror or str(error))


__all__ = ["LibraryOpenError", "READ_ONLY_ERRNOS", "os_error"]
