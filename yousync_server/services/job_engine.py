"""The job engine wired to this server's database and storage: the runner's sources, the worker
that consumes the queue (threads in the web process by default, or `yousync-server worker`
processes), and the sweeper that keeps every job finite (§7.7) and clears anonymous ones (§7.14).

`install_job_engine(app)` runs in create_app: it binds the notifier's shared poll to the jobs
table and, when the queue is in process and YOUSYNC_EMBEDDED_WORKERS > 0, puts an embedded worker
on `app.state.job_worker` (started and stopped by the app's lifespan)."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from yousync_desktop.domain import PitchPoint, Script, Token as DomainToken
from yousync_desktop.sync import contract
from yousync_server.db.models import Script as ScriptRow, Token as TokenRow
from yousync_server.queue import InProcessQueue, QueueConsumer
from yousync_server.services import jobs
from yousync_server.storage.keys import reference_key
from yousync_server.worker import JobRunner, JobSources, JobView, TokenMedia, consumer_for

log = logging.getLogger(__name__)
SWEEP_INTERVAL_S = 60.0
DEADLINE_SLACK = timedelta(minutes=2)   # upload + queue wait on top of the analysis deadline


def _domain_script(row: ScriptRow) -> Script:
    return Script.from_api(contract.Script.model_validate(row).model_dump(mode="json"))


def _domain_token(row: TokenRow) -> DomainToken:
    return DomainToken(id=row.id, token_name=row.token_name, actor_name=row.actor_name,
                       start_time=row.start_time, end_time=row.end_time,
                       youtube_url=row.youtube_url,
                       scripts=[_domain_script(s) for s in row.scripts])


class DatabaseJobSources:
    """JobSources over the jobs table and the object store. `notify` publishes each new state
    (the process's notifier; other processes see it through their shared poll)."""

    def __init__(self, sessions: sessionmaker[Session], storage, notify=None):
        self.sessions = sessions
        self.storage = storage
        self.notify = notify

    def get_job(self, job_id: str) -> JobView | None:
        with self.sessions() as session:
            job = jobs.get(session, job_id)
            if job is None:
                return None
            return JobView(job.job_id, job.kind, job.status, job.script_id, job.token_id,
                           job.take_key)

    def fetch_take(self, job: JobView, folder: Path) -> Path:
        if not job.take_key:
            from yousync_server.storage import ObjectNotFound
            raise ObjectNotFound(f"job {job.job_id} has no stored take")
        return self.storage.download_to(job.take_key, folder / "take")

    def get_script(self, script_id: int) -> Script:
        with self.sessions() as session:
            row = session.get(ScriptRow, script_id)
            if row is None:
                raise LookupError(f"script {script_id} is gone")
            return _domain_script(row)

    def get_token_media(self, token_id: int, folder: Path) -> TokenMedia:
        with self.sessions() as session:
            row = session.get(TokenRow, token_id)
            if row is None:
                raise LookupError(f"token {token_id} is gone")
            token = _domain_token(row)
            vocal_key = row.vocal_key
            pitch = [PitchPoint(float(p["time"]), p.get("hz")) for p in row.pitch or []
                     if isinstance(p, dict) and "time" in p] or None
        vocal = None
        if vocal_key:
            suffix = Path(vocal_key).suffix or ".wav"
            vocal = self.storage.download_to(reference_key(vocal_key), folder / f"vocal{suffix}")
        return TokenMedia(token, vocal, pitch)

    def set_state(self, job_id: str, change) -> dict[str, Any] | None:
        with self.sessions() as session:
            return jobs.apply(session, job_id, change)

    def as_sources(self) -> JobSources:
        return JobSources(get_job=self.get_job, fetch_take=self.fetch_take,
                          get_script=self.get_script, get_token_media=self.get_token_media,
                          set_state=self.set_state, on_change=self.notify)


class JobSweeper:
    """Every minute: fail jobs past the deadline (`analysis_timeout` — nothing stays at 90), and
    delete anonymous jobs that are terminal and older than 30 min."""

    def __init__(self, sessions: sessionmaker[Session], runner: JobRunner, deadline_s: float,
                 ingest_deadline_s: float = 6 * 3600.0):
        self.sessions = sessions
        self.runner = runner
        self.deadline = timedelta(seconds=deadline_s) + DEADLINE_SLACK
        self.ingest_deadline = timedelta(seconds=ingest_deadline_s)
        self.stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def sweep_once(self) -> None:
        with self.sessions() as session:
            stuck = jobs.overdue(session, self.deadline)
            stuck_ingests = jobs.overdue_ingests(session, self.ingest_deadline)
        for job_id in stuck:
            self.runner.fail(job_id, "analysis_timeout", "no result within the deadline")
        for job_id in stuck_ingests:
            self.runner.fail(job_id, "analysis_timeout", "no webhook from the ingest pipeline")
        with self.sessions() as session:
            jobs.delete_finished_anonymous(session, jobs.ANONYMOUS_RETENTION)

    def _loop(self) -> None:
        while not self.stopping.wait(SWEEP_INTERVAL_S):
            try:
                self.sweep_once()
            except Exception:  # noqa: BLE001 — the next sweep tries again
                log.exception("job sweep failed")

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="job-sweeper", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self._thread is not None:
            self._thread.join(10)


class JobWorker:
    """Consumer threads plus the sweeper: embedded in the web process, or the whole of a
    `yousync-server worker` process."""

    def __init__(self, sessions, storage, queue, *, notify=None, threads: int = 1,
                 deadline_s: float = 300.0, visibility_s: float = 60.0,
                 ingest_deadline_s: float = 6 * 3600.0):
        self.sessions = sessions
        self.queue = queue
        self.runner = JobRunner(DatabaseJobSources(sessions, storage, notify).as_sources(),
                                deadline_s=deadline_s)
        self.consumer: QueueConsumer = consumer_for(queue, self.runner,
                                                    visibility_s=visibility_s, wait_s=1.0)
        self.sweeper = JobSweeper(sessions, self.runner, deadline_s, ingest_deadline_s)
        self.threads = threads

    def recover(self) -> int:
        """Re-enqueue stored, unfinished jobs: an in-process queue forgot them at the restart.
        (With SQS the messages outlive the process; redelivery is idempotent anyway.)"""
        with self.sessions() as session:
            waiting = [job.job_id for job in jobs.unfinished_stored(session)]
        for job_id in waiting:
            self.queue.enqueue(job_id, {})
        return len(waiting)

    def start(self) -> None:
        from yousync_server.worker.analysis import load_engine

        load_engine()
        if isinstance(self.queue, InProcessQueue):
            recovered = self.recover()
            if recovered:
                log.info("re-enqueued unfinished jobs", extra={"jobs": recovered})
        self.consumer.start(self.threads)
        self.sweeper.start()

    def close(self) -> None:
        self.sweeper.stop()
        self.consumer.stop(timeout=60)


def install_job_engine(app) -> None:
    from yousync_server.services.idempotency_store import DatabaseIdempotencyStore
    from yousync_server.services.takes import TakeIntake
    from yousync_server.uploads import BodySizeLimit

    settings = app.state.settings
    if app.state.notifier is None:  # SSE needs one even when the app was given none
        from yousync_server.progress import ProgressNotifier

        app.state.notifier = ProgressNotifier(settings.progress_poll_seconds)
    notifier = app.state.notifier
    sessions = app.state.sessions
    # A 60 MB upload is cut off while it streams, before the multipart parser spools it (§7.8).
    app.add_middleware(BodySizeLimit, paths=("/api/scripts/", "/api/tokens/"))
    app.state.take_intake = TakeIntake(sessions, app.state.storage, app.state.queue,
                                       DatabaseIdempotencyStore(sessions),
                                       notify=getattr(notifier, "publish", None))
    if notifier is not None and hasattr(notifier, "bind"):
        def load_states(job_ids):
            with sessions() as session:
                return jobs.states(session, job_ids)
        notifier.bind(load_states)
    app.state.job_worker = None
    queue, storage = app.state.queue, app.state.storage
    if (isinstance(queue, InProcessQueue) and storage is not None
            and settings.embedded_workers > 0):
        app.state.job_worker = JobWorker(
            sessions, storage, queue, notify=getattr(notifier, "publish", None),
            threads=settings.embedded_workers, deadline_s=settings.job_deadline_seconds,
            ingest_deadline_s=settings.ingest_deadline_seconds)
