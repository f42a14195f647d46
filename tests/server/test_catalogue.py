"""The catalogue routes (§3.2–3.4, §3.10, §3.13) route by route: codes and shapes as the public
backend's, with §7.11 (admin-only writes) and §7.13 (media URLs) — on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from tests.server.seed import standard_catalogue
from yousync_desktop.domain import Token as DomainToken
from yousync_desktop.sync import contract

TOKEN_KEYS = {"id", "token_name", "actor_name", "category", "start_time", "end_time",
              "youtube_url", "thumbnail_url", "view_count", "s3_textgrid_url", "s3_pitch_url",
              "s3_bgvoice_url"}


@pytest.fixture
def ids(sessions):
    return standard_catalogue(sessions)


def test_token_lists_have_the_token_shape_and_their_orders(client, ids):
    listed = client.get("/api/tokens/").json()
    assert [t["id"] for t in listed] == sorted(ids.values())
    assert all(set(t) == TOKEN_KEYS for t in listed)
    latest = client.get("/api/tokens/latest/").json()
    assert [t["id"] for t in latest] == sorted(ids.values(), reverse=True)
    popular = client.get("/api/tokens/popular/").json()
    assert [t["id"] for t in popular][:2] == [ids["reply"], ids["promise"]]
    assert [t["id"] for t in client.get("/api/tokens/?skip=1&limit=2").json()] == \
        sorted(ids.values())[1:3]


def test_sync_collection_holds_the_short_tokens_only(client, ids):
    short = {t["id"] for t in client.get("/api/tokens/sync-collection/").json()}
    assert short == {ids["promise"], ids["reply"], ids["joke"]}


def test_category_is_a_substring_match_on_a_percent_encoded_korean_segment(client, ids):
    found = client.get("/api/tokens/category/%EB%93%9C%EB%9D%BC%EB%A7%88/").json()  # 드라마
    assert {t["id"] for t in found} == {ids["promise"], ids["reply"]}
    assert client.get("/api/tokens/category/%25/").json() == []  # "%" is not a wildcard


def test_token_detail_has_scripts_words_pitch_and_parses_on_the_desktop(client, ids):
    response = client.get(f"/api/tokens/{ids['promise']}")
    assert response.status_code == 200
    body = response.json()
    assert [s["script"] for s in body["scripts"]] == ["I don't know who you are", "Promise me"]
    assert body["scripts"][0]["words"][0] == {
        "id": body["scripts"][0]["words"][0]["id"], "script_id": body["scripts"][0]["id"],
        "start_time": 10.5, "end_time": 12.0, "word": "I", "probability": 0.9}
    assert body["pitch"][1] == {"time": 10.01, "hz": 182.4}
    assert body["bgvoice_url"] is None and body["video_url"] is None
    token = DomainToken.from_api(body)  # the desktop's own reader takes it as it is
    assert token.scripts[1].script == "Promise me"
    contract.TokenDetail.model_validate(body)


def test_token_detail_errors(client, ids):
    assert client.get("/api/tokens/999999").json() == {"detail": "Token not found"}
    assert client.get("/api/tokens/999999").status_code == 404
    assert client.get("/api/tokens/abc").status_code == 422
    # The other slash form of a listing collides with /{token_id}: 422 as in the public backend.
    assert client.get("/api/tokens/latest").status_code == 422


def test_related_tokens_are_the_same_actors_others(client, ids):
    related = client.get(f"/api/tokens/{ids['promise']}/related/").json()
    assert [t["id"] for t in related] == [ids["chase"]]
    assert client.get("/api/tokens/999999/related/").status_code == 404


def test_view_counter_adds_one_atomically(client, ids):
    first = client.post(f"/api/tokens/{ids['joke']}/view")
    second = client.post(f"/api/tokens/{ids['joke']}/view")
    assert first.json() == {"token_id": ids["joke"], "view_count": 1}
    assert second.json()["view_count"] == 2
    assert client.post("/api/tokens/999999/view").status_code == 404


def test_view_counter_is_rate_limited(make_client, sessions):
    limited = make_client(view_rate_per_minute=2)
    token_id = standard_catalogue(limited.app.state.sessions)["joke"]
    codes = [limited.post(f"/api/tokens/{token_id}/view").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


NEW_TOKEN = {"token_name": "New scene", "actor_name": "Kim Ji-won", "category": "로맨스",
             "start_time": 5.0, "end_time": 9.5, "youtube_url": "https://youtu.be/NEW"}


def test_catalogue_writes_need_an_admin(client, ids, sign_in):
    assert client.post("/api/tokens/", json=NEW_TOKEN).status_code == 403
    learner = sign_in("learner@example.com")
    assert client.post("/api/tokens/", json=NEW_TOKEN, headers=learner).status_code == 403
    assert client.put(f"/api/tokens/{ids['joke']}", json=NEW_TOKEN,
                      headers=learner).status_code == 403
    assert client.delete(f"/api/tokens/{ids['joke']}", headers=learner).status_code == 403
    assert client.post("/api/actors/", json={"name": "X"}, headers=learner).status_code == 403
    assert client.post("/api/scripts/", json={"token_id": ids["joke"], "start_time": 1,
                                              "end_time": 2, "script": "x"},
                       headers=learner).status_code == 403


def test_admin_creates_replaces_and_deletes_a_token(client, ids, sign_in):
    admin = sign_in("admin@example.com", admin=True)
    created = client.post("/api/tokens/", json=NEW_TOKEN, headers=admin)
    assert created.status_code == 200 and set(created.json()) == TOKEN_KEYS
    token_id = created.json()["id"]
    assert client.post("/api/urls/check",
                       json={"youtube_url": "https://youtu.be/NEW"}).json() == {"exists": True}
    assert [a["name"] for a in client.get("/api/actors/search/Kim").json()] == ["Kim Ji-won"]
    replaced = client.put(f"/api/tokens/{token_id}", json={**NEW_TOKEN, "token_name": "Renamed"},
                          headers=admin)
    assert replaced.json()["token_name"] == "Renamed"
    assert client.delete(f"/api/tokens/{token_id}", headers=admin).json() == {
        "detail": "Token deleted successfully"}
    assert client.delete(f"/api/tokens/{token_id}", headers=admin).status_code == 404
    assert client.post("/api/tokens/", json={**NEW_TOKEN, "youtube_url": None},
                       headers=admin).status_code == 422


def test_scripts_crud(client, ids, sign_in):
    admin = sign_in("admin@example.com", admin=True)
    body = {"token_id": ids["joke"], "start_time": 11.0, "end_time": 12.5, "script": "Knock knock",
            "translation": "똑똑"}
    created = client.post("/api/scripts/", json=body, headers=admin)
    assert created.status_code == 200
    script = created.json()
    assert script["words"] == [] and script["translation"] == "똑똑"
    assert client.get(f"/api/scripts/{script['id']}").json() == script
    in_token = client.get(f"/api/scripts/token/{ids['joke']}").json()
    assert script["id"] in [s["id"] for s in in_token]
    assert client.get("/api/scripts/token/999999").json() == []
    assert client.post("/api/scripts/", json={**body, "token_id": 999999},
                       headers=admin).json() == {"detail": "Token not found"}
    changed = client.put(f"/api/scripts/{script['id']}", json={**body, "script": "Who's there"},
                         headers=admin)
    assert changed.json()["script"] == "Who's there"
    assert client.delete(f"/api/scripts/{script['id']}", headers=admin).json() == {
        "detail": "Script deleted successfully"}
    assert client.get(f"/api/scripts/{script['id']}").json() == {"detail": "Script not found"}
    assert len(client.get("/api/scripts/?limit=2").json()) == 2


def test_actor_search_by_alias_then_fuzzy(client, ids, sign_in):
    assert [a["name"] for a in client.get("/api/actors/search/박미나").json()] == ["Mina Park"]
    assert [a["name"] for a in client.get("/api/actors/search/mina").json()] == ["Mina Park"]
    # A misspelling is found by trigram similarity, after the substring matches.
    assert "Daniel Reyes" in [a["name"] for a in client.get("/api/actors/search/Danial Reyes")
                              .json()]
    assert client.get("/api/actors/search/zzzzqqq").json() == []
    tokens = client.get("/api/actors/박미나").json()
    assert {t["id"] for t in tokens} == {ids["promise"], ids["chase"]}
    assert {a["name"] for a in client.get("/api/actors/").json()} == {
        "Mina Park", "Daniel Reyes", "Sam Lee"}
    admin = sign_in("admin@example.com", admin=True)
    assert client.post("/api/actors/", json={"name": "Sam Lee"}, headers=admin).json() == {
        "detail": "Actor already exists"}
    assert client.post("/api/actors/", json={"name": "Ha Neul"}, headers=admin).status_code == 200


def test_urls_and_duets(client, ids):
    assert client.post("/api/urls/check",
                       json={"youtube_url": "https://youtu.be/AAA"}).json() == {"exists": True}
    assert client.post("/api/urls/check",
                       json={"youtube_url": "https://youtu.be/ZZZ"}).json() == {"exists": False}
    same_video = client.get("/api/urls/tokens", params={"youtube_url": "https://youtu.be/AAA"})
    assert [t["id"] for t in same_video.json()] == [ids["promise"], ids["reply"]]
    missing = client.get("/api/urls/tokens", params={"youtube_url": "https://youtu.be/ZZZ"})
    assert missing.status_code == 404 and missing.json() == {"detail": "URL not found"}
    duets = client.get("/api/duet/scenes").json()
    assert len(duets) == 1
    assert duets[0]["youtube_url"] == "https://youtu.be/AAA"
    assert duets[0]["scene_title"] == "비 오는 밤의 약속"
    assert [t["id"] for t in duets[0]["duet_pair"]] == [ids["promise"], ids["reply"]]


def test_bodies_both_databases_could_not_store_are_422(client, ids, sign_in):
    admin = sign_in("admin@example.com", admin=True)
    for bad in ({"token_name": "a\x00b"}, {"start_time": float("nan")},
                {"end_time": float("inf")}):
        # json.dumps writes NaN and Infinity, as some clients do; the server must refuse them.
        response = client.post("/api/tokens/", content=json.dumps({**NEW_TOKEN, **bad}),
                               headers={**admin, "Content-Type": "application/json"})
        assert response.status_code == 422, bad
    assert client.get("/api/tokens/category/a%00b/").status_code in (200, 422)
    assert client.get(f"/api/tokens/{2**40}").status_code == 422
    assert client.get("/api/tokens/?skip=-1").status_code == 422


def test_catalogue_writes_show_at_once_despite_the_read_cache(client, ids, sign_in):
    admin = sign_in("admin@example.com", admin=True)
    path = f"/api/tokens/{ids['joke']}"
    before = client.get(path).json()
    assert client.get("/api/tokens/").json()[-1]["token_name"] == "Kitchen joke"
    client.put(path, json={**NEW_TOKEN, "token_name": "Renamed joke"}, headers=admin)
    assert client.get(path).json()["token_name"] == "Renamed joke"
    assert client.get("/api/tokens/").json()[-1]["token_name"] == "Renamed joke"
    script = client.post("/api/scripts/", headers=admin, json={
        "token_id": ids["joke"], "start_time": 16.0, "end_time": 17.0, "script": "New line"})
    assert len(client.get(path).json()["scripts"]) == len(before["scripts"]) + 1
    client.delete(f"/api/scripts/{script.json()['id']}", headers=admin)
    assert len(client.get(path).json()["scripts"]) == len(before["scripts"])
    client.delete(path, headers=admin)
    assert client.get(path).status_code == 404


def test_the_read_cache_expires_and_never_keeps_an_answer_rendered_across_a_write():
    from yousync_server.services.read_cache import ReadCache

    now = [0.0]
    cache = ReadCache(ttl=5.0, clock=lambda: now[0])
    renders = []
    assert cache.get_or_render("k", lambda: renders.append(1) or b"one") == b"one"
    assert cache.get_or_render("k", lambda: b"two") == b"one"
    now[0] = 5.1
    assert cache.get_or_render("k", lambda: b"three") == b"three"

    def render_while_someone_writes():
        cache.invalidate()
        return b"stale"

    assert cache.get_or_render("w", render_while_someone_writes) == b"stale"
    assert cache.get_or_render("w", lambda: b"fresh") == b"fresh"  # "stale" was not kept


def test_the_read_cache_renders_once_for_all_waiters_and_again_just_before_expiry():
    import asyncio
    import threading

    from yousync_server.services.read_cache import ReadCache

    now = [0.0]
    cache = ReadCache(ttl=5.0, clock=lambda: now[0], refresh_ahead=1.0)
    renders = []
    gate = threading.Event()

    def render():
        gate.wait(30)
        renders.append(1)
        return f"v{len(renders)}".encode()

    async def until(condition):
        for _ in range(3000):
            if condition():
                return
            await asyncio.sleep(0.01)
        raise AssertionError("the render did not finish")

    async def run():
        waiting = [asyncio.ensure_future(cache.serve("k", render)) for _ in range(20)]
        for _ in range(3):
            await asyncio.sleep(0)
        gate.set()
        assert await asyncio.gather(*waiting) == [b"v1"] * 20
        assert len(renders) == 1                      # one render for twenty waiting requests
        now[0] = 4.5                                  # due soon: served now, rendered again once
        assert [await cache.serve("k", render) for _ in range(5)] == [b"v1"] * 5
        await until(lambda: cache.get("k") == b"v2")
        assert len(renders) == 2
        now[0] = 100.0                                # expired: never served, rendered first
        assert await cache.serve("k", render) == b"v3"

        def missing():
            raise LookupError("gone")
        failing = [asyncio.ensure_future(cache.serve("nope", missing)) for _ in range(3)]
        results = await asyncio.gather(*failing, return_exceptions=True)
        assert all(isinstance(result, LookupError) for result in results)

    asyncio.run(run())


def test_cached_hot_reads_answer_exactly_what_the_routes_answer(client, ids, monkeypatch):
    from yousync_server.api import fast_reads

    served = []
    original = fast_reads.CachedCatalogueReads._cached

    def counting(scope):
        body = original(scope)
        served.append(body is not None)
        return body
    monkeypatch.setattr(fast_reads.CachedCatalogueReads, "_cached", staticmethod(counting))
    for path in ("/api/tokens/", f"/api/tokens/{ids['joke']}"):
        first, second = client.get(path), client.get(path)   # rendered by the route, then cached
        assert served[-2:] == [False, True]
        assert second.content == first.content and second.status_code == 200
        assert second.headers["content-type"] == first.headers["content-type"]
        assert second.headers["content-length"] == first.headers["content-length"]
    assert client.get("/api/tokens/?limit=1").json() == client.get("/api/tokens/").json()[:1]
    assert client.get(f"/api/tokens/{ids['joke']}?x=1").json()["id"] == ids["joke"]
    assert client.get("/api/tokens/999999").status_code == 404
    assert client.get("/api/tokens/latest").status_code == 422   # still the route's answer
    assert fast_reads.cache_key("/api/tokens/-1") is None
    assert fast_reads.cache_key("/api/tokens/99999999999") is None
    assert fast_reads.cache_key("/api/tokens/٣") is None          # a non-ASCII digit
