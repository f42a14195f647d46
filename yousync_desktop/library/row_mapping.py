"""Between the library's rows (library/schema.py) and what the rest of the app reads: the domain's
Token and Take, and the repository's own result shapes. Plus the small record each scene folder
keeps of itself, so a lost database can be rebuilt from the media folders (library/rebuild.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from yousync_desktop.domain import Score, Script, Take, Token, Word
from yousync_desktop.domain.models import pitch_from_api, pitch_to_api
from yousync_desktop.library.schema import ScriptRow, TakeRow, TokenRow

SCENE_RECORD = "scene.json"  # key, pack id and content hash of the scene the folder holds


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


def scene_from_row(row: TokenRow, absolute: Callable[[str | None], Path | None], *,
                   with_pitch: bool = True) -> StoredScene:
    """`with_pitch=False`: the row's pitch column was deferred (not read); token.pitch is None."""
    token = Token(
        id=row.api_id, token_name=row.token_name, actor_name=row.actor_name,
        category=row.category, start_time=row.start_time, end_time=row.end_time,
        youtube_url=row.youtube_url, thumbnail_url=row.thumbnail_url,
        view_count=row.view_count, pitch=pitch_from_api(row.pitch) if with_pitch else None,
        scripts=[Script(id=s.api_id, token_id=row.api_id, start_time=s.start_time,
                        end_time=s.end_time, script=s.script, translation=s.translation,
                        words=[Word.from_api(w) for w in (s.words or [])])
                 for s in row.scripts])
    media = TokenMedia(video=absolute(row.video_file), bgvoice=absolute(row.bgvoice_file),
                       vocal=absolute(row.vocal_file), thumbnail=absolute(row.thumbnail_file))
    return StoredScene(key=row.key, pack_id=row.pack_id, content_hash=row.content_hash,
                       token=token, media=media)


def scene_row(token: Token, *, pack_id: str, content_hash: str, folder: str,
              files: dict[str, str], added_at: datetime, key: int | None = None) -> TokenRow:
    """A scene's row; `files` holds its media by kind, relative to the media folder."""
    return TokenRow(
        key=key, pack_id=pack_id, content_hash=content_hash, api_id=token.id,
        token_name=token.token_name, actor_name=token.actor_name, category=token.category,
        start_time=token.start_time, end_time=token.end_time,
        youtube_url=token.youtube_url, thumbnail_url=token.thumbnail_url,
        view_count=token.view_count, pitch=pitch_to_api(token.pitch),
        media_dir=f"scenes/{folder}", video_file=files.get("video"),
        bgvoice_file=files.get("bgvoice"), vocal_file=files.get("vocal"),
        thumbnail_file=files.get("thumbnail"), added_at=added_at,
        scripts=[ScriptRow(api_id=s.id, position=i, start_time=s.start_time,
                           end_time=s.end_time, script=s.script, translation=s.translation,
                           words=[w.to_api() for w in s.words])
                 for i, s in enumerate(token.scripts)])


def take_from_row(row: TakeRow) -> Take:
    latest = row.scores[-1] if row.scores else None
    return Take(id=row.id, token_key=row.token_key, script_id=row.script_id,
                audio_path=row.audio_file, sample_rate=row.sample_rate,
                duration=row.duration, created_at=row.created_at.replace(tzinfo=timezone.utc),
                starred=row.starred, latency_ms=row.latency_ms, metadata=dict(row.meta or {}),
                score=Score.from_json(latest.detail) if latest else None)


def write_scene_record(folder: Path, *, key: int, pack_id: str, content_hash: str,
                       added_at: datetime | None) -> None:
    """What a rebuild needs beyond the pack's manifest: the scene's key (its takes' folder is
    named after it), pack id, content hash and when it was added."""
    record = {"key": key, "pack_id": pack_id, "content_hash": content_hash,
              "added_at": added_at.isoformat() if added_at else None}
    (Path(folder) / SCENE_RECORD).write_text(json.dumps(record, indent=2) + "\n",
                                              encoding="utf-8")


def write_row_record(folder: Path, row: TokenRow) -> None:
    write_scene_record(folder, key=row.key, pack_id=row.pack_id, content_hash=row.content_hash,
                       added_at=row.added_at)
