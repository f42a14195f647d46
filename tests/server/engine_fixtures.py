"""Shared real parts for the engine tests: a moto server (S3 + SQS) on loopback, started once per
session and stopped by its PID; helpers to start and stop subprocesses by PID.
Test modules import the fixtures they use from here (a conftest of their own would collide with
the app's)."""

from __future__ import annotations

import os

import pytest

# The helpers live in tools/local_services.py (shared with benchmarks.server); test modules keep
# importing them from here.
from tools.local_services import (AWS_TEST_ENV as AWS_ENV, VENV_BIN, MotoServer,  # noqa: F401
                                  free_port, stop_process, wait_for_http, wait_until)


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory):
    """A real moto_server on loopback: the S3 and SQS endpoint URL. AWS test credentials are put in
    the environment for the session (moto accepts any)."""
    saved = {name: os.environ.get(name) for name in AWS_ENV}
    os.environ.update(AWS_ENV)
    server = MotoServer(tmp_path_factory.mktemp("moto") / "moto.log")
    try:
        yield server.url
    finally:
        server.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
