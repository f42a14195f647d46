"""Server settings, read once from the environment, with embedded defaults that need nothing set:
SQLite (WAL) and a local object folder in the platform data folder, the in-process queue.

Every variable is `YOUSYNC_<FIELD>` except the de-facto standard `DATABASE_URL`. A bad value
stops the start with one line naming the variable (`ConfigError`), never a traceback.

The engines for objects, the queue and progress notices are built here by factories, so the app
factory only wires what it is handed (see app.py).
"""

from __future__ import annotations

import importlib
import logging
import os
import secrets
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from typing_extensions import Annotated

log = logging.getLogger(__name__)

GOOGLE_ISSUER = "https://accounts.google.com"


class ConfigError(Exception):
    """A setting that cannot be used; its text is the one line shown at start."""


def default_data_dir() -> Path:
    override = os.environ.get("YOUSYNC_SERVER_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("YouSyncServer", appauthor=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="YOUSYNC_", extra="ignore", populate_by_name=True,
                                      validate_default=True)

    data_dir: Path = Field(default_factory=default_data_dir,
                           validation_alias=AliasChoices("YOUSYNC_SERVER_DATA_DIR"))
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL"))
    # HS256 key of the access tokens; without one, a random key is kept in the data folder.
    jwt_secret: str | None = Field(default=None, min_length=32)
    access_token_minutes: int = Field(default=60, ge=1, le=24 * 60)
    refresh_token_days: int = Field(default=30, ge=1, le=365)
    # Sign-in (§3.1, §7.3): any OpenID Connect issuer, Google's by default.
    oidc_issuer: str = GOOGLE_ISSUER
    # OAuth client ids accepted as the ID token's `aud` (comma-separated in the environment).
    oidc_audiences: Annotated[list[str], NoDecode] = Field(default_factory=list)
    desktop_client_id: str | None = None
    oidc_keys_ttl_seconds: int = Field(default=3600, ge=0)
    # How the web process reaches objects, the queue and progress notices (engine modules).
    storage_dir: Path | None = None
    public_base_url: str | None = None
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    log_level: str = "INFO"
    install_demo_scenes: bool = True
    view_rate_per_minute: int = Field(default=60, ge=1)
    # Engines at scale (storage/, queue/): S3 when a bucket is named, SQS when a queue is.
    # AWS_ENDPOINT_URL and the AWS credential variables are boto3's own.
    s3_bucket: str | None = None
    s3_create_bucket: bool = False
    sqs_queue_url: str | None = None
    sqs_queue_name: str | None = None
    # Webhook HMAC secrets (§7.9), comma-separated (several while one is rotated). None set:
    # every webhook is refused.
    webhook_secrets: Annotated[list[str], NoDecode] = Field(default_factory=list)
    job_deadline_seconds: float = Field(default=300.0, gt=0)
    # Catalogue ingest (§3.14): the preprocessing pipeline's URL (unset: ingest jobs fail at
    # once), how long to wait for it to take a job, and for its webhook before the job fails.
    ingest_url: str | None = None
    ingest_timeout_seconds: float = Field(default=30.0, gt=0)
    ingest_deadline_seconds: float = Field(default=6 * 3600.0, gt=0)
    embedded_workers: int = Field(default=1, ge=0)  # analysis threads in the web process
    progress_poll_seconds: float = Field(default=1.0, gt=0)

    @field_validator("oidc_audiences", mode="before")
    @classmethod
    def _split_audiences(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("webhook_secrets", mode="before")
    @classmethod
    def _split_secrets(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if value.startswith("postgres://"):  # what Heroku-style platforms hand out
            value = "postgresql+psycopg://" + value[len("postgres://"):]
        elif value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value[len("postgresql://"):]
        if not value.startswith(("sqlite://", "postgresql+psycopg://")):
            raise ValueError("use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ValueError("one of DEBUG, INFO, WARNING, ERROR")
        return value.upper()

    @field_validator("ingest_url")
    @classmethod
    def _ingest_url_is_http(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not value.startswith(("https://", "http://")):
            raise ValueError("an http(s) URL")
        return value

    @field_validator("oidc_issuer")
    @classmethod
    def _issuer_is_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("an http(s) URL")
        return value.rstrip("/")

    # --- derived -------------------------------------------------------------------------------

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'yousync-server.sqlite3'}"

    @property
    def effective_storage_dir(self) -> Path:
        return self.storage_dir or self.data_dir / "objects"

    def signing_secret(self) -> str:
        """The access-token key: configured, or made once and kept (0600) in the data folder so
        sessions survive a restart."""
        if self.jwt_secret:
            return self.jwt_secret
        path = self.data_dir / "jwt-secret"
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secret)
        return secret


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment (and keyword overrides); ConfigError with one line if bad."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "settings"
        name = where if where.isupper() else f"YOUSYNC_{where.upper()}"
        if where == "database_url":
            name = "DATABASE_URL"
        raise ConfigError(f"configuration error: {name}: {first['msg']}") from None


# --- engines -------------------------------------------------------------------------------------
# The storage, queue and progress engines live in their own packages (yousync_server.storage,
# .queue, .progress), each exposing `from_settings(settings)`.

def _engine_module(name: str):
    try:
        return importlib.import_module(f"yousync_server.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"yousync_server.{name}":
            raise
        return None


def build_storage(settings: Settings):
    module = _engine_module("storage")
    return module.from_settings(settings) if module is not None else None


def build_queue(settings: Settings):
    module = _engine_module("queue")
    return module.from_settings(settings) if module is not None else None


def build_notifier(settings: Settings):
    module = _engine_module("progress")
    return module.from_settings(settings) if module is not None else None
