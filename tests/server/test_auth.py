"""Sign-in and sessions (§2.2, §3.1, §7.1–7.3) against a real OpenID Connect provider on
loopback: ID tokens signed RS256 by its published keys, checked by the server after discovery."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import jwt
import pytest

SECRET = "test-signing-key-that-is-long-enough-for-hs256"


@pytest.fixture
def auth_client(make_client, oidc):
    desktop, web = oidc.client("desktop"), oidc.client("web")
    return make_client(oidc_issuer=oidc.issuer,
                       oidc_audiences=[desktop.client_id, web.client_id],
                       desktop_client_id=desktop.client_id, jwt_secret=SECRET)


@pytest.fixture
def learner(oidc):
    return oidc.user("learner@example.com", "Test Learner")


def login(client, oidc, user, client_name="desktop"):
    response = client.post("/api/auth/google-login",
                           json={"id_token": oidc.id_token(user, client_name)})
    assert response.status_code == 200, response.text
    return response.json()


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_google_login_gives_a_session_and_me_the_user(auth_client, oidc, learner):
    session = login(auth_client, oidc, learner)
    assert session["token_type"] == "bearer" and session["expires_in"] == 3600
    assert session["refresh_token"]
    claims = jwt.decode(session["access_token"], SECRET, algorithms=["HS256"])
    assert isinstance(claims["sub"], str) and claims["email"] == "learner@example.com"
    me = auth_client.get("/api/auth/me", headers=bearer(session["access_token"]))
    assert me.status_code == 200
    body = me.json()
    assert body["email"] == "learner@example.com" and body["login_type"] == "google"
    assert body["full_name"] == "Test Learner" and body["google_id"]
    assert set(body) == {"id", "email", "google_id", "full_name", "profile_picture",
                         "is_active", "login_type", "created_at", "updated_at"}
    # Signing in again (from the web client, another configured audience) is the same account.
    again = login(auth_client, oidc, learner, "web")
    assert auth_client.get("/api/auth/me", headers=bearer(again["access_token"])).json()["id"] \
        == body["id"]


def test_an_existing_email_account_is_linked(auth_client, oidc, sign_in):
    sign_in("linked@example.com", admin=True)  # made by create-admin, never signed in
    session = login(auth_client, oidc, oidc.user("linked@example.com"))
    me = auth_client.get("/api/auth/me", headers=bearer(session["access_token"])).json()
    assert me["google_id"] and me["login_type"] == "google"


def test_id_tokens_that_do_not_verify_get_400(auth_client, oidc, learner, make_client):
    garbage = auth_client.post("/api/auth/google-login", json={"id_token": "not-a-jwt"})
    assert garbage.status_code == 400
    assert garbage.json()["detail"].startswith("유효하지 않은 구글 토큰입니다")
    # An ID token for a client id the server does not list (§6.4, §7.3).
    other = oidc.client("someone-else")
    foreign = auth_client.post("/api/auth/google-login",
                               json={"id_token": oidc.id_token(learner, "someone-else")})
    assert foreign.status_code == 400, other.client_id
    # Signed by us with HS256 and the right claims: only the issuer's keys count.
    forged = jwt.encode({"iss": oidc.issuer, "aud": oidc.client("desktop").client_id,
                         "sub": "x", "email": "x@example.com", "iat": datetime.now(timezone.utc),
                         "exp": datetime.now(timezone.utc) + timedelta(minutes=5)},
                        "a-guessed-key-that-is-at-least-32-bytes", algorithm="HS256")
    assert auth_client.post("/api/auth/google-login",
                            json={"id_token": forged}).status_code == 400
    assert auth_client.post("/api/auth/google-login", json={}).status_code == 422


def test_an_unreachable_issuer_is_the_contracts_500_in_json(make_client, oidc, learner):
    offline = make_client(oidc_issuer="http://127.0.0.1:9", oidc_audiences=["x"])
    response = offline.post("/api/auth/google-login",
                            json={"id_token": oidc.id_token(learner)})
    assert response.status_code == 500
    assert response.json()["detail"].startswith("로그인 처리 중 오류가 발생했습니다")


def _token(claims: dict, secret: str = SECRET) -> str:
    return jwt.encode(claims, secret, algorithm="HS256")


def test_every_invalid_access_token_is_401_with_www_authenticate(auth_client, oidc, learner):
    user_id = auth_client.get(
        "/api/auth/me", headers=bearer(login(auth_client, oidc, learner)["access_token"])
    ).json()["id"]
    future = datetime.now(timezone.utc) + timedelta(minutes=5)
    cases = {
        "garbage": "garbage",
        "bad signature": _token({"sub": str(user_id), "exp": future}, "another-secret-key-of-at-least-32-bytes"),
        "expired": _token({"sub": str(user_id), "exp": datetime.now(timezone.utc)
                           - timedelta(minutes=5)}),
        "no sub": _token({"exp": future}),
        "no exp": _token({"sub": str(user_id)}),
        "unknown user": _token({"sub": "987654", "exp": future}),
    }
    for case, token in cases.items():
        response = auth_client.get("/api/auth/me", headers=bearer(token))
        assert response.status_code == 401, case
        assert response.headers["www-authenticate"] == "Bearer", case
        assert isinstance(response.json()["detail"], str), case
    assert auth_client.get("/api/auth/me", headers=bearer(cases["expired"])).json() == {
        "detail": "토큰이 만료되었습니다"}
    missing = auth_client.get("/api/auth/me")
    assert missing.status_code == 403 and missing.json() == {"detail": "Not authenticated"}
    basic = auth_client.get("/api/auth/me", headers={"Authorization": "Basic abc"})
    assert basic.status_code == 403


def test_refresh_legacy_form_needs_a_valid_access_token(auth_client, oidc, learner):
    session = login(auth_client, oidc, learner)
    fresh = auth_client.post("/api/auth/refresh/", headers=bearer(session["access_token"]))
    assert fresh.status_code == 200
    assert set(fresh.json()) == {"access_token", "token_type", "expires_in"}
    # Without the slash it is answered directly (§7.2), not redirected.
    direct = auth_client.post("/api/auth/refresh", headers=bearer(session["access_token"]),
                              follow_redirects=False)
    assert direct.status_code == 200
    assert auth_client.post("/api/auth/refresh/", headers=bearer("garbage")).status_code == 401


def test_refresh_tokens_rotate_and_a_reused_one_revokes_its_family(auth_client, oidc, learner):
    first = login(auth_client, oidc, learner)["refresh_token"]
    second = auth_client.post("/api/auth/refresh/", json={"refresh_token": first})
    assert second.status_code == 200
    body = second.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token"}
    assert body["refresh_token"] != first
    third = auth_client.post("/api/auth/refresh/", json={"refresh_token": body["refresh_token"]})
    assert third.status_code == 200
    # Someone replays the first one: refused, and the whole family is revoked with it.
    replay = auth_client.post("/api/auth/refresh/", json={"refresh_token": first})
    assert replay.status_code == 401
    latest = third.json()["refresh_token"]
    assert auth_client.post("/api/auth/refresh/",
                            json={"refresh_token": latest}).status_code == 401
    assert auth_client.post("/api/auth/refresh/",
                            json={"refresh_token": "never-issued"}).status_code == 401


def test_logout_revokes_the_callers_refresh_tokens(auth_client, oidc, learner):
    one, two = login(auth_client, oidc, learner), login(auth_client, oidc, learner)
    # Just one family: the other session keeps working.
    out = auth_client.post("/api/auth/logout", headers=bearer(one["access_token"]),
                           json={"refresh_token": one["refresh_token"]})
    assert out.status_code == 200 and set(out.json()) == {"message", "user_id"}
    assert auth_client.post("/api/auth/refresh/",
                            json={"refresh_token": one["refresh_token"]}).status_code == 401
    renewed = auth_client.post("/api/auth/refresh/", json={"refresh_token": two["refresh_token"]})
    assert renewed.status_code == 200
    # No body: every refresh token of the caller.
    assert auth_client.post("/api/auth/logout",
                            headers=bearer(two["access_token"])).status_code == 200
    assert auth_client.post("/api/auth/refresh/", json={
        "refresh_token": renewed.json()["refresh_token"]}).status_code == 401
    assert auth_client.post("/api/auth/logout").status_code == 403


def test_auth_config_names_the_issuer_and_desktop_client_and_no_secret(auth_client, oidc):
    body = auth_client.get("/api/auth/config").json()
    assert body == {"issuer": oidc.issuer,
                    "desktop_client_id": oidc.client("desktop").client_id}
