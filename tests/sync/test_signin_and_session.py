"""Sign-in end to end — the real installed-app flow (PKCE S256, loopback redirect, nonce) against a
real OpenID Connect provider (pytest-iam), the browser played by an HTTP client following the
redirects, the ID token exchanged at our real server — and the session's life: kept in the
keychain (in memory without one, never in a file), refreshed before expiry (ours with the refresh
token, public with the legacy Bearer refresh), dropped with "sign in again" when rejected."""

from __future__ import annotations

import dataclasses
import secrets
import threading
import webbrowser
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from tests.server.engine_fixtures import free_port
from tests.sync.conftest import QUICK_RETRY, RealServer
from yousync_desktop.settings_schema import ServerProfileEntry
from yousync_desktop.sync import contract
from yousync_desktop.sync.api_client import ApiClient
from yousync_desktop.sync.errors import SyncError
from yousync_desktop.sync.session import SessionManager, SessionVault
from yousync_desktop.sync.signin import sign_in


class FollowingBrowser(webbrowser.BaseBrowser):
    """The system browser's part: the learner is signed in at the provider and has consented;
    the consent page redirects to the app's loopback address, which this follows (on a thread:
    the app's one-shot server answers only after `open` has returned)."""

    def __init__(self, iam, user, client):
        super().__init__("yousync-test-browser")
        self.iam, self.user, self.client = iam, user, client
        self.opened: list[str] = []
        self.thread: threading.Thread | None = None

    def open(self, url, new=0, autoraise=True):
        self.opened.append(url)
        self.thread = threading.Thread(target=self._follow, args=(url,), daemon=True)
        self.thread.start()
        return True

    def _follow(self, url):
        self.iam.login(self.user)
        self.iam.consent(self.user, self.client)
        try:
            consent = httpx.get(url)
        finally:
            self.iam.logout()
        httpx.get(consent.headers["location"])


@pytest.fixture
def loopback_client(oidc):
    """A confidential desktop client at the provider, registered for one loopback port."""
    port = free_port()
    models = oidc.iam.models
    client = models.Client(
        client_id=f"desktop-{secrets.token_hex(4)}", client_secret=secrets.token_hex(16),
        client_name="desktop", redirect_uris=[f"http://127.0.0.1:{port}/"],
        grant_types=["authorization_code"], response_types=["code"],
        token_endpoint_auth_method="client_secret_basic",
        scope=["openid", "profile", "email"], id_token_signed_response_alg="RS256")
    with oidc.iam.app.app_context():
        oidc.iam.backend.save(client)
        client.audience = [client]
        oidc.iam.backend.save(client)
    return client, port


@pytest.fixture
def browser(oidc, loopback_client):
    user = oidc.user("signin@example.com", "Sign In")
    fake = FollowingBrowser(oidc.iam, user, loopback_client[0])
    webbrowser.register(fake.name, None, fake, preferred=True)
    try:
        yield fake
    finally:
        webbrowser._tryorder.remove(fake.name)
        webbrowser._browsers.pop(fake.name, None)


def test_sign_in_through_the_browser_with_pkce_then_refresh_and_sign_out(
        tmp_path, oidc, loopback_client, browser, memory_keyring, monkeypatch):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the provider is plain http here
    client, port = loopback_client
    server = RealServer(tmp_path / "server", oidc_issuer=oidc.issuer,
                        oidc_audiences=client.client_id).start()
    try:
        profile = ServerProfileEntry(
            name="local", base_url=server.url, client_id=client.client_id,
            client_secret=client.client_secret,
            authorization_endpoint=f"{oidc.issuer}/oauth/authorize",
            token_endpoint=f"{oidc.issuer}/oauth/token")
        plain = ApiClient(server.url, retry=QUICK_RETRY)
        sessions = SessionManager("local", plain, SessionVault())
        session = sign_in(profile, plain, sessions, port=port)

        consent = parse_qs(urlparse(browser.opened[0]).query)
        assert consent["code_challenge_method"] == ["S256"] and consent["nonce"][0]
        assert consent["redirect_uri"] == [f"http://127.0.0.1:{port}/"]
        assert session.refresh_token and session.email == "signin@example.com"
        assert "local" in memory_keyring.secrets[("YouSync", "session:local")]

        authed = ApiClient(server.url, auth=sessions, retry=QUICK_RETRY)
        assert authed.me().email == "signin@example.com"

        # Ours refreshes with the refresh token, which rotates.
        sessions.refresh_margin = 10**9  # every call is now "close to expiry"
        first_refresh = sessions.session.refresh_token
        assert authed.me().email == "signin@example.com"
        assert sessions.session.refresh_token != first_refresh

        # A 401 on ours (an access token it no longer takes) renews with the refresh token and
        # the request is sent once more.
        sessions.refresh_margin = 0
        before = sessions.session
        sessions._session = dataclasses.replace(before, access_token="revoked-or-garbage")
        assert authed.me().email == "signin@example.com"
        assert sessions.session.refresh_token != before.refresh_token

        # A restart reads the session back from the keychain.
        again = SessionManager("local", plain, SessionVault())
        assert again.session == sessions.session

        sessions.sign_out()
        assert ("YouSync", "session:local") not in memory_keyring.secrets
        with pytest.raises(SyncError) as raised:  # the revoked refresh token is refused
            plain.refresh_with_token(again.session.refresh_token)
        assert raised.value.code == "sync.sign_in_required"
    finally:
        server.stop()


def test_without_a_keychain_the_session_stays_in_memory_and_no_file_is_written(
        tmp_path, standin, monkeypatch):
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    notices = []
    try:
        vault = SessionVault(on_notice=notices.append)
        sessions = SessionManager("public", ApiClient(standin.url), vault)
        token = standin.state.issue("m@example.com")
        sessions.adopt(contract.AccessToken(access_token=token))
        assert sessions.signed_in and vault.in_memory_only
    finally:
        keyring.set_keyring(previous)
    assert [n.code for n in notices] == ["sync.keychain_unavailable"]
    written = [p for p in tmp_path.rglob("*") if p.is_file() and token.encode() in p.read_bytes()]
    assert written == []  # never a plaintext file, anywhere under the test's home
    assert SessionManager("public", ApiClient(standin.url), SessionVault()).session is None


def test_public_tokens_refresh_with_legacy_bearer_before_expiry_and_bad_ones_ask_to_sign_in(
        standin, memory_keyring):
    plain = ApiClient(standin.url, retry=QUICK_RETRY)
    now = [1_000_000.0]
    sessions = SessionManager("public", plain, SessionVault(), clock=lambda: now[0])
    token = standin.state.issue("p@example.com")
    sessions.adopt(contract.AccessToken(access_token=token, expires_in=3600))
    authed = ApiClient(standin.url, auth=sessions, retry=QUICK_RETRY)
    assert authed.bookmarks() == []
    assert sessions.session.access_token == token  # far from expiry: no refresh

    assert sessions.refresh_due_in() == 3000  # a UI timer refreshes an idle session then
    now[0] += 3000  # 50 minutes on: inside the margin, still valid → legacy refresh
    assert sessions.keep_fresh()
    assert sessions.session.access_token != token and sessions.session.refresh_token is None

    # A token the backend cannot read gets its 500; /me says the token is bad: sign in again.
    sessions.adopt(contract.AccessToken(access_token="not-a-jwt", expires_in=3600))
    with pytest.raises(SyncError) as raised:
        authed.bookmarks()
    assert raised.value.code == "sync.sign_in_required" and not sessions.signed_in

    # Expired with no refresh token: dropped without asking the server.
    sessions.adopt(contract.AccessToken(access_token=standin.state.issue("p@example.com"),
                                        expires_in=60))
    now[0] += 120
    with pytest.raises(SyncError) as raised:
        authed.bookmarks()
    assert raised.value.code == "sync.sign_in_required" and not sessions.signed_in
