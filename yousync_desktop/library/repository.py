"""The local library: scenes (tokens with scripts, words, pitch and media files), takes and scores.

Media live as files under `<data>/media/`, never as blobs; rows hold paths relative to that folder.
Anything that writes files and rows does the files first in a staging folder and moves them into
place only inside the database transaction, so a failure leaves neither half.
"""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload, sessionmaker

from yousync_desktop.domain import Score, Script, Take, Token, Word
from yousync_desktop.domain.models import pitch_from_api, pitch_to_api
from yousync_desktop.errors import QT_TRANSLATE_NOOP, CodedError
from yousync_desktop.events import (
    ChangeEvent, EventBus, ScoreStored, TakeAdded, TakeChanged, TakeRemoved, TokenAdded,
    TokenRemoved,
)
from yousync_desktop.library import db
from yousync_desktop.library.schema import ScoreRow, ScriptRow, TakeRow, TokenRow
from yousync_desktop.settings import AppPaths

MEDIA_KINDS = ("video", "bgvoice", "vocal", "thumbnail")


class LibraryError(CodedError):
    """A library operation that cannot be done: a scene, line or take that is not there."""

    messages = {
        "library.no_scene": QT_TRANSLATE_NOOP("errors", "Scene {key} is not in the library."),
        "library.no_scene_named": QT_TRANSLATE_NOOP(
            "errors", "no scene '{ref}' in the library (see `yousync list`)"),
        "library.pack_id_taken": QT_TRANSLATE_NOOP(
            "errors", "A scene with pack id '{pack_id}' is already in the library."),
        "library.no_line": QT_TRANSLATE_NOOP("errors", "Line {line} is not part of this scene."),
        "library.no_take": QT_TRANSLATE_NOOP("errors", "Take {take} no longer exists."),
    }


@dataclass(frozen=True)
class TokenMedia:
    """Absolute paths of a scene's media files (None when the scene has none of that kind)."""

    video: Path | None
    bgvoice: Path | None
    vocal: Path | None
    thumbnail: Path | None


@dataclass(frozen=True)
class SceneSummary:
    """What the scene browser shows, without loading scripts and pitch."""

    key: int
    pack_id: str
    token_name: str
    actor_name: str
    category: str | None
    duration: float
    line_count: int
    thumbnail: Path | None


@dataclass(frozen=True)
class StoredScene:
    key: int
    pack_id: str
    content_hash: str
    token: Token
    media: TokenMedia


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Library:
    """`events` hears a typed notice after every commit that changes what a view shows (on the
    thread that made the change); without one, nobody is told."""

    def __init__(self, paths: AppPaths, *, events: EventBus | None = None):
        self.paths = paths
        self.events = events if events is not None else EventBus()
        self.media_dir = paths.media_dir
        self.media_dir.mkdir(parents=True, exist_ok=True)
        self._staging_root = self.media_dir / ".staging"
        self._discard_leftover_staging()
        self.engine = db.create_sqlite_engine(paths.database)
        db.upgrade_to_head(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Library":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    # --- staging -------------------------------------------------------------------------------

    def _discard_leftover_staging(self) -> None:
        # A crash between staging and commit leaves files nobody references; they are safe to drop.
        shutil.rmtree(self._staging_root, ignore_errors=True)

    def new_staging_dir(self) -> Path:
        """A private folder on the library's file system for files about to be added."""
        path = self._staging_root / uuid.uuid4().hex
        path.mkdir(parents=True)
        return path

    def _absolute(self, relative: str | None) -> Path | None:
        return None if relative is None else self.media_dir / relative

    # --- scenes --------------------------------------------------------------------------------

    def list_scenes(self) -> list[SceneSummary]:
        with self._sessions() as session:
            line_counts = dict(session.execute(
                select(ScriptRow.token_key, func.count()).group_by(ScriptRow.token_key)).all())
            rows = session.scalars(select(TokenRow).order_by(TokenRow.token_name, TokenRow.key))
            return [SceneSummary(
                key=row.key, pack_id=row.pack_id, token_name=row.token_name,
                actor_name=row.actor_name, category=row.category,
                duration=row.end_time - row.start_time, line_count=line_counts.get(row.key, 0),
                thumbnail=self._absolute(row.thumbnail_file)) for row in rows]

    def categories(self) -> list[str]:
        with self._sessions() as session:
            return sorted(c for c in session.scalars(select(TokenRow.category).distinct()) if c)

    def key_for_pack(self, pack_id: str) -> int | None:
        with self._sessions() as session:
            return session.scalar(select(TokenRow.key).where(TokenRow.pack_id == pack_id))

    def get_scene(self, key: int) -> StoredScene:
        with self._sessions() as session:
            row = session.get(TokenRow, key, options=[selectinload(TokenRow.scripts)])
            if row is None:
                raise LibraryError("library.no_scene", key=key)
            return self._scene_from_row(row)

    def _scene_from_row(self, row: TokenRow) -> StoredScene:
        token = Token(
            id=row.api_id, token_name=row.token_name, actor_name=row.actor_name,
            category=row.category, start_time=row.start_time, end_time=row.end_time,
            youtube_url=row.youtube_url, thumbnail_url=row.thumbnail_url,
            view_count=row.view_count, pitch=pitch_from_api(row.pitch),
            scripts=[Script(id=s.api_id, token_id=row.api_id, start_time=s.start_time,
                            end_time=s.end_time, script=s.script, translation=s.translation,
                            words=[Word.from_api(w) for w in (s.words or [])])
                     for s in row.scripts])
        media = TokenMedia(video=self._absolute(row.video_file),
                           bgvoice=self._absolute(row.bgvoice_file),
                           vocal=self._absolute(row.vocal_file),
                           thumbnail=self._absolute(row.thumbnail_file))
        return StoredScene(key=row.key, pack_id=row.pack_id, content_hash=row.content_hash,
                           token=token, media=media)

    def add_scene(self, token: Token, *, pack_id: str, content_hash: str,
                  staged_media: dict[str, Path]) -> int:
        """Add a scene whose media files sit in one staging folder (from `new_staging_dir`), keyed
        by kind ("video", "bgvoice", "vocal", "thumbnail"). The folder becomes the scene's media
        folder; on any failure it is removed and the database is untouched."""
        unknown = set(staged_media) - set(MEDIA_KINDS)
        if unknown:
            raise ValueError(f"unknown media kinds {sorted(unknown)}")
        folders = {p.parent for p in staged_media.values()}
        if len(folders) > 1 or any(f.parent != self._staging_root for f in folders):
            raise ValueError("staged media must sit together in one staging folder")
        staging = folders.pop() if folders else self.new_staging_dir()
        final_dir = self.media_dir / "scenes" / staging.name
        relative = {kind: f"scenes/{staging.name}/{path.name}" for kind, path in staged_media.items()}
        try:
            with self._sessions.begin() as session:
                if session.scalar(select(TokenRow.key).where(TokenRow.pack_id == pack_id)):
                    raise LibraryError("library.pack_id_taken", pack_id=pack_id)
                row = TokenRow(
                    pack_id=pack_id, content_hash=content_hash, api_id=token.id,
                    token_name=token.token_name, actor_name=token.actor_name,
                    category=token.category, start_time=token.start_time,
                    end_time=token.end_time, youtube_url=token.youtube_url,
                    thumbnail_url=token.thumbnail_url, view_count=token.view_count,
                    pitch=pitch_to_api(token.pitch), media_dir=f"scenes/{staging.name}",
                    video_file=relative.get("video"), bgvoice_file=relative.get("bgvoice"),
                    vocal_file=relative.get("vocal"), thumbnail_file=relative.get("thumbnail"),
                    added_at=_now(),
                    scripts=[ScriptRow(api_id=s.id, position=i, start_time=s.start_time,
                                       end_time=s.end_time, script=s.script,
                                       translation=s.translation,
                                       words=[w.to_api() for w in s.words])
                             for i, s in enumerate(token.scripts)])
                session.add(row)
                session.flush()
                key = row.key
                final_dir.parent.mkdir(parents=True, exist_ok=True)
                staging.rename(final_dir)  # last step before commit: a failure here rolls back
        except BaseException:
            if final_dir.exists() and not staging.exists():
                # The commit failed after the move: put nothing in the library at all.
                shutil.rmtree(final_dir, ignore_errors=True)
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self._publish(TokenAdded(key))
        return key

    def delete_scene(self, key: int) -> None:
        """Remove a scene, its takes and scores, and every file that belongs to them."""
        with self._sessions.begin() as session:
            row = session.get(TokenRow, key)
            if row is None:
                raise LibraryError("library.no_scene", key=key)
            take_files = list(session.scalars(select(TakeRow.audio_file)
                                              .where(TakeRow.token_key == key)))
            scene_dir = self.media_dir / row.media_dir
            session.delete(row)
            session.execute(TakeRow.__table__.delete().where(TakeRow.token_key == key))
        shutil.rmtree(scene_dir, ignore_errors=True)
        for relative in take_files:
            (self.media_dir / relative).unlink(missing_ok=True)
        shutil.rmtree(self.media_dir / "takes" / str(key), ignore_errors=True)
        self._publish(TokenRemoved(key))

    # --- takes and scores ----------------------------------------------------------------------

    def add_take(self, token_key: int, script_id: int, audio_file: Path, *, sample_rate: int,
                 duration: float, latency_ms: float | None = None,
                 metadata: dict | None = None) -> Take:
        """Move a finished recording into the library and record it."""
        with self._sessions.begin() as session:
            scene = session.get(TokenRow, token_key)
            if scene is None:
                raise LibraryError("library.no_scene", key=token_key)
            known = session.scalar(select(ScriptRow.key).where(
                ScriptRow.token_key == token_key, ScriptRow.api_id == script_id))
            if known is None:
                raise LibraryError("library.no_line", line=script_id)
            relative = f"takes/{token_key}/{uuid.uuid4().hex}{audio_file.suffix.lower()}"
            destination = self.media_dir / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            row = TakeRow(token_key=token_key, script_id=script_id, audio_file=relative,
                          sample_rate=sample_rate, duration=duration, latency_ms=latency_ms,
                          starred=False, created_at=_now(), meta=dict(metadata or {}))
            session.add(row)
            session.flush()
            shutil.move(audio_file, destination)
            take = self._take_from_row(row)
        self._publish(TakeAdded(token_key, script_id, take.id))
        return take

    def _take_from_row(self, row: TakeRow) -> Take:
        latest = row.scores[-1] if row.scores else None
        return Take(id=row.id, token_key=row.token_key, script_id=row.script_id,
                    audio_path=row.audio_file, sample_rate=row.sample_rate,
                    duration=row.duration, created_at=row.created_at.replace(tzinfo=timezone.utc),
                    starred=row.starred, latency_ms=row.latency_ms, metadata=dict(row.meta or {}),
                    score=Score.from_json(latest.detail) if latest else None)

    def take_audio_path(self, take: Take) -> Path:
        return self.media_dir / take.audio_path

    def takes(self, token_key: int, script_id: int | None = None) -> list[Take]:
        with self._sessions() as session:
            query = (select(TakeRow).options(selectinload(TakeRow.scores))
                     .where(TakeRow.token_key == token_key).order_by(TakeRow.id))
            if script_id is not None:
                query = query.where(TakeRow.script_id == script_id)
            return [self._take_from_row(row) for row in session.scalars(query)]

    def set_starred(self, take_id: int, starred: bool) -> None:
        """Star one take as the line's best; starring a take un-stars the line's others."""
        with self._sessions.begin() as session:
            row = session.get(TakeRow, take_id)
            if row is None:
                raise LibraryError("library.no_take", take=take_id)
            if starred:
                for other in session.scalars(select(TakeRow).where(
                        TakeRow.token_key == row.token_key, TakeRow.script_id == row.script_id)):
                    other.starred = False
            row.starred = starred
            changed = TakeChanged(row.token_key, row.script_id, take_id)
        self._publish(changed)

    def delete_take(self, take_id: int) -> None:
        with self._sessions.begin() as session:
            row = session.get(TakeRow, take_id)
            if row is None:
                return
            relative = row.audio_file
            removed = TakeRemoved(row.token_key, row.script_id, take_id)
            session.delete(row)
        (self.media_dir / relative).unlink(missing_ok=True)
        self._publish(removed)

    def add_score(self, take_id: int, score: Score) -> None:
        with self._sessions.begin() as session:
            take_row = session.get(TakeRow, take_id)
            if take_row is None:
                raise LibraryError("library.no_take", take=take_id)
            stored = ScoreStored(take_row.token_key, take_row.script_id, take_id, score.source)
            session.add(ScoreRow(take_id=take_id, source=score.source,
                                 overall_score=score.overall_score,
                                 pronunciation=score.pronunciation, intonation=score.intonation,
                                 timing=score.timing, detail=score.to_json(), created_at=_now()))
        self._publish(stored)

    def _publish(self, event: ChangeEvent) -> None:
        self.events.publish(event)

    def scores(self, take_id: int) -> list[Score]:
        with self._sessions() as session:
            details = session.scalars(select(ScoreRow.detail).where(ScoreRow.take_id == take_id)
                                      .order_by(ScoreRow.id))
            return [Score.from_json(d) for d in details]


__all__ = ["Library", "LibraryError", "MEDIA_KINDS", "SceneSummary", "StoredScene", "TokenMedia"]
