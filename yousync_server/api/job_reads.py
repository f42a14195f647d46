"""Reading jobs (§3.5–3.7, §4.2, §7.4, §7.11): results, SSE progress, batch progress, the queue's
status and the anonymous clean-up. Job reads need no token (EventSource cannot send one; the random
job id is the capability), but a caller who sends one sees only their own and anonymous jobs."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request

from yousync_desktop.sync import contract
from yousync_server.api.job_deps import AdminCaller, OptionalCaller
from yousync_server.progress import INGEST_FIELDS, JOB_FIELDS, job_event_stream, sse_response
from yousync_server.queue import QueueError
from yousync_server.services import jobs
from yousync_server.services.errors import BadRequest, NotFound

router = APIRouter(tags=["jobs"])
SSE_DOC = {200: {"content": {"text/event-stream": {}},
                 "description": "id/data frames until completed or failed (§4.2, §7.4)"}}


def _visible_job(request: Request, job_id: str, user):
    with request.app.state.sessions() as session:
        job = jobs.visible_to(jobs.get(session, job_id), user)
        return None if job is None else jobs.as_contract(job)


@router.get("/api/scripts/analysis-result/{job_id}", response_model=contract.Job)
async def script_result(job_id: str, request: Request, user: OptionalCaller):
    job = await asyncio.to_thread(_visible_job, request, job_id, user)
    if job is None:
        raise NotFound("결과가 없습니다.")
    return job


@router.get("/api/tokens/analysis-result/{job_id}/", response_model=contract.Job)
async def token_result(job_id: str, request: Request, user: OptionalCaller):
    job = await asyncio.to_thread(_visible_job, request, job_id, user)
    if job is None:
        raise NotFound("분석 결과를 찾을 수 없습니다.")
    return job


def _progress(request: Request, job_id: str, user, last_event_id: str | None, fields):
    sessions = request.app.state.sessions

    def read(job_identifier: str):
        with sessions() as session:
            job = jobs.visible_to(jobs.get(session, job_identifier), user)
            return None if job is None else jobs.state_of(job)

    async def load_state(job_identifier: str):
        return await asyncio.to_thread(read, job_identifier)

    return sse_response(job_event_stream(job_id, request.app.state.notifier.hub, load_state,
                                         last_event_id=last_event_id, fields=fields))


LastEventId = Annotated[str | None, Header(alias="Last-Event-ID")]


@router.get("/api/scripts/analysis-progress/{job_id}", responses=SSE_DOC)
async def script_progress(job_id: str, request: Request, user: OptionalCaller,
                          last_event_id: LastEventId = None):
    return _progress(request, job_id, user, last_event_id, JOB_FIELDS)


@router.get("/api/tokens/analysis-progress/{job_id}/", responses=SSE_DOC)
async def token_progress(job_id: str, request: Request, user: OptionalCaller,
                         last_event_id: LastEventId = None):
    return _progress(request, job_id, user, last_event_id, JOB_FIELDS)


@router.get("/api/youtube/process-progress/{job_id}", responses=SSE_DOC)
async def ingest_progress(job_id: str, request: Request, user: OptionalCaller,
                          last_event_id: LastEventId = None):
    return _progress(request, job_id, user, last_event_id, INGEST_FIELDS)


def _batch(request: Request, ids: list[str], user) -> contract.BatchProgress:
    with request.app.state.sessions() as session:
        found = {job.job_id: job for job in (jobs.visible_to(jobs.get(session, job_id), user)
                                             for job_id in ids) if job is not None}
    items = []
    for job_id in ids:
        job = found.get(job_id)
        items.append(contract.BatchItem(job_id=job_id, status="not_found", progress=0)
                     if job is None else contract.BatchItem(job_id=job_id, status=job.status,
                                             progress=job.progress, message=job.message or "",
                                             token_id=job.token_id, script_id=job.script_id))
    completed = sum(item.status == "completed" for item in items)
    failed = sum(item.status == "failed" for item in items)
    missing = sum(item.status == "not_found" for item in items)
    return contract.BatchProgress(batch_results=items, summary=contract.BatchSummary(
        total_jobs=len(items), completed=completed, failed=failed,
        in_progress=len(items) - completed - failed - missing,
        overall_progress=round(sum(item.progress for item in items) / len(items), 1)))


@router.get("/api/tokens/batch-progress/", response_model=contract.BatchProgress)
async def batch_progress(request: Request, user: OptionalCaller, job_ids: str = Query("")):
    ids = [part.strip() for part in job_ids.split(",") if part.strip()]
    if not ids:
        raise BadRequest("job_ids가 필요합니다")
    return await asyncio.to_thread(_batch, request, ids[:200], user)


@router.get("/api/tokens/queue/status/", response_model=contract.QueueStatus,
            response_model_exclude_none=True)
async def queue_status(request: Request):
    queue = request.app.state.queue
    sqs_enabled = type(queue).__name__ == "SQSQueue"
    try:
        info = await asyncio.to_thread(queue.status)
    except QueueError as exc:
        return contract.QueueStatus(status="error", message=str(exc), sqs_enabled=sqs_enabled)
    # §7.11: no queue_url.
    return contract.QueueStatus(status="success", queue_info=contract.QueueInfo(**info),
                                sqs_enabled=sqs_enabled)


@router.post("/api/scripts/cleanup/anonymous-results", response_model=contract.Message)
async def cleanup_anonymous(request: Request, _admin: AdminCaller):
    def clean():
        with request.app.state.sessions() as session:
            return jobs.delete_finished_anonymous(session)
    count = await asyncio.to_thread(clean)
    return contract.Message(message=f"익명 분석 결과 {count}개를 삭제했습니다")
