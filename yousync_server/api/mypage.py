"""/api/mypage (§3.7–3.8): bookmarks, dubbed tokens, overview, per-script results. Signed-in
callers only; every query is scoped to the caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from yousync_desktop.sync import contract
from yousync_server.api.deps import CurrentUser, DbSession, RowId, Skip
from yousync_server.api.tokens import links
from yousync_server.services import mypage

router = APIRouter(prefix="/api/mypage", tags=["mypage"])


@router.post("/bookmarks", status_code=201, response_model=contract.BookmarkCreated)
def add_bookmark(body: contract.BookmarkCreate, user: CurrentUser, session: DbSession):
    mypage.add_bookmark(session, user, body.token_id)
    return contract.BookmarkCreated(token_id=body.token_id)


@router.get("/bookmarks", response_model=list[contract.Bookmark])
def list_bookmarks(request: Request, user: CurrentUser, session: DbSession,
                   limit: Annotated[int, Query(ge=1, le=100)] = 20,
                   offset: Skip = 0):
    return mypage.bookmarks(session, user, links(request), limit, offset)


@router.delete("/bookmarks/{token_id}", status_code=204, response_class=Response)
def remove_bookmark(token_id: RowId, user: CurrentUser, session: DbSession):
    mypage.remove_bookmark(session, user, token_id)
    return Response(status_code=204)


@router.get("/my-dubbed-tokens", response_model=list[contract.DubbedToken])
def my_dubbed_tokens(user: CurrentUser, session: DbSession,
                     limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                     offset: Skip = 0):
    return mypage.dubbed_tokens(session, user, limit, offset)


@router.get("/overview", response_model=contract.Overview)
def overview(request: Request, user: CurrentUser, session: DbSession):
    return mypage.overview(session, user, links(request))


@router.get("/tokens/{token_id}/analysis-status", response_model=contract.AnalysisStatus,
            response_model_exclude_unset=True)
def analysis_status(token_id: RowId, user: CurrentUser, session: DbSession):
    return mypage.analysis_status(session, user, token_id)


@router.delete("/tokens/{token_id}/my-results", status_code=204, response_class=Response)
def delete_my_results(token_id: RowId, user: CurrentUser, session: DbSession):
    mypage.delete_my_results(session, user, token_id)
    return Response(status_code=204)
