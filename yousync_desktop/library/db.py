"""Opening the library database: SQLite in WAL mode with foreign keys on, migrated to the newest
schema by Alembic every time it opens (so an older app's database is upgraded in place, after a
backup: see library/backups.py). A revision this app does not know comes from a newer version and
is never migrated (library/opening.py refuses it before anything runs)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def create_sqlite_engine(database: Path) -> Engine:
    database.parent.mkdir(parents=True, exist_ok=True)
    # The UI reads on its thread while imports and recordings write from workers.
    engine = create_engine(f"sqlite:///{database}",
                           connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def upgrade_to_head(engine: Engine) -> None:
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def known_revisions() -> frozenset[str]:
    """Every revision this version of the app has a migration for."""
    return frozenset(script.revision for script in
                     ScriptDirectory.from_config(_alembic_config()).walk_revisions())
