"""Takes get a status, so that adding one is a recoverable unit: a row is "pending" while its file
is moved into the library and names where the file was recorded (`incoming_file`); "missing"
when start-up repair found its file gone. Every existing take is complete.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("takes") as batch:
        batch.add_column(sa.Column("status", sa.String(16), nullable=False,
                                   server_default="complete"))
        batch.add_column(sa.Column("incoming_file", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("takes") as batch:
        batch.drop_column("incoming_file")
        batch.drop_column("status")
