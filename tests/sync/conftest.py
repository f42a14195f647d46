"""Sync fixtures with real parts: our yousync-server as a real uvicorn process on loopback (its
own SQLite and object folder, the demo scenes installed, stopped by its PID), the public
backend's quirks stand-in on a thread, an in-memory keyring, and the OpenID provider of the
server tests (pytest-iam)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.server.engine_fixtures import free_port, stop_process, wait_for_http
from tests.server.oidc_provider import Provider
from tests.sync.public_standin import RunningStandin, StandinState
from yousync_desktop.sync.api_client import RetryPolicy

ROOT = Path(__file__).resolve().parents[2]
QUICK_RETRY = RetryPolicy(attempts=4, initial_wait=0.01, max_wait=0.05)


class RealServer:
    """`yousync-server serve` in a subprocess; `restart()` keeps its data (a server that went
    away and came back)."""

    def __init__(self, data_dir: Path, **settings: str):
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.environment = {k: v for k, v in os.environ.items()
                            if not k.startswith("YOUSYNC_") and k != "DATABASE_URL"}
        self.environment.update({"YOUSYNC_SERVER_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT),
                                 "YOUSYNC_JWT_SECRET": "sync-tests-signing-key-long-enough-hs256",
                                 "YOUSYNC_LOG_LEVEL": "WARNING"})
        self.environment.update({f"YOUSYNC_{k.upper()}": v for k, v in settings.items()})
        self.process: subprocess.Popen | None = None

    def start(self) -> "RealServer":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log = open(self.data_dir / "server.log", "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "yousync_server.cli", "serve", "--port", str(self.port)],
            cwd=ROOT, env=self.environment, stdout=subprocess.DEVNULL, stderr=self.log)
        wait_for_http(f"{self.url}/health", self.process)
        return self

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
            self.process = None
            self.log.close()


@pytest.fixture(scope="session")
def oidc(iam_server) -> Provider:
    return Provider(iam_server)


@pytest.fixture
def real_server(tmp_path):
    server = RealServer(tmp_path / "server").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def standin():
    with RunningStandin(StandinState()) as running:
        yield running


@pytest.fixture
def memory_keyring():
    """An in-memory keyring for the test (never keyrings.alt, never the user's keychain)."""
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1

        def __init__(self):
            super().__init__()
            self.secrets: dict[tuple[str, str], str] = {}

        def get_password(self, service, username):
            return self.secrets.get((service, username))

        def set_password(self, service, username, password):
            self.secrets[(service, username)] = password

        def delete_password(self, service, username):
            self.secrets.pop((service, username), None)

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)
