"""Shared real parts for the engine tests: a moto server (S3 + SQS) on loopback, started once per
session and stopped by its PID; helpers to start and stop subprocesses by PID.
Test modules import the fixtures they use from here (a conftest of their own would collide with
the app's)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

VENV_BIN = Path(sys.executable).parent


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


def stop_process(process: subprocess.Popen) -> None:
    """Terminate one process we started, by its PID; kill it if it will not go."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
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


AWS_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
           "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory):
    """A real moto_server on loopback: the S3 and SQS endpoint URL. AWS test credentials are put in
    the environment for the session (moto accepts any)."""
    saved = {name: os.environ.get(name) for name in AWS_ENV}
    os.environ.update(AWS_ENV)
    port = free_port()
    log = open(tmp_path_factory.mktemp("moto") / "moto.log", "wb")
    process = subprocess.Popen([str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(url + "/moto-api/", process)
        yield url
    finally:
        stop_process(process)
        log.close()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
