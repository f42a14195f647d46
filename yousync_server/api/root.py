"""GET / and GET /health (§3.15). /health asks the database, so a load balancer stops sending
traffic to a process that cannot reach it."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from yousync_desktop.sync import contract

router = APIRouter(tags=["root"])
log = logging.getLogger(__name__)


@router.get("/", response_model=contract.Root)
def root():
    return contract.Root(message="YouSync API 서버입니다")


@router.get("/health", response_model=contract.Health,
            responses={503: {"model": contract.Health, "description": "database unreachable"}})
def health(request: Request):
    try:
        with request.app.state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        log.warning("health check: database unreachable: %s", exc.__class__.__name__)
        return JSONResponse({"status": "unhealthy", "service": "token-script-api"},
                            status_code=503)
    return contract.Health(status="healthy")
