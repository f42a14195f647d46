"""Caller dependencies for the job routes that hold no database session for the request's
lifetime (uploads stream for seconds, SSE for minutes): the user is read in a short session of its
own and handed over detached. Same answers as api/deps.py (403 without a header, 401 for any bad
token, also on opt routes)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from yousync_server.api.deps import _bearer_scheme, bearer_token
from yousync_server.db.models import User
from yousync_server.services import auth
from yousync_server.services.errors import Forbidden


def _user(request: Request, token: str) -> User:
    with request.app.state.sessions() as session:
        user = auth.user_for_access_token(session, request.app.state.session_policy, token)
        session.expunge(user)
        return user


def caller_or_none(request: Request, _doc=Depends(_bearer_scheme)) -> User | None:
    token = bearer_token(request)
    return None if token is None else _user(request, token)


def caller(request: Request, _doc=Depends(_bearer_scheme)) -> User:
    token = bearer_token(request)
    if token is None:
        raise Forbidden("Not authenticated")
    return _user(request, token)


def admin_caller(user: Annotated[User, Depends(caller)]) -> User:
    if not user.is_admin:
        raise Forbidden("관리자 권한이 필요합니다")
    return user


Caller = Annotated[User, Depends(caller)]
OptionalCaller = Annotated[User | None, Depends(caller_or_none)]
AdminCaller = Annotated[User, Depends(admin_caller)]
