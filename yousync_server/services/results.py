"""Reading analysis results the same way everywhere (§4.4, §7.6): a job's headline score, and each
script's latest job — so my page, analysis-status and the score routes agree."""

from __future__ import annotations

import math
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from yousync_server.db.models import Job


def overall_score(result) -> float | None:
    """`result.result.overall_score` (a webhook body), or `result.overall_score`; None if absent
    or not a finite number — the analysis is not validated, so every field is optional."""
    if not isinstance(result, dict):
        return None
    inner = result.get("result")
    value = inner.get("overall_score") if isinstance(inner, dict) else result.get("overall_score")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def latest_per_script(jobs: Iterable[Job]) -> dict[int, Job]:
    """The newest job of each script (by created_at, then job id for a stable tie-break)."""
    latest: dict[int, Job] = {}
    for job in jobs:
        if job.script_id is None:
            continue
        current = latest.get(job.script_id)
        if current is None or (job.created_at, job.job_id) > (current.created_at, current.job_id):
            latest[job.script_id] = job
    return latest


def user_jobs(session: Session, user_id: int, token_id: int | None = None) -> list[Job]:
    query = select(Job).where(Job.user_id == user_id, Job.kind != "ingest")
    if token_id is not None:
        query = query.where(Job.token_id == token_id)
    return list(session.scalars(query))


def latest_completed_scores(jobs: Iterable[Job]) -> dict[int, float]:
    """Each script's score from its newest completed job that has one."""
    scored = [job for job in jobs if job.status == "completed"
              and overall_score(job.result) is not None]
    return {script_id: overall_score(job.result)
            for script_id, job in latest_per_script(scored).items()}
