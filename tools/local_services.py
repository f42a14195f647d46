"""Throwaway real services on this machine, for the server tests and `benchmarks.server`: a
PostgreSQL cluster in a temporary folder (Debian's initdb + pg_ctl, socket in that folder, no TCP
port) and a moto server (S3 + SQS) on loopback. Each is started as a subprocess and stopped by its
PID, never by name. Test fixtures wrap these (tests/server/conftest.py, engine_fixtures.py); the
benchmark uses them directly, so both start the services the same way.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

VENV_BIN = Path(sys.executable).parent
PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
AWS_TEST_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_DEFAULT_REGION": "us-east-1"}


class ServiceUnavailable(RuntimeError):
    """The service cannot be started here; the message says what to install."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, timeout: float = 60.0, interval: float = 0.05, what: str = "condition"):
    """Poll `condition` until it is truthy; a generous timeout only guards against a hang."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def stop_process(process: subprocess.Popen, grace_s: float = 10.0) -> None:
    """Terminate one process we started, by its PID; kill it if it will not go."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    def up():
        if process.poll() is not None:
            raise AssertionError(f"process {process.pid} exited with {process.returncode}")
        try:
            httpx.get(url, timeout=1.0)
            return True
        except httpx.HTTPError:
            return False
    wait_until(up, timeout, 0.1, f"{url} to answer")


# --- PostgreSQL ----------------------------------------------------------------------------------

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
    """A fresh cluster with one database `yousync`; `url` is its SQLAlchemy URL."""

    def __init__(self, *, max_connections: int | None = None):
        initdb, pg_ctl = _pg_binary("initdb"), _pg_binary("pg_ctl")
        if not initdb or not pg_ctl:
            raise ServiceUnavailable("PostgreSQL server binaries (initdb, pg_ctl) are not "
                                     "installed: apt-get install -y postgresql")
        from sqlalchemy import create_engine, text

        # Not under pytest's 0700 tmp folders: the cluster's owner must be able to reach it.
        self.root = Path(tempfile.mkdtemp(prefix="yousync-pg-"))
        self.data = self.root / "data"
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        subprocess.run(_as_cluster_owner([initdb, "-D", str(self.data), "-A", "trust",
                                          "-U", "postgres", "--no-sync", "-E", "UTF8"]),
                       check=True, capture_output=True)
        options = f"-k {self.root} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
        if max_connections is not None:
            options += f" -c max_connections={int(max_connections)}"
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


# --- moto (S3 + SQS) -----------------------------------------------------------------------------

class MotoServer:
    """moto_server on a free loopback port; `url` is the S3/SQS endpoint (any credentials do)."""

    def __init__(self, log_path: Path):
        program = VENV_BIN / "moto_server"
        if not program.exists():
            raise ServiceUnavailable("moto_server is not installed: pip install 'moto[server]' "
                                     "(the dev extra)")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = open(log_path, "wb")
        self.process = subprocess.Popen([str(program), "-H", "127.0.0.1", "-p", str(self.port)],
                                        stdout=self._log, stderr=subprocess.STDOUT)
        try:
            wait_for_http(self.url + "/moto-api/", self.process)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        stop_process(self.process)
        self._log.close()
