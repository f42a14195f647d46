"""One notifier per process: job-state changes fanned out to every SSE stream watching that job.

`publish(state)` may be called from any thread (the worker's runner, the shared poller); each
subscriber keeps only the newest state of its job (a stream that falls behind skips to the latest
version, it never queues) and is woken through its own event loop, thread-safely. Streams never
touch the database while they wait: the only reads are one per connect, plus the shared poll in
multi-process deployments (poller.py)."""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict
from typing import Any, Mapping

JobState = Mapping[str, Any]   # at least "job_id", "version", "status"


class Subscription:
    """One stream's view of one job: the newest published state and an event that says "new"."""

    def __init__(self, hub: "ProgressHub", job_id: str, loop: asyncio.AbstractEventLoop):
        self.hub = hub
        self.job_id = job_id
        self.loop = loop
        self.latest: JobState | None = None
        self.changed = asyncio.Event()

    def _offer(self, state: JobState) -> None:  # runs on the subscriber's loop
        if self.latest is None or _version(state) > _version(self.latest):
            self.latest = state
            self.changed.set()

    async def next_state(self, after_version: int, timeout: float) -> JobState | None:
        """The newest state with a version above `after_version`, or None after `timeout`."""
        if self.latest is not None and _version(self.latest) > after_version:
            return self.latest
        self.changed.clear()
        try:
            await asyncio.wait_for(self.changed.wait(), timeout)
        except asyncio.TimeoutError:
            return None
        if self.latest is not None and _version(self.latest) > after_version:
            return self.latest
        return None

    def close(self) -> None:
        self.hub._remove(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _version(state: JobState) -> int:
    return int(state.get("version") or 0)


class ProgressHub:
    def __init__(self):
        self._lock = threading.Lock()
        self._subscribers: dict[str, set[Subscription]] = defaultdict(set)

    def subscribe(self, job_id: str) -> Subscription:
        """Call from the stream's event loop, before reading the job's current state, so no change
        can slip between the read and the subscription."""
        subscription = Subscription(self, job_id, asyncio.get_running_loop())
        with self._lock:
            self._subscribers[job_id].add(subscription)
        return subscription

    def _remove(self, subscription: Subscription) -> None:
        with self._lock:
            watchers = self._subscribers.get(subscription.job_id)
            if watchers is not None:
                watchers.discard(subscription)
                if not watchers:
                    del self._subscribers[subscription.job_id]

    def publish(self, state: JobState) -> None:
        """A job's new state (with its `version`); safe from any thread."""
        with self._lock:
            watchers = list(self._subscribers.get(str(state["job_id"]), ()))
        for subscription in watchers:
            try:
                subscription.loop.call_soon_threadsafe(subscription._offer, state)
            except RuntimeError:
                subscription.close()  # its loop has closed: the stream is gone

    def watched_jobs(self) -> list[str]:
        with self._lock:
            return list(self._subscribers)

    def stream_count(self) -> int:
        with self._lock:
            return sum(len(watchers) for watchers in self._subscribers.values())
