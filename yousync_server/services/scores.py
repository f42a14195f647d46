"""Score routes (§3.9, §7.6): my average, a token's average over each script's latest result,
and the top recorders."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yousync_desktop.sync import contract
from yousync_server.db.models import Job, User
from yousync_server.services.errors import NotFound
from yousync_server.services.results import latest_completed_scores, overall_score, user_jobs

NO_RESULTS = "분석 결과가 없습니다."


def my_average(session: Session, user: User) -> contract.UserAverage:
    scores = [s for s in (overall_score(job.result) for job in user_jobs(session, user.id))
              if s is not None]
    if not scores:
        raise NotFound(NO_RESULTS)
    return contract.UserAverage(user_id=user.id, average_score=sum(scores) / len(scores))


def token_average(session: Session, user: User, token_id: int) -> contract.TokenScore:
    scores = latest_completed_scores(user_jobs(session, user.id, token_id))
    if not scores:
        raise NotFound(NO_RESULTS)
    return contract.TokenScore(token_id=token_id,
                               average_score=sum(scores.values()) / len(scores))


def top_recorders(session: Session, count: int = 3) -> contract.Leaderboard:
    rows = session.execute(
        select(User, func.count(Job.job_id).label("n")).join(Job, Job.user_id == User.id)
        .where(Job.kind != "ingest").group_by(User.id)
        .order_by(func.count(Job.job_id).desc(), User.id).limit(count)).all()
    return contract.Leaderboard(users=[
        contract.Recorder(user_id=user.id, email=user.email, full_name=user.full_name,
                          profile_picture=user.profile_picture, recording_count=n)
        for user, n in rows])
