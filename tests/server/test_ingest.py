"""Catalogue ingest (§3.14) with the fixes of §7: admin only, a signed webhook, a job that always
ends. The preprocessing pipeline is a stand-in: a tiny real HTTP server on loopback that takes
the job and calls the server's webhook back, signed, over real HTTP (so the server under test
runs in a real uvicorn on loopback too)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
import uvicorn

from tests.server.engine_fixtures import free_port, wait_until
from yousync_server.uploads.webhooks import SIGNATURE_HEADER, sign

SECRET = "ingest-webhook-secret"
INGEST = {"youtube_url": "https://www.youtube.com/watch?v=abc123", "movie_name": "비 오는 밤",
          "actor_name": "Mina Park"}


class StandInPipeline:
    """`mode`: "complete" (calls back with token_ids once `release` is set), "report_error"
    (calls back with an error body), "http500" (refuses the job), "silent" (takes it, never
    calls back). `received` holds the JSON bodies it was sent."""

    def __init__(self, mode: str = "complete", token_ids=(7, 8)):
        self.mode = mode
        self.token_ids = list(token_ids)
        self.received: list[dict] = []
        self.release = threading.Event()
        self.callbacks: list[int] = []
        pipeline = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                pipeline.received.append(body)
                status = 500 if pipeline.mode == "http500" else 202
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                if pipeline.mode in ("complete", "report_error"):
                    threading.Thread(target=pipeline.call_back, args=(body,), daemon=True).start()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/process"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def call_back(self, job: dict) -> None:
        if self.mode == "complete":
            self.release.wait(30)
            payload = {"token_ids": self.token_ids, "status": "done"}
        else:
            payload = {"error": "영상을 내려받을 수 없습니다"}
        raw = json.dumps(payload).encode()
        reply = httpx.post(job["webhook_url"], content=raw, headers={
            "Content-Type": "application/json", SIGNATURE_HEADER: sign(SECRET, raw)})
        self.callbacks.append(reply.status_code)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def admin_headers(app, email="admin@example.com") -> dict:
    from yousync_server.services.auth import ensure_admin, issue_access_token

    with app.state.sessions() as session:
        user, _ = ensure_admin(session, email)
        return {"Authorization": f"Bearer {issue_access_token(app.state.session_policy, user)}"}


@pytest.fixture
def live_server(make_settings, tmp_path):
    """`start(**settings)` → base URL of the app in a real uvicorn on loopback."""
    from yousync_server.app import Engines, create_app
    from yousync_server.storage import LocalStorage

    running = []

    def start(**overrides):
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        settings = make_settings(webhook_secrets=[SECRET], public_base_url=base, **overrides)
        storage = LocalStorage(tmp_path / "objects", base_url="", secret=b"test-object-key",
                               media_path="/api/media")
        app = create_app(settings, Engines(storage=storage))
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                               log_config=None, lifespan="on"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        running.append((server, thread))
        wait_until(lambda: server.started, what="uvicorn to start")
        return base, app

    yield start
    for server, thread in running:
        server.should_exit = True
        thread.join(30)


def sse_frames(base: str, job_id: str, on_first=None) -> list[dict]:
    frames = []
    with httpx.stream("GET", f"{base}/api/youtube/process-progress/{job_id}",
                      timeout=httpx.Timeout(10, read=60)) as stream:
        for line in stream.iter_lines():
            if line.startswith("data: "):
                frames.append(json.loads(line[len("data: "):]))
                if len(frames) == 1 and on_first is not None:
                    on_first()
                if frames[-1].get("status") in ("completed", "failed") or "error" in frames[-1]:
                    break
    return frames


def test_ingest_goes_10_40_70_then_100_through_the_pipeline_and_its_signed_webhook(live_server):
    pipeline = StandInPipeline("complete", token_ids=[7, 8])
    try:
        base, app = live_server(ingest_url=pipeline.url)
        accepted = httpx.post(f"{base}/api/youtube/process", json=INGEST,
                              headers=admin_headers(app))
        assert accepted.status_code == 200, accepted.text
        body = accepted.json()
        assert body["status"] == "processing" and body["token_id"] is None
        assert len(body["job_id"]) == 32 and int(body["job_id"], 16) >= 0
        job_id = body["job_id"]
        status_url = f"{base}/api/youtube/process-status/{job_id}"
        wait_until(lambda: httpx.get(status_url).json()["progress"] == 70,
                   what="the pipeline to take the job")
        # The pipeline was sent exactly the §3.14 JSON, with a webhook URL back to us.
        assert pipeline.received == [{**INGEST, "job_id": job_id, "webhook_url":
                                      f"{base}/api/youtube/webhook/process-complete"
                                      f"?job_id={job_id}"}]
        waiting = httpx.get(status_url).json()
        assert waiting["status"] == "processing" and waiting["token_ids"] is None
        frames = sse_frames(base, job_id, on_first=pipeline.release.set)
        assert [f["progress"] for f in frames] == [70, 100]
        assert frames[-1]["status"] == "completed"
        assert frames[-1]["token_ids"] == [7, 8] and frames[-1]["token_id"] == 7
        done = httpx.get(status_url).json()
        assert done == {"job_id": job_id, "status": "completed", "progress": 100,
                        "message": done["message"], "token_id": 7, "token_ids": [7, 8],
                        "result": {"token_ids": [7, 8], "status": "done"}, "reason": None}
        assert pipeline.callbacks == [200]
    finally:
        pipeline.close()


def test_the_steps_are_10_then_40_then_70(client, sign_in, monkeypatch):
    """Each step is written and published in order, before the pipeline's answer decides."""
    from yousync_server.services import ingest

    pipeline = StandInPipeline("silent")
    seen = []
    original = ingest.IngestDispatcher._step

    async def recording(self, job_id, update):
        seen.append((update.status, update.progress))
        await original(self, job_id, update)
    monkeypatch.setattr(ingest.IngestDispatcher, "_step", recording)
    try:
        client.app.state.settings.ingest_url = pipeline.url
        job = client.post("/api/youtube/process", json=INGEST,
                          headers=sign_in("admin@example.com", admin=True)).json()
        state = client.get(f"/api/youtube/process-status/{job['job_id']}").json()
        assert seen == [("processing", 40), ("processing", 70)]
        assert (state["status"], state["progress"]) == ("processing", 70)
        with client.app.state.sessions() as session:
            from yousync_server.services import jobs
            assert jobs.get(session, job["job_id"]).version == 3   # 10, 40, 70
    finally:
        pipeline.close()


def test_without_a_pipeline_the_job_fails_at_once_with_a_reason(client, sign_in):
    admin = sign_in("admin@example.com", admin=True)
    answer = client.post("/api/youtube/process", json=INGEST, headers=admin)
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "failed" and body["reason"] == "analysis_unavailable"
    assert "YOUSYNC_INGEST_URL" in body["message"]
    state = client.get(f"/api/youtube/process-status/{body['job_id']}").json()
    assert (state["status"], state["progress"], state["reason"]) == \
        ("failed", 0, "analysis_unavailable")
    text = client.get(f"/api/youtube/process-progress/{body['job_id']}").text
    frames = [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: ")]
    assert len(frames) == 1 and frames[0]["status"] == "failed"
    assert frames[0]["reason"] == "analysis_unavailable" and frames[0]["token_ids"] is None


def test_ingest_is_for_admins_only(client, sign_in):
    assert client.post("/api/youtube/process", json=INGEST).status_code == 403
    user = sign_in("learner@example.com")
    assert client.post("/api/youtube/process", json=INGEST, headers=user).status_code == 403
    admin = sign_in("admin@example.com", admin=True)
    assert client.post("/api/youtube/process", json={"youtube_url": "x"},
                       headers=admin).status_code == 422
    assert client.get("/api/youtube/process-status/nope").status_code == 404


@pytest.mark.parametrize("mode, reason", [("http500", "analysis_unavailable"),
                                          ("report_error", "analysis_error")])
def test_a_refusing_or_failing_pipeline_fails_the_job(live_server, mode, reason):
    pipeline = StandInPipeline(mode)
    try:
        base, app = live_server(ingest_url=pipeline.url)
        job_id = httpx.post(f"{base}/api/youtube/process", json=INGEST,
                            headers=admin_headers(app)).json()["job_id"]
        frames = sse_frames(base, job_id)
        assert frames[-1]["status"] == "failed" and frames[-1]["progress"] == 0
        assert frames[-1]["reason"] == reason
        if mode == "report_error":
            assert "영상을 내려받을 수 없습니다" in frames[-1]["message"]
    finally:
        pipeline.close()


def test_an_unreachable_pipeline_fails_the_job(client, sign_in):
    client.app.state.settings.ingest_url = f"http://127.0.0.1:{free_port()}/process"
    job = client.post("/api/youtube/process", json=INGEST,
                      headers=sign_in("admin@example.com", admin=True)).json()
    state = client.get(f"/api/youtube/process-status/{job['job_id']}").json()
    assert (state["status"], state["reason"]) == ("failed", "analysis_unavailable")


def test_the_webhook_is_signed_answers_once_and_only_for_ingest_jobs(make_client):
    pipeline = StandInPipeline("silent")
    try:
        client = make_client(ingest_url=pipeline.url, webhook_secrets=[SECRET])
        admin = admin_headers(client.app)
        job_id = client.post("/api/youtube/process", json=INGEST, headers=admin).json()["job_id"]
        url = f"/api/youtube/webhook/process-complete?job_id={job_id}"
        raw = json.dumps({"token_ids": [3]}).encode()
        assert client.post(url, content=raw).status_code == 401
        assert client.post(url, content=raw, headers={
            SIGNATURE_HEADER: sign("another secret", raw)}).status_code == 401
        assert client.post(url, content=raw, headers={
            SIGNATURE_HEADER: sign(SECRET, raw, timestamp=1)}).status_code == 401
        unknown = "/api/youtube/webhook/process-complete?job_id=" + "0" * 32
        assert client.post(unknown, content=raw, headers={
            SIGNATURE_HEADER: sign(SECRET, raw)}).status_code == 404
        first = client.post(url, content=raw, headers={SIGNATURE_HEADER: sign(SECRET, raw)})
        assert first.status_code == 200 and first.json() == {"received": True, "job_id": job_id}
        again = client.post(url, content=raw, headers={SIGNATURE_HEADER: sign(SECRET, raw)})
        assert again.json()["message"] == "이미 완료된 작업"
        state = client.get(f"/api/youtube/process-status/{job_id}").json()
        assert (state["status"], state["token_ids"]) == ("completed", [3])
    finally:
        pipeline.close()


def test_an_ingest_never_called_back_fails_at_the_deadline(client, sign_in):
    from yousync_server.services import jobs
    from yousync_server.services.job_engine import DatabaseJobSources, JobSweeper
    from yousync_server.worker import JobRunner

    pipeline = StandInPipeline("silent")
    try:
        client.app.state.settings.ingest_url = pipeline.url
        job_id = client.post("/api/youtube/process", json=INGEST, headers=sign_in(
            "admin@example.com", admin=True)).json()["job_id"]
        sessions = client.app.state.sessions
        runner = JobRunner(DatabaseJobSources(sessions, client.app.state.storage).as_sources())
        JobSweeper(sessions, runner, deadline_s=300, ingest_deadline_s=3600).sweep_once()
        with sessions() as session:
            assert jobs.get(session, job_id).status == "processing"   # not yet due
        JobSweeper(sessions, runner, deadline_s=300, ingest_deadline_s=1e-6).sweep_once()
        with sessions() as session:
            job = jobs.get(session, job_id)
            assert (job.status, job.reason) == ("failed", "analysis_timeout")
    finally:
        pipeline.close()
