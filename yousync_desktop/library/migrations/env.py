"""Alembic environment: runs migrations on the connection the library hands over (see db.py)."""

from alembic import context

from yousync_desktop.library.schema import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
