"""Video requests (§3.12): a learner asks for a scene; admins approve or reject. The status
values are data and stay Korean."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from yousync_desktop.sync import contract
from yousync_server.db.models import User, VideoRequest
from yousync_server.services.errors import BadRequest, Forbidden, NotFound

PENDING, APPROVED, REJECTED = "심사중", "승인됨", "거절됨"
STATUSES = (PENDING, APPROVED, REJECTED)


def _out(row: VideoRequest) -> contract.VideoRequest:
    return contract.VideoRequest(id=row.id, actor=row.actor, content=row.content, url=row.url,
                                 status=row.status, date=row.created_at,
                                 requester=row.user.full_name or row.user.email)


def create(session: Session, user: User, body: contract.VideoRequestCreate):
    pending = session.scalar(select(VideoRequest.id).where(VideoRequest.user_id == user.id,
                                                           VideoRequest.status == PENDING))
    if pending is not None:
        raise BadRequest("이미 심사중인 요청이 있습니다")
    row = VideoRequest(user_id=user.id, actor=body.actor, content=body.content, url=body.url,
                       status=PENDING)
    row.user = user
    session.add(row)
    session.commit()
    return _out(row)


def listing(session: Session, user: User | None = None) -> list[contract.VideoRequest]:
    query = (select(VideoRequest).options(selectinload(VideoRequest.user))
             .order_by(VideoRequest.id.desc()))
    if user is not None:
        query = query.where(VideoRequest.user_id == user.id)
    return [_out(row) for row in session.scalars(query)]


def set_status(session: Session, user: User, request_id: int, status: str) -> None:
    if not user.is_admin:
        raise Forbidden("관리자 권한이 필요합니다")
    row = session.get(VideoRequest, request_id)
    if row is None:
        raise NotFound("요청을 찾을 수 없습니다")
    if status not in STATUSES:
        raise BadRequest("잘못된 상태입니다")
    row.status = status
    session.commit()


def delete(session: Session, user: User, request_id: int) -> None:
    row = session.get(VideoRequest, request_id)
    if row is None or row.user_id != user.id:
        raise NotFound("요청을 찾을 수 없습니다")
    if row.status != REJECTED:
        raise BadRequest("거절된 요청만 삭제할 수 있습니다")
    session.delete(row)
    session.commit()
