"""A short-lived cache of rendered catalogue answers (token detail, token lists), per process.

The catalogue changes rarely (admin writes) but is read on every screen; building a token detail
— its pitch contour, every line and word, presigned media links — costs milliseconds of CPU that
a 2-core server cannot spend a thousand times a second. Answers are kept for `ttl` seconds (so
another process's write, or a view count, shows within that time) and dropped at once when this
process writes the catalogue. Presigned links inside stay valid: they live 900 s, the cache 5 s.

`serve()` is the event loop's way in. Under load an answer is rendered again shortly *before* it
expires, once, in the thread pool, while the still-fresh one keeps being served; and a missing
answer is rendered once however many requests wait for it. Without both, every expiry made each
of 64 concurrent requests render the same answer at once (p99 244 ms against a p50 of 22 ms in
benchmarks.server). An answer is never served past its `ttl`.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Hashable

from starlette.concurrency import run_in_threadpool


class ReadCache:
    def __init__(self, ttl: float = 5.0, max_entries: int = 4096, clock=time.monotonic,
                 refresh_ahead: float | None = None):
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock
        # Start the next render this long before expiry: more than a render takes under load.
        self.refresh_ahead = min(1.0, ttl / 5) if refresh_ahead is None else refresh_ahead
        self._lock = threading.Lock()
        self._entries: dict[Hashable, tuple[float, bytes]] = {}
        self._generation = 0
        self._renders: dict[Hashable, asyncio.Future] = {}  # in flight; event loop only

    def get(self, key: Hashable) -> bytes | None:
        """The cached answer if it is there and fresh, else None (never renders)."""
        return self._lookup(key)[0]

    def get_settled(self, key: Hashable) -> bytes | None:
        """The cached answer if it is fresh and not yet due to be rendered again, else None: for
        a caller that cannot start the render itself (api/fast_reads.py), so that the request
        that does start it is the one that goes through `serve`."""
        body, due = self._lookup(key)
        return None if due else body

    def _lookup(self, key: Hashable) -> tuple[bytes | None, bool]:
        """(fresh answer or None, whether it is due to be rendered again)."""
        now = self.clock()
        with self._lock:
            hit = self._entries.get(key)
        if hit is None or hit[0] <= now:
            return None, True
        return hit[1], hit[0] - now <= self.refresh_ahead

    def _render_and_store(self, key: Hashable, render: Callable[[], bytes]) -> bytes:
        with self._lock:
            generation = self._generation
        expires = self.clock() + self.ttl  # counted from before the render: never too long
        body = render()  # outside the lock: a slow render never blocks other keys
        with self._lock:
            if generation == self._generation:  # no write happened while rendering
                if len(self._entries) >= self.max_entries:
                    self._entries.clear()
                self._entries[key] = (expires, body)
        return body

    def get_or_render(self, key: Hashable, render: Callable[[], bytes]) -> bytes:
        """From any thread: the fresh answer, else `render()` now (and keep it)."""
        body = self.get(key)
        return body if body is not None else self._render_and_store(key, render)

    async def serve(self, key: Hashable, render: Callable[[], bytes]) -> bytes:
        """From the event loop: the fresh answer at once; otherwise one render in the thread
        pool shared by every request that wants it (`render` may raise, e.g. not found: each
        waiting request gets that error)."""
        body, due = self._lookup(key)
        if body is not None and not due:
            return body
        flight = self._renders.get(key)
        if flight is None:
            flight = asyncio.ensure_future(run_in_threadpool(self._render_and_store, key, render))
            self._renders[key] = flight
            flight.add_done_callback(lambda done: self._finished(key, done))
        if body is not None:
            return body  # still fresh: the render in flight replaces it before it expires
        return await asyncio.shield(flight)  # a client that leaves does not cancel the render

    def _finished(self, key: Hashable, flight: asyncio.Future) -> None:
        if self._renders.get(key) is flight:
            del self._renders[key]
        if not flight.cancelled():
            flight.exception()  # retrieved: a refresh nobody awaited may fail quietly

    def invalidate(self) -> None:
        with self._lock:
            self._generation += 1
            self._entries.clear()
