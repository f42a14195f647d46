"""/api/scripts (§3.4): the catalogue's lines. The upload, result and SSE routes under
/api/scripts come with the job engine's router."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from yousync_desktop.sync import contract
from yousync_server.api.deps import AdminUser, DbSession, RowId, Skip
from yousync_server.api.tokens import read_cache
from yousync_server.services import scripts

router = APIRouter(prefix="/api/scripts", tags=["scripts"])

Limit = Annotated[int, Query(ge=0, le=1000)]


@router.get("/", response_model=list[contract.Script])
def list_scripts(session: DbSession, skip: Skip = 0, limit: Limit = 100):
    return scripts.list_scripts(session, skip, limit)


@router.post("/", response_model=contract.Script)
def create_script(body: contract.ScriptWrite, request: Request, session: DbSession,
                  _admin: AdminUser):
    created = scripts.create_script(session, body)
    read_cache(request).invalidate()  # token details show their scripts
    return created


@router.get("/token/{token_id}", response_model=list[contract.Script])
def scripts_of_token(token_id: RowId, session: DbSession, skip: Skip = 0, limit: Limit = 100):
    return scripts.list_scripts(session, skip, limit, token_id=token_id)


@router.get("/{script_id}", response_model=contract.Script)
def get_script(script_id: RowId, session: DbSession):
    return scripts.get_script(session, script_id)


@router.put("/{script_id}", response_model=contract.Script)
def replace_script(script_id: RowId, body: contract.ScriptWrite, request: Request,
                   session: DbSession, _admin: AdminUser):
    replaced = scripts.replace_script(session, script_id, body)
    read_cache(request).invalidate()
    return replaced


@router.delete("/{script_id}", response_model=contract.Detail)
def delete_script(script_id: RowId, request: Request, session: DbSession, _admin: AdminUser):
    scripts.delete_script(session, script_id)
    read_cache(request).invalidate()
    return contract.Detail(detail="Script deleted successfully")
