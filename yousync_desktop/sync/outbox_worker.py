"""The outbox worker: takes the queued takes to the server, follows their analysis, stores the
results — one pass per `run`, as a task-manager operation with progress.

Uploads: each queued item once, with its id as the Idempotency-Key (library/outbox.py says why
that makes a crash harmless). The API client already retries a dropped connection or a 5xx with
backoff; when it still cannot get through, the item stays queued and the pass stops uploading
(the next ones would fail the same way) — the next pass, when the server is back, sends them.
A 4xx refusal (not audio, too large, unknown line) fails the item with the server's reason.
"Sign in again" stops the pass with the items kept queued.

Following (§4.2's client rule): the SSE stream is a hint. Each frame's progress is recorded with
its event id; when the stream ends without a terminal frame (the public backend closes silently
after ~30 s; heartbeat loss; a drop) the result route is polled, then the stream reopened with
Last-Event-ID, with growing waits between rounds, until `job_timeout` — after which the item
fails with "did not finish in N minutes" (token-path jobs on the public backend may never end).
A completed job's analysis (§4.4, `result.result`) becomes a Score with source "server", stored
beside the quick score together with the whole result.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Callable

from yousync_desktop.domain import Score
from yousync_desktop.domain.errors import DomainError
from yousync_desktop.library.outbox import (
    ANALYSING, COMPLETED, FAILED, OutboxItem, UploadOutbox,
)
from yousync_desktop.library.repository import Library, LibraryError
from yousync_desktop.sync.api_client import ApiClient
from yousync_desktop.sync.errors import SyncError
from yousync_desktop.tasks import Task

log = logging.getLogger(__name__)

TERMINAL = ("completed", "failed")
DEFAULT_JOB_TIMEOUT_S = 180.0


@dataclass(frozen=True)
class FollowPolicy:
    """Waits between rounds of reconnect-and-poll, growing to `max_wait`; the overall timeout
    per job. Tests shorten them; nothing asserts on time."""

    first_wait: float = 1.0
    max_wait: float = 15.0
    job_timeout: float = DEFAULT_JOB_TIMEOUT_S

    def waits(self):
        wait = self.first_wait
        while True:
            yield wait
            wait = min(wait * 2, self.max_wait)


@dataclass
class SyncSummary:
    """What one pass did (the CLI prints it as JSON; the UI shows the line states)."""

    uploaded: list[str] = field(default_factory=list)      # item ids that got a job this pass
    completed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    still_queued: list[str] = field(default_factory=list)  # could not go now (offline...)
    stopped_by: SyncError | None = None                     # why the pass stopped early


class OutboxWorker:
    """One pass over one profile's outbox with one API client (signed in or anonymous)."""

    def __init__(self, library: Library, api: ApiClient, profile: str, *,
                 policy: FollowPolicy = FollowPolicy(),
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.library = library
        self.outbox = UploadOutbox(library)
        self.api = api
        self.profile = profile
        self.policy = policy
        self.clock = clock
        self.sleep = sleep

    def run(self, task: Task | None = None) -> SyncSummary:
        """Upload what is queued, then follow every job to its end. Run it as a task: progress
        is the share of items settled."""
        summary = SyncSummary()
        items = self.outbox.items(self.profile, states=("queued", "uploading", ANALYSING))
        total = max(1, len(items))
        settled = 0

        def report(label: str) -> None:
            if task is not None:
                task.progress(settled / total, label)

        report("uploading")
        for item in items:
            if task is not None:
                task.check_cancelled()
            if not item.needs_upload:
                continue
            if summary.stopped_by is not None:
                summary.still_queued.append(item.id)
                continue
            outcome = self.upload(item)
            if isinstance(outcome, SyncError):
                summary.stopped_by = outcome
                summary.still_queued.append(item.id)
            elif outcome.state == FAILED:
                summary.failed.append(item.id)
                settled += 1
            else:
                summary.uploaded.append(item.id)
            report("uploading")
        for item in self.outbox.items(self.profile, states=(ANALYSING,)):
            if task is not None:
                task.check_cancelled()
            final = self.follow(item, task)
            (summary.completed if final.state == COMPLETED else summary.failed).append(item.id)
            settled += 1
            report("analysing")
        return summary

    # --- uploading -----------------------------------------------------------------------------

    def upload(self, item: OutboxItem) -> OutboxItem | SyncError:
        """The item with its job, or failed with the server's reason; a SyncError when it cannot
        go now (kept queued)."""
        try:
            take = self.library.take(item.take_id)
            audio = self.library.take_audio_path(take).read_bytes()
        except (LibraryError, OSError) as error:
            log.warning("take %s of item %s is gone: %s", item.take_id, item.id, error)
            return self.outbox.fail(item.id, "sync.take_missing",
                                    str(SyncError("sync.take_missing", take=item.take_id)))
        self.outbox.start_upload(item.id)
        window_start = take.metadata.get("window_start")
        try:
            accepted = self.api.upload_script_take(
                item.script_id, audio, filename=f"script_{item.script_id}.wav",
                idempotency_key=item.id,
                window_start=window_start if isinstance(window_start, (int, float)) else None)
        except SyncError as error:
            if error.retryable or error.code == "sync.sign_in_required":
                self.outbox.upload_postponed(item.id, str(error))
                return error
            return self.outbox.fail(item.id, error.code, error.params.get("reason", str(error)))
        log.info("take %s uploaded as job %s", item.take_id, accepted.job_id)
        return self.outbox.record_job(item.id, accepted.job_id, accepted.message)

    # --- following -----------------------------------------------------------------------------

    def follow(self, item: OutboxItem, task: Task | None = None) -> OutboxItem:
        """Follow one job until it ends or the overall timeout passes (see the module)."""
        deadline = self.clock() + self.policy.job_timeout
        waits = self.policy.waits()
        while True:
            settled = self._read_stream(item)
            if settled is None:
                settled = self._poll(item)
            if settled is not None:
                return settled
            if task is not None:
                task.check_cancelled()
            if self.clock() >= deadline:
                minutes = max(1, round(self.policy.job_timeout / 60))
                return self.outbox.fail(item.id, "sync.job_timed_out",
                                        str(SyncError("sync.job_timed_out", minutes=minutes)))
            self.sleep(next(waits))
            item = self.outbox.get(item.id)

    def _read_stream(self, item: OutboxItem) -> OutboxItem | None:
        try:
            for event_id, frame in self.api.script_job_frames(item.job_id, item.last_event_id):
                if "status" not in frame and frame.get("error"):
                    return None  # "Job not found": the result route says whether it is gone
                if frame.get("status") in TERMINAL:
                    return self._settle(item, frame)
                item = self.outbox.record_progress(item.id, _int(frame.get("progress")),
                                                   str(frame.get("message") or ""), event_id)
        except SyncError as error:
            log.info("progress stream of job %s ended: %s", item.job_id, error)
        return None

    def _poll(self, item: OutboxItem) -> OutboxItem | None:
        try:
            job = self.api.script_job(item.job_id)
        except SyncError as error:
            if error.code == "sync.not_found":
                return self.outbox.fail(item.id, "sync.job_gone",
                                        str(SyncError("sync.job_gone", job_id=item.job_id)))
            log.info("result of job %s not read: %s", item.job_id, error)
            return None
        frame = job.model_dump(mode="json")
        if job.status in TERMINAL:
            return self._settle(item, frame)
        self.outbox.record_progress(item.id, job.progress, job.message)
        return None

    def _settle(self, item: OutboxItem, frame: dict) -> OutboxItem:
        result = frame.get("result") if isinstance(frame.get("result"), dict) else None
        if frame.get("status") == "failed":
            reason = str(frame.get("message") or frame.get("reason") or "failed")
            return self.outbox.fail(item.id, "sync.job_failed", reason, result)
        analysis = result.get("result") if result is not None else None
        try:
            score = Score.from_api_result(analysis)
        except DomainError as error:
            return self.outbox.fail(item.id, "sync.bad_answer", str(error), result)
        log.info("job %s completed: take %s scored %.2f", item.job_id, item.take_id,
                 score.overall_score)
        return self.outbox.complete(item.id, score, result)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
