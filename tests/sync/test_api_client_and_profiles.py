"""The API client copes with both servers: the public backend's quirks (through the stand-in built
from the API doc) and our real server on loopback; profiles live in the settings and the
connection check says in one line what works."""

from __future__ import annotations

import pytest

from tests.server.engine_fixtures import free_port
from tests.sync.conftest import QUICK_RETRY
from yousync_desktop.settings import SettingsStore
from yousync_desktop.sync.api_client import ApiClient
from yousync_desktop.sync.errors import SyncError
from yousync_desktop.sync.profiles import ServerProfiles, check_connection


class FixedToken:
    def __init__(self, token):
        self.token = token
        self.rejections = []

    def bearer(self):
        return self.token

    def rejected(self, token):
        self.rejections.append(token)


def test_a_wrong_slash_307_is_followed_with_the_same_method_and_body(standin):
    token = standin.state.issue("a@example.com")
    with ApiClient(standin.url, retry=QUICK_RETRY) as api:
        response = api.request("POST", "/api/auth/refresh",  # declared with the slash
                               headers={"Authorization": f"Bearer {token}"})
        assert response.json()["token_type"] == "bearer"
        assert response.request.url.path == "/api/auth/refresh/"


def test_the_public_500_for_a_bad_token_means_sign_in_again(standin):
    auth = FixedToken("garbage")
    with ApiClient(standin.url, auth=auth, retry=QUICK_RETRY) as api:
        with pytest.raises(SyncError) as raised:
            api.bookmarks()
    assert raised.value.code == "sync.sign_in_required" and not raised.value.retryable
    assert auth.rejections == ["garbage"]


def test_no_header_403_means_signed_out_and_empty_bookmarks_are_a_list(standin):
    with ApiClient(standin.url, retry=QUICK_RETRY) as api:
        with pytest.raises(SyncError) as raised:
            api.request("GET", "/api/mypage/bookmarks")
        assert raised.value.code == "sync.sign_in_required"
    with ApiClient(standin.url, auth=FixedToken(standin.state.issue("b@example.com"))) as api:
        assert api.bookmarks() == []  # the public {"debug_info": …}


def test_an_upload_is_retried_through_5xx_and_a_result_without_script_id_parses(standin):
    standin.state.fail_next_uploads = 2
    with ApiClient(standin.url, retry=QUICK_RETRY) as api:
        accepted = api.upload_script_take(3, b"RIFF....WAVE", filename="script_3.wav",
                                          idempotency_key="item-1")
        assert accepted.script_id is None  # §6.12: the client keeps its own map
        job = api.script_job(accepted.job_id)
    assert job.script_id is None and job.status in ("processing", "completed")
    assert [u["key"] for u in standin.state.uploads] == ["item-1"]


def test_a_server_that_is_not_there_is_unreachable_after_retries():
    with ApiClient(f"http://127.0.0.1:{free_port()}", retry=QUICK_RETRY) as api:
        with pytest.raises(SyncError) as raised:
            api.health()
    assert raised.value.code == "sync.unreachable" and raised.value.retryable


def test_a_new_install_has_a_local_profile_and_profiles_are_kept(app_paths):
    store = SettingsStore.load(app_paths)
    profiles = ServerProfiles(store)
    assert profiles.active().name == "local"
    assert profiles.active().base_url == "http://127.0.0.1:8000"
    profiles.add("public", "https://api.example.org/", client_id="web-client")
    profiles.use("public")
    with pytest.raises(SyncError) as raised:
        profiles.add("public", "https://other.example.org")
    assert raised.value.code == "sync.profile_exists"
    with pytest.raises(SyncError) as raised:
        profiles.add("broken", "ftp://nowhere")
    assert raised.value.code == "sync.bad_base_url"
    again = ServerProfiles(SettingsStore.load(app_paths))  # read back from the file
    assert again.active().base_url == "https://api.example.org"
    assert [p.name for p in again.all()] == ["local", "public"]
    again.remove("public")
    assert again.active().name == "local"


def test_the_check_says_what_works_on_the_public_kind_and_what_does_not(standin, app_paths):
    profiles = ServerProfiles(SettingsStore.load(app_paths))
    public = profiles.add("public", standin.url)
    with ApiClient(public.base_url, retry=QUICK_RETRY) as api:
        check = check_connection(public, api)
    assert check.ok and check.api_version == "1.0.0" and not check.offers_auth_config
    assert check.summary() == (f"public: reachable at {standin.url}, YouSync API 1.0.0, "
                               "sign-in not configured (no OAuth client id)")
    gone = profiles.add("gone", f"http://127.0.0.1:{free_port()}")
    with ApiClient(gone.base_url, retry=QUICK_RETRY) as api:
        check = check_connection(gone, api)
    assert not check.ok and check.summary().startswith("gone: Cannot reach the server")


def test_our_server_fills_the_profile_and_the_check_says_sign_in_is_configured(
        tmp_path, app_paths, oidc):
    from tests.sync.conftest import RealServer

    desktop = oidc.client("desktop")
    server = RealServer(tmp_path / "server", oidc_issuer=oidc.issuer,
                        oidc_audiences=desktop.client_id,
                        desktop_client_id=desktop.client_id).start()
    try:
        profiles = ServerProfiles(SettingsStore.load(app_paths))
        profiles.change("local", base_url=server.url)
        with ApiClient(server.url, retry=QUICK_RETRY) as api:
            filled = profiles.fill_from_server("local", api)
            check = check_connection(filled, api)
    finally:
        server.stop()
    assert filled.client_id == desktop.client_id and filled.issuer == oidc.issuer
    assert filled.authorization_endpoint.startswith(oidc.issuer)
    assert filled.token_endpoint.startswith(oidc.issuer)
    assert check.ok and check.offers_auth_config and check.sign_in_configured
    assert check.summary().endswith("yousync-server 1.0.0, sign-in configured")
