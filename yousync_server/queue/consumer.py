"""The loop that turns deliveries into finished jobs, for both queues and for any number of
worker threads or processes.

For each delivery: a heartbeat thread extends its visibility every `heartbeat_s` while `handle`
runs (so a long analysis is never handed to a second worker), then the delivery is acknowledged.
`handle(delivery)` must be idempotent by job id — the job runner answers "already done" for a job
that is terminal — because delivery is at-least-once. If `handle` raises, the delivery is released
for another attempt; after `max_attempts` it is given to `give_up` (which marks the job failed)
and acknowledged, so nothing is retried forever."""

from __future__ import annotations

import logging
import threading
from typing import Callable

from yousync_server.queue.base import Delivery, JobQueue, QueueError

log = logging.getLogger(__name__)


class QueueConsumer:
    def __init__(self, queue: JobQueue, handle: Callable[[Delivery], None], *,
                 visibility_s: float = 60.0, heartbeat_s: float | None = None,
                 wait_s: float = 5.0, max_attempts: int = 5,
                 give_up: Callable[[Delivery, BaseException], None] | None = None):
        self.queue = queue
        self.handle = handle
        self.visibility_s = visibility_s
        # Extend well before the timeout runs out: a third of it leaves room for a slow call.
        self.heartbeat_s = heartbeat_s if heartbeat_s is not None else visibility_s / 3
        self.wait_s = wait_s
        self.max_attempts = max_attempts
        self.give_up = give_up
        self.stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    # --- one delivery ---

    def process(self, delivery: Delivery) -> None:
        done = threading.Event()
        beat = threading.Thread(target=self._heartbeat, args=(delivery, done),
                                name=f"visibility-{delivery.job_id}", daemon=True)
        beat.start()
        try:
            self.handle(delivery)
        except Exception as exc:  # noqa: BLE001 — any handler bug must not kill the worker
            done.set()
            beat.join()
            self._failed(delivery, exc)
            return
        done.set()
        beat.join()
        self._quietly(self.queue.ack, delivery)

    def _heartbeat(self, delivery: Delivery, done: threading.Event) -> None:
        while not done.wait(self.heartbeat_s):
            try:
                self.queue.extend(delivery, self.visibility_s)
            except QueueError as exc:
                log.warning("could not extend visibility of job %s: %s", delivery.job_id, exc)

    def _failed(self, delivery: Delivery, exc: BaseException) -> None:
        log.error("job %s failed on attempt %d: %r", delivery.job_id, delivery.attempt, exc)
        if delivery.attempt >= self.max_attempts:
            if self.give_up is not None:
                try:
                    self.give_up(delivery, exc)
                except Exception:  # noqa: BLE001
                    log.exception("give_up failed for job %s", delivery.job_id)
                    self._quietly(self.queue.release, delivery)
                    return
            self._quietly(self.queue.ack, delivery)
        else:
            self._quietly(self.queue.release, delivery)

    @staticmethod
    def _quietly(call, delivery: Delivery) -> None:
        # A lost ack or release only means one more (idempotent) delivery later.
        try:
            call(delivery)
        except QueueError as exc:
            log.warning("queue call for job %s failed: %s", delivery.job_id, exc)

    # --- the loop ---

    def run_once(self) -> bool:
        """Receive and process at most one delivery; whether there was one."""
        try:
            delivery = self.queue.receive(self.wait_s, self.visibility_s)
        except QueueError as exc:
            log.warning("queue receive failed: %s", exc)
            self.stopping.wait(min(self.wait_s, 5.0))  # back off; the queue may come back
            return False
        if delivery is None:
            return False
        self.process(delivery)
        return True

    def run_forever(self) -> None:
        while not self.stopping.is_set():
            self.run_once()

    def start(self, threads: int = 1) -> None:
        """Consume in `threads` background threads (the embedded worker)."""
        for index in range(threads):
            thread = threading.Thread(target=self.run_forever, name=f"job-consumer-{index}",
                                      daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float | None = None) -> None:
        """Stop receiving; a job in progress finishes first (within `timeout`)."""
        self.stopping.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()
