"""Errors a service raises for the client to see: a status code and the contract's detail text
(Korean where the public backend's is, §2.3). api/errors.py answers them as JSON."""

from __future__ import annotations


class ServiceError(Exception):
    status_code = 400

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.headers = headers


class BadRequest(ServiceError):
    status_code = 400


class Unauthorized(ServiceError):
    """401 always carries `WWW-Authenticate: Bearer` (§7.1)."""

    status_code = 401

    def __init__(self, detail: str):
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(ServiceError):
    status_code = 403


class NotFound(ServiceError):
    status_code = 404


class Conflict(ServiceError):
    status_code = 409


class Unprocessable(ServiceError):
    status_code = 422


class TooManyRequests(ServiceError):
    status_code = 429


class Unavailable(ServiceError):
    status_code = 503
