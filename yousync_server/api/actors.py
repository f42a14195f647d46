"""/api/actors (§3.3): list, search, tokens by actor, and the admin write."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from yousync_desktop.sync import contract
from yousync_server.api.deps import AdminUser, DbSession, Skip
from yousync_server.api.tokens import links
from yousync_server.services import actors

router = APIRouter(prefix="/api/actors", tags=["actors"])


@router.get("/", response_model=list[contract.Actor])
def list_actors(session: DbSession, skip: Skip = 0,
                limit: Annotated[int, Query(ge=0, le=1000)] = 100):
    return actors.list_actors(session, skip, limit)


@router.post("/", response_model=contract.Actor)
def create_actor(body: contract.ActorWrite, session: DbSession, _admin: AdminUser):
    return actors.create_actor(session, body)


@router.get("/search/{query}", response_model=list[contract.Actor])
def search(query: str, session: DbSession, limit: Annotated[int, Query(ge=0, le=100)] = 10):
    return actors.search(session, query, limit)


@router.get("/{query}", response_model=list[contract.Token])
def tokens_of_actor(query: str, request: Request, session: DbSession,
                    skip: Skip = 0,
                    limit: Annotated[int, Query(ge=0, le=1000)] = 100):
    return links(request).tokens(actors.tokens_of_matching_actors(session, query, skip, limit))
