"""Server fixtures with real parts: SQLite files, a throwaway PostgreSQL cluster started by the
test run, the app over httpx (ASGI), and a real OpenID Connect provider (pytest-iam).

Every contract test takes `client`, parametrized over both databases; `-m postgres` selects the
PostgreSQL lane, `-m "not postgres"` leaves it out. The cluster is Debian's PostgreSQL, started
with initdb + pg_ctl in a temporary folder with its socket there (no TCP port), and stopped by
its PID at the end of the session.
"""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import create_engine, text

from tests.server.oidc_provider import Provider
from tools.local_services import PostgresCluster, ServiceUnavailable


@pytest.fixture(scope="session")
def postgres_cluster():
    try:
        cluster = PostgresCluster()
    except ServiceUnavailable as exc:
        pytest.skip(str(exc))
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def postgres_migrated(postgres_cluster):
    from yousync_server.db.engine import create_db_engine, upgrade_to_head

    engine = create_db_engine(postgres_cluster.url)
    upgrade_to_head(engine)
    engine.dispose()
    return postgres_cluster.url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """One migrated SQLite file, copied for each test (migrating each time is slower)."""
    from yousync_server.db.engine import create_db_engine, upgrade_to_head

    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    engine = create_db_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def _truncate_all(url: str) -> None:
    from yousync_server.db.models import Base

    engine = create_engine(url)
    names = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        path = tmp_path / "server.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_migrated")
    _truncate_all(url)
    return url


@pytest.fixture(scope="session")
def oidc(iam_server) -> Provider:
    return Provider(iam_server)


@pytest.fixture
def make_settings(tmp_path, database_url):
    from yousync_server.config import load_settings

    def make(**overrides):
        values = dict(data_dir=tmp_path / "data", database_url=database_url,
                      jwt_secret="test-signing-key-that-is-long-enough-for-hs256",
                      install_demo_scenes=False)
        values.update(overrides)
        return load_settings(**values)

    return make


@pytest.fixture
def make_client(make_settings, tmp_path):
    """A TestClient (httpx) on a fresh app; engines are test placeholders (no queue/notifier)."""
    from fastapi.testclient import TestClient

    from yousync_server.app import Engines, create_app
    from yousync_server.storage import LocalStorage

    clients = []

    def make(**overrides):
        settings = make_settings(**overrides)
        storage = LocalStorage(tmp_path / "objects", base_url="", secret=b"test-object-key",
                               media_path="/api/media")
        client = TestClient(create_app(settings, Engines(storage=storage)),
                            raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client):
    return make_client()


@pytest.fixture
def sessions(client):
    return client.app.state.sessions


@pytest.fixture
def sign_in(client):
    """`sign_in(email, admin=False)` → Authorization headers of an account made in the database
    (sign-in itself is tested through the real provider in test_auth.py)."""
    from yousync_server.services.auth import ensure_admin, issue_access_token
    from yousync_server.db.models import User

    def make(email: str, *, admin: bool = False, full_name: str | None = None) -> dict:
        with client.app.state.sessions() as session:
            if admin:
                user, _ = ensure_admin(session, email)
            else:
                user = User(email=email, full_name=full_name, login_type="google")
                session.add(user)
                session.commit()
            token = issue_access_token(client.app.state.session_policy, user)
        return {"Authorization": f"Bearer {token}"}

    return make
