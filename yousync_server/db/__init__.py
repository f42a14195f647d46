"""The server's database: models, engine and sessions, Alembic migrations."""
