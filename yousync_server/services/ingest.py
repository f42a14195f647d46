"""Catalogue ingest (docs/yousync-api.md §3.14): an admin asks for a video to be cut into tokens;
the preprocessing pipeline — an external service at YOUSYNC_INGEST_URL — does the work and says
so through a signed webhook (§7.9).

A job of kind `ingest` goes 10 (created) → 40 (sending it to the pipeline) → 70 (the pipeline took
it; waiting for its webhook) → 100 `completed` (the webhook named the tokens it made) or 0 `failed`
with a reason (§7.7) — never stuck: no pipeline configured fails the job at once
(`analysis_unavailable`), so does a pipeline that cannot be reached or answers non-2xx; a webhook
without `token_ids` fails it (`analysis_error`); the sweeper fails one with no webhook within
YOUSYNC_INGEST_DEADLINE_SECONDS (`analysis_timeout`).

The pipeline receives `POST <YOUSYNC_INGEST_URL>` with the JSON body
`{"youtube_url","movie_name","actor_name","webhook_url","job_id"}` and later calls
`POST /api/youtube/webhook/process-complete?job_id=<id>` signed with one of
YOUSYNC_WEBHOOK_SECRETS, body `{"token_ids": [1, 2], …}` on success.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

import httpx
from sqlalchemy.orm import Session

from yousync_server.db.models import User
from yousync_server.services import jobs
from yousync_server.worker.runner import FAILURE_MESSAGES, JobUpdate

log = logging.getLogger(__name__)

CREATED = (10, "처리 시작")
SENDING = (40, "전처리 요청 중")
ACCEPTED = (70, "전처리 중")
DONE = (100, "처리 완료")
NO_PIPELINE = "전처리 파이프라인이 설정되지 않았습니다 (YOUSYNC_INGEST_URL)"
WEBHOOK_PATH = "/api/youtube/webhook/process-complete"


def create_job(session: Session, admin: User) -> dict[str, Any]:
    job = jobs.create(session, job_id=jobs.new_script_job_id(), kind="ingest", user_id=admin.id,
                      token_id=None, script_id=None)
    return jobs.state_of(job)


def pipeline_request(job_id: str, body: dict[str, Any], base_url: str) -> dict[str, Any]:
    """The JSON the pipeline receives (§3.14)."""
    return {"youtube_url": body["youtube_url"], "movie_name": body["movie_name"],
            "actor_name": body["actor_name"],
            "webhook_url": f"{base_url.rstrip('/')}{WEBHOOK_PATH}?job_id={job_id}",
            "job_id": job_id}


def failure(reason: str, detail: str) -> JobUpdate:
    return JobUpdate("failed", 0, f"{FAILURE_MESSAGES[reason]}: {detail}"[:500], reason=reason)


def token_ids_of(body: dict[str, Any]) -> list[int] | None:
    """The webhook's `token_ids` when it is a non-empty list of integers, else None."""
    ids = body.get("token_ids")
    if (isinstance(ids, list) and ids
            and all(isinstance(i, int) and not isinstance(i, bool) for i in ids)):
        return ids
    return None


def outcome_of_webhook(body: dict[str, Any]) -> JobUpdate:
    """§3.14: a body with `token_ids` completes the job (the whole body is its result); any other
    body fails it, with the pipeline's own words when it sent some."""
    if token_ids_of(body) is not None:
        return JobUpdate("completed", *DONE, result=body)
    said = next((body[key] for key in ("error", "message", "detail")
                 if isinstance(body.get(key), str) and body[key].strip()), None)
    return failure("analysis_error", said or "the pipeline reported no token_ids")


class IngestDispatcher:
    """Sends one ingest job to the pipeline and records each step. `set_state(job_id, update)`
    writes the job (blocking; run in a thread) and returns the new state or None; `publish`
    tells the progress streams. Runs on the event loop: the HTTP call is async."""

    def __init__(self, url: str | None, timeout_s: float,
                 set_state: Callable[[str, JobUpdate], Any], publish: Callable[[Any], None]):
        self.url = url
        self.timeout_s = timeout_s
        self.set_state = set_state
        self.publish = publish

    async def _step(self, job_id: str, update: JobUpdate) -> None:
        import asyncio

        state = await asyncio.to_thread(self.set_state, job_id, update)
        if state is not None:
            self.publish(state)

    async def fail_without_pipeline(self, job_id: str) -> None:
        await self._step(job_id, failure("analysis_unavailable", NO_PIPELINE))

    async def dispatch(self, job_id: str, request_body: dict[str, Any]) -> None:
        if not self.url:
            await self.fail_without_pipeline(job_id)
            return
        await self._step(job_id, JobUpdate("processing", *SENDING))
        try:
            async with httpx.AsyncClient(timeout=self.timeout_s) as client:
                reply = await client.post(self.url, json=request_body)
        except httpx.HTTPError as exc:
            log.warning("ingest pipeline unreachable for job %s: %s", job_id, exc)
            await self._step(job_id, failure("analysis_unavailable",
                                             f"the pipeline could not be reached "
                                             f"({type(exc).__name__})"))
            return
        if not reply.is_success:
            log.warning("ingest pipeline answered %s for job %s", reply.status_code, job_id)
            await self._step(job_id, failure("analysis_unavailable",
                                             f"the pipeline answered HTTP {reply.status_code}"))
            return
        # A fast pipeline may have called the webhook already: a terminal job stays as it is.
        await self._step(job_id, JobUpdate("processing", *ACCEPTED))
