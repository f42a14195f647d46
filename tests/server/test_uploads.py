"""Upload validation with real files (ffmpeg-encoded audio, garbage, a lying WAV header, 60 MB),
through a real FastAPI route that stores only what passed; webhook signatures; idempotency keys."""

from __future__ import annotations

import asyncio
import functools
import subprocess
from pathlib import Path

import httpx
import numpy as np
import pytest
import soundfile as sf
from fastapi import FastAPI, File, HTTPException, UploadFile

from yousync_server.storage import LocalStorage
from yousync_server.storage.keys import anonymous_take_key
from yousync_server.uploads import BodySizeLimit, UploadRejected, validate_upload
from yousync_server.uploads import idempotency as idem
from yousync_server.uploads import webhooks
from yousync_server.uploads.formats import detect_format, probe_audio

RATE = 44_100
ENCODINGS = {"mp3": [], "m4a": ["-c:a", "aac"], "flac": [], "ogg": ["-c:a", "libvorbis"],
             "aac": ["-c:a", "aac", "-f", "adts"]}


@functools.cache
def sample_files(folder: str) -> dict[str, Path]:
    root = Path(folder)
    tone = (0.3 * np.sin(2 * np.pi * 220 * np.arange(RATE) / RATE)).astype(np.float32)
    files = {"wav": root / "take.wav"}
    sf.write(files["wav"], tone, RATE, subtype="PCM_16")
    for ext, args in ENCODINGS.items():
        files[ext] = root / f"take.{ext}"
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(files["wav"]), *args,
                        str(files[ext])], check=True, timeout=60)
    return files


@pytest.fixture(scope="module")
def audio_files(tmp_path_factory):
    return sample_files(str(tmp_path_factory.mktemp("audio")))


@pytest.fixture
def app_and_storage(tmp_path):
    storage = LocalStorage(tmp_path / "objects", base_url="http://testserver", secret=b"s")
    app = FastAPI()

    @app.post("/api/scripts/{script_id}/upload-audio")
    async def upload(script_id: int, file: UploadFile = File(...)):
        try:
            validated = await validate_upload(file, tmp_path)
        except UploadRejected as refused:
            raise HTTPException(refused.status_code, refused.detail) from None
        try:
            key = anonymous_take_key("ab" * 16, f"take.{validated.extension}")
            await asyncio.to_thread(storage.put_file, key, validated.path)
        finally:
            validated.cleanup()
        return {"key": key, "format": validated.probe.format, "size": validated.size}

    wrapped = BodySizeLimit(app, max_bytes=50 * 1024 * 1024 + 64 * 1024)
    return wrapped, storage, tmp_path


def post(app, name: str, content: bytes, **headers) -> httpx.Response:
    """A multipart upload built by hand, so a hostile file name arrives byte for byte (httpx
    would percent-encode a NUL)."""
    boundary = "engine-test-boundary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n").encode("utf-8")
    body += content + f"\r\n--{boundary}--\r\n".encode()

    async def run():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.post(
                "/api/scripts/3/upload-audio", content=body,
                headers={"Content-Type": f"multipart/form-data; boundary={boundary}", **headers})
    return asyncio.run(run())


@pytest.mark.parametrize("kind", ["wav", "mp3", "m4a", "flac", "ogg", "aac"])
def test_every_accepted_format_is_detected_decoded_and_stored(app_and_storage, audio_files, kind):
    app, storage, _ = app_and_storage
    response = post(app, f"script_3.{kind}", audio_files[kind].read_bytes())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["format"] == ("m4a" if kind == "m4a" else kind)
    assert storage.exists(body["key"])
    probe = probe_audio(audio_files[kind])
    assert probe.duration == pytest.approx(1.0, abs=0.1)


def test_content_decides_not_the_name(app_and_storage, audio_files):
    app, storage, _ = app_and_storage
    response = post(app, "take.mp3", audio_files["wav"].read_bytes())
    assert response.status_code == 200 and response.json()["key"].endswith(".wav")


def _lying_wav(audio_files) -> bytes:
    data = bytearray(audio_files["wav"].read_bytes()[:4000])  # header says 88 200 bytes of data
    return bytes(data)


HOSTILE = {
    "not audio": ("take.wav", b"this is a text file, not a take\n" * 100, 415),
    "png": ("take.wav", b"\x89PNG\r\n\x1a\n" + b"\x00" * 500, 415),
    "zero length": ("take.wav", b"", 422),
    "wrong extension": ("take.exe", None, 415),
    "path in the name": ("../../etc/take.wav", None, 422),
    "NUL in the name": ("take\x00.wav", None, 422),
    "lying WAV header": ("take.wav", "lying", 422),
    "garbage after a WAV magic": ("take.wav", b"RIFF\x10\x00\x00\x00WAVEjunkjunkjunk", 422),
    "garbage FLAC": ("take.flac", b"fLaC" + b"\x01" * 300, 422),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_hostile_uploads_are_refused_and_nothing_is_written(app_and_storage, audio_files, case):
    app, storage, scratch = app_and_storage
    name, content, status = HOSTILE[case]
    if content is None:
        content = audio_files["wav"].read_bytes()
    elif content == "lying":
        content = _lying_wav(audio_files)
    response = post(app, name, content)
    assert response.status_code == status, response.text
    assert isinstance(response.json()["detail"], str)
    assert storage.list("") == []
    assert not list(scratch.glob("upload-*")), "a refused upload left its temporary file"


def test_sixty_megabytes_is_413_and_never_stored(app_and_storage, audio_files):
    app, storage, scratch = app_and_storage
    big = audio_files["wav"].read_bytes() + b"\x00" * (60 * 1024 * 1024)
    response = post(app, "take.wav", big)
    assert response.status_code == 413
    assert storage.list("") == [] and not list(scratch.glob("upload-*"))


def test_the_file_part_cap_without_the_middleware(tmp_path, audio_files):
    class Upload:
        filename = "take.wav"

        def __init__(self, data):
            self.data = data

        async def read(self, size=-1):
            chunk, self.data = self.data[:size], self.data[size:]
            return chunk

    with pytest.raises(UploadRejected) as refused:
        asyncio.run(validate_upload(Upload(b"\x00" * 3_000_001), tmp_path, max_bytes=3_000_000))
    assert refused.value.status_code == 413 and not list(tmp_path.iterdir())


def test_format_detection_from_magic_bytes(audio_files):
    for kind, path in audio_files.items():
        assert detect_format(path.read_bytes()[:64]) == kind
    assert detect_format(b"MZ\x90\x00") is None and detect_format(b"") is None


# --- webhooks ---

BODY = b'{"result": {"overall_score": 0.7}}'


def test_webhook_signature_accepts_only_a_fresh_genuine_signature():
    now = 1_800_000_000
    header = webhooks.sign("s3cret", BODY, now)
    assert webhooks.verify(["old", "s3cret"], header, BODY, now=now + 299) == now
    refusals = {
        "missing": (None, BODY, now),
        "malformed": ("v1=abc", BODY, now),
        "wrong secret": (webhooks.sign("other", BODY, now), BODY, now),
        "tampered body": (header, BODY + b" ", now),
        "stale": (header, BODY, now + 301),
        "future": (header, BODY, now - 301),
    }
    for case, (given, body, at) in refusals.items():
        with pytest.raises(webhooks.WebhookSignatureError):
            webhooks.verify(["s3cret"], given, body, now=at)
        assert case
    with pytest.raises(webhooks.WebhookSignatureError):
        webhooks.verify([], header, BODY, now=now)  # no secret configured: never open


# --- idempotency ---

def test_idempotency_key_format():
    assert idem.check_key(None) is None
    assert idem.check_key("3f0c-uuid") == "3f0c-uuid"
    for bad in ("", "x" * 256, "tab\tkey", "한글"):
        with pytest.raises(idem.IdempotencyKeyInvalid):
            idem.check_key(bad)


def test_idempotency_replays_refuses_and_lapses():
    clock = [1000.0]
    store = idem.InMemoryIdempotencyStore(clock=lambda: clock[0])
    scope = idem.scope(7, "POST /api/scripts/{script_id}/upload-audio")
    same = idem.fingerprint(3, "sha-of-take")
    first = store.claim(scope, "key-1", same)
    assert first.outcome is idem.Outcome.PROCEED
    assert store.claim(scope, "key-1", same).status_code == 409          # still in flight
    store.complete(scope, "key-1", 200, {"job_id": "j1"})
    replay = store.claim(scope, "key-1", same)
    assert replay.outcome is idem.Outcome.REPLAY and replay.record.body == {"job_id": "j1"}
    assert store.claim(scope, "key-1", idem.fingerprint(4, "x")).status_code == 422
    assert store.claim(idem.scope(8, "same route"), "key-1", same).outcome is idem.Outcome.PROCEED
    clock[0] += idem.RETENTION_S + 1
    assert store.claim(scope, "key-1", same).outcome is idem.Outcome.PROCEED  # 24 h later: new

    store.claim(scope, "key-2", same)
    store.release(scope, "key-2")                                         # the request failed
    assert store.claim(scope, "key-2", same).outcome is idem.Outcome.PROCEED
    clock[0] += idem.IN_FLIGHT_LEASE_S + 1                                 # and then died
    assert store.claim(scope, "key-2", same).outcome is idem.Outcome.PROCEED


def test_a_chunked_upload_without_content_length_is_cut_off_at_the_cap(app_and_storage,
                                                                       audio_files):
    """No Content-Length to refuse up front: the middleware counts the body as it streams."""
    app, storage, scratch = app_and_storage
    boundary = "cap-boundary"
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="take.wav"\r\nContent-Type: audio/wav\r\n\r\n').encode()
    sent = []

    async def body():
        yield head + audio_files["wav"].read_bytes()
        for _ in range(60):                      # 60 × 1 MiB
            sent.append(1)
            yield b"\0" * (1 << 20)
        yield f"\r\n--{boundary}--\r\n".encode()

    async def run():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.post("/api/scripts/3/upload-audio", content=body(), headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}"})
    response = asyncio.run(run())
    assert response.status_code == 413
    assert storage.list("") == [] and not list(scratch.glob("upload-*"))
