"""A failure of the library's database, said in one line without its SQL.

SQLAlchemy's errors carry the statement and its parameters in their text ("[SQL: INSERT INTO
takes ...] [parameters: (...)]"): right for the log, wrong for a learner. `database_error(error)`
is the one place that turns such a failure (or a bare sqlite3 one) into a `DatabaseError` with a
code saying what happened: locked by another program, a disk error, read-only, damaged, full. The
UI (`ui/error_texts.describe_error`) and the command line use it wherever an error is shown, so a
database failure reads the same everywhere however deep it was raised; the original stays
attached as the cause, for the log and "Copy details".

`DatabaseError` is a `LibraryError`, so code that catches library errors catches it too.
"""

from __future__ import annotations

import sqlite3

from yousync_desktop.errors import QT_TRANSLATE_NOOP
from yousync_desktop.library.repository import LibraryError

class DatabaseError(LibraryError):
    messages = {
        "database.locked": QT_TRANSLATE_NOOP(
            "errors", "The library is busy in another YouSync window or command (the database "
                      "is locked). Close it or wait a moment, then try again."),
        "database.disk_io": QT_TRANSLATE_NOOP(
            "errors", "The library could not be read or written because of a disk error. Check "
                      "that the drive is connected and working."),
        "database.read_only": QT_TRANSLATE_NOOP(
            "errors", "The library is read-only, so the change could not be saved. Check the "
                      "permissions of the data folder."),
        "database.damaged": QT_TRANSLATE_NOOP(
            "errors", "The library's database file is damaged."),
        "database.full": QT_TRANSLATE_NOOP(
            "errors", "The disk is full, so the library could not save the change."),
        "database.cannot_open": QT_TRANSLATE_NOOP(
            "errors", "The library's database could not be opened."),
        "database.failed": QT_TRANSLATE_NOOP(
            "errors", "The library's database reported an error ({kind}). Details are in the "
                      "log."),
    }


# sqlite3's own words for each failure (its messages are stable English: sqlite3_errstr), and the
# line each one gets (literal codes, so the catalogue check in tests/test_error_catalogue.py sees
# every one).
_KINDS = (
    ("database is locked", lambda: DatabaseError("database.locked")),
    ("database table is locked", lambda: DatabaseError("database.locked")),
    ("disk i/o error", lambda: DatabaseError("database.disk_io")),
    ("readonly database", lambda: DatabaseError("database.read_only")),
    ("database disk image is malformed", lambda: DatabaseError("database.damaged")),
    ("file is not a database", lambda: DatabaseError("database.damaged")),
    ("database or disk is full", lambda: DatabaseError("database.full")),
    ("unable to open database file", lambda: DatabaseError("database.cannot_open")),
)


def database_error(error: BaseException) -> DatabaseError | None:
    """The one-line DatabaseError for `error` when it is (or was caused by) a failure of the
    database; None when it is something else. The original is kept as its `__cause__`."""
    found = _database_failure(error)
    if found is None:
        return None
    driver = getattr(found, "orig", None) or found  # SQLAlchemy wraps the sqlite3 error
    text = str(driver).lower()
    make = next((make for words, make in _KINDS if words in text), None)
    mapped = make() if make is not None else DatabaseError("database.failed",
                                                            kind=type(driver).__name__)
    mapped.__cause__ = error
    return mapped


def _database_failure(error: BaseException) -> BaseException | None:
    """`error` or the first of its causes (`raise ... from`) that is a SQLAlchemy or sqlite3
    error. Not the exceptions it was merely raised while handling: a bug in an `except` block is
    not a database failure."""
    from sqlalchemy.exc import SQLAlchemyError

    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, DatabaseError):
            return None  # already said
        if isinstance(current, (SQLAlchemyError, sqlite3.Error)):
            return current
        seen.add(id(current))
        current = current.__cause__
    return None
