"""Local persistence: scenes, takes and scores in SQLite (SQLAlchemy + Alembic); scene packs."""

from yousync_desktop.library.open_errors import LibraryOpenError
from yousync_desktop.library.repository import (
    Library, LibraryError, SceneSummary, StoredScene, TokenMedia,
)

__all__ = ["Library", "LibraryError", "LibraryOpenError", "SceneSummary", "StoredScene",
           "TokenMedia"]
