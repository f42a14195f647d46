"""The learner's dub of a token (§3.11): the token's background track with each of the learner's
stored takes at its line, the actor's vocal elsewhere — the desktop's mix
(`yousync_desktop.analysis.mixing`), so the server's dub sounds like the app's (loudness matched,
peaks limited). Takes are decoded by their content whatever their extension (§7.8). Each take's
sample 0 is its line's start (the contract's trimmed takes). Blocking: routes run it in a thread."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from yousync_desktop.analysis.audio_io import load_mono
from yousync_server.db.models import Mix, Token as TokenRow, User
from yousync_server.services.errors import NotFound, ServiceError, Unavailable
from yousync_server.services.job_engine import _domain_token
from yousync_server.storage import ObjectNotFound, StorageError
from yousync_server.storage.keys import (bgvoice_key, mix_key, reference_key, user_takes_prefix,
                                         video_id, vocal_key)
from yousync_server.uploads.formats import NotAudio, load_mono_any

MIX_SECONDS = 3600
TAKE_PREFERENCE = ("wav", "flac", "ogg", "mp3", "m4a", "aac")   # one take per line


class MediaMissing(ServiceError):
    status_code = 500   # the contract's answer when bgvoice or vocal is missing


def user_takes(storage, user_id: int, token_id: int) -> dict[int, str]:
    """script id → the stored take's key (a .wav first when a line has several)."""
    chosen: dict[int, str] = {}
    prefix = user_takes_prefix(user_id, token_id)
    for key in storage.list(prefix):
        stem, _, ext = key[len(prefix):].rpartition(".")
        if not stem.isdigit() or ext not in TAKE_PREFERENCE:
            continue
        current = chosen.get(int(stem))
        if current is None or (TAKE_PREFERENCE.index(ext)
                               < TAKE_PREFERENCE.index(current.rpartition(".")[2])):
            chosen[int(stem)] = key
    return chosen


def _media_keys(row: TokenRow) -> tuple[str, str]:
    """The token's own stored tracks, else the contract's `{actor}/{video_id}/0/…` layout."""
    if row.s3_bgvoice_url and row.vocal_key:
        return reference_key(row.s3_bgvoice_url), reference_key(row.vocal_key)
    video = video_id(row.youtube_url)
    if video is None:
        raise NotFound("Token not found")
    return bgvoice_key(row.actor_name, video), vocal_key(row.actor_name, video)


def synthesize(sessions: sessionmaker[Session], storage, user: User, token_id: int) -> str:
    """Render, store and record the mix; its key."""
    # Imported here: the mixer brings scipy, which a web process that never mixes need not hold
    # in memory (benchmarks.server measures its RSS).
    from yousync_desktop.analysis.mixing import MixTake, render_dub_mix, write_mix

    with sessions() as session:
        row = session.get(TokenRow, token_id)
        if row is None:
            raise NotFound("Token not found")
        token = _domain_token(row)
        background, vocal = _media_keys(row)
    try:
        takes = user_takes(storage, user.id, token_id)
        takes = {script_id: key for script_id, key in takes.items()
                 if any(s.id == script_id for s in token.scripts)}
        if not takes:
            raise NotFound("녹음된 오디오가 없습니다")
        with tempfile.TemporaryDirectory(prefix="synthesize-") as scratch:
            folder = Path(scratch)
            try:
                bg_path = storage.download_to(background, folder / ("bg" + Path(background).suffix))
                vocal_path = storage.download_to(vocal, folder / ("vocal" + Path(vocal).suffix))
            except ObjectNotFound:
                raise MediaMissing("배경음 또는 보컬 파일이 없습니다") from None
            bg_audio, rate = load_mono(bg_path)
            vocal_audio = load_mono(vocal_path, rate)[0]
            scripts = {s.id: s for s in token.scripts}
            mix_takes = []
            for script_id, key in sorted(takes.items()):
                path = storage.download_to(key, folder / f"take-{script_id}")
                try:
                    audio, take_rate = load_mono_any(path)
                except NotAudio:
                    continue  # a damaged take: the actor keeps that line
                mix_takes.append(MixTake(script_id, audio, take_rate,
                                         scripts[script_id].start_time))
            mix = render_dub_mix(token, bg_audio, vocal_audio, rate, mix_takes)
            out = write_mix(folder / "mix.wav", mix, rate)
            key = mix_key(user.id, token_id, str(uuid.uuid4()))
            storage.put_file(key, out, "audio/wav")
    except StorageError:
        raise Unavailable("저장소를 사용할 수 없습니다") from None
    with sessions() as session:
        session.add(Mix(user_id=user.id, token_id=token_id, storage_key=key))
        session.commit()
    return key


def latest_mix(sessions: sessionmaker[Session], user: User, token_id: int) -> str:
    with sessions() as session:
        key = session.scalars(select(Mix.storage_key).where(
            Mix.user_id == user.id, Mix.token_id == token_id)
            .order_by(Mix.created_at.desc(), Mix.id.desc()).limit(1)).first()
    if key is None:
        raise NotFound("더빙 파일이 없습니다")
    return key
