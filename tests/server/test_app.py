"""The application's edges: root and health (§3.15), slash tolerance (§7.15), JSON 500s, and an
OpenAPI document that names every route in its declared slash form."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.testclient import TestClient

from yousync_server.app import Engines, create_app


def test_root_and_health(client):
    root = client.get("/").json()
    assert root["docs"] == "/docs" and root["redoc"] == "/redoc" and root["version"] == "1.0.0"
    assert client.get("/health").json() == {"status": "healthy", "service": "token-script-api"}


def test_health_says_503_when_the_database_is_unreachable(make_settings):
    settings = make_settings(database_url="postgresql+psycopg://nobody@/none?host=/nonexistent")
    with TestClient(create_app(settings, Engines())) as client:
        response = client.get("/health")
    assert response.status_code == 503 and response.json()["status"] == "unhealthy"


def test_the_other_slash_form_is_answered_directly(client, sign_in):
    for path in ("/api/tokens", "/api/actors", "/api/scripts",
                 "/health/", "/api/duet/scenes/", "/api/score/leaderboard/top-recorders/"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 200, path
    me = sign_in("me@example.com")
    assert client.get("/api/mypage/bookmarks/", headers=me, follow_redirects=False).json() == []
    created = client.post("/api/request", headers=me, follow_redirects=False,
                          json={"actor": "A", "content": "B", "url": "https://youtu.be/C"})
    assert created.status_code == 200
    unknown = client.get("/api/nothing-here")
    assert unknown.status_code == 404 and unknown.json() == {"detail": "Not Found"}


def test_unexpected_errors_are_json_500s(make_settings):
    broken = APIRouter()

    @broken.get("/api/broken")
    def explode():
        raise RuntimeError("a bug, with internals nobody outside should read")

    with TestClient(create_app(make_settings(), Engines(), extra_routers=[broken]),
                    raise_server_exceptions=False) as client:
        response = client.get("/api/broken")
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal Server Error"}


def test_openapi_names_the_routes_in_their_declared_form(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/", "/health", "/api/auth/google-login", "/api/auth/me", "/api/auth/refresh/",
                 "/api/auth/logout", "/api/auth/config", "/api/tokens/", "/api/tokens/latest/",
                 "/api/tokens/popular/", "/api/tokens/sync-collection/",
                 "/api/tokens/category/{category}/", "/api/tokens/{token_id}",
                 "/api/tokens/{token_id}/related/", "/api/tokens/{token_id}/view",
                 "/api/actors/", "/api/actors/search/{query}", "/api/actors/{query}",
                 "/api/scripts/", "/api/scripts/{script_id}", "/api/scripts/token/{token_id}",
                 "/api/mypage/bookmarks", "/api/mypage/bookmarks/{token_id}",
                 "/api/mypage/my-dubbed-tokens", "/api/mypage/overview",
                 "/api/mypage/tokens/{token_id}/analysis-status",
                 "/api/mypage/tokens/{token_id}/my-results", "/api/score/me/average/",
                 "/api/score/{token_id}/score/", "/api/score/leaderboard/top-recorders",
                 "/api/duet/scenes", "/api/request/", "/api/request/mine", "/api/request/all",
                 "/api/request/{request_id}/status", "/api/request/{request_id}",
                 "/api/urls/check", "/api/urls/tokens"):
        assert path in paths, path
