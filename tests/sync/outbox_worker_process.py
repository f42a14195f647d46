"""A worker in its own process, to be killed: `python -m tests.sync.outbox_worker_process DATA_DIR
BASE_URL PROFILE` opens the library in DATA_DIR and runs one outbox pass against BASE_URL."""

from __future__ import annotations

import sys
from pathlib import Path

from yousync_desktop.library import Library
from yousync_desktop.settings import AppPaths
from yousync_desktop.sync.api_client import ApiClient, RetryPolicy
from yousync_desktop.sync.outbox_worker import FollowPolicy, OutboxWorker


def main() -> int:
    data_dir, base_url, profile = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    paths = AppPaths(data_dir=data_dir, config_dir=data_dir / "config")
    with Library(paths) as library, ApiClient(base_url, retry=RetryPolicy(attempts=1)) as api:
        OutboxWorker(library, api, profile, policy=FollowPolicy(first_wait=0.05)).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
