"""Error answers: a ServiceError becomes `{"detail": ...}` with its status (and headers, e.g.
`WWW-Authenticate` on 401); anything unexpected becomes JSON 500 `{"detail":"Internal Server
Error"}` (§7.15) and is logged with its traceback, never shown to the client."""

from __future__ import annotations

import logging
import math

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError

from yousync_server.services.errors import ServiceError

log = logging.getLogger("yousync_server.errors")


async def _service_error(_request: Request, exc: ServiceError) -> JSONResponse:
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


def _json_safe(value):
    """NaN and infinity as text: a body that sent them is echoed in the 422's `input`, and JSON
    has no spelling for them."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    return value


async def _invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
    # FastAPI's own 422 shape, {"detail": [{"type", "loc", "msg", "input", ...}]}.
    return JSONResponse({"detail": _json_safe(jsonable_encoder(exc.errors()))}, status_code=422)


async def _bad_value(request: Request, exc: DataError) -> JSONResponse:
    # A value the database cannot store (a NUL character in PostgreSQL text, a number out of
    # range) came from the request: the client's error, not the server's.
    log.info("value refused by the database on %s %s: %s", request.method, request.url.path,
             type(exc.orig).__name__)
    return JSONResponse({"detail": "저장할 수 없는 값이 있습니다"}, status_code=422)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"detail": "Internal Server Error"}, status_code=500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(DataError, _bad_value)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(Exception, _unexpected)
