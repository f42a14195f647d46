"""Our server as the benchmark runs it: the real `yousync-server serve` command (uvicorn) in a
subprocess on a free loopback port, with a throwaway data folder, stopped by its PID.

Embedded default: nothing configured but the data folder (SQLite WAL, local objects, in-process
queue and worker, demo scenes installed at the first start). `--postgres`: a throwaway PostgreSQL
cluster and a moto server (S3 + SQS) from tools/local_services.py, the web process on them and one
`yousync-server worker` process consuming the queue (at scale the web process runs no analysis).
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psutil

from tools.local_services import (AWS_TEST_ENV, MotoServer, PostgresCluster, free_port,
                                  stop_process, wait_for_http)

ROOT = Path(__file__).resolve().parents[2]
OPEN_FILES = 65536   # 1,000+ SSE streams need more descriptors than a shell's usual 1,024


def _raise_open_files() -> None:
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = OPEN_FILES if hard == resource.RLIM_INFINITY else min(OPEN_FILES, hard)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


class ServerProcess:
    """One `yousync-server` subprocess (serve or worker); its log goes to a file in `folder`."""

    def __init__(self, folder: Path, env: dict[str, str], command: list[str], name: str):
        self.log_path = folder / f"{name}.log"
        self._log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "yousync_server.cli", *command], cwd=ROOT, env=env,
            stdout=self._log, stderr=subprocess.STDOUT, preexec_fn=_raise_open_files)
        self.pid = self.process.pid
        self.stats = psutil.Process(self.pid)

    def rss_bytes(self) -> int:
        return self.stats.memory_info().rss

    def cpu_seconds(self) -> float:
        times = self.stats.cpu_times()
        return times.user + times.system

    def stop(self, grace_s: float = 20.0) -> None:
        stop_process(self.process, grace_s)
        self._log.close()


class OurServer:
    """Context manager: the web process (and for --postgres the engines and one worker).
    `restart(embedded_workers=0)` starts the web process again on the same data, with the
    in-process worker off, so a job stays open for the SSE measurement."""

    def __init__(self, folder: Path, *, postgres: bool = False):
        self.folder = folder
        self.postgres = postgres
        self.cluster: PostgresCluster | None = None
        self.moto: MotoServer | None = None
        self.web: ServerProcess | None = None
        self.worker: ServerProcess | None = None
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"

    def _env(self, **extra: str) -> dict[str, str]:
        env = {**os.environ, "PYTHONPATH": str(ROOT),
               "YOUSYNC_SERVER_DATA_DIR": str(self.folder / "data")}
        # The default log level (INFO, with an access line per request) unless the operator of
        # the benchmark asks for another: the default is what is measured.
        if os.environ.get("YOUSYNC_BENCH_LOG_LEVEL"):
            env["YOUSYNC_LOG_LEVEL"] = os.environ["YOUSYNC_BENCH_LOG_LEVEL"]
        for name in ("DATABASE_URL", "YOUSYNC_S3_BUCKET", "YOUSYNC_SQS_QUEUE_NAME",
                     "YOUSYNC_EMBEDDED_WORKERS", "AWS_ENDPOINT_URL"):
            env.pop(name, None)
        if self.postgres:
            env.update(AWS_TEST_ENV)
            env.update({"DATABASE_URL": self.cluster.url, "AWS_ENDPOINT_URL": self.moto.url,
                        "YOUSYNC_S3_BUCKET": self.bucket, "YOUSYNC_S3_CREATE_BUCKET": "true",
                        "YOUSYNC_SQS_QUEUE_NAME": self.queue_name,
                        "YOUSYNC_PROGRESS_POLL_SECONDS": "1.0"})
        env.update(extra)
        return env

    def __enter__(self) -> "OurServer":
        try:
            if self.postgres:
                self.cluster = PostgresCluster(max_connections=200)
                self.moto = MotoServer(self.folder / "moto.log")
                self.bucket = f"bench-{uuid.uuid4().hex[:8]}"
                self.queue_name = f"bench-{uuid.uuid4().hex[:8]}"
            self._start_web()
            if self.postgres:
                self.worker = ServerProcess(self.folder, self._env(), ["worker"], "worker")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start_web(self, **extra: str) -> None:
        self.web = ServerProcess(self.folder, self._env(**extra),
                                 ["serve", "--port", str(self.port)], "web")
        # The first start migrates and installs the demo scenes: allow it time on a busy machine.
        wait_for_http(self.base_url + "/health", self.web.process, timeout=180)

    def stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None

    def restart(self, **extra: str) -> None:
        self.web.stop()
        self._start_web(**extra)

    def __exit__(self, *exc) -> None:
        for process in (self.worker, self.web):
            if process is not None:
                process.stop()
        self.worker = self.web = None
        if self.moto is not None:
            self.moto.stop()
        if self.cluster is not None:
            self.cluster.stop()
