"""A small in-process rate limit (a fixed window per client) for the one write kept open to
anonymous callers, the view counter (§7.11). Per process: with several web processes each counts
on its own, which bounds abuse well enough for a view counter."""

from __future__ import annotations

import threading
import time

from yousync_server.services.errors import TooManyRequests


class WindowLimiter:
    def __init__(self, per_minute: int, *, clock=time.monotonic, max_clients: int = 100_000):
        self.per_minute = per_minute
        self.clock = clock
        self.max_clients = max_clients
        self._lock = threading.Lock()
        self._window = 0
        self._counts: dict[str, int] = {}

    def hit(self, client: str) -> None:
        window = int(self.clock() // 60)
        with self._lock:
            if window != self._window or len(self._counts) > self.max_clients:
                self._window, self._counts = window, {}
            count = self._counts.get(client, 0) + 1
            self._counts[client] = count
        if count > self.per_minute:
            raise TooManyRequests("요청이 너무 많습니다. 잠시 후 다시 시도하세요")
