"""/api/request (§3.12): video requests."""

from __future__ import annotations

from fastapi import APIRouter

from yousync_desktop.sync import contract
from yousync_server.api.deps import CurrentUser, DbSession, RowId
from yousync_server.services import video_requests

router = APIRouter(prefix="/api/request", tags=["requests"])


@router.post("/", response_model=contract.VideoRequest)
def create(body: contract.VideoRequestCreate, user: CurrentUser, session: DbSession):
    return video_requests.create(session, user, body)


@router.get("/mine", response_model=list[contract.VideoRequest])
def mine(user: CurrentUser, session: DbSession):
    return video_requests.listing(session, user)


@router.get("/all", response_model=list[contract.VideoRequest])
def all_requests(_user: CurrentUser, session: DbSession):
    return video_requests.listing(session)


@router.patch("/{request_id}/status", response_model=contract.Detail)
def set_status(request_id: RowId, body: contract.VideoRequestStatus, user: CurrentUser,
               session: DbSession):
    video_requests.set_status(session, user, request_id, body.status)
    return contract.Detail(detail="상태가 변경되었습니다")


@router.delete("/{request_id}", response_model=contract.Detail)
def delete(request_id: RowId, user: CurrentUser, session: DbSession):
    video_requests.delete(session, user, request_id)
    return contract.Detail(detail="요청이 삭제되었습니다")
