"""A short-lived cache of rendered catalogue answers (token detail, token lists), per process.

The catalogue changes rarely (admin writes) but is read on every screen; building a token detail
— its pitch contour, every line and word, presigned media links — costs milliseconds of CPU that
a 2-core server cannot spend a thousand times a second. Answers are kept for `ttl` seconds (so
another process's write, or a view count, shows within that time) and dropped at once when this
process writes the catalogue. Presigned links inside stay valid: they live 900 s, the cache 5 s.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable


class ReadCache:
    def __init__(self, ttl: float = 5.0, max_entries: int = 4096, clock=time.monotonic):
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock
        self._lock = threading.Lock()
        self._entries: dict[Hashable, tuple[float, bytes]] = {}
        self._generation = 0

    def get_or_render(self, key: Hashable, render: Callable[[], bytes]) -> bytes:
        now = self.clock()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] > now:
                return hit[1]
            generation = self._generation
        body = render()  # outside the lock: a slow render never blocks other keys
        with self._lock:
            if generation == self._generation:  # no write happened while rendering
                if len(self._entries) >= self.max_entries:
                    self._entries.clear()
                self._entries[key] = (now + self.ttl, body)
        return body

    def invalidate(self) -> None:
        with self._lock:
            self._generation += 1
            self._entries.clear()
