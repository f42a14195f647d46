"""The learner's dub and takes (§3.11): synthesize a mix, the newest mix, the stored takes.
Presigned links live 3600 s; a local store's relative links are made absolute from the request."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request

from yousync_desktop.sync import contract
from yousync_server.api.job_deps import Caller
from yousync_server.services import synthesize as dub
from yousync_server.services.errors import Unavailable
from yousync_server.services.media_links import MediaLinks
from yousync_server.storage import StorageError

router = APIRouter(tags=["synthesize"])


def _links(request: Request) -> MediaLinks:
    base = request.app.state.settings.public_base_url or str(request.base_url)
    return MediaLinks(request.app.state.storage, base)


@router.post("/api/synthesize/{token_id}", response_model=contract.SynthesizeResult)
async def synthesize(token_id: int, request: Request, user: Caller):
    state = request.app.state
    key = await asyncio.to_thread(dub.synthesize, state.sessions, state.storage, user, token_id)
    url = await asyncio.to_thread(_links(request).url, key, dub.MIX_SECONDS)
    return contract.SynthesizeResult(status="success", message="더빙 오디오가 생성되었습니다",
                                     dubbing_audio_url=url)


@router.get("/api/tokens/{token_id}/latest-dubbing/", response_model=contract.DubbingUrl)
async def latest_dubbing(token_id: int, request: Request, user: Caller):
    key = await asyncio.to_thread(dub.latest_mix, request.app.state.sessions, user, token_id)
    return contract.DubbingUrl(url=await asyncio.to_thread(_links(request).url, key,
                                                           dub.MIX_SECONDS))


@router.get("/api/tokens/{token_id}/user-audios", response_model=contract.UserAudios)
async def user_audios(token_id: int, request: Request, user: Caller):
    links = _links(request)

    def read():
        takes = dub.user_takes(request.app.state.storage, user.id, token_id)
        return [contract.UserAudio(script_id=script_id, url=links.url(key, dub.MIX_SECONDS))
                for script_id, key in sorted(takes.items())]
    try:
        return contract.UserAudios(audios=await asyncio.to_thread(read))
    except StorageError:
        raise Unavailable("저장소를 사용할 수 없습니다") from None
