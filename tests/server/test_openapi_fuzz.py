"""Schemathesis against our own /openapi.json: requests generated from the schema — odd ids,
strings, Unicode path segments, bodies at the limits — signed in as an admin so the writes run
too, must never get a 5xx, on either database (PostgreSQL refuses values SQLite stores, such as
NUL characters).

Driven through schemathesis' strategies rather than its pytest plugin, which does not run on
pytest 9 yet."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.server.seed import standard_catalogue


@pytest.fixture
def fuzz_target(tmp_path, database_url):
    from fastapi.testclient import TestClient

    from yousync_server.app import Engines, create_app
    from yousync_server.config import load_settings
    from yousync_server.progress import ProgressNotifier
    from yousync_server.queue import InProcessQueue
    from yousync_server.storage import LocalStorage
    from yousync_server.services.auth import ensure_admin, issue_access_token

    app = create_app(load_settings(data_dir=tmp_path / "data",
                                   database_url=database_url,
                                   jwt_secret="fuzz-signing-key-that-is-long-enough-x",
                                   install_demo_scenes=False, view_rate_per_minute=100_000),
                     Engines(storage=LocalStorage(tmp_path / "objects", base_url="", secret=b"k"),
                             queue=InProcessQueue(), notifier=ProgressNotifier()))
    with TestClient(app):
        standard_catalogue(app.state.sessions)
        with app.state.sessions() as session:
            admin, _ = ensure_admin(session, "fuzz-admin@example.com")
            app.state.fuzz_headers = {
                "Authorization": f"Bearer {issue_access_token(app.state.session_policy, admin)}"}
        yield app



def test_no_route_answers_5xx(fuzz_target):
    app = fuzz_target
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    operations = 0
    for loaded in schema.get_all_operations():
        operation = loaded.ok()
        operations += 1

        @settings(max_examples=8, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(operation.as_strategy())
        def exercise(case):
            response = case.call(headers=app.state.fuzz_headers)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} → "
                                f"{response.status_code} {response.text[:200]}")

        exercise()
    assert operations >= 35
    assert failures == []
