"""/api/auth (§3.1, §7.1–7.3): google-login, me, refresh (legacy Bearer form and the refresh-token
form), logout, and the additive config for desktop clients."""

from __future__ import annotations

from fastapi import APIRouter, Request

from yousync_desktop.sync import contract
from yousync_server.api.deps import CurrentUser, DbSession, bearer_token
from yousync_server.services import auth
from yousync_server.services.errors import Forbidden

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post("/google-login", response_model=contract.AccessToken,
             response_model_exclude_none=True)
def google_login(body: contract.GoogleLogin, request: Request, session: DbSession):
    issued = auth.sign_in_with_id_token(session, request.app.state.id_token_verifier,
                                        request.app.state.session_policy, body.id_token)
    return contract.AccessToken(access_token=issued.access_token, expires_in=issued.expires_in,
                                refresh_token=issued.refresh_token)


@router.get("/me", response_model=contract.User)
def me(user: CurrentUser):
    return user


@router.post("/refresh/", response_model=contract.AccessToken, response_model_exclude_none=True)
def refresh(request: Request, session: DbSession, body: contract.RefreshRequest | None = None):
    policy = request.app.state.session_policy
    if body is not None and body.refresh_token:
        issued = auth.rotate_refresh_token(session, policy, body.refresh_token)
        return contract.AccessToken(access_token=issued.access_token,
                                    expires_in=issued.expires_in,
                                    refresh_token=issued.refresh_token)
    token = bearer_token(request)
    if token is None:
        raise Forbidden("Not authenticated")
    user = auth.user_for_access_token(session, policy, token)
    return contract.AccessToken(access_token=auth.issue_access_token(policy, user),
                                expires_in=policy.access_seconds)


@router.post("/logout", response_model=contract.LogoutResult)
def logout(user: CurrentUser, session: DbSession, body: contract.LogoutRequest | None = None):
    auth.logout(session, user, body.refresh_token if body else None)
    return contract.LogoutResult(message="로그아웃되었습니다", user_id=user.id)


@router.get("/config", response_model=contract.AuthConfig)
def auth_config(request: Request):
    settings = request.app.state.settings
    return contract.AuthConfig(issuer=settings.oidc_issuer,
                               desktop_client_id=settings.desktop_client_id)
