"""Scripts (lines of dialogue) of the catalogue (§3.4): reads for everyone, writes for admins."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from yousync_desktop.sync import contract
from yousync_server.db.models import Script, Token
from yousync_server.services.catalogue import TOKEN_NOT_FOUND
from yousync_server.services.errors import NotFound, Unprocessable

SCRIPT_NOT_FOUND = "Script not found"


def list_scripts(session: Session, skip: int, limit: int, token_id: int | None = None):
    query = select(Script).options(selectinload(Script.words)).order_by(Script.id)
    if token_id is not None:
        query = query.where(Script.token_id == token_id)
    return list(session.scalars(query.offset(skip).limit(limit)))


def get_script(session: Session, script_id: int) -> Script:
    script = session.scalar(select(Script).where(Script.id == script_id)
                            .options(selectinload(Script.words)))
    if script is None:
        raise NotFound(SCRIPT_NOT_FOUND)
    return script


def _check(session: Session, body: contract.ScriptWrite) -> None:
    if session.get(Token, body.token_id) is None:
        raise NotFound(TOKEN_NOT_FOUND)
    if body.start_time >= body.end_time:
        raise Unprocessable("start_time은 end_time보다 작아야 합니다")


def create_script(session: Session, body: contract.ScriptWrite) -> Script:
    _check(session, body)
    script = Script(**body.model_dump())
    script.words = []
    session.add(script)
    session.commit()
    return script


def replace_script(session: Session, script_id: int, body: contract.ScriptWrite) -> Script:
    script = get_script(session, script_id)
    _check(session, body)
    for field, value in body.model_dump().items():
        setattr(script, field, value)
    session.commit()
    return script


def delete_script(session: Session, script_id: int) -> None:
    session.delete(get_script(session, script_id))
    session.commit()
