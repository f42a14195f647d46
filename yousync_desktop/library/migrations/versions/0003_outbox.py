"""The upload outbox: takes marked for the server's analysis, each uploaded once (its id is the
Idempotency-Key), with the job it became, its progress and its result.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("take_id", sa.Integer, sa.ForeignKey("takes.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("profile", sa.String(60), nullable=False),
        sa.Column("token_key", sa.Integer, nullable=False),
        sa.Column("script_id", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("job_id", sa.String(64)),
        sa.Column("progress", sa.Integer, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("error_code", sa.String(64)),
        sa.Column("error_reason", sa.Text),
        sa.Column("last_event_id", sa.String(32)),
        sa.Column("result", sa.JSON),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("take_id", "profile"),
        sa.UniqueConstraint("profile", "job_id"),
    )
    op.create_index("ix_outbox_take_id", "outbox", ["take_id"])
    op.create_index("ix_outbox_state", "outbox", ["state"])


def downgrade() -> None:
    op.drop_index("ix_outbox_state", "outbox")
    op.drop_index("ix_outbox_take_id", "outbox")
    op.drop_table("outbox")
