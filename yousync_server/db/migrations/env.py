"""Alembic environment: runs migrations on the connection db/engine.py hands over."""

from alembic import context

from yousync_server.db.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
