"""Error answers: a ServiceError becomes `{"detail": ...}` with its status (and headers, e.g.
`WWW-Authenticate` on 401); anything unexpected becomes JSON 500 `{"detail":"Internal Server
Error"}` (§7.15) and is logged with its traceback, never shown to the client."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from yousync_server.services.errors import ServiceError

log = logging.getLogger("yousync_server.errors")


async def _service_error(_request: Request, exc: ServiceError) -> JSONResponse:
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"detail": "Internal Server Error"}, status_code=500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(Exception, _unexpected)
