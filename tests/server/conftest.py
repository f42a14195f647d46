"""Server fixtures with real parts: SQLite files, a throwaway PostgreSQL cluster started by the
test run, the app over httpx (ASGI), and a real OpenID Connect provider (pytest-iam).

Every contract test takes `client`, parametrized over both databases; `-m postgres` selects the
PostgreSQL lane, `-m "not postgres"` leaves it out. The cluster is Debian's PostgreSQL, started
with initdb + pg_ctl in a temporary folder with its socket there (no TCP port), and stopped by
its PID at the end of the session.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.server.oidc_provider import Provider

PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def _pg_binary(name: str) -> str | None:
    for folder in PG_BIN_DIRS:
        if (folder / name).exists():
            return str(folder / name)
    return shutil.which(name)


def _as_cluster_owner(argv: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; the Debian package brings a `postgres` account.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


class PostgresCluster:
    def __init__(self):
        initdb, pg_ctl = _pg_binary("initdb"), _pg_binary("pg_ctl")
        if not initdb or not pg_ctl:
            pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed: "
                        "apt-get install -y postgresql")
        # Not under pytest's 0700 tmp folders: the cluster's owner must be able to reach it.
        self.root = Path(tempfile.mkdtemp(prefix="yousync-pg-"))
        self.data = self.root / "data"
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        subprocess.run(_as_cluster_owner([initdb, "-D", str(self.data), "-A", "trust",
                                          "-U", "postgres", "--no-sync", "-E", "UTF8"]),
                       check=True, capture_output=True)
        options = f"-k {self.root} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
        subprocess.run(_as_cluster_owner([pg_ctl, "-D", str(self.data), "-o", options, "-w",
                                          "-l", str(self.root / "log"), "start"]),
                       check=True, capture_output=True)
        self.pid = int((self.data / "postmaster.pid").read_text().splitlines()[0])
        self.url = f"postgresql+psycopg://postgres@/yousync?host={self.root}"
        admin = create_engine(f"postgresql+psycopg://postgres@/postgres?host={self.root}",
                              isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("CREATE DATABASE yousync"))
        admin.dispose()

    def stop(self) -> None:
        try:
            os.kill(self.pid, signal.SIGINT)  # PostgreSQL's fast shutdown
        except ProcessLookupError:
            pass
        for _ in range(200):
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            os.kill(self.pid, signal.SIGKILL)
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_cluster():
    cluster = PostgresCluster()
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
