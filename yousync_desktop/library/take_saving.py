"""Adding a finished take to the library as one recoverable unit: its row, its file, its status.

A take is recorded into `<data>/incoming/` (audio/take_writer.py). Saving it is three steps:

1. its row is inserted as "pending", naming where the file is now (`incoming_file`, relative to
   the data folder) and where it goes (`audio_file`, relative to the media folder) — committed;
2. the file is moved into `media/takes/<scene>/` (a rename: the same disk, no new space needed);
3. the row is marked "complete" — committed. Only complete takes are listed (Library.takes) and
   announced (TakeAdded).

Whatever fails, and wherever the process dies, the take is either complete or completed by the
next start (library/reconcile.py): before step 1 commits, the file is untouched in `incoming/`
and is recovered from its header; after it, a pending row names the file in `incoming/` or
already in place. When the move fails, the file stays where it was and the row is taken back (if
the database lets us; if not, the next start finishes the move). A take whose row cannot be
committed is never moved, so it is never left in the library without a row.

Files this process is writing or saving are claimed (`claim` / `release`): start-up repair leaves
a claimed file alone, so it never adopts a take that is still being made.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import threading
import uuid
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import delete, select, update

from yousync_desktop.library.repository import LibraryError
from yousync_desktop.library.schema import ScriptRow, TakeRow, TokenRow

log = logging.getLogger(__name__)

PENDING = "pending"     # being moved into the library (or left so by a crash)
COMPLETE = "complete"   # its file is in place: a take like any other
MISSING = "missing"     # its file is gone (found at start); hidden until the file is back

_claimed: Counter[str] = Counter()
_claimed_lock = threading.Lock()


# --- files in use by this process -----------------------------------------------------------------

def _key(path: Path) -> str:
    return os.path.abspath(path)


def claim(path: Path) -> None:
    """`path` is being written or saved by this process: start-up repair must not touch it."""
    with _claimed_lock:
        _claimed[_key(path)] += 1


def release(path: Path) -> None:
    with _claimed_lock:
        key = _key(path)
        _claimed[key] -= 1
        if _claimed[key] <= 0:
            del _claimed[key]


def in_use(path: Path) -> bool:
    with _claimed_lock:
        return _claimed.get(_key(path), 0) > 0


# --- where files are ------------------------------------------------------------------------------

def stored_path(data_dir: Path, path: Path) -> str:
    """How a row names a file outside the media folder: relative to the data folder when it is
    inside it (the data folder may move), absolute otherwise."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(os.path.abspath(data_dir)).as_posix()
    except ValueError:
        return str(absolute)


def resolve_stored(data_dir: Path, stored: str) -> Path:
    path = Path(stored)
    return path if path.is_absolute() else Path(data_dir) / path


def move_into_place(source: Path, destination: Path) -> None:
    """Move `source` to `destination`: afterwards either the file is at `destination` and
    `source` is gone, or (on an exception) `source` is untouched and `destination` absent."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(source, destination)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    # Another file system (a media folder mounted elsewhere): copy whole, then let go.
    partial = destination.with_name(destination.name + ".partial")
    try:
        shutil.copyfile(source, partial)
        with open(partial, "rb+") as copied:
            os.fsync(copied.fileno())
        os.replace(partial, destination)
        os.unlink(source)
    except BaseException:
        partial.unlink(missing_ok=True)
        if source.exists():
            destination.unlink(missing_ok=True)
        raise


# --- saving -------------------------------------------------------------------------------------

def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def save_take(library, token_key: int, script_id: int, audio_file: Path, *, sample_rate: int,
              duration: float, latency_ms: float | None = None, metadata: dict | None = None,
              created_at: datetime | None = None) -> int:
    """Steps 1–3 of the module doc for the take recorded in `audio_file`; returns its id.
    Raises LibraryError for a scene or line that is not there (the file stays where it is), and
    whatever the database or the disk raised otherwise (the take is kept for the next start)."""
    audio_file = Path(audio_file)
    claim(audio_file)
    try:
        relative = f"takes/{token_key}/{uuid.uuid4().hex}{audio_file.suffix.lower()}"
        with library.transaction() as session:
            if session.get(TokenRow, token_key) is None:
                raise LibraryError("library.no_scene", key=token_key)
            if session.scalar(select(ScriptRow.key).where(
                    ScriptRow.token_key == token_key, ScriptRow.api_id == script_id)) is None:
                raise LibraryError("library.no_line", line=script_id)
            row = TakeRow(token_key=token_key, script_id=script_id, audio_file=relative,
                          sample_rate=sample_rate, duration=duration, latency_ms=latency_ms,
                          starred=False, created_at=created_at or _now(),
                          meta=dict(metadata or {}), status=PENDING,
                          incoming_file=stored_path(library.paths.data_dir, audio_file))
            session.add(row)
            session.flush()
            take_id = row.id
        try:
            move_into_place(audio_file, library.media_dir / relative)
        except BaseException:
            _take_back(library, take_id)
            raise
        mark_complete(library, take_id)
        return take_id
    finally:
        release(audio_file)


def mark_complete(library, take_id: int) -> None:
    with library.transaction() as session:
        session.execute(update(TakeRow).where(TakeRow.id == take_id)
                        .values(status=COMPLETE, incoming_file=None))


def _take_back(library, take_id: int) -> None:
    """The file did not move: remove its pending row, so that the file in `incoming/` is simply
    recovered at the next start. If even that fails, the next start finishes the move."""
    try:
        with library.transaction() as session:
            session.execute(delete(TakeRow).where(TakeRow.id == take_id,
                                                  TakeRow.status == PENDING))
    except Exception:  # noqa: BLE001 - the pending row then names the file: nothing is lost
        log.exception("could not take back the pending row of take %d", take_id)
