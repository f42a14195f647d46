"""Looking at a library before opening it, so that every way it can fail to open has a name.

`check_writable_library` runs the checks in the order a learner's data can go wrong — the folder
(missing, read-only), the file (a folder, read-only, missing or empty while scenes are on disk),
its content (not a database, damaged, another program's database), its format (from a newer
YouSync: never migrated down) and finally whether another program holds a write transaction
(it waits, saying for whom, instead of stalling in silence) — and raises a LibraryOpenError for
the first problem found. `read_only_engine` opens a library for reading only, also in a folder
where SQLite cannot create its WAL side files.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from sqlalchemy import Engine, create_engine

from yousync_desktop.library import db
from yousync_desktop.library.open_errors import READ_ONLY_ERRNOS, LibraryOpenError, os_error
from yousync_desktop.settings import AppPaths

log = logging.getLogger(__name__)

WRITER_POLL_S = 0.25        # SQLite's busy wait per attempt: the waiting callback hears this often
DEFAULT_WRITER_WAIT_S = 30.0

# Called while another program holds a write transaction; returns False to stop waiting.
WaitCallback = Callable[[LibraryOpenError], "bool | None"]


@dataclass(frozen=True)
class DatabaseState:
    revision: str | None   # Alembic revision; None for a new library
    needs_migration: bool


@dataclass(frozen=True)
class MediaInventory:
    """What the media folder holds, counted without the database."""
    scenes: int
    takes: int

    @classmethod
    def of(cls, paths: AppPaths) -> "MediaInventory":
        scenes_dir, takes_dir = paths.media_dir / "scenes", paths.media_dir / "takes"
        scenes = sum(1 for d in _subfolders(scenes_dir) if any(d.iterdir()))
        takes = sum(1 for d in _subfolders(takes_dir) for f in d.iterdir() if f.is_file())
        return cls(scenes=scenes, takes=takes)


def _subfolders(folder: Path) -> list[Path]:
    try:
        return [entry for entry in folder.iterdir() if entry.is_dir()]
    except OSError:
        return []


# --- the folder and the file -------------------------------------------------------------------

def _check_folder_writable(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Creating a file is the only test that holds everywhere (root ignores mode bits, a
        # read-only mount does not).
        with tempfile.TemporaryFile(dir=folder, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise os_error(folder, exc) from exc


def _check_file_writable(database: Path) -> None:
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        try:
            with open(path, "r+b"):
                pass
        except FileNotFoundError:
            continue
        except OSError as exc:
            if exc.errno in READ_ONLY_ERRNOS:
                raise LibraryOpenError("library.read_only_file", path=str(path)) from exc
            raise os_error(path, exc) from exc


# --- the content -------------------------------------------------------------------------------

def _is_busy(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


class _Busy(Exception):
    """Another connection holds a lock that stops this check; wait and look again."""


def _read_revision(connection: sqlite3.Connection, database: Path) -> str | None:
    """The library's Alembic revision (None: an empty database), after checking the file is a
    sound SQLite database holding a YouSync library."""
    try:
        result = connection.execute("PRAGMA quick_check").fetchall()
        tables = {name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if result == [("ok",)] and "alembic_version" in tables:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            return row[0] if row else None
    except sqlite3.DatabaseError as exc:
        if _is_busy(exc):
            raise _Busy() from exc
        log.warning("library %s does not open: %s", database, exc)
        raise LibraryOpenError("library.damaged", path=str(database)) from exc
    if result != [("ok",)]:
        log.warning("library %s fails its check: %s", database, result[:5])
        raise LibraryOpenError("library.damaged", path=str(database))
    if tables:
        raise LibraryOpenError("library.not_a_library", path=str(database))
    return None


def _probe_write(connection: sqlite3.Connection) -> None:
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if _is_busy(exc):
            raise _Busy() from exc
        raise


def _waiting_error(database: Path, *, waiting: bool) -> LibraryOpenError:
    """While waiting: what the library waits for; when done waiting: why it did not open."""
    holder = find_write_lock_holder(database)
    if holder is None:
        if waiting:
            return LibraryOpenError("library.waiting_for_writer")
        return LibraryOpenError("library.locked")
    pid, program = holder
    if waiting:
        return LibraryOpenError("library.waiting_for_writer_known", program=program, pid=pid)
    return LibraryOpenError("library.locked_by", program=program, pid=pid)


def find_write_lock_holder(database: Path) -> tuple[int, str] | None:
    """(pid, program name) of the process holding SQLite's write lock on `database`, where the
    system says (Linux: /proc/locks); None elsewhere or when it cannot be told."""
    try:
        table = Path("/proc/locks").read_text()
    except OSError:
        return None
    watched = {}
    for path, write_byte in ((database, None), (Path(f"{database}-shm"), 120)):
        try:
            st = path.stat()
        except OSError:
            continue
        watched[(os.major(st.st_dev), os.minor(st.st_dev), st.st_ino)] = write_byte
    for line in table.splitlines():
        fields = line.split()
        if len(fields) < 8 or fields[1] == "->" or fields[3] != "WRITE":
            continue
        try:
            pid = int(fields[4])
            major, minor, inode = fields[5].split(":")
            key = (int(major, 16), int(minor, 16), int(inode))
            start = int(fields[6])
        except ValueError:
            continue
        if key not in watched or pid <= 0 or pid == os.getpid():
            continue
        write_byte = watched[key]  # WAL: the writer's byte in -shm; rollback journal: any
        if write_byte is None or start == write_byte:
            return pid, _program_name(pid)
    return None


def _program_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip() or "?"
    except OSError:
        return "?"


# --- opening -----------------------------------------------------------------------------------

def check_writable_library(paths: AppPaths, *, on_wait: WaitCallback | None = None,
                           wait_seconds: float = DEFAULT_WRITER_WAIT_S,
                           new_over_media: bool = False) -> DatabaseState:
    """Everything that must hold before the library is opened for changes; raises the
    LibraryOpenError of the first problem. While another program holds a write transaction,
    `on_wait` hears so every WRITER_POLL_S for up to `wait_seconds`. A missing database while
    scenes are on disk is a problem unless `new_over_media` (a rebuild is about to follow)."""
    for folder in (paths.data_dir, paths.media_dir):
        _check_folder_writable(folder)
    database = paths.database
    if database.is_dir():
        raise LibraryOpenError("library.database_is_folder", path=str(database))
    try:
        size = database.stat().st_size
    except FileNotFoundError:
        size = None
    except OSError as exc:
        raise os_error(database, exc) from exc
    if not size:
        inventory = MediaInventory.of(paths)
        if inventory.scenes and not new_over_media:
            found = {"path": str(database), "scenes": inventory.scenes, "takes": inventory.takes}
            if size is None:
                raise LibraryOpenError("library.missing_database", **found)
            raise LibraryOpenError("library.empty_database", **found)
        return DatabaseState(revision=None, needs_migration=True)
    _check_file_writable(database)
    deadline = None
    while True:
        try:
            return _check_content(database)
        except _Busy:
            pass
        deadline = deadline if deadline is not None else time.monotonic() + wait_seconds
        keep_waiting = on_wait(_waiting_error(database, waiting=True)) if on_wait else True
        if keep_waiting is False or time.monotonic() >= deadline:
            raise _waiting_error(database, waiting=False)


def _check_content(database: Path) -> DatabaseState:
    try:
        connection = sqlite3.connect(database, timeout=WRITER_POLL_S, isolation_level=None)
    except sqlite3.Error as exc:
        raise LibraryOpenError("library.cannot_open", path=str(database), reason=str(exc)) from exc
    try:
        revision = _read_revision(connection, database)
        if revision is not None and revision not in db.known_revisions():
            raise LibraryOpenError("library.newer_version", revision=revision)
        _probe_write(connection)
    except sqlite3.Error as exc:  # an I/O error, a full disk while reading the journal...
        raise LibraryOpenError("library.cannot_open", path=str(database), reason=str(exc)) from exc
    finally:
        connection.close()
    return DatabaseState(revision=revision, needs_migration=revision != db.head_revision())


def read_only_engine(database: Path) -> Engine:
    """An engine that only reads `database`. SQLite's "mode=ro" still needs its WAL side files;
    where they cannot be made (a read-only folder after a clean close) the file is opened as
    immutable, which is right because nobody can be writing to it either."""
    if database.is_dir():
        raise LibraryOpenError("library.database_is_folder", path=str(database))
    if not database.is_file() or database.stat().st_size == 0:
        raise LibraryOpenError("library.nothing_to_read", path=str(database))
    uri = Path(os.path.abspath(database)).as_uri() + "?mode=ro"
    try:
        probe = sqlite3.connect(uri, uri=True)
        probe.execute("PRAGMA schema_version").fetchone()
        probe.close()
    except sqlite3.OperationalError as exc:
        wal = Path(f"{database}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise LibraryOpenError("library.cannot_open", path=str(database),
                                   reason=str(exc)) from exc
        uri += "&immutable=1"
    except sqlite3.DatabaseError as exc:
        raise LibraryOpenError("library.damaged", path=str(database)) from exc

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=30)
        connection.execute("PRAGMA query_only = ON")
        connection.execute("PRAGMA foreign_keys = ON")
        return connection

    return create_engine(f"sqlite:///{database}", creator=connect)
