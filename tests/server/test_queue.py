"""The job queue: at-least-once delivery, visibility extended while a job runs, acks, and a worker
process SIGKILLed mid-job whose job is redelivered and completes exactly once (real moto SQS)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest

from tests.server.engine_fixtures import moto_endpoint, stop_process, wait_until  # noqa: F401,F811
from yousync_server.queue import Delivery, InProcessQueue, QueueConsumer, QueueError
from yousync_server.queue.sqs import SQSQueue

ROOT = Path(__file__).resolve().parents[2]


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


@pytest.fixture
def sqs(moto_endpoint):
    return SQSQueue(queue_name=f"jobs-{uuid.uuid4().hex[:8]}", endpoint_url=moto_endpoint,
                    create=True)


@pytest.fixture(params=["in_process", "sqs"])
def queue(request):
    return InProcessQueue() if request.param == "in_process" else request.getfixturevalue("sqs")


def test_in_process_redelivers_after_visibility_expires():
    clock = FakeClock()
    queue = InProcessQueue(clock=clock)
    queue.enqueue("job-1", {"script_id": 3, "user_id": None})
    first = queue.receive(0, visibility_s=30)
    assert first.job_id == "job-1" and first.payload == {"script_id": 3} and first.attempt == 1
    assert queue.receive(0, 30) is None  # hidden while in flight
    clock.now = 20
    queue.extend(first, 30)                # now hidden until 50
    clock.now = 45
    assert queue.receive(0, 30) is None
    clock.now = 51                         # the worker died: visible again
    second = queue.receive(0, 30)
    assert second.job_id == "job-1" and second.attempt == 2
    queue.ack(first)                       # a stale receipt acks nothing
    assert queue.status() == {"messages_available": "0", "messages_in_flight": "1"}
    queue.ack(second)
    clock.now = 1000
    assert queue.receive(0, 30) is None
    assert queue.status() == {"messages_available": "0", "messages_in_flight": "0"}


def test_both_queues_release_and_ack(queue):
    queue.enqueue("job-a", {"kind": "script"})
    delivery = queue.receive(5, 30)
    assert delivery.job_id == "job-a" and delivery.payload["kind"] == "script"
    queue.release(delivery)
    again = queue.receive(5, 30)
    assert again.job_id == "job-a" and again.attempt == 2
    queue.ack(again)
    assert queue.receive(0, 30) is None
    assert set(queue.status()) == {"messages_available", "messages_in_flight"}


def test_sqs_message_is_the_contract_shape(sqs):
    sqs.enqueue("0f" * 16, {"s3_audio_url": "s3://b/audio/x.wav", "video_id": "7",
                            "s3_pitch_url": None})
    raw = sqs.client.receive_message(QueueUrl=sqs.queue_url, MessageAttributeNames=["All"],
                                     WaitTimeSeconds=1)["Messages"][0]
    body = json.loads(raw["Body"])
    assert body["job_id"] == "0f" * 16 and body["video_id"] == "7"
    assert "s3_pitch_url" not in body and body["source"] == "fastapi_backend"
    attributes = {k: v["StringValue"] for k, v in raw["MessageAttributes"].items()}
    assert attributes == {"job_type": "audio_analysis", "priority": "normal", "job_id": "0f" * 16}


def test_sqs_outage_is_a_queue_error():
    dead = SQSQueue("http://127.0.0.1:9/000000000000/jobs", endpoint_url="http://127.0.0.1:9")
    with pytest.raises(QueueError):
        dead.enqueue("job", {})


def test_visibility_is_extended_while_a_job_runs(queue):
    """A job that outlives its visibility timeout is not handed to a second consumer while the
    first is still on it: the heartbeat keeps it hidden."""
    extensions = []
    original_extend = queue.extend

    def counting_extend(delivery, visibility_s):
        original_extend(delivery, visibility_s)
        extensions.append(delivery.job_id)
    queue.extend = counting_extend
    release = threading.Event()
    seen = []

    def handle(delivery: Delivery):
        seen.append(delivery.job_id)
        release.wait(60)

    consumer = QueueConsumer(queue, handle, visibility_s=2, heartbeat_s=0.3, wait_s=1)
    queue.enqueue("long-job", {})
    worker = threading.Thread(target=consumer.run_once)
    worker.start()
    # Ten heartbeats of 0.3 s take longer than the 2 s visibility timeout.
    wait_until(lambda: len(extensions) >= 10, what="ten visibility extensions")
    assert queue.receive(0, 2) is None, "a running job was delivered to a second consumer"
    release.set()
    worker.join(30)
    assert seen == ["long-job"]
    assert queue.receive(1, 2) is None  # acknowledged


def test_a_failing_handler_is_retried_then_given_up():
    queue = InProcessQueue()
    given_up = []
    calls = []

    def handle(delivery):
        calls.append(delivery.attempt)
        raise RuntimeError("analysis crashed")

    consumer = QueueConsumer(queue, handle, visibility_s=30, wait_s=0, max_attempts=3,
                             give_up=lambda d, exc: given_up.append((d.job_id, str(exc))))
    queue.enqueue("bad-job", {})
    while consumer.run_once():
        pass
    assert calls == [1, 2, 3]
    assert given_up == [("bad-job", "analysis crashed")]
    assert queue.status() == {"messages_available": "0", "messages_in_flight": "0"}


def _events(db_path: Path, job_id: str) -> list[tuple[str, int, int]]:
    if not db_path.exists():
        return []
    with sqlite3.connect(db_path, timeout=30) as db:
        try:
            return db.execute("select what, attempt, pid from events where job_id = ?",
                              (job_id,)).fetchall()
        except sqlite3.OperationalError:
            return []


def test_sigkilled_worker_job_is_redelivered_and_completes_once(sqs, tmp_path):
    db_path = tmp_path / "jobs.db"
    env = {**os.environ, "AWS_ENDPOINT_URL": sqs.client.meta.endpoint_url,
           "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "tests.server.queue_worker_process",
               "--queue-url", sqs.queue_url, "--db", str(db_path), "--visibility", "2"]
    job_id = uuid.uuid4().hex
    first = subprocess.Popen(command, cwd=ROOT, env=env)
    second = None
    try:
        sqs.enqueue(job_id, {"script_id": 1})
        wait_until(lambda: ("started", 1, first.pid) in _events(db_path, job_id),
                   what="the first worker to start the job")
        os.kill(first.pid, signal.SIGKILL)
        first.wait(30)
        assert first.returncode == -signal.SIGKILL

        second = subprocess.Popen(command, cwd=ROOT, env=env)
        wait_until(lambda: any(e[0] == "completed" for e in _events(db_path, job_id)),
                   what="the redelivered job to complete")
        # The same job delivered again (at-least-once) is acknowledged, not redone.
        sqs.enqueue(job_id, {"script_id": 1})
        wait_until(lambda: any(e[0] == "skipped" for e in _events(db_path, job_id)),
                   what="the duplicate delivery to be acknowledged")
        wait_until(lambda: sqs.status() == {"messages_available": "0",
                                            "messages_in_flight": "0"},
                   what="the queue to drain")
    finally:
        stop_process(first)
        if second is not None:
            stop_process(second)

    events = _events(db_path, job_id)
    assert [e[0] for e in events] == ["started", "started", "completed", "skipped"]
    assert events[1][1] >= 2 and events[1][2] == second.pid
    with sqlite3.connect(db_path) as db:
        assert db.execute("select status, completions from jobs").fetchall() == [("completed", 1)]
