"""Upload routes (§3.5, §7.8, §7.12): the per-script take (primary, opt auth), the legacy
per-token take and the batch. Each parses, hands over to services.takes, answers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Header, Request, UploadFile

from yousync_desktop.sync import contract
from yousync_server.api.job_deps import Caller, OptionalCaller
from yousync_server.services.takes import TakeIntake

router = APIRouter(tags=["uploads"])
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]
REFUSALS = {404: {"model": contract.Detail}, 413: {"model": contract.Detail},
            415: {"model": contract.Detail}, 503: {"model": contract.Detail}}


def intake(request: Request) -> TakeIntake:
    return request.app.state.take_intake


@router.post("/api/scripts/{script_id}/upload-audio", response_model=contract.ScriptUploadAccepted,
             responses=REFUSALS)
async def upload_script_take(script_id: int, request: Request, user: OptionalCaller,
                             file: UploadFile = File(...),
                             window_start: Annotated[float | None, Form()] = None,
                             idempotency_key: IdempotencyKey = None):
    """`window_start` (additive): the absolute time of the take's sample 0 when the client
    recorded a pre-roll; without it the take is taken as trimmed to the line (§5)."""
    return await intake(request).script_take(user, script_id, file, key=idempotency_key,
                                             window_start=window_start)


@router.post("/api/tokens/{token_id}/upload-audio/", response_model=contract.TokenUploadAccepted,
             responses=REFUSALS)
async def upload_token_take(token_id: int, request: Request, user: Caller,
                            file: UploadFile = File(...), idempotency_key: IdempotencyKey = None):
    return await intake(request).token_take(user, token_id, file, key=idempotency_key)


@router.post("/api/tokens/batch-upload/", response_model=contract.BatchUploadAccepted,
             responses=REFUSALS)
async def upload_batch(request: Request, user: Caller, files: list[UploadFile] = File(...),
                       token_ids: str = Form(...), idempotency_key: IdempotencyKey = None):
    return await intake(request).batch(user, token_ids, files, key=idempotency_key)
