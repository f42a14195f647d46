"""The job-queue protocol: at-least-once delivery with a visibility timeout, like SQS.

A consumer receives a `Delivery`, extends its visibility while the job runs, and acknowledges it
when the job is done (or was already done: jobs are idempotent by `job_id`). A delivery neither
acknowledged nor extended becomes visible again after the visibility timeout, so a worker that
dies mid-job (even by SIGKILL) loses nothing: another worker gets the job."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable


class QueueError(RuntimeError):
    """The queue could not be reached or refused the call. An upload answers 503 (or its job
    fails with reason `analysis_unavailable`)."""


@dataclass
class Delivery:
    job_id: str
    payload: dict[str, Any]
    receipt: Any                 # the back-end's handle for extend/ack/release
    attempt: int = 1             # 1 on first delivery, then 2, 3 … (SQS ApproximateReceiveCount)
    extra: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class JobQueue(Protocol):
    def enqueue(self, job_id: str, payload: dict[str, Any]) -> None:
        """Send one job. `payload` is JSON-able; keys whose value is None are dropped (§4.3)."""

    def receive(self, wait_s: float, visibility_s: float) -> Delivery | None:
        """The next job, hidden from other consumers for `visibility_s`; None after `wait_s`."""

    def extend(self, delivery: Delivery, visibility_s: float) -> None:
        """Keep `delivery` hidden for another `visibility_s` from now."""

    def ack(self, delivery: Delivery) -> None:
        """The job is done: never deliver it again."""

    def release(self, delivery: Delivery) -> None:
        """Give the job back now (visible at once) for another attempt."""

    def status(self) -> dict[str, Any]:
        """`{"messages_available": "0", "messages_in_flight": "0"}` (strings, as SQS gives them)."""


def drop_nulls(payload: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in payload.items() if value is not None}
