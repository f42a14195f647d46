"""Signing in: Google's installed-app flow, then the server's own session.

google-auth-oauthlib's InstalledAppFlow opens the system browser on the provider's consent page
with PKCE (S256, a fresh verifier each time) and a nonce, and receives the answer on a loopback
redirect (127.0.0.1, a port the system picks). The ID token it brings back is exchanged at
`POST /api/auth/google-login` for the server's session, which `SessionManager.adopt` keeps in the
keychain. The provider is whatever the profile names (Google by default; any OpenID Connect
issuer our server is configured with).

Blocking (it waits for the learner in the browser): run it through the task manager.
`open_browser=False` shows the address through `show_url` instead (the CLI's --no-browser).
"""

from __future__ import annotations

import logging
import os
import secrets
from typing import Callable

from yousync_desktop.sync.api_client import ApiClient
from yousync_desktop.sync.errors import SyncError
from yousync_desktop.sync.profiles import ServerProfile
from yousync_desktop.sync.session import Session, SessionManager, unverified_claims

log = logging.getLogger(__name__)

SCOPES = ["openid", "email", "profile"]
DEFAULT_WAIT_S = 300
SUCCESS_PAGE = "Signed in to YouSync. You can close this tab and return to the app."


def client_config(profile: ServerProfile) -> dict:
    """The profile's OAuth client in the shape google-auth-oauthlib reads."""
    if not profile.client_id:
        raise SyncError("sync.sign_in_not_configured", profile=profile.name)
    installed = {"client_id": profile.client_id, "auth_uri": profile.authorization_endpoint,
                 "token_uri": profile.token_endpoint, "redirect_uris": ["http://127.0.0.1"]}
    if profile.client_secret:
        installed["client_secret"] = profile.client_secret
    return {"installed": installed}


def fetch_id_token(profile: ServerProfile, *, open_browser: bool = True, port: int = 0,
                   wait_seconds: int = DEFAULT_WAIT_S,
                   show_url: Callable[[str], None] | None = None) -> str:
    """The provider's ID token for the learner, through the browser. `port` 0 lets the system
    choose (tests name one their provider has registered)."""
    from google_auth_oauthlib.flow import InstalledAppFlow

    # Providers may answer with the scopes in another order or with more of them; that is not
    # an error for sign-in.
    os.environ.setdefault("OAUTHLIB_RELAX_TOKEN_SCOPE", "1")
    flow = InstalledAppFlow.from_client_config(client_config(profile), scopes=SCOPES,
                                               autogenerate_code_verifier=True)
    nonce = secrets.token_urlsafe(16)
    prompt = "" if open_browser else "Open this address to sign in: {url}"
    if not open_browser and show_url is not None:
        prompt = ""
        _announce_url(flow, show_url)
    try:
        flow.run_local_server(host="127.0.0.1", bind_addr="127.0.0.1", port=port,
                              open_browser=open_browser, timeout_seconds=wait_seconds,
                              authorization_prompt_message=prompt,
                              success_message=SUCCESS_PAGE, nonce=nonce)
    except Exception as error:  # noqa: BLE001 - the flow raises many kinds; one line for all
        log.info("sign-in flow failed", exc_info=True)
        raise SyncError("sync.sign_in_failed", reason=str(error) or type(error).__name__) \
            from None
    id_token = (flow.oauth2session.token or {}).get("id_token")
    if not id_token:
        raise SyncError("sync.sign_in_failed", reason="the provider sent no ID token")
    if unverified_claims(id_token).get("nonce") != nonce:
        raise SyncError("sync.sign_in_failed", reason="the ID token is not for this sign-in")
    return id_token


def _announce_url(flow, show_url: Callable[[str], None]) -> None:
    """Hand the consent address to `show_url` once the flow has built it."""
    original = flow.authorization_url

    def authorization_url(**kwargs):
        url, state = original(**kwargs)
        show_url(url)
        return url, state

    flow.authorization_url = authorization_url


def sign_in(profile: ServerProfile, api: ApiClient, sessions: SessionManager, **flow_options
            ) -> Session:
    """Browser sign-in, then the server's session kept in the keychain (see the module)."""
    id_token = fetch_id_token(profile, **flow_options)
    issued = api.google_login(id_token)
    return sessions.adopt(issued, email=unverified_claims(id_token).get("email"))
