"""The analysis server's webhooks (§4.3), signed (§7.9): `X-YouSync-Signature` over the raw body
with one of YOUSYNC_WEBHOOK_SECRETS, else 401 (no secret configured: every webhook is refused).
An unknown job is 404; a repeat for a terminal job is acknowledged and ignored; error bodies use
`detail`."""

from __future__ import annotations

import asyncio
import json
import logging

from fastapi import APIRouter, Query, Request

from yousync_desktop.sync import contract
from yousync_server.services import jobs
from yousync_server.services.errors import BadRequest, NotFound, Unauthorized
from yousync_server.uploads import webhooks
from yousync_server.worker.runner import DONE, JobUpdate

log = logging.getLogger(__name__)
router = APIRouter(tags=["webhooks"])
ALREADY_DONE = "이미 완료된 작업"
SIGNED = {"description": f"Signed with the `{webhooks.SIGNATURE_HEADER}` header (§7.9)"}


async def verified_json(request: Request) -> dict:
    body = await request.body()
    try:
        webhooks.verify(request.app.state.settings.webhook_secrets,
                        request.headers.get(webhooks.SIGNATURE_HEADER), body)
    except webhooks.WebhookSignatureError as exc:
        log.warning("webhook refused: %s", exc)
        raise Unauthorized("웹훅 서명이 올바르지 않습니다") from None
    try:
        data = json.loads(body)
    except ValueError:
        raise BadRequest("JSON 본문이 필요합니다") from None
    if not isinstance(data, dict):
        raise BadRequest("JSON 객체가 필요합니다")
    return data


def _complete(request: Request, job_id: str, result_of) -> str:
    """'done' when the job was completed now, 'already' when it was terminal already."""
    with request.app.state.sessions() as session:
        job = jobs.get(session, job_id)
        if job is None:
            raise NotFound("Job not found")
        if job.status in ("completed", "failed"):
            return "already"
        state = jobs.apply(session, job_id, JobUpdate("completed", *DONE,
                                                      result=result_of(job)))
    if state is None:
        return "already"
    notifier = request.app.state.notifier
    if notifier is not None:
        notifier.publish(state)
    return "done"


@router.post("/api/scripts/webhook/analysis-complete", response_model=contract.WebhookReceived,
             response_model_exclude_none=True, responses={401: SIGNED})
async def script_analysis_complete(request: Request, job_id: str | None = Query(None)):
    data = await verified_json(request)
    if not job_id:
        raise BadRequest("job_id missing")

    def result_of(job):
        # §4.3: the whole body is the result; §7.5: with the job's script next to it.
        return {**data, "script_id": job.script_id}
    outcome = await asyncio.to_thread(_complete, request, job_id, result_of)
    return contract.WebhookReceived(received=True, job_id=job_id,
                                    message=ALREADY_DONE if outcome == "already" else None)


@router.post("/api/tokens/webhook/analysis-complete/", response_model=contract.WebhookReceived,
             response_model_exclude_none=True, responses={401: SIGNED})
async def token_analysis_complete(request: Request, job_id: str | None = Query(None),
                                  task_id: str | None = Query(None)):
    data = await verified_json(request)
    if not job_id:
        raise BadRequest("job_id is required")

    def result_of(job):
        return data["analysis_results"] if isinstance(data.get("analysis_results"), dict) \
            else data
    outcome = await asyncio.to_thread(_complete, request, job_id, result_of)
    if outcome == "already":
        return contract.WebhookReceived(received=True, job_id=job_id, message=ALREADY_DONE)
    return contract.WebhookReceived(received=True, job_id=job_id, task_id=task_id)
