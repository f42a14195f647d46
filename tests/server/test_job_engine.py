"""The job engine's housekeeping on both databases: the sweep fails jobs past the deadline (nothing
stays at 90 forever) and deletes anonymous jobs only once terminal and 30 min old; an in-process
queue's unfinished jobs are queued again at start-up; a job is never changed once terminal."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.server.seed import add_token, add_user
from yousync_server.app import Engines, create_app
from yousync_server.db.models import Job, utcnow
from yousync_server.queue import InProcessQueue
from yousync_server.services import jobs
from yousync_server.services.job_engine import JobWorker
from yousync_server.storage import LocalStorage
from yousync_server.worker.runner import JobUpdate


@pytest.fixture
def app(make_settings, tmp_path):
    storage = LocalStorage(tmp_path / "objects", base_url="", secret=b"k")
    return create_app(make_settings(embedded_workers=0),
                      Engines(storage=storage, queue=InProcessQueue()))


def _job(session, job_id, *, user_id=None, status="processing", age_minutes=0, take_key=None,
         token_id=None):
    session.add(Job(job_id=job_id, kind="script", token_id=token_id, user_id=user_id,
                    status=status, progress=90 if status == "processing" else 100,
                    message="", version=1, take_key=take_key,
                    created_at=utcnow() - timedelta(minutes=age_minutes)))
    session.commit()


def test_sweep_fails_overdue_jobs_and_clears_old_anonymous_ones(app):
    sessions = app.state.sessions
    with sessions() as session:
        token_id = add_token(session, "t", "a").id
        _job(session, "stuck", age_minutes=60, token_id=token_id)
        _job(session, "running", age_minutes=1, token_id=token_id)
        _job(session, "old-done", status="completed", age_minutes=45, token_id=token_id)
        _job(session, "young-done", status="completed", age_minutes=5, token_id=token_id)
    worker = JobWorker(sessions, app.state.storage, app.state.queue, deadline_s=300)
    worker.sweeper.sweep_once()
    with sessions() as session:
        left = {job.job_id: (job.status, job.progress, job.reason)
                for job in session.query(Job)}
    # "stuck" failed with analysis_timeout, then (terminal and old, anonymous) was cleared too.
    assert "stuck" not in left and "old-done" not in left
    assert left == {"running": ("processing", 90, None), "young-done": ("completed", 100, None)}


def test_overdue_job_of_a_user_fails_with_timeout_and_stays(app):
    sessions = app.state.sessions
    with sessions() as session:
        token_id = add_token(session, "t", "a").id
        user_id = add_user(session, "u@example.com").id
        _job(session, "stuck", user_id=user_id, age_minutes=60, token_id=token_id)
    JobWorker(sessions, app.state.storage, app.state.queue, deadline_s=300).sweeper.sweep_once()
    with sessions() as session:
        job = session.get(Job, "stuck")
        assert (job.status, job.progress, job.reason) == ("failed", 0, "analysis_timeout")


def test_unfinished_stored_jobs_are_queued_again_at_start(app):
    sessions = app.state.sessions
    with sessions() as session:
        token_id = add_token(session, "t", "a").id
        _job(session, "stored", take_key="audio/x_take.wav", token_id=token_id)
        _job(session, "not-stored", token_id=token_id)
        _job(session, "done", status="completed", take_key="audio/y.wav", token_id=token_id)
    queue = InProcessQueue()
    assert JobWorker(sessions, app.state.storage, queue).recover() == 1
    assert queue.receive(0, 30).job_id == "stored"


def test_a_terminal_job_is_never_changed_and_versions_grow(app):
    sessions = app.state.sessions
    with sessions() as session:
        token_id = add_token(session, "t", "a").id
        jobs.create(session, job_id="j", kind="script", user_id=None, token_id=token_id,
                    script_id=None)
        first = jobs.apply(session, "j", JobUpdate("processing", 40, "stored"))
        done = jobs.apply(session, "j", JobUpdate("completed", 100, "done", result={"a": 1}))
        late = jobs.apply(session, "j", JobUpdate("failed", 0, "late", reason="analysis_error"))
    assert (first["version"], done["version"]) == (2, 3) and late is None
    with sessions() as session:
        assert session.get(Job, "j").status == "completed"
