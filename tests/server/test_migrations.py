"""The Alembic migrations build exactly the schema the models describe, on SQLite and on
PostgreSQL, and come down again cleanly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from yousync_server.db.engine import create_db_engine, current_revision, head_revision
from yousync_server.db.models import Base


def test_the_migrated_schema_is_the_models_schema(database_url):
    engine = create_db_engine(database_url)
    try:
        assert current_revision(engine) == head_revision()
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert differences == []
        tables = set(inspect(engine).get_table_names())
        assert {"users", "refresh_tokens", "tokens", "scripts", "words", "actors",
                "actor_aliases", "token_actors", "bookmarks", "jobs", "idempotency_keys",
                "mixes", "video_requests"} <= tables
        job_columns = {c["name"] for c in inspect(engine).get_columns("jobs")}
        assert {"job_id", "kind", "token_id", "script_id", "user_id", "status", "progress",
                "message", "result", "reason", "version", "take_key", "created_at",
                "updated_at"} <= job_columns
    finally:
        engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    from yousync_server.db.engine import upgrade_to_head

    engine = create_db_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    upgrade_to_head(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
