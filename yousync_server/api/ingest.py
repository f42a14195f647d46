"""/api/youtube: catalogue ingest (§3.14) — start (admin only, §7.11), the pipeline's signed
webhook (§7.9) and the job's status. Its progress stream, `GET /api/youtube/process-progress/{id}`,
is served with the other streams in job_reads.py. The work is in services/ingest.py."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Query, Request
from pydantic import BaseModel, Field

from yousync_desktop.sync import contract
from yousync_server.api.job_deps import AdminCaller, OptionalCaller
from yousync_server.api.tokens import read_cache
from yousync_server.api.webhooks import ALREADY_DONE, SIGNED, verified_json
from yousync_server.services import ingest, jobs
from yousync_server.services.errors import BadRequest, NotFound

router = APIRouter(prefix="/api/youtube", tags=["ingest"])
NOT_FOUND = "작업을 찾을 수 없습니다"


class IngestRequest(BaseModel):
    youtube_url: str = Field(min_length=1, max_length=500)
    movie_name: str = Field(min_length=1, max_length=500)
    actor_name: str = Field(min_length=1, max_length=200)


class IngestAccepted(BaseModel):
    job_id: str
    status: str
    message: str
    token_id: int | None = None
    reason: str | None = None  # §7.7, when the job failed at once


class IngestStatus(BaseModel):
    job_id: str
    status: str
    progress: int
    message: str
    token_id: int | None = None
    token_ids: list[int] | None = None
    result: dict[str, Any] | None = None
    reason: str | None = None


def _dispatcher(request: Request) -> ingest.IngestDispatcher:
    settings = request.app.state.settings
    sessions = request.app.state.sessions
    notifier = request.app.state.notifier

    def set_state(job_id, update):
        with sessions() as session:
            return jobs.apply(session, job_id, update)

    def publish(state):
        if notifier is not None:
            notifier.publish(state)
    return ingest.IngestDispatcher(settings.ingest_url, settings.ingest_timeout_seconds,
                                   set_state, publish)


def _base_url(request: Request) -> str:
    return request.app.state.settings.public_base_url or str(request.base_url)


@router.post("/process", response_model=IngestAccepted, response_model_exclude_none=False,
             responses={403: {"model": contract.Detail}})
async def process(body: IngestRequest, request: Request, admin: AdminCaller,
                  background: BackgroundTasks):
    def create():
        with request.app.state.sessions() as session:
            return ingest.create_job(session, admin)
    job = await asyncio.to_thread(create)
    dispatcher = _dispatcher(request)
    if not dispatcher.url:
        # Nothing to send it to: the job fails now, and the answer says so (never stuck).
        await dispatcher.fail_without_pipeline(job["job_id"])
        return IngestAccepted(job_id=job["job_id"], status="failed",
                              message=f"{ingest.NO_PIPELINE}", reason="analysis_unavailable")
    background.add_task(dispatcher.dispatch, job["job_id"],
                        ingest.pipeline_request(job["job_id"], body.model_dump(),
                                                _base_url(request)))
    return IngestAccepted(job_id=job["job_id"], status="processing", message=job["message"])


@router.post("/webhook/process-complete", response_model=contract.WebhookReceived,
             response_model_exclude_none=True, responses={401: SIGNED})
async def process_complete(request: Request, job_id: str | None = Query(None)):
    data = await verified_json(request)
    if not job_id:
        raise BadRequest("job_id missing")

    def complete() -> tuple[str, dict | None]:
        with request.app.state.sessions() as session:
            job = jobs.get(session, job_id)
            if job is None or job.kind != "ingest":
                raise NotFound("Job not found")
            if job.status in ("completed", "failed"):
                return "already", None
            state = jobs.apply(session, job_id, ingest.outcome_of_webhook(data))
        return ("done", state) if state is not None else ("already", None)
    outcome, state = await asyncio.to_thread(complete)
    if state is not None:
        if state["status"] == "completed":
            read_cache(request).invalidate()  # the pipeline's new tokens show at once here
        if request.app.state.notifier is not None:
            request.app.state.notifier.publish(state)
    return contract.WebhookReceived(received=True, job_id=job_id,
                                    message=ALREADY_DONE if outcome == "already" else None)


@router.get("/process-status/{job_id}", response_model=IngestStatus,
            responses={404: {"model": contract.Detail}})
async def process_status(job_id: str, request: Request, user: OptionalCaller):
    def read():
        with request.app.state.sessions() as session:
            job = jobs.visible_to(jobs.get(session, job_id), user)
            return None if job is None or job.kind != "ingest" else jobs.state_of(job)
    state = await asyncio.to_thread(read)
    if state is None:
        raise NotFound(NOT_FOUND)
    return IngestStatus(job_id=state["job_id"], status=state["status"],
                        progress=state["progress"], message=state["message"] or "",
                        token_id=state["token_id"], token_ids=state["token_ids"],
                        result=state["result"], reason=state["reason"])
