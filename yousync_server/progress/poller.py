"""For several processes (web processes and separate workers sharing one database): one poll per
web process, not one per stream. Every `interval_s` it reads the states of all jobs that have at
least one open stream, in one query (`load_states`, provided by the app, e.g.
`SELECT … FROM jobs WHERE job_id IN (…) AND version > …`), and publishes those that changed to the
hub. A thousand streams on ten jobs cost one small query per second.

PostgreSQL LISTEN/NOTIFY could replace the poll later; it would feed the same `hub.publish`."""

from __future__ import annotations

import asyncio
import logging
from typing import Callable, Iterable

from yousync_server.progress.hub import JobState, ProgressHub

log = logging.getLogger(__name__)


class SharedPoller:
    def __init__(self, hub: ProgressHub,
                 load_states: Callable[[list[str]], Iterable[JobState]], *,
                 interval_s: float = 1.0):
        self.hub = hub
        self.load_states = load_states      # blocking (a DB query): run in a thread
        self.interval_s = interval_s
        self._versions: dict[str, int] = {}
        self._task: asyncio.Task | None = None
        self.polls = 0

    async def poll_once(self) -> None:
        watched = self.hub.watched_jobs()
        self._versions = {job: v for job, v in self._versions.items() if job in watched}
        if not watched:
            return
        self.polls += 1
        try:
            states = await asyncio.to_thread(lambda: list(self.load_states(watched)))
        except Exception:  # noqa: BLE001 — a failed poll is retried on the next tick
            log.exception("progress poll failed")
            return
        for state in states:
            job_id, version = str(state["job_id"]), int(state.get("version") or 0)
            if version > self._versions.get(job_id, -1):
                self._versions[job_id] = version
                self.hub.publish(state)

    async def run(self) -> None:
        while True:
            await self.poll_once()
            await asyncio.sleep(self.interval_s)

    def start(self) -> asyncio.Task:
        """Start polling on the running loop (call from the app's lifespan)."""
        self._task = asyncio.get_running_loop().create_task(self.run(), name="progress-poller")
        return self._task

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
