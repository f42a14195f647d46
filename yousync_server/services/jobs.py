"""Job rows: created, changed and read in one place, so every change bumps `version` (the SSE id,
§7.4) and a terminal job is never changed again (a late worker, a repeated webhook or a duplicate
delivery cannot overwrite `completed` or `failed`)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from yousync_desktop.sync import contract
from yousync_server.db.models import Job, User, utcnow
from yousync_server.worker.runner import CREATED, TERMINAL, JobUpdate

# Batch jobs show other numbers (§4.1): 20 created, 50 stored, then 80 while analysed.
BATCH_CREATED = (20, "업로드 시작")
ANONYMOUS_RETENTION = timedelta(minutes=30)   # §7.14


def new_script_job_id() -> str:
    return uuid.uuid4().hex                   # 32 hex (§2.4)


def new_token_job_id() -> str:
    return str(uuid.uuid4())                  # a UUID with dashes (§2.4)


def create(session: Session, *, job_id: str, kind: str, user_id: int | None,
           token_id: int | None, script_id: int | None) -> Job:
    progress, message = BATCH_CREATED if kind == "batch" else CREATED
    job = Job(job_id=job_id, kind=kind, user_id=user_id, token_id=token_id, script_id=script_id,
              status="processing", progress=progress, message=message, version=1)
    session.add(job)
    session.commit()
    return job


def state_of(job: Job) -> dict[str, Any]:
    """What SSE frames and the notifier carry (a plain dict, safe to hand between threads)."""
    token_id, token_ids = job.token_id, None
    if job.kind == "ingest":
        # The tokens an ingest made are named by its webhook (§3.14), kept in its result.
        token_ids = (job.result or {}).get("token_ids") if isinstance(job.result, dict) else None
        token_id = token_ids[0] if isinstance(token_ids, list) and token_ids else None
    return {"job_id": job.job_id, "status": job.status, "progress": job.progress,
            "message": job.message, "result": job.result, "script_id": job.script_id,
            "token_id": token_id, "reason": job.reason, "version": job.version,
            "user_id": job.user_id, "kind": job.kind, "token_ids": token_ids}


def apply(session: Session, job_id: str, change: JobUpdate, *,
          take_key: str | None = None) -> dict[str, Any] | None:
    """Apply `change` unless the job is terminal or gone; the new state, or None if nothing
    changed. One conditional UPDATE, so two writers cannot both finish a job."""
    values: dict[str, Any] = {"status": change.status, "progress": change.progress,
                              "message": change.message, "version": Job.version + 1,
                              "updated_at": utcnow()}
    if change.result is not None:
        values["result"] = change.result
    if change.reason is not None or change.status == "failed":
        values["reason"] = change.reason
    if take_key is not None:
        values["take_key"] = take_key
    done = session.execute(update(Job).where(Job.job_id == job_id,
                                             Job.status.not_in(TERMINAL)).values(**values)
                              .execution_options(synchronize_session=False))
    session.commit()
    if done.rowcount == 0:
        return None
    job = session.get(Job, job_id, populate_existing=True)
    return state_of(job) if job is not None else None


def get(session: Session, job_id: str) -> Job | None:
    return session.get(Job, job_id)


def visible_to(job: Job | None, caller: User | None) -> Job | None:
    """§7.11: job reads need no token, but a caller who sends one sees only their own (and
    anonymous) jobs; another user's job reads as not found."""
    if job is None:
        return None
    if caller is not None and job.user_id is not None and job.user_id != caller.id:
        return None
    return job


def as_contract(job: Job) -> contract.Job:
    return contract.Job(job_id=job.job_id, token_id=job.token_id, script_id=job.script_id,
                        status=job.status, progress=job.progress, result=job.result,
                        message=job.message or "", reason=job.reason, created_at=job.created_at)


def states(session: Session, job_ids: list[str]) -> list[dict[str, Any]]:
    if not job_ids:
        return []
    return [state_of(job) for job in session.scalars(select(Job).where(Job.job_id.in_(job_ids)))]


def delete_job(session: Session, job_id: str) -> None:
    session.execute(delete(Job).where(Job.job_id == job_id))
    session.commit()


def delete_finished_anonymous(session: Session, older_than: timedelta | None = None) -> int:
    """Anonymous jobs that are terminal (and, for the sweep, older than `older_than`)."""
    query = delete(Job).where(Job.user_id.is_(None), Job.kind != "ingest",
                              Job.status.in_(TERMINAL))
    if older_than is not None:
        query = query.where(Job.created_at < utcnow() - older_than)
    done = session.execute(query)
    session.commit()
    return done.rowcount or 0


def overdue(session: Session, deadline: timedelta) -> list[str]:
    """Unfinished analysis jobs created longer ago than `deadline` (stuck: a lost upload, a lost
    message, a dead analysis server)."""
    return list(session.scalars(select(Job.job_id).where(
        Job.status.not_in(TERMINAL), Job.kind != "ingest",
        Job.created_at < utcnow() - deadline)))


def overdue_ingests(session: Session, deadline: timedelta) -> list[str]:
    """Ingest jobs still waiting for the pipeline's webhook longer than `deadline`."""
    return list(session.scalars(select(Job.job_id).where(
        Job.kind == "ingest", Job.status.not_in(TERMINAL),
        Job.created_at < utcnow() - deadline)))


def unfinished_stored(session: Session) -> list[Job]:
    """Jobs whose take is stored but which never finished: re-enqueued when an in-process queue
    (which forgets on restart) starts again."""
    return list(session.scalars(select(Job).where(
        Job.status.not_in(TERMINAL), Job.kind != "ingest", Job.take_key.is_not(None))))
