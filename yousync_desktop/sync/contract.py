"""The YouSync HTTP API's JSON shapes as pydantic models, shared by the server (response and
request schemas at its edge) and the desktop's sync client (parsing what a server sends).

Field names are the wire names of docs/yousync-api.md §3; a field is nullable wherever the public
backend may send null, so a client built on these parses the public deployment too. Fields our
server adds (§7) are optional with a default, so they may be absent. Pydantic only: no I/O, no Qt,
no SQLAlchemy, so both sides can import it without pulling in the other's world.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator


class WireModel(BaseModel):
    # Extra fields are ignored: a newer server may add fields an older client does not know.
    model_config = ConfigDict(extra="ignore", from_attributes=True)


# --- catalogue (§3.0) ----------------------------------------------------------------------------

class Word(WireModel):
    id: int
    script_id: int
    start_time: float | None = None
    end_time: float | None = None
    word: str | None = None
    probability: float | None = None


class Script(WireModel):
    id: int
    token_id: int
    start_time: float
    end_time: float
    script: str
    translation: str | None = None
    words: list[Word] = Field(default_factory=list)


class PitchPoint(WireModel):
    time: float
    hz: float | None = None


class Token(WireModel):
    id: int
    token_name: str
    actor_name: str
    category: str | None = None
    start_time: float
    end_time: float
    youtube_url: str | None = None
    thumbnail_url: str | None = None
    view_count: int = 0
    s3_textgrid_url: str | None = None
    s3_pitch_url: str | None = None
    s3_bgvoice_url: str | None = None


class TokenDetail(Token):
    bgvoice_url: str | None = None
    # §7.13, additive: presigned URLs of the clip video and the actor's vocal (null when absent).
    video_url: str | None = None
    vocal_url: str | None = None
    pitch: list[PitchPoint] | None = None
    scripts: list[Script] = Field(default_factory=list)


# Largest id a client may send: the database's INTEGER.
MAX_ID = 2**31 - 1


class WriteModel(WireModel):
    """A request body that is stored: no NaN or infinity (JSON parsers accept them) and no NUL
    character (PostgreSQL text cannot hold one), so both databases take the same bodies."""

    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value):
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("text must not contain a NUL character")
        return value


class TokenWrite(WriteModel):
    """POST/PUT /api/tokens/: Token fields without `id` (a PUT replaces them all)."""

    token_name: str = Field(min_length=1, max_length=300)
    actor_name: str = Field(min_length=1, max_length=200)
    category: str | None = Field(default=None, max_length=100)
    start_time: float
    end_time: float
    youtube_url: str | None = Field(default=None, max_length=500)
    thumbnail_url: str | None = Field(default=None, max_length=2000)
    view_count: int = Field(default=0, ge=0, le=MAX_ID)
    s3_textgrid_url: str | None = Field(default=None, max_length=1000)
    s3_pitch_url: str | None = Field(default=None, max_length=1000)
    s3_bgvoice_url: str | None = Field(default=None, max_length=1000)


class ViewCount(WireModel):
    token_id: int
    view_count: int


class ScriptWrite(WriteModel):
    token_id: int = Field(le=MAX_ID)
    start_time: float
    end_time: float
    script: str = Field(min_length=1, max_length=5000)
    translation: str | None = Field(default=None, max_length=5000)


class Actor(WireModel):
    id: int
    name: str


class ActorWrite(WriteModel):
    name: str = Field(min_length=1, max_length=200)


class Detail(WireModel):
    detail: str


# --- auth (§3.1, §7.2) ---------------------------------------------------------------------------

class GoogleLogin(WireModel):
    id_token: str = Field(min_length=1)


class AccessToken(WireModel):
    access_token: str
    token_type: str = "bearer"
    # §7.2, additive: absent from the public deployment's answers.
    expires_in: int | None = None
    refresh_token: str | None = None


class RefreshRequest(WireModel):
    refresh_token: str | None = None


class LogoutRequest(WireModel):
    refresh_token: str | None = None


class LogoutResult(WireModel):
    message: str
    user_id: int


class User(WireModel):
    id: int
    email: str
    google_id: str | None = None
    full_name: str | None = None
    profile_picture: str | None = None
    is_active: bool = True
    login_type: str = "google"
    created_at: datetime
    updated_at: datetime | None = None


class AuthConfig(WireModel):
    """GET /api/auth/config (our server only): where a desktop client signs in. Public values."""

    issuer: str
    desktop_client_id: str | None = None


# --- my page (§3.8) ------------------------------------------------------------------------------

class BookmarkCreate(WireModel):
    token_id: int = Field(ge=1, le=MAX_ID)


class BookmarkCreated(WireModel):
    token_id: int


class BookmarkToken(WireModel):
    id: int
    token_name: str
    actor_name: str
    category: str | None = None
    thumbnail_url: str | None = None
    youtube_url: str | None = None


class Bookmark(WireModel):
    id: int
    user_id: int
    token_id: int
    created_at: datetime
    token: BookmarkToken


class DubbedToken(WireModel):
    token_id: int
    token_name: str
    actor_name: str
    category: str | None = None
    youtube_url: str | None = None
    last_dubbed_at: datetime | None = None
    total_scripts: int
    completed_scripts: int


class Overview(WireModel):
    user_info: User
    total_bookmarks: int
    total_dubbed_tokens: int
    total_practice_count: int
    average_completion_rate: float
    recent_bookmarks: list[Bookmark]
    recent_dubbed_tokens: list[DubbedToken]


# --- score (§3.9) --------------------------------------------------------------------------------

class UserAverage(WireModel):
    user_id: int
    average_score: float


class TokenScore(WireModel):
    token_id: int
    average_score: float


class Recorder(WireModel):
    user_id: int
    email: str
    full_name: str | None = None
    profile_picture: str | None = None
    recording_count: int


class Leaderboard(WireModel):
    users: list[Recorder]


# --- duet, requests, urls, root (§3.10, §3.12, §3.13, §3.15) ------------------------------------

class DuetScene(WireModel):
    youtube_url: str
    thumbnail_url: str | None = None
    scene_title: str
    duet_pair: list[Token]


class VideoRequestCreate(WriteModel):
    actor: str = Field(min_length=1, max_length=200)
    content: str = Field(min_length=1, max_length=5000)
    url: str = Field(min_length=1, max_length=1000)


class VideoRequest(WireModel):
    id: int
    actor: str
    content: str
    url: str
    status: str
    date: datetime
    requester: str


class VideoRequestStatus(WriteModel):
    status: str


class UrlCheck(WriteModel):
    youtube_url: str


class UrlExists(WireModel):
    exists: bool


class Root(WireModel):
    message: str
    docs: str = "/docs"
    redoc: str = "/redoc"
    version: str = "1.0.0"


class Health(WireModel):
    status: str
    service: str = "token-script-api"


# The job shapes live in contract_jobs.py (the same rules); named here too, so that every wire
# shape is `contract.<Name>` for both sides.
from yousync_desktop.sync.contract_jobs import (  # noqa: E402 - after WireModel, which it uses
    Job,
    ScriptResult,
    AnalysisStatus,
    ScriptUploadAccepted,
    TokenInfo,
    TokenUploadAccepted,
    BatchUploadAccepted,
    BatchItem,
    BatchSummary,
    BatchProgress,
    QueueInfo,
    QueueStatus,
    Message,
    WebhookReceived,
    SynthesizeResult,
    DubbingUrl,
    UserAudio,
    UserAudios,
)
