"""The durable outbox and its worker, with real parts: a real library, our real server on
loopback (a take uploaded, analysed and its full result stored; a refusal kept with the server's
reason; a worker process killed mid-upload resumes without a second job) and the public
backend's quirks stand-in (silent SSE close, 500s, no script_id, a job that never ends)."""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys

import httpx
import pytest
import soundfile as sf

from tests.server.engine_fixtures import free_port, wait_until
from tests.sync.conftest import QUICK_RETRY, ROOT
from tests.sync.outbox_helpers import WithholdingProxy, add_scene, add_take
from yousync_desktop.domain import Token
from yousync_desktop.events import JobStateChanged, RecordingBus, ResultStored, ScoreStored
from yousync_desktop.library import Library
from yousync_desktop.library.outbox import UploadOutbox
from yousync_desktop.sync.api_client import ApiClient
from yousync_desktop.sync.outbox_worker import FollowPolicy, OutboxWorker
from yousync_desktop.tasks import InlineTaskManager

QUICK_FOLLOW = FollowPolicy(first_wait=0.01, max_wait=0.05, job_timeout=120)


@pytest.fixture
def recorded(app_paths):
    bus = RecordingBus()
    with Library(app_paths, events=bus) as library:
        yield library, bus


class SteppedClock:
    """Time that moves only when the worker waits: the timeout is reached without waiting."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


# --- against the public backend's quirks ---------------------------------------------------------

def test_a_take_goes_once_through_500s_and_a_silent_sse_close_and_its_result_is_stored(
        recorded, standin, tmp_path):
    library, bus = recorded
    standin.state.fail_next_uploads = 2   # the API client retries these
    standin.state.complete_on_read = 3    # SSE (closes silently), poll, SSE again: completed
    key = add_scene(library)
    take = add_take(library, key, 3, tmp_path / "rec")
    outbox = UploadOutbox(library)
    item = outbox.enqueue(take.id, "public")
    assert outbox.enqueue(take.id, "public") == item  # marking twice queues once

    with ApiClient(standin.url, retry=QUICK_RETRY) as api:
        tasks = InlineTaskManager()
        progress, outcome = [], []
        tasks.run(OutboxWorker(library, api, "public", policy=QUICK_FOLLOW).run,
                  on_success=outcome.append, on_progress=lambda f, label: progress.append(f),
                  label="sync")
    summary = outcome[0]
    assert summary.completed == [item.id] and summary.uploaded == [item.id]
    assert len(standin.state.uploads) == 1 and standin.state.uploads[0]["key"] == item.id
    done = outbox.get(item.id)
    assert done.state == "completed" and done.result["result"]["overall_score"] == 0.71
    assert outbox.item_for_job("public", done.job_id).script_id == 3  # our own map (§6.12)
    server_scores = [s for s in library.scores(take.id) if s.source == "server"]
    assert len(server_scores) == 1 and server_scores[0].overall_score == 0.71
    assert [w.word for w in server_scores[0].words] == ["Looking", "for"]
    states = [e.state for e in bus.published if isinstance(e, JobStateChanged)]
    assert states[0] == "queued" and "uploading" in states and "analysing" in states
    assert states[-1] == "completed"
    assert any(isinstance(e, ResultStored) and e.take_id == take.id for e in bus.published)
    assert any(isinstance(e, ScoreStored) and e.source == "server" for e in bus.published)
    assert progress and progress[-1] == 1.0


def test_offline_takes_stay_queued_and_go_when_the_server_is_there(recorded, standin, tmp_path):
    library, _bus = recorded
    key = add_scene(library)
    first = UploadOutbox(library).enqueue(add_take(library, key, 3, tmp_path / "r").id, "p")
    second = UploadOutbox(library).enqueue(add_take(library, key, 3, tmp_path / "r").id, "p")
    with ApiClient(f"http://127.0.0.1:{free_port()}", retry=QUICK_RETRY) as offline:
        summary = OutboxWorker(library, offline, "p", policy=QUICK_FOLLOW).run()
    assert summary.stopped_by.code == "sync.unreachable"
    assert summary.still_queued == [first.id, second.id]
    assert [i.state for i in UploadOutbox(library).items("p")] == ["queued", "queued"]
    with ApiClient(standin.url, retry=QUICK_RETRY) as online:
        summary = OutboxWorker(library, online, "p", policy=QUICK_FOLLOW).run()
    assert summary.completed == [first.id, second.id]
    assert len(standin.state.uploads) == 2


def test_a_job_that_never_ends_times_out_with_a_clear_message(recorded, standin, tmp_path):
    library, _bus = recorded
    standin.state.complete_on_read = 10**9
    key = add_scene(library)
    item = UploadOutbox(library).enqueue(add_take(library, key, 3, tmp_path / "r").id, "p")
    clock = SteppedClock()
    with ApiClient(standin.url, retry=QUICK_RETRY) as api:
        worker = OutboxWorker(library, api, "p", clock=clock, sleep=clock.sleep,
                              policy=FollowPolicy(first_wait=30, max_wait=60, job_timeout=180))
        summary = worker.run()
    failed = UploadOutbox(library).get(item.id)
    assert summary.failed == [item.id] and failed.error_code == "sync.job_timed_out"
    assert failed.message == "The analysis did not finish within 3 minutes."
    assert len(standin.state.uploads) == 1  # a job that is known is never uploaded again


def test_an_anonymous_job_the_public_backend_swept_away_fails_as_gone(recorded, standin,
                                                                      tmp_path):
    library, _bus = recorded
    standin.state.sweep_anonymous_jobs = True
    key = add_scene(library)
    item = UploadOutbox(library).enqueue(add_take(library, key, 3, tmp_path / "r").id, "p")
    with ApiClient(standin.url, retry=QUICK_RETRY) as api:
        summary = OutboxWorker(library, api, "p", policy=QUICK_FOLLOW).run()
    gone = UploadOutbox(library).get(item.id)
    assert summary.failed == [item.id] and gone.error_code == "sync.job_gone"
    assert gone.job_id == standin.state.uploads[0]["job_id"]


def test_a_quiet_stream_is_reopened_with_the_last_event_id(recorded, standin, tmp_path):
    library, _bus = recorded
    standin.state.send_event_ids = True
    standin.state.go_quiet_after_first_frame = True   # heartbeat loss: no frame, no close
    standin.state.complete_on_read = 3                # SSE, poll, SSE again: completed
    key = add_scene(library)
    item = UploadOutbox(library).enqueue(add_take(library, key, 3, tmp_path / "r").id, "p")
    with ApiClient(standin.url, retry=QUICK_RETRY, stream_read_timeout=1.0) as api:
        summary = OutboxWorker(library, api, "p", policy=QUICK_FOLLOW).run()
    assert summary.completed == [item.id]
    seen = standin.state.last_event_ids_seen
    assert seen[0] is None and "1" in seen[1:]  # reopened from the last frame it had


# --- against our real server ----------------------------------------------------------------------

def _server_scene(library, server, folder):
    """The first demo scene as the server has it, in the local library, and a take of its first
    line cut from the actor's own vocal (so the analysis has real speech to score)."""
    with ApiClient(server.url, retry=QUICK_RETRY) as api:
        detail = api.token_detail(api.latest()[0].id)
    token = Token.from_api(detail.model_dump(mode="json"))
    key = library.add_scene(token, pack_id=f"server-{token.id}", content_hash="0" * 64,
                            staged_media={})
    vocal, rate = sf.read(io.BytesIO(httpx.get(detail.vocal_url).content))
    vocal = vocal if vocal.ndim == 1 else vocal.mean(axis=1)
    line = detail.scripts[0]
    start = max(0.0, line.start_time - 0.5)
    cut = vocal[int((start - detail.start_time) * rate):int((line.end_time - detail.start_time
                                                            + 0.5) * rate)]
    take = add_take(library, key, line.id, folder, samples=cut, sample_rate=rate,
                    window_start=start)
    return take, line


def _jobs_on_server(server) -> list[tuple]:
    with sqlite3.connect(server.data_dir / "yousync-server.sqlite3") as db:
        return db.execute("SELECT job_id, script_id FROM jobs").fetchall()


def test_our_server_analyses_the_take_and_the_full_result_is_stored(
        recorded, real_server, tmp_path):
    library, bus = recorded
    take, line = _server_scene(library, real_server, tmp_path / "rec")
    item = UploadOutbox(library).enqueue(take.id, "local")
    with ApiClient(real_server.url, retry=QUICK_RETRY) as api:
        summary = OutboxWorker(library, api, "local", policy=QUICK_FOLLOW).run()
    done = UploadOutbox(library).get(item.id)
    assert summary.completed == [item.id], done
    assert done.result["script_id"] == line.id  # ours says it too (§7.5)
    assert done.last_event_id is not None       # our SSE frames carry ids (§7.4)
    server_score = [s for s in library.scores(take.id) if s.source == "server"]
    assert len(server_score) == 1 and server_score[0].raw == done.result["result"]
    assert server_score[0].words  # the per-word table the results view shows
    assert _jobs_on_server(real_server) == [(done.job_id, line.id)]


def test_a_refused_take_fails_with_the_servers_reason(recorded, real_server, tmp_path):
    library, _bus = recorded
    take, _line = _server_scene(library, real_server, tmp_path / "rec")
    library.take_audio_path(take).write_bytes(b"this is not audio at all" * 10)
    item = UploadOutbox(library).enqueue(take.id, "local")
    with ApiClient(real_server.url, retry=QUICK_RETRY) as api:
        summary = OutboxWorker(library, api, "local", policy=QUICK_FOLLOW).run()
    failed = UploadOutbox(library).get(item.id)
    assert summary.failed == [item.id] and failed.error_code == "sync.refused"
    assert failed.error_reason and _jobs_on_server(real_server) == []


def test_a_worker_killed_after_the_server_made_the_job_resumes_without_a_second_job(
        app_paths, real_server, tmp_path):
    with Library(app_paths) as library:
        take, line = _server_scene(library, real_server, tmp_path / "rec")
        item = UploadOutbox(library).enqueue(take.id, "local")
    proxy = WithholdingProxy(real_server.port)
    proxy.withhold.set()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.sync.outbox_worker_process", str(app_paths.data_dir),
         proxy.url, "local"], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        wait_until(proxy.answered.is_set, timeout=60, what="the server to answer the upload")
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        proxy.close()
    first_job = _jobs_on_server(real_server)
    assert len(first_job) == 1 and first_job[0][1] == line.id
    with Library(app_paths) as library:
        interrupted = UploadOutbox(library).get(item.id)
        assert interrupted.state == "uploading" and interrupted.job_id is None
        with ApiClient(real_server.url, retry=QUICK_RETRY) as api:
            summary = OutboxWorker(library, api, "local", policy=QUICK_FOLLOW).run()
        resumed = UploadOutbox(library).get(item.id)
        assert summary.completed == [item.id]
        assert resumed.job_id == first_job[0][0]  # the server replayed its first answer
        assert resumed.attempts == 2
        assert len([s for s in library.scores(take.id) if s.source == "server"]) == 1
    assert _jobs_on_server(real_server) == first_job  # one take, one job


def test_retrying_a_failed_item_uses_a_new_key(recorded, standin, tmp_path):
    library, _bus = recorded
    key = add_scene(library)
    take = add_take(library, key, 3, tmp_path / "r")
    outbox = UploadOutbox(library)
    item = outbox.enqueue(take.id, "p")
    outbox.fail(item.id, "sync.refused", "bad")
    again = outbox.retry(item.id)
    assert again.id != item.id and again.state == "queued" and again.take_id == take.id
    with pytest.raises(KeyError):
        outbox.get(item.id)
    assert len(outbox.items("p")) == 1
