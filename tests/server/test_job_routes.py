"""The job routes end to end on both databases: a real eSpeak take uploaded to a demo scene imported
from its real pack, scored by the embedded worker, read back through the result, batch and SSE
routes; hostile uploads, outages, idempotency keys, signed webhooks, queue status, clean-up."""

from __future__ import annotations

import functools
import json
import re
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.server.engine_fixtures import wait_until
from tools.speech import espeak_available, speak_to_wav
from yousync_server.app import Engines, create_app
from yousync_server.cli import _put_object
from yousync_server.db.models import Job, Token
from yousync_server.progress import ProgressNotifier
from yousync_server.queue import InProcessQueue, QueueError
from yousync_server.services import jobs
from yousync_server.services.pack_import import import_scene_pack
from yousync_server.storage import LocalStorage, StorageError
from yousync_server.uploads import webhooks

pytestmark = pytest.mark.skipif(not espeak_available(), reason="needs espeak-ng")
ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "resources" / "demo_scenes" / "demo-rainy-promise.yspack"
SECRET = "webhook-secret-for-tests"


@functools.cache
def espeak_take(folder: str, text: str) -> bytes:
    path = Path(folder) / f"{abs(hash(text))}.wav"
    return speak_to_wav(path, text, "en-us+m3", speed=150).read_bytes()


@pytest.fixture(scope="module")
def speech(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("speech"))
    return lambda text: espeak_take(folder, text)


class DownStorage(LocalStorage):
    def put_file(self, key, path, content_type=None):
        raise StorageError("the store is down")


class DownQueue(InProcessQueue):
    def enqueue(self, job_id, payload):
        raise QueueError("the queue is down")


@pytest.fixture
def make_job_client(make_settings, tmp_path):
    clients = []

    def make(storage_class=LocalStorage, queue=None, workers=1):
        settings = make_settings(webhook_secrets=SECRET, embedded_workers=workers,
                                 job_deadline_seconds=120)
        storage = storage_class(tmp_path / "objects", base_url="", secret=b"k",
                                media_path="/api/media")
        app = create_app(settings, Engines(storage=storage, queue=queue or InProcessQueue(),
                                           notifier=ProgressNotifier(0.2)))
        result = import_scene_pack(app.state.sessions, _put_object(LocalStorage(
            tmp_path / "objects", base_url="", secret=b"k")), tmp_path / "staging", PACK)
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        client.token_id = result.key
        with app.state.sessions() as session:
            client.script_ids = [s.id for s in session.get(Token, result.key).scripts]
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def job_client(make_job_client):
    return make_job_client()


def upload(client, script_id, content, name="script_1.wav", headers=None, **data):
    return client.post(f"/api/scripts/{script_id}/upload-audio", headers=headers or {},
                       files={"file": (name, content, "audio/wav")}, data=data)


def finished(client, job_id, path="/api/scripts/analysis-result/{}"):
    def done():
        body = client.get(path.format(job_id)).json()
        return body if body.get("status") in ("completed", "failed") else None
    return wait_until(done, timeout=120, interval=0.1, what=f"job {job_id} to finish")


def objects(client) -> list[str]:
    return [key for key in client.app.state.storage.list("") if key.startswith(("audio/",
                                                                                "user_audio/"))]


def job_count(client) -> int:
    with client.app.state.sessions() as session:
        return session.query(Job).count()


def test_anonymous_script_take_is_scored_for_real(job_client, speech):
    script_id = job_client.script_ids[0]
    response = upload(job_client, script_id, speech("You came back."))
    assert response.status_code == 200, response.text
    body = response.json()
    assert re.fullmatch(r"[0-9a-f]{32}", body["job_id"])
    assert body["status"] == "processing" and body["script_id"] == script_id
    job = finished(job_client, body["job_id"])
    assert job["status"] == "completed" and job["progress"] == 100
    assert job["script_id"] == script_id and job["result"]["script_id"] == script_id
    analysis = job["result"]["result"]
    assert [w["word"] for w in analysis["word_analysis"]] == ["You", "came", "back"]
    assert analysis["overall_score"] > 0.5 and analysis["summary"]["total_words"] == 3
    # The queue ran the full analysis: the recogniser's transcript, timed on the token's timeline.
    assert analysis["engine"] == "full" and analysis["user_stt"]["word_timestamps"]
    if analysis["recogniser"].startswith("whisper"):
        assert analysis["user_stt"]["text"] == "you came back"
        assert analysis["summary"]["passed_words"] == 3
    assert job_client.get(f"/api/tokens/analysis-result/{body['job_id']}/").json() == job
    assert objects(job_client) == [f"audio/{body['job_id']}_script_1.wav"]

    # SSE on a finished job: retry, then the terminal frame with its version as id.
    stream = job_client.get(f"/api/scripts/analysis-progress/{body['job_id']}")
    assert stream.headers["content-type"] == "text/event-stream; charset=utf-8"
    blocks = stream.text.split("\n\n")
    assert blocks[0] == "retry: 3000"
    frame_id, frame_data = blocks[1].split("\n")
    assert int(frame_id[len("id: "):]) >= 4   # 10, 40, 70, 90, 100: one version each
    assert json.loads(frame_data[len("data: "):])["status"] == "completed"
    unknown = job_client.get("/api/scripts/analysis-progress/nope").text
    assert unknown == 'retry: 3000\n\ndata: {"error": "Job not found"}\n\n'
    assert job_client.get("/api/scripts/analysis-result/nope").status_code == 404


def test_signed_in_take_is_stored_under_the_user_and_private(job_client, speech, sign_in):
    pytest.importorskip("jwt")
    mine = sign_in("me@example.com")
    other = sign_in("other@example.com")
    script_id = job_client.script_ids[0]
    body = upload(job_client, script_id, speech("You came back."), headers=mine).json()
    finished(job_client, body["job_id"])
    with job_client.app.state.sessions() as session:
        job = session.get(Job, body["job_id"])
        key = job.take_key
    assert re.fullmatch(rf"user_audio/\d+/{job_client.token_id}/{script_id}\.wav", key)
    path = f"/api/scripts/analysis-result/{body['job_id']}"
    assert job_client.get(path, headers=mine).status_code == 200
    assert job_client.get(path, headers=other).status_code == 404        # §7.11
    assert job_client.get(path, headers={"Authorization": "Bearer junk"}).status_code == 401
    bad = upload(job_client, script_id, speech("You came back."),
                 headers={"Authorization": "Bearer junk"})
    assert bad.status_code == 401                                        # §7.1, opt routes too


@pytest.mark.parametrize("name, content, status", [
    ("take.wav", b"not audio at all" * 50, 415),
    ("take.wav", b"", 422),
    ("take.exe", "speech", 415),
    ("../../take.wav", "speech", 422),
    ("take.wav", "lying", 422),
])
def test_hostile_uploads_leave_no_job_and_no_object(job_client, speech, name, content, status):
    if content == "speech":
        content = speech("You came back.")
    elif content == "lying":
        content = speech("You came back.")[:3000]
    response = upload(job_client, job_client.script_ids[0], content, name=name)
    assert response.status_code == status, response.text
    assert job_count(job_client) == 0 and objects(job_client) == []
    assert upload(job_client, 999_999, speech("You came back.")).status_code == 404


def test_a_sixty_megabyte_upload_is_413(job_client, speech):
    big = speech("You came back.") + b"\0" * (60 * 1024 * 1024)
    assert upload(job_client, job_client.script_ids[0], big).status_code == 413
    assert job_count(job_client) == 0 and objects(job_client) == []


@pytest.mark.parametrize("outage", ["storage", "queue"])
def test_an_outage_refuses_the_upload_with_503_and_leaves_nothing(make_job_client, speech,
                                                                  outage):
    client = (make_job_client(storage_class=DownStorage) if outage == "storage"
              else make_job_client(queue=DownQueue()))
    response = upload(client, client.script_ids[0], speech("You came back."))
    assert response.status_code == 503 and isinstance(response.json()["detail"], str)
    assert job_count(client) == 0 and objects(client) == []


def test_idempotency_key_replays_the_same_job(job_client, speech):
    take = speech("You came back.")
    script_id = job_client.script_ids[0]
    key = {"Idempotency-Key": "2f1c9a5e-upload-1"}
    first = upload(job_client, script_id, take, headers=key)
    again = upload(job_client, script_id, take, headers=key)
    assert first.status_code == again.status_code == 200
    assert first.json()["job_id"] == again.json()["job_id"]
    other = upload(job_client, script_id, speech("Something else entirely."), headers=key)
    assert other.status_code == 422
    assert upload(job_client, script_id, take,
                  headers={"Idempotency-Key": "bad\tkey"}).status_code == 422
    assert job_count(job_client) == 1


def test_token_and_batch_uploads(job_client, speech, sign_in):
    user = sign_in("batch@example.com")
    take = speech("You came back.")
    missing = job_client.post("/api/tokens/999999/upload-audio/", headers=user,
                              files={"file": ("t.wav", take)})
    assert missing.status_code == 404 and missing.json() == {"detail": "Token not found"}
    assert job_client.post(f"/api/tokens/{job_client.token_id}/upload-audio/",
                           files={"file": ("t.wav", take)}).status_code == 403
    single = job_client.post(f"/api/tokens/{job_client.token_id}/upload-audio/", headers=user,
                             files={"file": ("t.wav", take)})
    assert single.status_code == 200, single.text
    assert re.fullmatch(r"[0-9a-f-]{36}", single.json()["job_id"])
    assert single.json()["token_info"]["id"] == job_client.token_id

    mismatch = job_client.post("/api/tokens/batch-upload/", headers=user,
                               data={"token_ids": f"{job_client.token_id}"},
                               files=[("files", ("a.wav", take)), ("files", ("b.wav", take))])
    assert mismatch.status_code == 400
    batch = job_client.post("/api/tokens/batch-upload/", headers=user,
                            data={"token_ids": f"{job_client.token_id},{job_client.token_id}"},
                            files=[("files", ("a.wav", take)), ("files", ("b.wav", take))])
    assert batch.status_code == 200, batch.text
    ids = batch.json()["job_ids"]
    assert batch.json()["total_files"] == 2
    for job_id in [single.json()["job_id"], *ids]:
        assert finished(job_client, job_id, "/api/tokens/analysis-result/{}/")["status"] in (
            "completed", "failed")
    progress = job_client.get("/api/tokens/batch-progress/",
                              params={"job_ids": ",".join([*ids, "nope"])}).json()
    assert [item["status"] for item in progress["batch_results"]][-1] == "not_found"
    assert progress["summary"]["total_jobs"] == 3
    assert job_client.get("/api/tokens/batch-progress/", params={"job_ids": ""}).status_code == 400


def _signed_post(client, path, body: bytes, secret=SECRET, at=None):
    return client.post(path, content=body, headers={
        "Content-Type": "application/json",
        webhooks.SIGNATURE_HEADER: webhooks.sign(secret, body, at)})


def test_webhooks_must_be_signed_and_finish_a_job_once(make_job_client):
    client = make_job_client(workers=0)   # nobody else touches the job
    with client.app.state.sessions() as session:
        jobs.create(session, job_id="f" * 32, kind="script", user_id=None,
                    token_id=client.token_id, script_id=client.script_ids[0])
    path = f"/api/scripts/webhook/analysis-complete?job_id={'f' * 32}"
    body = json.dumps({"result": {"overall_score": 0.8, "word_analysis": []}}).encode()
    assert client.post(path, content=body).status_code == 401                   # unsigned
    assert _signed_post(client, path, body, secret="wrong").status_code == 401
    assert _signed_post(client, path, body, at=int(time.time()) - 301).status_code == 401
    accepted = _signed_post(client, path, body)
    assert accepted.status_code == 200 and accepted.json() == {"received": True, "job_id": "f" * 32}
    done = client.get(f"/api/scripts/analysis-result/{'f' * 32}").json()
    assert done["status"] == "completed" and done["result"]["script_id"] == client.script_ids[0]
    repeat = _signed_post(client, path, body)
    assert repeat.status_code == 200 and repeat.json()["message"] == "이미 완료된 작업"
    missing = _signed_post(client, "/api/scripts/webhook/analysis-complete?job_id=nope", body)
    assert missing.status_code == 404 and "detail" in missing.json()
    no_id = _signed_post(client, "/api/tokens/webhook/analysis-complete/", body)
    assert no_id.status_code == 400 and no_id.json() == {"detail": "job_id is required"}


def test_queue_status_and_cleanup(job_client, sign_in):
    status = job_client.get("/api/tokens/queue/status/").json()
    assert status["status"] == "success" and status["sqs_enabled"] is False
    assert set(status["queue_info"]) == {"messages_available", "messages_in_flight"}
    assert job_client.post("/api/scripts/cleanup/anonymous-results",
                           headers=sign_in("u@example.com")).status_code == 403
    admin = job_client.post("/api/scripts/cleanup/anonymous-results",
                            headers=sign_in("admin@example.com", admin=True))
    assert admin.status_code == 200 and "message" in admin.json()


def test_synthesize_mixes_my_takes_into_the_scene(job_client, speech, sign_in):
    import io

    import soundfile

    me = sign_in("dubber@example.com")
    token_id, script_id = job_client.token_id, job_client.script_ids[0]
    assert job_client.post(f"/api/synthesize/{token_id}", headers=me).status_code == 404
    assert job_client.get(f"/api/tokens/{token_id}/latest-dubbing/",
                          headers=me).status_code == 404
    assert job_client.post("/api/synthesize/999999", headers=me).status_code == 404
    take = upload(job_client, script_id, speech("You came back."), headers=me).json()
    finished(job_client, take["job_id"])

    audios = job_client.get(f"/api/tokens/{token_id}/user-audios", headers=me).json()["audios"]
    assert [a["script_id"] for a in audios] == [script_id]
    assert job_client.get(audios[0]["url"]).content == speech("You came back.")

    made = job_client.post(f"/api/synthesize/{token_id}", headers=me)
    assert made.status_code == 200, made.text
    assert made.json()["status"] == "success"
    mix = job_client.get(made.json()["dubbing_audio_url"])
    assert mix.status_code == 200
    audio, rate = soundfile.read(io.BytesIO(mix.content))
    with job_client.app.state.sessions() as session:
        token = session.get(Token, token_id)
        duration = token.end_time - token.start_time
    assert abs(len(audio) / rate - duration) < 0.5 and abs(audio).max() > 0.01
    latest = job_client.get(f"/api/tokens/{token_id}/latest-dubbing/", headers=me).json()
    assert "/api/media/user_Dubbing_auido/" in latest["url"]
    assert job_client.get(f"/api/tokens/{token_id}/user-audios",
                          headers=sign_in("someone@example.com")).json() == {"audios": []}
