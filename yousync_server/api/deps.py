"""Dependencies every router shares: a database session per request, the caller's identity at the
contract's three levels (opt, user, admin), and the engines on app.state.

Authorization headers are read here rather than through FastAPI's HTTPBearer so the answers are
exactly the contract's: a missing header is 403 "Not authenticated", another scheme is 403, and
any token that is present but wrong is 401 with `WWW-Authenticate: Bearer` — on opt routes too
(§2.2, §7.1).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from fastapi.security import HTTPBearer
from sqlalchemy.orm import Session

from yousync_server.db.models import User
from yousync_server.services import auth
from yousync_server.services.errors import Forbidden

# Only for /openapi.json: it documents the scheme; the checks below do the work.
_bearer_scheme = HTTPBearer(auto_error=False, description="Access token from google-login")


# Ids and offsets beyond PostgreSQL's INTEGER are answered 422 at the edge, never sent to the
# database (where they overflow into a 500).
MAX_ROW_ID = 2**31 - 1
RowId = Annotated[int, Path(ge=-MAX_ROW_ID, le=MAX_ROW_ID)]
Skip = Annotated[int, Query(ge=0, le=MAX_ROW_ID)]


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


DbSession = Annotated[Session, Depends(get_session)]


def bearer_token(request: Request) -> str | None:
    """The Bearer token, None when there is no header, Forbidden for another scheme."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise Forbidden("Invalid authentication credentials")
    return credentials.strip()


def optional_user(request: Request, session: DbSession,
                  _doc=Depends(_bearer_scheme)) -> User | None:
    token = bearer_token(request)
    if token is None:
        return None
    return auth.user_for_access_token(session, request.app.state.session_policy, token)


def current_user(request: Request, session: DbSession, _doc=Depends(_bearer_scheme)) -> User:
    token = bearer_token(request)
    if token is None:
        raise Forbidden("Not authenticated")
    return auth.user_for_access_token(session, request.app.state.session_policy, token)


def admin_user(user: Annotated[User, Depends(current_user)]) -> User:
    if not user.is_admin:
        raise Forbidden("관리자 권한이 필요합니다")
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]
CurrentUser = Annotated[User, Depends(current_user)]
AdminUser = Annotated[User, Depends(admin_user)]


def storage(request: Request):
    return request.app.state.storage
