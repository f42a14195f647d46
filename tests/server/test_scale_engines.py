"""The server at scale on real engines: S3 and SQS (a real moto server), the web process with no
worker of its own, and a separate `yousync-server worker` process sharing the database. An upload
goes to S3 and SQS, the worker process scores it, and the web process's SSE stream learns of it
through its one shared poll; token detail hands out real S3 presigned URLs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.server.engine_fixtures import moto_endpoint, stop_process, wait_until  # noqa: F401,F811
from tools.speech import espeak_available, speak_to_wav
from yousync_server.app import Engines, create_app
from yousync_server.cli import _put_object
from yousync_server.progress import ProgressNotifier
from yousync_server.queue.sqs import SQSQueue
from yousync_server.services.pack_import import import_scene_pack
from yousync_server.storage.s3 import S3Storage

pytestmark = pytest.mark.skipif(not espeak_available(), reason="needs espeak-ng")
ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "resources" / "demo_scenes" / "demo-rainy-promise.yspack"


def test_upload_to_s3_and_sqs_scored_by_a_worker_process(moto_endpoint, make_settings, tmp_path):
    bucket, queue_name = f"takes-{uuid.uuid4().hex[:8]}", f"jobs-{uuid.uuid4().hex[:8]}"
    settings = make_settings(s3_bucket=bucket, s3_create_bucket=True, sqs_queue_name=queue_name,
                             embedded_workers=0, progress_poll_seconds=0.2)
    storage = S3Storage(bucket, endpoint_url=moto_endpoint, create_bucket=True)
    queue = SQSQueue(queue_name=queue_name, endpoint_url=moto_endpoint, create=True)
    app = create_app(settings, Engines(storage=storage, queue=queue,
                                       notifier=ProgressNotifier(0.2)))
    token_id = import_scene_pack(app.state.sessions, _put_object(storage), tmp_path / "staging",
                                 PACK).key
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AWS_ENDPOINT_URL": moto_endpoint,
           "DATABASE_URL": settings.effective_database_url,
           "YOUSYNC_SERVER_DATA_DIR": str(settings.data_dir), "YOUSYNC_JWT_SECRET":
           settings.jwt_secret, "YOUSYNC_S3_BUCKET": bucket, "YOUSYNC_SQS_QUEUE_NAME": queue_name,
           "YOUSYNC_LOG_LEVEL": "WARNING"}
    log = open(tmp_path / "worker.log", "wb")
    worker = subprocess.Popen([sys.executable, "-m", "yousync_server.cli", "worker"], cwd=ROOT,
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    take = speak_to_wav(tmp_path / "take.wav", "You came back.", "en-us+m3", speed=150)
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            detail = client.get(f"/api/tokens/{token_id}").json()
            assert "X-Amz-Signature" in detail["bgvoice_url"]
            assert httpx.get(detail["vocal_url"]).status_code == 200   # a real presigned URL
            script_id = detail["scripts"][0]["id"]
            accepted = client.post(f"/api/scripts/{script_id}/upload-audio",
                                   files={"file": ("line.wav", take.read_bytes())})
            assert accepted.status_code == 200, accepted.text
            job_id = accepted.json()["job_id"]
            assert storage.exists(f"audio/{job_id}_line.wav")
            # The stream stays open until the worker process finishes the job; the web process
            # hears of it through its shared poll.
            text = client.get(f"/api/scripts/analysis-progress/{job_id}").text
            frames = [json.loads(line[len("data: "):]) for line in text.splitlines()
                      if line.startswith("data: ")]
            assert frames[-1]["status"] == "completed", (text, worker.poll())
            assert frames[-1]["result"]["result"]["overall_score"] > 0.5
            status = client.get("/api/tokens/queue/status/").json()
            assert status["sqs_enabled"] is True and "queue_url" not in status["queue_info"]
            wait_until(lambda: queue.status() == {"messages_available": "0",
                                                  "messages_in_flight": "0"},
                       what="the worker to acknowledge the job")
    finally:
        stop_process(worker)
        log.close()
    assert worker.returncode == 0   # SIGTERM: finished cleanly
