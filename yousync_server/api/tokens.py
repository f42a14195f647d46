"""/api/tokens: browsing, detail, related, view counter (§3.2) and the admin catalogue writes
(§7.11). The job routes under /api/tokens come with the job engine's router."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from yousync_desktop.sync import contract
from yousync_server.api.deps import AdminUser, DbSession, RowId, Skip
from yousync_server.services import catalogue
from yousync_server.services.errors import NotFound
from yousync_server.services.media_links import MediaLinks
from yousync_server.services.read_cache import ReadCache

router = APIRouter(prefix="/api/tokens", tags=["tokens"])

Limit = Annotated[int, Query(ge=0, le=1000)]


def links(request: Request) -> MediaLinks:
    return MediaLinks(request.app.state.storage, _base_url(request))


def _base_url(request: Request) -> str:
    return request.app.state.settings.public_base_url or str(request.base_url)


def read_cache(request: Request) -> ReadCache:
    """This app's cache of rendered catalogue answers, made on first use."""
    cache = getattr(request.app.state, "catalogue_cache", None)
    if cache is None:
        cache = request.app.state.catalogue_cache = ReadCache()
    return cache


def _json(model_or_list) -> bytes:
    if isinstance(model_or_list, list):
        data = [item.model_dump(mode="json") for item in model_or_list]
    else:
        data = model_or_list.model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


async def _cached(request: Request, key, render) -> Response:
    """The answer from the read cache; `render(session)` gives the models when it is not there.

    A hit is answered on the event loop with no database session and no thread hand-off (both
    cost more than the answer itself, and these are the most read routes); a render runs in the
    thread pool with a session of its own (ReadCache.serve)."""
    def render_with_session() -> bytes:
        with request.app.state.sessions() as session:
            return _json(render(session))
    body = await read_cache(request).serve((key, _base_url(request)), render_with_session)
    return Response(body, media_type="application/json")


@router.get("/", response_model=list[contract.Token])
async def list_tokens(request: Request, skip: Skip = 0, limit: Limit = 100):
    return await _cached(request, ("list", skip, limit), lambda session: links(request).tokens(
        catalogue.list_tokens(session, "id", skip, limit)))


@router.get("/latest/", response_model=list[contract.Token])
def latest(request: Request, session: DbSession, skip: Skip = 0, limit: Limit = 100):
    return links(request).tokens(catalogue.list_tokens(session, "latest", skip, limit))


@router.get("/popular/", response_model=list[contract.Token])
def popular(request: Request, session: DbSession, skip: Skip = 0, limit: Limit = 100):
    return links(request).tokens(catalogue.list_tokens(session, "popular", skip, limit))


@router.get("/sync-collection/", response_model=list[contract.Token])
def sync_collection(request: Request, session: DbSession, skip: Skip = 0, limit: Limit = 100):
    return links(request).tokens(catalogue.sync_collection(session, skip, limit))


@router.get("/category/{category}/", response_model=list[contract.Token])
def by_category(category: str, request: Request, session: DbSession, skip: Skip = 0,
                limit: Limit = 100):
    return links(request).tokens(catalogue.by_category(session, category, skip, limit))


@router.get("/{token_id}", response_model=contract.TokenDetail,
            responses={404: {"model": contract.Detail}})
async def detail(token_id: RowId, request: Request):
    # Served from the read cache: the detail is the most read answer and the costliest to build.
    return await _cached(request, ("detail", token_id), lambda session: links(request).detail(
        catalogue.get_detail(session, token_id)))


@router.get("/{token_id}/related/", response_model=list[contract.Token])
def related(token_id: RowId, request: Request, session: DbSession, skip: Skip = 0,
            limit: Limit = 5):
    return links(request).tokens(catalogue.related(session, token_id, skip, limit))


@router.get("/{token_id}/thumbnail", include_in_schema=True, status_code=307,
            response_class=RedirectResponse, summary="Thumbnail (our server): redirect to it")
def thumbnail(token_id: RowId, request: Request, session: DbSession):
    token = catalogue.get_token(session, token_id)
    url = links(request).url(token.thumbnail_key) or token.thumbnail_url
    if not url:
        raise NotFound("썸네일이 없습니다")
    return RedirectResponse(url, status_code=307)


@router.post("/{token_id}/view", response_model=contract.ViewCount)
def add_view(token_id: RowId, request: Request, session: DbSession):
    client = request.client.host if request.client else "?"
    request.app.state.view_limiter.hit(client)
    return contract.ViewCount(token_id=token_id, view_count=catalogue.add_view(session, token_id))


@router.post("/", response_model=contract.Token)
def create_token(body: contract.TokenWrite, request: Request, session: DbSession,
                 _admin: AdminUser):
    created = catalogue.create_token(session, body)
    read_cache(request).invalidate()
    return links(request).token(created)


@router.put("/{token_id}", response_model=contract.Token)
def replace_token(token_id: RowId, body: contract.TokenWrite, request: Request,
                  session: DbSession, _admin: AdminUser):
    replaced = catalogue.replace_token(session, token_id, body)
    read_cache(request).invalidate()
    return links(request).token(replaced)


@router.delete("/{token_id}", response_model=contract.Detail)
def delete_token(token_id: RowId, request: Request, session: DbSession, _admin: AdminUser):
    catalogue.delete_token(session, token_id)
    read_cache(request).invalidate()
    return contract.Detail(detail="Token deleted successfully")
