"""Automatic backups of the library database, restoring one, and setting a library file aside.

Backups are made with SQLite's online backup API (a consistent copy even while the app writes),
into `<data>/backups/library-<UTC time>-<reason>.sqlite3`: before every migration
("before-upgrade") and at most once a day while the library is used ("daily", at start). Each copy
is checked (`PRAGMA quick_check`) before it takes its place, so a damaged library never pushes a
good backup out; the newest KEEP_BACKUPS are kept. A backup is one self-contained SQLite file
(rollback-journal mode): copy it over `library.sqlite3` by hand, or let the start-up screen do it.

Nothing here deletes a library: a file being replaced is renamed aside with a timestamp
(`library-set-aside-<UTC time>.sqlite3`, with its -wal and -shm renamed alike so SQLite still
pairs them).
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from yousync_desktop.library.open_errors import LibraryOpenError
from yousync_desktop.settings import AppPaths

log = logging.getLogger(__name__)

BACKUP_FOLDER = "backups"
KEEP_BACKUPS = 5
DAILY = timedelta(hours=24)
_STAMP = "%Y%m%dT%H%M%SZ"
_NAME = re.compile(r"^library-(\d{8}T\d{6}Z)-([a-z]+(?:-[a-z]+)*?)(?:-(\d+))?\.sqlite3$")
_SIDE_FILES = ("-wal", "-shm")


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime   # UTC, aware
    reason: str          # "daily" or "before-upgrade"
    sequence: int = 0    # several in one second

    @property
    def name(self) -> str:
        return self.path.name


def backups_dir(paths: AppPaths) -> Path:
    return paths.data_dir / BACKUP_FOLDER


def _now() -> datetime:
    return datetime.now(timezone.utc)


def list_backups(paths: AppPaths) -> list[Backup]:
    """The backups on disk, newest first."""
    found = []
    try:
        entries = list(backups_dir(paths).iterdir())
    except OSError:
        return []
    for path in entries:
        match = _NAME.match(path.name)
        if match and path.is_file() and path.stat().st_size > 0:
            taken_at = datetime.strptime(match[1], _STAMP).replace(tzinfo=timezone.utc)
            found.append(Backup(path, taken_at, match[2], int(match[3] or 0)))
    return sorted(found, key=lambda b: (b.taken_at, b.sequence), reverse=True)


def latest_backup(paths: AppPaths) -> Backup | None:
    backups = list_backups(paths)
    return backups[0] if backups else None


def _read_only_uri(database: Path) -> str:
    return Path(os.path.abspath(database)).as_uri() + "?mode=ro"


def _copy_database(source_uri: str, target: Path) -> None:
    """A checked, self-contained copy of a database at `target` (replaced if present)."""
    target.unlink(missing_ok=True)
    source = sqlite3.connect(source_uri, uri=True)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            check = copy.execute("PRAGMA quick_check").fetchall()
        finally:
            copy.close()
    finally:
        source.close()
    if check != [("ok",)]:
        target.unlink(missing_ok=True)
        raise sqlite3.DatabaseError(f"the copy fails its check: {check[:3]}")


def back_up(paths: AppPaths, reason: str, *, now: datetime | None = None) -> Backup:
    """Copy the library into the backups folder (OSError or sqlite3.Error when it cannot)."""
    now = now or _now()
    folder = backups_dir(paths)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now.strftime(_STAMP)
    sequence = 0
    while (final := folder / (f"library-{stamp}-{reason}" + (f"-{sequence}" if sequence else "")
                              + ".sqlite3")).exists():
        sequence += 1
    partial = folder / f".{final.name}.partial"
    try:
        _copy_database(_read_only_uri(paths.database), partial)
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    log.info("library backed up to %s", final)
    prune(paths)
    return Backup(final, now.replace(microsecond=0), reason, sequence)


def back_up_before_upgrade(paths: AppPaths, from_revision: str) -> Backup:
    try:
        return back_up(paths, "before-upgrade")
    except (OSError, sqlite3.Error) as exc:
        log.error("backup before upgrading from %s failed: %s", from_revision, exc)
        raise LibraryOpenError("library.backup_failed",
                               reason=getattr(exc, "strerror", None) or str(exc)) from exc


def daily_backup_due(paths: AppPaths, *, now: datetime | None = None) -> bool:
    now = now or _now()
    return not any(now - DAILY < b.taken_at <= now + timedelta(minutes=5)
                   for b in list_backups(paths))


def back_up_if_due(paths: AppPaths, *, now: datetime | None = None) -> Backup | None:
    """The daily backup, when the last one is a day old (or there is none)."""
    if not paths.database.is_file() or not daily_backup_due(paths, now=now):
        return None
    return back_up(paths, "daily", now=now)


def prune(paths: AppPaths, keep: int = KEEP_BACKUPS) -> list[Path]:
    removed = []
    for old in list_backups(paths)[keep:]:
        old.path.unlink(missing_ok=True)
        removed.append(old.path)
    return removed


def set_aside(paths: AppPaths, *, now: datetime | None = None) -> Path | None:
    """Rename the library file (or whatever is in its place) and its side files aside with a
    timestamp; returns the new name of the main one (None when there was nothing)."""
    database = paths.database
    stamp = (now or _now()).strftime(_STAMP)
    target = database.with_name(f"library-set-aside-{stamp}.sqlite3")
    sequence = 1
    while any(Path(f"{target}{side}").exists() for side in ("", *_SIDE_FILES)):
        sequence += 1
        target = database.with_name(f"library-set-aside-{stamp}-{sequence}.sqlite3")
    moved = None
    for side in ("", *_SIDE_FILES):  # the main file first: a lone -wal must never be replayed
        source = Path(f"{database}{side}")
        if source.exists() or source.is_symlink():
            os.replace(source, f"{target}{side}")
            if not side:
                moved = target
    if moved:
        log.warning("library file set aside as %s", moved)
    return moved


def restore(paths: AppPaths, backup: Backup) -> Path | None:
    """Put `backup` in place of the library; the file it replaces is set aside (returned)."""
    database = paths.database
    partial = database.with_name(".library-restoring.sqlite3")
    try:
        _copy_database(_read_only_uri(backup.path), partial)
        aside = set_aside(paths)
        os.replace(partial, database)
    except (OSError, sqlite3.Error) as exc:
        log.error("restoring %s failed: %s", backup.path, exc)
        raise LibraryOpenError("library.restore_failed", name=backup.name,
                               reason=getattr(exc, "strerror", None) or str(exc)) from exc
    finally:
        partial.unlink(missing_ok=True)
    log.warning("library restored from %s", backup.path)
    return aside
