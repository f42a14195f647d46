"""Every table the API needs, as SQLAlchemy 2 models. Portable between SQLite and PostgreSQL:
no dialect-only types; JSON columns through the generic JSON type; timestamps are naive UTC, as
the API writes them (§2.4).

Alembic migrations (db/migrations) create exactly this schema; a test compares the two.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints, so migrations can alter them on SQLite (batch mode) and PostgreSQL alike.
NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "ck": "ck_%(table_name)s_%(constraint_name)s",
          "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
          "pk": "pk_%(table_name)s"}


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


# --- people --------------------------------------------------------------------------------------

class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    google_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    full_name: Mapped[str | None] = mapped_column(String(255))
    profile_picture: Mapped[str | None] = mapped_column(String(2000))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    login_type: Mapped[str] = mapped_column(String(20), default="google")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, onupdate=utcnow)


class RefreshToken(Base):
    """An opaque refresh token, stored only as its SHA-256. Rotation marks the old one used and
    issues the next in the same family; presenting a used one revokes the family (§7.2)."""

    __tablename__ = "refresh_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    family_id: Mapped[str] = mapped_column(String(32), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


# --- catalogue -----------------------------------------------------------------------------------

class Token(Base):
    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_name: Mapped[str] = mapped_column(String(300))
    actor_name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(100), index=True)
    start_time: Mapped[float] = mapped_column(Float)
    end_time: Mapped[float] = mapped_column(Float)
    youtube_url: Mapped[str | None] = mapped_column(String(500), index=True)
    thumbnail_url: Mapped[str | None] = mapped_column(String(2000))
    view_count: Mapped[int] = mapped_column(Integer, default=0, index=True)
    s3_textgrid_url: Mapped[str | None] = mapped_column(String(1000))
    s3_pitch_url: Mapped[str | None] = mapped_column(String(1000))
    s3_bgvoice_url: Mapped[str | None] = mapped_column(String(1000))
    # Kept beside the row so the detail route answers without a storage read.
    pitch: Mapped[list[Any] | None] = mapped_column(JSON)
    # Object keys of the clip's other media (§7.13), and where a scene pack came from.
    video_key: Mapped[str | None] = mapped_column(String(1000))
    vocal_key: Mapped[str | None] = mapped_column(String(1000))
    thumbnail_key: Mapped[str | None] = mapped_column(String(1000))
    pack_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    scripts: Mapped[list["Script"]] = relationship(
        back_populates="token", order_by="Script.id", cascade="all, delete-orphan",
        passive_deletes=True)


class Script(Base):
    __tablename__ = "scripts"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("tokens.id", ondelete="CASCADE"), index=True)
    start_time: Mapped[float] = mapped_column(Float)
    end_time: Mapped[float] = mapped_column(Float)
    script: Mapped[str] = mapped_column(Text)
    translation: Mapped[str | None] = mapped_column(Text)

    token: Mapped[Token] = relationship(back_populates="scripts")
    words: Mapped[list["Word"]] = relationship(
        back_populates="script_row", order_by="Word.id", cascade="all, delete-orphan",
        passive_deletes=True)


class Word(Base):
    __tablename__ = "words"

    id: Mapped[int] = mapped_column(primary_key=True)
    script_id: Mapped[int] = mapped_column(ForeignKey("scripts.id", ondelete="CASCADE"),
                                           index=True)
    start_time: Mapped[float | None] = mapped_column(Float)
    end_time: Mapped[float | None] = mapped_column(Float)
    word: Mapped[str | None] = mapped_column(String(200))
    probability: Mapped[float | None] = mapped_column(Float)
    # Reference MFCC frames of the word (§1: they stay on the server), when computed.
    mfcc: Mapped[list[Any] | None] = mapped_column(JSON)

    script_row: Mapped[Script] = relationship(back_populates="words")


class Actor(Base):
    __tablename__ = "actors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class ActorAlias(Base):
    """Another spelling of an actor's name (Korean, English, ...), searched by /api/actors."""

    __tablename__ = "actor_aliases"
    __table_args__ = (UniqueConstraint("actor_id", "alias"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(200))


class TokenActor(Base):
    __tablename__ = "token_actors"

    token_id: Mapped[int] = mapped_column(ForeignKey("tokens.id", ondelete="CASCADE"),
                                          primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"),
                                          primary_key=True, index=True)


class SourceVideo(Base):
    """A registered source video URL (§3.13); a token may only be cut from one of these."""

    __tablename__ = "source_videos"

    id: Mapped[int] = mapped_column(primary_key=True)
    youtube_url: Mapped[str] = mapped_column(String(500), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


# --- the learner's data --------------------------------------------------------------------------

class Bookmark(Base):
    __tablename__ = "bookmarks"
    __table_args__ = (UniqueConstraint("user_id", "token_id"),
                      Index("ix_bookmarks_user_created", "user_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_id: Mapped[int] = mapped_column(ForeignKey("tokens.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    token: Mapped[Token] = relationship()


class Job(Base):
    """One analysis (or ingest) job. `version` grows with every change and is the SSE event id
    (§7.4); whoever changes a job goes through services.jobs so it always does."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_user_token", "user_id", "token_id"),
                      Index("ix_jobs_status_created", "status", "created_at"))

    job_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # script | token | batch | ingest
    token_id: Mapped[int | None] = mapped_column(
        ForeignKey("tokens.id", ondelete="CASCADE"), index=True)
    script_id: Mapped[int | None] = mapped_column(
        ForeignKey("scripts.id", ondelete="SET NULL"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(32), default="processing")
    progress: Mapped[int] = mapped_column(Integer, default=10)
    message: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer, default=1)
    take_key: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class IdempotencyKey(Base):
    """§7.12: an upload's `Idempotency-Key`, per caller and route, with the answer to replay."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("caller", "route", "key", name="uq_idempotency_scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    caller: Mapped[str] = mapped_column(String(64))  # "user:<id>" or "anon:<client address>"
    route: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default="in_flight")  # in_flight | done
    status_code: Mapped[int | None] = mapped_column(Integer)
    response: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class Mix(Base):
    """A synthesized dub (§3.11) stored at `storage_key`."""

    __tablename__ = "mixes"
    __table_args__ = (Index("ix_mixes_user_token", "user_id", "token_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_id: Mapped[int] = mapped_column(ForeignKey("tokens.id", ondelete="CASCADE"))
    storage_key: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class VideoRequest(Base):
    __tablename__ = "video_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(10), default="심사중")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship()


class ServerFlag(Base):
    """One-time facts about this installation (e.g. that the demo scenes were installed once, so
    deleting one does not bring it back)."""

    __tablename__ = "server_flags"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
