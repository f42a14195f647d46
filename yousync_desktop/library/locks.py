"""Locks between processes on one library: one writer per data folder, one owner per staging folder.

Both are advisory locks on a small file (`flock` on POSIX, a byte-range lock on Windows), held by an
open file descriptor. The operating system drops them when the process ends, however it ends, so a
crash or a kill -9 never leaves a library locked; nothing has to guess from a stale PID whether
its owner still lives. The descriptor is not inherited by child processes (Python opens files
non-inheritable), so an ffmpeg started by an import never keeps the lock alive.

The holder writes a note into its lock file (process id, what it is doing, since when) so that
whoever finds the lock taken can say who holds it. On Windows the locked byte lies far beyond the
note, so the note stays readable.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from yousync_desktop.library.open_errors import LibraryOpenError, os_error

LOCK_FILE_NAME = "library.lock"
APP_PURPOSE = "app"
POLL_INTERVAL_S = 0.2

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    _WINDOWS_LOCK_OFFSET = 1 << 30

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class ExclusiveFileLock:
    """An exclusive lock on `path` (created if missing), held by this object until `release`.
    Two objects conflict even inside one process, so a test can play both sides."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; never waits. OSError when the file cannot be made
        (a read-only folder)."""
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd):
            os.close(fd)
            return False
        self._fd = fd
        return True

    def write_note(self, note: dict) -> None:
        """Say who holds the lock, for those who find it taken."""
        if self._fd is None:
            raise RuntimeError("write_note needs the lock held")
        data = json.dumps(note, sort_keys=True).encode("utf-8")
        os.ftruncate(self._fd, 0)
        os.lseek(self._fd, 0, os.SEEK_SET)
        os.write(self._fd, data)

    def read_note(self) -> dict:
        """The holder's note ({} when there is none or it cannot be read)."""
        try:
            note = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            return {}
        return note if isinstance(note, dict) else {}

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _unlock(fd)
        finally:
            os.close(fd)


@dataclass(frozen=True)
class LockHolder:
    pid: int | None
    purpose: str          # "app", or the command line's subcommand ("import-pack")
    since: str | None     # ISO time, UTC


class LibraryLock:
    """One writer per data folder: the running app holds this for its whole life (AppServices);
    a command that changes the library holds it while it runs. Readers need no lock."""

    def __init__(self, data_dir: Path, purpose: str = APP_PURPOSE):
        self.data_dir = Path(data_dir)
        self.purpose = purpose
        self._lock = ExclusiveFileLock(self.data_dir / LOCK_FILE_NAME)

    @property
    def path(self) -> Path:
        return self._lock.path

    @property
    def held(self) -> bool:
        return self._lock.held

    def try_acquire(self) -> bool:
        """Take the lock if it is free (OSError when the data folder cannot be written)."""
        if self._lock.held:
            return True
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if not self._lock.try_acquire():
            return False
        self._lock.write_note({"pid": os.getpid(), "purpose": self.purpose,
                               "since": datetime.now(timezone.utc).isoformat(timespec="seconds")})
        return True

    def acquire(self, timeout: float,
                on_wait: Callable[[LibraryOpenError], None] | None = None) -> None:
        """Take the lock, waiting up to `timeout` seconds for its holder to let go; `on_wait`
        hears once, with who holds it, that the wait began. Raises the holder's
        LibraryOpenError ("library.in_use"...) when the time is up."""
        if self.try_acquire():
            return
        if on_wait is not None:
            on_wait(self.in_use_error())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            time.sleep(POLL_INTERVAL_S)
            if self.try_acquire():
                return
        raise self.in_use_error()

    def holder(self) -> LockHolder:
        note = self._lock.read_note()
        pid = note.get("pid")
        return LockHolder(pid=pid if isinstance(pid, int) else None,
                          purpose=str(note.get("purpose") or APP_PURPOSE),
                          since=note.get("since") if isinstance(note.get("since"), str) else None)

    def in_use_error(self) -> LibraryOpenError:
        """What a learner is told when someone else holds the lock."""
        holder = self.holder()
        pid = holder.pid if holder.pid is not None else "?"
        if holder.purpose == APP_PURPOSE:
            return LibraryOpenError("library.in_use", pid=pid)
        return LibraryOpenError("library.in_use_by_command", command=holder.purpose, pid=pid)

    def release(self) -> None:
        self._lock.release()


def take_library_lock(data_dir: Path, purpose: str = APP_PURPOSE) -> LibraryLock:
    """The data folder's lock, taken now, or LibraryOpenError saying who holds it (or that the
    folder cannot be written)."""
    lock = LibraryLock(data_dir, purpose)
    try:
        if not lock.try_acquire():
            raise lock.in_use_error()
    except OSError as exc:
        raise os_error(Path(data_dir), exc) from exc
    return lock
