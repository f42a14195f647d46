"""My page (§3.7–3.8, §7.6, §7.10): bookmarks, the tokens I dubbed, the overview, and each
script's latest result. Everything acts on the caller's own rows only."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from yousync_desktop.sync import contract
from yousync_server.db.models import Bookmark, Job, Script, Token, User
from yousync_server.services.catalogue import TOKEN_NOT_FOUND
from yousync_server.services.errors import Conflict, NotFound
from yousync_server.services.media_links import MediaLinks
from yousync_server.services.results import (
    latest_completed_scores, latest_per_script, user_jobs,
)


# --- bookmarks -----------------------------------------------------------------------------------

def add_bookmark(session: Session, user: User, token_id: int) -> None:
    if session.get(Token, token_id) is None:
        raise NotFound(TOKEN_NOT_FOUND)
    session.add(Bookmark(user_id=user.id, token_id=token_id))
    try:
        session.commit()
    except IntegrityError:  # the unique (user, token) pair: two concurrent POSTs end here too
        session.rollback()
        raise Conflict("이미 북마크한 토큰입니다") from None


def remove_bookmark(session: Session, user: User, token_id: int) -> None:
    session.execute(delete(Bookmark).where(Bookmark.user_id == user.id,
                                           Bookmark.token_id == token_id))
    session.commit()


def _bookmark_out(bookmark: Bookmark, links: MediaLinks) -> contract.Bookmark:
    token = bookmark.token
    return contract.Bookmark(
        id=bookmark.id, user_id=bookmark.user_id, token_id=bookmark.token_id,
        created_at=bookmark.created_at,
        token=contract.BookmarkToken(id=token.id, token_name=token.token_name,
                                     actor_name=token.actor_name, category=token.category,
                                     thumbnail_url=links.thumbnail_url(token),
                                     youtube_url=token.youtube_url))


def bookmarks(session: Session, user: User, links: MediaLinks, limit: int | None = None,
              offset: int = 0) -> list[contract.Bookmark]:
    """Newest first; always a list (§7.10)."""
    query = (select(Bookmark).where(Bookmark.user_id == user.id)
             .options(selectinload(Bookmark.token))
             .order_by(Bookmark.created_at.desc(), Bookmark.id.desc()).offset(offset))
    if limit is not None:
        query = query.limit(limit)
    return [_bookmark_out(b, links) for b in session.scalars(query)]


# --- dubbed tokens and the overview --------------------------------------------------------------

def dubbed_tokens(session: Session, user: User, limit: int | None = None,
                  offset: int = 0) -> list[contract.DubbedToken]:
    jobs = [job for job in user_jobs(session, user.id) if job.token_id is not None]
    by_token: dict[int, list[Job]] = defaultdict(list)
    for job in jobs:
        by_token[job.token_id].append(job)
    if not by_token:
        return []
    tokens = {t.id: t for t in session.scalars(select(Token).where(Token.id.in_(by_token)))}
    script_counts = dict(session.execute(
        select(Script.token_id, func.count()).where(Script.token_id.in_(by_token))
        .group_by(Script.token_id)).all())
    out = []
    for token_id, token_jobs in by_token.items():
        token = tokens.get(token_id)
        if token is None:
            continue
        completed = {job.script_id for job in token_jobs
                     if job.status == "completed" and job.script_id is not None}
        out.append(contract.DubbedToken(
            token_id=token_id, token_name=token.token_name, actor_name=token.actor_name,
            category=token.category, youtube_url=token.youtube_url,
            last_dubbed_at=max(job.created_at for job in token_jobs),
            total_scripts=script_counts.get(token_id, 0), completed_scripts=len(completed)))
    out.sort(key=lambda d: (d.last_dubbed_at, d.token_id), reverse=True)
    end = None if limit is None else offset + limit
    return out[offset:end]


def overview(session: Session, user: User, links: MediaLinks) -> contract.Overview:
    all_bookmarks = bookmarks(session, user, links)
    dubbed = dubbed_tokens(session, user)
    jobs = user_jobs(session, user.id)
    scores = latest_completed_scores(jobs)
    rate = 100.0 * sum(scores.values()) / len(scores) if scores else 0.0
    return contract.Overview(
        user_info=contract.User.model_validate(user), total_bookmarks=len(all_bookmarks),
        total_dubbed_tokens=len(dubbed), total_practice_count=len(jobs),
        average_completion_rate=rate, recent_bookmarks=all_bookmarks,
        recent_dubbed_tokens=dubbed)


# --- results per script --------------------------------------------------------------------------

def analysis_status(session: Session, user: User, token_id: int) -> contract.AnalysisStatus:
    """Each script of the token once, with its latest job of mine (§7.6)."""
    scripts = list(session.scalars(select(Script).where(Script.token_id == token_id)
                                   .order_by(Script.id)))
    if not scripts:
        raise NotFound(TOKEN_NOT_FOUND)
    latest = latest_per_script(user_jobs(session, user.id, token_id))
    items = []
    for script in scripts:
        job = latest.get(script.id)
        if job is None:
            items.append(contract.ScriptResult(script_id=script.id, script_text=script.script,
                                               has_result=False))
        else:
            items.append(contract.ScriptResult(
                script_id=script.id, script_text=script.script, has_result=True,
                job_id=job.job_id, status=job.status, result=job.result,
                created_at=job.created_at))
    return contract.AnalysisStatus(token_id=token_id,
                                   has_analysis=any(i.has_result for i in items),
                                   script_results=items)


def delete_my_results(session: Session, user: User, token_id: int) -> None:
    deleted = session.execute(delete(Job).where(Job.user_id == user.id, Job.token_id == token_id)
                              .execution_options(synchronize_session=False)).rowcount
    if not deleted:
        session.rollback()
        raise NotFound("삭제할 분석 결과가 없습니다")
    session.commit()
