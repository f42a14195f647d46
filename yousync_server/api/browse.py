"""/api/urls (§3.13) and /api/duet (§3.10): finding scenes by their source video."""

from __future__ import annotations

from fastapi import APIRouter, Request

from yousync_desktop.sync import contract
from yousync_server.api.deps import DbSession
from yousync_server.api.tokens import links
from yousync_server.services import catalogue

router = APIRouter(tags=["urls", "duet"])


@router.post("/api/urls/check", response_model=contract.UrlExists)
def check_url(body: contract.UrlCheck, session: DbSession):
    return contract.UrlExists(exists=catalogue.url_exists(session, body.youtube_url))


@router.get("/api/urls/tokens", response_model=list[contract.Token])
def tokens_of_url(youtube_url: str, request: Request, session: DbSession):
    return links(request).tokens(catalogue.tokens_of_url(session, youtube_url))


@router.get("/api/duet/scenes", response_model=list[contract.DuetScene])
def duet_scenes(request: Request, session: DbSession):
    media = links(request)
    return [contract.DuetScene(youtube_url=url, thumbnail_url=media.thumbnail_url(pair[0]),
                               scene_title=pair[0].token_name, duet_pair=media.tokens(pair))
            for url, pair in catalogue.duet_pairs(session)]
