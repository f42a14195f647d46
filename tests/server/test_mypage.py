"""My page, score and video requests (§3.7–3.9, §3.12) with §7.6, §7.10 and §7.11: every list
is the caller's own, bookmarks are always an array, per-script views use each script's latest job."""

from __future__ import annotations

import pytest

from tests.server.seed import add_job, add_user, standard_catalogue
from yousync_server.db.models import Script, User


@pytest.fixture
def ids(sessions):
    return standard_catalogue(sessions)


def _user_id(sessions, email):
    with sessions() as session:
        return session.query(User).filter_by(email=email).one().id


def _scripts(sessions, token_id):
    with sessions() as session:
        return [s.id for s in session.query(Script).filter_by(token_id=token_id)
                .order_by(Script.id)]


def test_bookmarks(client, ids, sign_in):
    me = sign_in("me@example.com")
    assert client.get("/api/mypage/bookmarks", headers=me).json() == []  # §7.10, not debug_info
    added = client.post("/api/mypage/bookmarks", json={"token_id": ids["promise"]}, headers=me)
    assert added.status_code == 201 and added.json() == {"token_id": ids["promise"]}
    assert client.post("/api/mypage/bookmarks", json={"token_id": ids["promise"]},
                       headers=me).status_code == 409
    assert client.post("/api/mypage/bookmarks", json={"token_id": 999999},
                       headers=me).status_code == 404
    assert client.post("/api/mypage/bookmarks", json={"token_id": 0},
                       headers=me).status_code == 422
    client.post("/api/mypage/bookmarks", json={"token_id": ids["joke"]}, headers=me)
    listed = client.get("/api/mypage/bookmarks", headers=me).json()
    assert [b["token_id"] for b in listed] == [ids["joke"], ids["promise"]]  # newest first
    assert set(listed[0]) == {"id", "user_id", "token_id", "created_at", "token"}
    assert set(listed[0]["token"]) == {"id", "token_name", "actor_name", "category",
                                       "thumbnail_url", "youtube_url"}
    assert len(client.get("/api/mypage/bookmarks?limit=1&offset=1", headers=me).json()) == 1
    assert client.get("/api/mypage/bookmarks?limit=101", headers=me).status_code == 422
    # Someone else sees none of mine.
    other = sign_in("other@example.com")
    assert client.get("/api/mypage/bookmarks", headers=other).json() == []
    removed = client.delete(f"/api/mypage/bookmarks/{ids['joke']}", headers=me)
    assert removed.status_code == 204 and removed.content == b""
    assert client.delete(f"/api/mypage/bookmarks/{ids['joke']}", headers=me).status_code == 204
    assert client.get("/api/mypage/bookmarks").status_code == 403


def test_dubbed_tokens_overview_and_scores_count_each_script_once(client, sessions, ids, sign_in):
    me = sign_in("me@example.com", full_name="Me")
    user_id = _user_id(sessions, "me@example.com")
    first, second = _scripts(sessions, ids["promise"])
    with sessions() as session:
        # Line one dubbed twice: only the newer take counts. Line two once; one job still running.
        add_job(session, user_id=user_id, token_id=ids["promise"], script_id=first, score=0.4)
        add_job(session, user_id=user_id, token_id=ids["promise"], script_id=first, score=0.8,
                minutes=5)
        add_job(session, user_id=user_id, token_id=ids["promise"], script_id=second, score=0.6,
                minutes=6)
        add_job(session, user_id=user_id, token_id=ids["joke"],
                script_id=_scripts(sessions, ids["joke"])[0], status="processing", minutes=7)
        other = add_user(session, "other@example.com")
        add_job(session, user_id=other.id, token_id=ids["promise"], script_id=first, score=0.1,
                minutes=9)
    client.post("/api/mypage/bookmarks", json={"token_id": ids["chase"]}, headers=me)

    dubbed = client.get("/api/mypage/my-dubbed-tokens", headers=me).json()
    assert [d["token_id"] for d in dubbed] == [ids["joke"], ids["promise"]]
    promise = dubbed[1]
    assert promise["total_scripts"] == 2 and promise["completed_scripts"] == 2
    assert dubbed[0]["completed_scripts"] == 0

    overview = client.get("/api/mypage/overview", headers=me).json()
    assert overview["total_bookmarks"] == 1 and overview["total_dubbed_tokens"] == 2
    assert overview["total_practice_count"] == 4
    assert overview["average_completion_rate"] == pytest.approx(70.0)  # (0.8 + 0.6) / 2 × 100
    assert overview["user_info"]["email"] == "me@example.com"
    assert [b["token_id"] for b in overview["recent_bookmarks"]] == [ids["chase"]]

    status = client.get(f"/api/mypage/tokens/{ids['promise']}/analysis-status",
                        headers=me).json()
    assert status["has_analysis"] is True
    assert [r["script_id"] for r in status["script_results"]] == [first, second]
    assert status["script_results"][0]["result"]["result"]["overall_score"] == 0.8
    fresh = client.get(f"/api/mypage/tokens/{ids['chase']}/analysis-status", headers=me).json()
    assert fresh["has_analysis"] is False
    assert set(fresh["script_results"][0]) == {"script_id", "script_text", "has_result"}
    assert client.get("/api/mypage/tokens/999999/analysis-status", headers=me).status_code == 404

    token_score = client.get(f"/api/score/{ids['promise']}/score/", headers=me)
    assert token_score.status_code == 200
    assert token_score.json() == {"token_id": ids["promise"], "average_score": pytest.approx(0.7)}
    assert client.get(f"/api/score/{ids['chase']}/score/", headers=me).status_code == 404
    average = client.get("/api/score/me/average/", headers=me).json()
    assert average["average_score"] == pytest.approx((0.4 + 0.8 + 0.6) / 3)
    board = client.get("/api/score/leaderboard/top-recorders").json()["users"]
    assert board[0]["email"] == "me@example.com" and board[0]["recording_count"] == 4

    deleted = client.delete(f"/api/mypage/tokens/{ids['promise']}/my-results", headers=me)
    assert deleted.status_code == 204
    assert client.delete(f"/api/mypage/tokens/{ids['promise']}/my-results",
                         headers=me).status_code == 404
    # The other learner's job is untouched.
    other_headers = sign_in("third@example.com")
    assert client.get("/api/score/me/average/", headers=other_headers).status_code == 404


def test_video_requests(client, sign_in):
    me = sign_in("me@example.com", full_name="Kim Learner")
    body = {"actor": "Mina Park", "content": "The rooftop scene", "url": "https://youtu.be/X"}
    created = client.post("/api/request/", json=body, headers=me)
    assert created.status_code == 200
    request = created.json()
    assert request["status"] == "심사중" and request["requester"] == "Kim Learner"
    assert set(request) == {"id", "actor", "content", "url", "status", "date", "requester"}
    assert client.post("/api/request/", json=body, headers=me).status_code == 400
    assert [r["id"] for r in client.get("/api/request/mine", headers=me).json()] == [request["id"]]
    other = sign_in("other@example.com")
    assert client.get("/api/request/mine", headers=other).json() == []
    assert len(client.get("/api/request/all", headers=other).json()) == 1
    assert client.get("/api/request/all").status_code == 403
    path = f"/api/request/{request['id']}"
    assert client.patch(f"{path}/status", json={"status": "거절됨"},
                        headers=me).status_code == 403
    admin = sign_in("admin@example.com", admin=True)
    assert client.patch(f"{path}/status", json={"status": "maybe"},
                        headers=admin).status_code == 400
    assert client.patch("/api/request/999999/status", json={"status": "거절됨"},
                        headers=admin).status_code == 404
    assert client.delete(path, headers=me).status_code == 400  # still pending
    assert client.patch(f"{path}/status", json={"status": "거절됨"},
                        headers=admin).status_code == 200
    assert client.delete(path, headers=other).status_code == 404  # not theirs
    assert client.delete(path, headers=me).status_code == 200
    assert client.get("/api/request/mine", headers=me).json() == []
