"""Races a real database must settle, on SQLite (WAL) and PostgreSQL: one refresh token presented
by many callers at once starts at most one session, and the family is revoked; concurrent
bookmark POSTs make one bookmark; concurrent views are all counted."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.server.seed import add_user, standard_catalogue
from yousync_server.db.models import User
from yousync_server.services import auth
from yousync_server.services.errors import Conflict, Unauthorized

CALLERS = 8


def _together(function, count=CALLERS):
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(lambda _i: _outcome(function), range(count)))


def _outcome(function):
    try:
        return function()
    except (Unauthorized, Conflict) as exc:
        return exc


def test_one_refresh_token_used_at_once_by_many_starts_at_most_one_session(client, sessions):
    policy = client.app.state.session_policy
    with sessions() as session:
        user = add_user(session, "racer@example.com")
        first = auth.start_session(session, policy, user).refresh_token

    def rotate():
        with sessions() as session:
            return auth.rotate_refresh_token(session, policy, first)

    outcomes = _together(rotate)
    winners = [o for o in outcomes if isinstance(o, auth.IssuedSession)]
    assert len(winners) <= 1
    assert all(isinstance(o, (auth.IssuedSession, Unauthorized)) for o in outcomes)
    # Everyone but the winner presented a used token: that is reuse, so the family is gone.
    if len(winners) == 1 and len(outcomes) > 1:
        with sessions() as session:
            try:
                auth.rotate_refresh_token(session, policy, winners[0].refresh_token)
            except Unauthorized:
                pass
            else:
                raise AssertionError("the family survived a reuse")


def test_concurrent_bookmarks_make_one_and_concurrent_views_all_count(client, sessions):
    from yousync_server.services import catalogue, mypage

    token_id = standard_catalogue(sessions)["joke"]
    with sessions() as session:
        add_user(session, "fan@example.com")

    def bookmark():
        with sessions() as session:
            user = session.query(User).filter_by(email="fan@example.com").one()
            mypage.add_bookmark(session, user, token_id)
            return "added"

    outcomes = _together(bookmark)
    assert outcomes.count("added") == 1
    assert all(isinstance(o, Conflict) for o in outcomes if o != "added")

    def view():
        with sessions() as session:
            return catalogue.add_view(session, token_id)

    counts = _together(view, 16)
    assert sorted(counts)[-1] == 16
