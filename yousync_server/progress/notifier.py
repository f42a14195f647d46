"""The process's progress notifier as the app holds it (`app.state.notifier`): the hub every SSE
stream subscribes to, fed directly by whatever changes a job in this process (the embedded worker,
the webhooks) and by one shared poll for changes made by other processes (SQS workers, other web
processes). The poll is bound to the database by the job engine (`bind`), started and stopped by
the app's lifespan."""

from __future__ import annotations

from typing import Callable, Iterable

from yousync_server.progress.hub import JobState, ProgressHub
from yousync_server.progress.poller import SharedPoller


class ProgressNotifier:
    def __init__(self, poll_seconds: float = 1.0):
        self.hub = ProgressHub()
        self.poll_seconds = poll_seconds
        self.poller: SharedPoller | None = None

    def bind(self, load_states: Callable[[list[str]], Iterable[JobState]]) -> None:
        self.poller = SharedPoller(self.hub, load_states, interval_s=self.poll_seconds)

    def publish(self, state: JobState) -> None:
        self.hub.publish(state)

    async def start(self) -> None:
        if self.poller is not None:
            self.poller.start()

    async def aclose(self) -> None:
        if self.poller is not None:
            await self.poller.stop()
