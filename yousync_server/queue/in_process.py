"""The embedded default: a queue inside the web process, with the same at-least-once and
visibility semantics as SQS (so the consumer code and its tests are the same for both). Messages
live in memory: the app re-enqueues unfinished jobs from the database at start-up, which is what
makes a restart lose nothing."""

from __future__ import annotations

import itertools
import threading
import time
from collections import OrderedDict
from typing import Any

from yousync_server.queue.base import Delivery, drop_nulls


class InProcessQueue:
    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._ready: OrderedDict[int, tuple[str, dict, int]] = OrderedDict()
        self._in_flight: dict[int, tuple[str, dict, int, float, int]] = {}
        self._ids = itertools.count(1)
        self._tokens = itertools.count(1)
        self._changed = threading.Condition()

    def enqueue(self, job_id: str, payload: dict[str, Any]) -> None:
        with self._changed:
            self._ready[next(self._ids)] = (job_id, drop_nulls(dict(payload)), 0)
            self._changed.notify()

    def _reclaim_expired(self) -> None:
        now = self._clock()
        for message_id, (job_id, payload, attempts, until, _) in list(self._in_flight.items()):
            if until <= now:
                del self._in_flight[message_id]
                self._ready[message_id] = (job_id, payload, attempts)

    def receive(self, wait_s: float, visibility_s: float) -> Delivery | None:
        deadline = time.monotonic() + wait_s
        with self._changed:
            while True:
                self._reclaim_expired()
                if self._ready:
                    message_id, (job_id, payload, attempts) = self._ready.popitem(last=False)
                    token = next(self._tokens)  # a stale receipt can't ack a later delivery
                    self._in_flight[message_id] = (job_id, payload, attempts + 1,
                                                   self._clock() + visibility_s, token)
                    return Delivery(job_id, dict(payload), (message_id, token), attempts + 1)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                # Wake at least every 0.5 s to notice expired visibility.
                self._changed.wait(min(remaining, 0.5))

    def _held(self, delivery: Delivery):
        message_id, token = delivery.receipt
        held = self._in_flight.get(message_id)
        return message_id if held is not None and held[4] == token else None

    def extend(self, delivery: Delivery, visibility_s: float) -> None:
        with self._changed:
            message_id = self._held(delivery)
            if message_id is not None:
                job_id, payload, attempts, _, token = self._in_flight[message_id]
                self._in_flight[message_id] = (job_id, payload, attempts,
                                               self._clock() + visibility_s, token)

    def ack(self, delivery: Delivery) -> None:
        with self._changed:
            message_id = self._held(delivery)
            if message_id is not None:
                del self._in_flight[message_id]

    def release(self, delivery: Delivery) -> None:
        with self._changed:
            message_id = self._held(delivery)
            if message_id is not None:
                job_id, payload, attempts, _, _ = self._in_flight.pop(message_id)
                self._ready[message_id] = (job_id, payload, attempts)
                self._changed.notify()

    def status(self) -> dict[str, Any]:
        with self._changed:
            self._reclaim_expired()
            return {"messages_available": str(len(self._ready)),
                    "messages_in_flight": str(len(self._in_flight))}
