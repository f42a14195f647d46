"""Tables of the local library (SQLAlchemy 2 declarative). Media live as files beside the database;
rows hold paths relative to the library's media folder. Changes here need an Alembic migration in
`migrations/versions/` — a test compares the two."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class TokenRow(Base):
    __tablename__ = "tokens"

    key: Mapped[int] = mapped_column(Integer, primary_key=True)
    pack_id: Mapped[str] = mapped_column(String(100), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    api_id: Mapped[int] = mapped_column(Integer)
    token_name: Mapped[str] = mapped_column(Text)
    actor_name: Mapped[str] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(Text)
    start_time: Mapped[float] = mapped_column(Float)
    end_time: Mapped[float] = mapped_column(Float)
    youtube_url: Mapped[str | None] = mapped_column(Text)
    thumbnail_url: Mapped[str | None] = mapped_column(Text)
    view_count: Mapped[int] = mapped_column(Integer, default=0)
    pitch: Mapped[list | None] = mapped_column(JSON)  # [{"time","hz"}], absolute timeline
    media_dir: Mapped[str] = mapped_column(Text)      # relative to the media folder
    video_file: Mapped[str | None] = mapped_column(Text)
    bgvoice_file: Mapped[str | None] = mapped_column(Text)
    vocal_file: Mapped[str | None] = mapped_column(Text)
    thumbnail_file: Mapped[str | None] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(DateTime)

    scripts: Mapped[list["ScriptRow"]] = relationship(
        back_populates="token", cascade="all, delete-orphan", order_by="ScriptRow.position")


class ScriptRow(Base):
    __tablename__ = "scripts"
    __table_args__ = (UniqueConstraint("token_key", "api_id"),)

    key: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_key: Mapped[int] = mapped_column(ForeignKey("tokens.key", ondelete="CASCADE"), index=True)
    api_id: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    start_time: Mapped[float] = mapped_column(Float)
    end_time: Mapped[float] = mapped_column(Float)
    script: Mapped[str] = mapped_column(Text)
    translation: Mapped[str | None] = mapped_column(Text)
    words: Mapped[list | None] = mapped_column(JSON)  # [Word] in the API's shape

    token: Mapped[TokenRow] = relationship(back_populates="scripts")


class TakeRow(Base):
    __tablename__ = "takes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_key: Mapped[int] = mapped_column(ForeignKey("tokens.key", ondelete="CASCADE"), index=True)
    script_id: Mapped[int] = mapped_column(Integer)  # the script's API id within the token
    audio_file: Mapped[str] = mapped_column(Text)    # relative to the media folder
    sample_rate: Mapped[int] = mapped_column(Integer)
    duration: Mapped[float] = mapped_column(Float)
    latency_ms: Mapped[float | None] = mapped_column(Float)
    starred: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    meta: Mapped[dict] = mapped_column("metadata", JSON, default=dict)
    # "complete"; "pending" while its file is moved in (library/take_saving.py); "missing" when
    # start-up repair found its file gone (library/reconcile.py). Only complete takes are listed.
    status: Mapped[str] = mapped_column(String(16), default="complete",
                                        server_default="complete")
    # While pending: where the file was recorded, relative to the data folder (or absolute).
    incoming_file: Mapped[str | None] = mapped_column(Text)

    scores: Mapped[list["ScoreRow"]] = relationship(
        back_populates="take", cascade="all, delete-orphan", order_by="ScoreRow.id")


class ScoreRow(Base):
    __tablename__ = "scores"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    take_id: Mapped[int] = mapped_column(ForeignKey("takes.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(16))  # "quick" or "server"
    overall_score: Mapped[float] = mapped_column(Float)
    pronunciation: Mapped[float | None] = mapped_column(Float)
    intonation: Mapped[float | None] = mapped_column(Float)
    timing: Mapped[float | None] = mapped_column(Float)
    detail: Mapped[dict] = mapped_column(JSON)  # Score.to_json()
    created_at: Mapped[datetime] = mapped_column(DateTime)

    take: Mapped[TakeRow] = relationship(back_populates="scores")


class OutboxRow(Base):
    """A take marked for the server's analysis, and what became of it (library/outbox.py). The
    row's id is the upload's Idempotency-Key, so a retry after a crash cannot make a second job;
    `job_id` is the client's own job → take → script map (the public backend's results carry no
    script_id)."""

    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("take_id", "profile"),
                      UniqueConstraint("profile", "job_id"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    take_id: Mapped[int] = mapped_column(ForeignKey("takes.id", ondelete="CASCADE"), index=True)
    profile: Mapped[str] = mapped_column(String(60))   # the server profile it goes to
    token_key: Mapped[int] = mapped_column(Integer)
    script_id: Mapped[int] = mapped_column(Integer)    # the script's API id
    # queued → uploading → analysing → completed | failed
    state: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    job_id: Mapped[str | None] = mapped_column(String(64))
    progress: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    error_code: Mapped[str | None] = mapped_column(String(64))   # a SyncError code when failed
    error_reason: Mapped[str | None] = mapped_column(Text)       # the server's own words
    last_event_id: Mapped[str | None] = mapped_column(String(32))
    result: Mapped[dict | None] = mapped_column(JSON)            # the whole job result, verbatim
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
