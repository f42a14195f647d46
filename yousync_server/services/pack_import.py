"""Scene packs into the server's catalogue: `yousync-server import-pack` and the demo scenes on
first start.

The desktop's reader (yousync_desktop.library.scene_pack.import_pack) does all the checking —
archive safety, manifest, timeline, media probes — against a small "library" interface; the
ServerCatalogue below implements that interface over the server's database and object storage,
so a pack the desktop refuses is refused here with the same one line, and nothing is written.

Objects go to storage through `put_object(key, path)`; the token row and its scripts and words
are committed only after every object is stored, so a storage failure leaves no half scene.
"""

from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from yousync_desktop.domain import Token as DomainToken
from yousync_desktop.domain import pitch_to_api
from yousync_desktop.library.repository import LibraryError
from yousync_desktop.library.scene_pack import ImportResult, import_pack
from yousync_server.db.models import Script, ServerFlag, Token, Word
from yousync_server.services.catalogue import link_actor, register_source_video

PutObject = Callable[[str, Path], None]
DEMO_FLAG = "demo_scenes_installed"


@dataclass(frozen=True)
class _StoredToken:
    token_name: str


@dataclass(frozen=True)
class _StoredScene:
    content_hash: str
    token: _StoredToken


class ServerCatalogue:
    """The calls scene_pack.import_pack makes on a library, over the server's tables."""

    def __init__(self, sessions: sessionmaker[Session], put_object: PutObject, staging_root: Path):
        self.sessions = sessions
        self.put_object = put_object
        self.staging_root = Path(staging_root)

    def new_staging_dir(self) -> Path:
        path = self.staging_root / uuid.uuid4().hex
        path.mkdir(parents=True)
        return path

    def discard_staging(self, folder: Path) -> None:
        """A staging folder the importer no longer needs (a refused or unchanged pack)."""
        shutil.rmtree(folder, ignore_errors=True)

    def key_for_pack(self, pack_id: str) -> int | None:
        with self.sessions() as session:
            return session.scalar(select(Token.id).where(Token.pack_id == pack_id))

    def get_scene(self, key: int) -> _StoredScene:
        with self.sessions() as session:
            token = session.get(Token, key)
            if token is None:
                raise LibraryError("library.no_scene", key=key)
            return _StoredScene(content_hash=token.content_hash or "",
                                token=_StoredToken(token.token_name))

    def add_scene(self, token: DomainToken, *, pack_id: str, content_hash: str,
                  staged_media: dict[str, Path]) -> int:
        prefix = f"catalogue/{pack_id}"
        keys = {kind: f"{prefix}/{kind}{PurePosixPath(path.name).suffix}"
                for kind, path in staged_media.items()}
        staging = next(iter(staged_media.values())).parent if staged_media else None
        try:
            with self.sessions() as session:
                if session.scalar(select(Token.id).where(Token.pack_id == pack_id)) is not None:
                    raise LibraryError("library.pack_id_taken", pack_id=pack_id)
                pitch = pitch_to_api(token.pitch)
                row = Token(
                    token_name=token.token_name, actor_name=token.actor_name,
                    category=token.category, start_time=token.start_time,
                    end_time=token.end_time, youtube_url=token.youtube_url,
                    thumbnail_url=token.thumbnail_url, view_count=token.view_count,
                    s3_bgvoice_url=keys.get("bgvoice"), video_key=keys.get("video"),
                    vocal_key=keys.get("vocal"), thumbnail_key=keys.get("thumbnail"),
                    s3_pitch_url=f"{prefix}/pitch.json" if pitch is not None else None,
                    pitch=pitch, pack_id=pack_id, content_hash=content_hash,
                    scripts=[Script(start_time=s.start_time, end_time=s.end_time,
                                    script=s.script, translation=s.translation,
                                    words=[Word(start_time=w.start_time, end_time=w.end_time,
                                                word=w.word, probability=w.probability)
                                           for w in s.words])
                             for s in token.scripts])
                session.add(row)
                session.flush()
                link_actor(session, row, token.actor_name)
                if token.youtube_url:
                    register_source_video(session, token.youtube_url)
                for kind, path in staged_media.items():
                    self.put_object(keys[kind], path)
                if pitch is not None and staging is not None:
                    pitch_file = staging / "pitch.json"
                    pitch_file.write_text(json.dumps(pitch), encoding="utf-8")
                    self.put_object(row.s3_pitch_url, pitch_file)
                session.commit()
                return row.id
        finally:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)


def import_scene_pack(sessions: sessionmaker[Session], put_object: PutObject, staging_root: Path,
                      pack_path: Path) -> ImportResult:
    """Import one pack; PackError (one line) when it is refused."""
    return import_pack(ServerCatalogue(sessions, put_object, staging_root), Path(pack_path))


def install_demo_scenes_once(sessions: sessionmaker[Session], put_object: PutObject,
                             staging_root: Path, packs: list[Path]) -> list[ImportResult] | None:
    """The bundled demo scenes on a server's first start; None when that already happened (an
    operator who deleted a demo token does not get it back)."""
    with sessions() as session:
        if session.get(ServerFlag, DEMO_FLAG) is not None:
            return None
    results = [import_scene_pack(sessions, put_object, staging_root, pack) for pack in packs]
    with sessions() as session:
        session.merge(ServerFlag(name=DEMO_FLAG, value=",".join(p.stem for p in packs)))
        session.commit()
    return results
