"""Initial library: tokens with scripts (words inline), takes and their scores.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tokens",
        sa.Column("key", sa.Integer, primary_key=True),
        sa.Column("pack_id", sa.String(100), nullable=False, unique=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("api_id", sa.Integer, nullable=False),
        sa.Column("token_name", sa.Text, nullable=False),
        sa.Column("actor_name", sa.Text, nullable=False),
        sa.Column("category", sa.Text),
        sa.Column("start_time", sa.Float, nullable=False),
        sa.Column("end_time", sa.Float, nullable=False),
        sa.Column("youtube_url", sa.Text),
        sa.Column("thumbnail_url", sa.Text),
        sa.Column("view_count", sa.Integer, nullable=False),
        sa.Column("pitch", sa.JSON),
        sa.Column("media_dir", sa.Text, nullable=False),
        sa.Column("video_file", sa.Text),
        sa.Column("bgvoice_file", sa.Text),
        sa.Column("vocal_file", sa.Text),
        sa.Column("thumbnail_file", sa.Text),
        sa.Column("added_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "scripts",
        sa.Column("key", sa.Integer, primary_key=True),
        sa.Column("token_key", sa.Integer, sa.ForeignKey("tokens.key", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("api_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("start_time", sa.Float, nullable=False),
        sa.Column("end_time", sa.Float, nullable=False),
        sa.Column("script", sa.Text, nullable=False),
        sa.Column("translation", sa.Text),
        sa.Column("words", sa.JSON),
        sa.UniqueConstraint("token_key", "api_id"),
    )
    op.create_table(
        "takes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_key", sa.Integer, sa.ForeignKey("tokens.key", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("script_id", sa.Integer, nullable=False),
        sa.Column("audio_file", sa.Text, nullable=False),
        sa.Column("sample_rate", sa.Integer, nullable=False),
        sa.Column("duration", sa.Float, nullable=False),
        sa.Column("latency_ms", sa.Float),
        sa.Column("starred", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("metadata", sa.JSON, nullable=False),
    )
    op.create_table(
        "scores",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("take_id", sa.Integer, sa.ForeignKey("takes.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("overall_score", sa.Float, nullable=False),
        sa.Column("pronunciation", sa.Float),
        sa.Column("intonation", sa.Float),
        sa.Column("timing", sa.Float),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("scores")
    op.drop_table("takes")
    op.drop_table("scripts")
    op.drop_table("tokens")
