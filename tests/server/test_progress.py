"""SSE progress through a real uvicorn and real streaming clients (httpx-sse): the framing of
§4.2/§7.4, heartbeats, terminal frames, `Job not found`, Last-Event-ID, many streams fed by one
shared poll (never one read per stream), and the in-process hub the runner feeds."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from httpx_sse import aconnect_sse, connect_sse

from tests.server.engine_fixtures import free_port, stop_process, wait_for_http, wait_until
from yousync_server.progress import ProgressHub, job_event_stream

ROOT = Path(__file__).resolve().parents[2]


class Jobs:
    def __init__(self, path: Path):
        self.path = path
        with sqlite3.connect(path) as db:
            db.execute("pragma journal_mode=wal")
            db.execute("create table jobs (job_id text primary key, status text, progress int, "
                       "message text, result text, script_id int, version int)")

    def set(self, job_id, status, progress, message="처리 중", result=None, script_id=3):
        with sqlite3.connect(self.path, timeout=30) as db:
            db.execute("insert into jobs values (?, ?, ?, ?, ?, ?, 1) on conflict(job_id) do "
                       "update set status=excluded.status, progress=excluded.progress, "
                       "message=excluded.message, result=excluded.result, version=version+1",
                       (job_id, status, progress, message,
                        json.dumps(result) if result is not None else None, script_id))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sse")
    jobs = Jobs(folder / "jobs.db")
    port = free_port()
    env = {**os.environ, "SSE_TEST_DB": str(jobs.path), "SSE_TEST_KEEPALIVE": "0.3",
           "PYTHONPATH": str(ROOT)}
    log = open(folder / "uvicorn.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "tests.server.sse_test_app:app",
                                "--host", "127.0.0.1", "--port", str(port), "--log-level",
                                "warning"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/test/stats", process)
        yield base, jobs
    finally:
        stop_process(process)
        log.close()


def data_events(events):
    """The events EventSource would dispatch: httpx-sse also yields the bare `retry:` block."""
    return (event for event in events if event.data)


def stats(base):
    return httpx.get(base + "/test/stats").json()


def test_unknown_job_is_one_not_found_frame_with_200(server):
    base, _ = server
    with httpx.stream("GET", base + "/api/scripts/analysis-progress/nope") as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
        assert response.headers["cache-control"] == "no-cache"
        text = "".join(response.iter_text())
    assert text == 'retry: 3000\n\ndata: {"error": "Job not found"}\n\n'


def test_frames_on_connect_and_on_change_until_completed(server):
    base, jobs = server
    jobs.set("job-a", "processing", 40, "업로드 완료")
    seen = []
    with httpx.Client(timeout=30) as client:
        with connect_sse(client, "GET", base + "/api/scripts/analysis-progress/job-a") as source:
            for event in data_events(source.iter_sse()):
                frame = json.loads(event.data)
                seen.append((int(event.id), frame["status"], frame["progress"]))
                assert event.event == "message"           # no `event:` names
                assert set(frame) >= {"job_id", "status", "progress", "message", "result",
                                      "script_id"}
                if frame["progress"] == 40:
                    assert frame["message"] == "업로드 완료" and frame["script_id"] == 3
                    jobs.set("job-a", "processing", 90)
                elif frame["progress"] == 90:
                    jobs.set("job-a", "completed", 100, "분석 완료",
                             {"result": {"overall_score": 0.71}, "script_id": 3})
            # the iterator ends: the server closed the stream after the terminal frame
    assert seen == [(1, "processing", 40), (2, "processing", 90), (3, "completed", 100)]


def test_heartbeats_while_quiet_then_failed_with_reason_ends_it(server):
    base, jobs = server
    jobs.set("job-b", "processing", 70)
    lines = []
    with httpx.stream("GET", base + "/api/scripts/analysis-progress/job-b", timeout=30) as response:
        for line in response.iter_lines():
            lines.append(line)
            if lines.count(": keep-alive") == 3:
                with sqlite3.connect(jobs.path) as db:
                    db.execute("update jobs set status='failed', progress=0, message='분석 시간이 "
                               "초과되었습니다', version=version+1 where job_id='job-b'")
    assert lines[0] == "retry: 3000"
    assert lines.count(": keep-alive") >= 3
    last = json.loads(lines[[i for i, line in enumerate(lines) if line.startswith("data:")][-1]]
                      [len("data: "):])
    assert last["status"] == "failed" and last["progress"] == 0


def test_last_event_id_gets_the_current_state_at_once(server):
    base, jobs = server
    jobs.set("job-c", "processing", 40)
    jobs.set("job-c", "processing", 70)     # version 2
    with httpx.Client(timeout=30) as client:
        with connect_sse(client, "GET", base + "/api/scripts/analysis-progress/job-c",
                         headers={"Last-Event-ID": "1"}) as source:
            events = data_events(source.iter_sse())
            first = next(events)
            assert (first.id, json.loads(first.data)["progress"]) == ("2", 70)
            jobs.set("job-c", "completed", 100, result={"result": {}})
            last = next(events)
            assert (last.id, json.loads(last.data)["status"]) == ("3", "completed")


def test_many_streams_share_one_poll_and_close_cleanly(server):
    base, jobs = server
    streams = 40
    jobs.set("job-d", "processing", 40)
    before = stats(base)

    async def watch(client, ready):
        statuses = []
        async with aconnect_sse(client, "GET",
                                base + "/api/scripts/analysis-progress/job-d") as source:
            async for event in source.aiter_sse():
                if not event.data:
                    continue  # the `retry:` block (EventSource dispatches nothing for it)
                statuses.append(json.loads(event.data)["status"])
                if len(statuses) == 1:
                    ready.release()
        return statuses

    async def run():
        ready = asyncio.Semaphore(0)
        limits = httpx.Limits(max_connections=streams + 5)
        async with httpx.AsyncClient(timeout=60, limits=limits) as client:
            tasks = [asyncio.create_task(watch(client, ready)) for _ in range(streams)]
            for _ in range(streams):
                await ready.acquire()
            await asyncio.to_thread(jobs.set, "job-d", "processing", 90)
            await asyncio.to_thread(jobs.set, "job-d", "completed", 100, "분석 완료", {})
            return await asyncio.gather(*tasks)

    results = asyncio.run(run())
    assert all(r[0] == "processing" and r[-1] == "completed" for r in results)
    after = stats(base)
    # One read per connect, and nothing per stream while waiting: the rest is the shared poll.
    assert after["loads"] - before["loads"] == after["connects"] - before["connects"] == streams
    wait_until(lambda: stats(base)["streams"] == 0, what="every subscription to close")


def test_the_in_process_hub_feeds_streams_from_worker_threads():
    """The embedded mode: the runner publishes from its thread; the stream wakes on its loop."""
    hub = ProgressHub()
    state = {"job_id": "j", "status": "processing", "progress": 40, "message": "m",
             "result": None, "script_id": 1, "version": 1}

    async def load(job_id):
        return dict(state)

    async def run():
        frames = []
        stream = job_event_stream("j", hub, load, keepalive_s=5)
        frames.append(await stream.__anext__())   # retry
        frames.append(await stream.__anext__())   # current state

        def worker():
            for version, (status, progress) in enumerate(
                    [("processing", 70), ("processing", 90), ("completed", 100)], start=2):
                hub.publish({**state, "status": status, "progress": progress, "version": version})
        threading.Thread(target=worker).start()
        async for frame in stream:
            frames.append(frame)
        return frames

    frames = asyncio.run(run())
    assert frames[0] == "retry: 3000\n\n"
    assert frames[1].startswith("id: 1\ndata: {")
    assert frames[-1].startswith("id: 4\n") and '"status": "completed"' in frames[-1]
    # A stream that falls behind skips to the newest state; it never goes backwards.
    ids = [int(f.split("\n")[0][4:]) for f in frames[1:]]
    assert ids == sorted(ids) and ids[-1] == 4
    assert hub.stream_count() == 0


def test_the_event_stream_ends_quietly_when_the_client_leaves_and_not_otherwise():
    from yousync_server.progress.event_stream import EventStreamResponse

    async def run():
        closed = []

        async def frames():
            try:
                yield "retry: 3000\n\n"
                await asyncio.sleep(3600)
                yield "never\n\n"
            finally:
                closed.append(True)

        sent = []

        async def send(message):
            sent.append(message)

        leave = asyncio.Event()

        async def receive():
            await leave.wait()
            return {"type": "http.disconnect"}

        response = EventStreamResponse(frames(), media_type="text/event-stream")
        task = asyncio.ensure_future(response({"type": "http"}, receive, send))
        await asyncio.sleep(0.05)
        leave.set()
        await asyncio.wait_for(task, 10)          # returns normally: the client left
        assert closed == [True] and sent[0]["status"] == 200
        assert sent[1]["body"] == b"retry: 3000\n\n"

        async def never():
            await asyncio.Event().wait()
        closed.clear()
        task = asyncio.ensure_future(EventStreamResponse(frames(), media_type="x")(
            {"type": "http"}, never, send))
        await asyncio.sleep(0.05)
        task.cancel()                              # e.g. the server shutting down
        with pytest.raises(asyncio.CancelledError):
            await task
        assert closed == [True]

    asyncio.run(run())
