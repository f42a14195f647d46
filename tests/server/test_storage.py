"""Storage: the same behaviour from the local folder and from S3 (a real moto server), keys per the
contract, presigned links that work (and stop working), Range requests on local media."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from fastapi import FastAPI

from tests.server.engine_fixtures import moto_endpoint  # noqa: F401,F811 (a fixture)
from yousync_server.storage import (AsyncStorage, LocalStorage, ObjectNotFound, StorageError,
                                    UnsafeKey)
from yousync_server.storage import keys
from yousync_server.storage.media_router import media_router
from yousync_server.storage.s3 import S3Storage

SECRET = b"media-secret"


class Clock:
    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def local(tmp_path):
    return LocalStorage(tmp_path / "objects", base_url="http://testserver", secret=SECRET)


@pytest.fixture
def s3(moto_endpoint):
    return S3Storage(f"bucket-{uuid.uuid4().hex[:8]}", endpoint_url=moto_endpoint,
                     create_bucket=True)


@pytest.fixture(params=["local", "s3"])
def storage(request):
    return request.getfixturevalue(request.param)


def test_round_trip_list_delete(storage, tmp_path):
    storage.put_bytes("user_audio/1/2/3.wav", b"RIFF-one", "audio/mpeg")
    source = tmp_path / "take.bin"
    source.write_bytes(b"x" * 300_000)
    storage.put_file("user_audio/1/2/4.wav", source, "audio/wav")
    storage.put_bytes("audio/abc_take.wav", b"anon")

    assert storage.get_bytes("user_audio/1/2/3.wav") == b"RIFF-one"
    with storage.open("user_audio/1/2/4.wav") as stream:
        assert stream.read() == b"x" * 300_000
    copy = storage.download_to("user_audio/1/2/4.wav", tmp_path / "copy.bin")
    assert copy.read_bytes() == source.read_bytes()
    assert storage.list("user_audio/1/2/") == ["user_audio/1/2/3.wav", "user_audio/1/2/4.wav"]
    assert storage.exists("audio/abc_take.wav")

    storage.put_bytes("user_audio/1/2/3.wav", b"RIFF-two")  # a new take overwrites
    assert storage.get_bytes("user_audio/1/2/3.wav") == b"RIFF-two"
    storage.delete("user_audio/1/2/3.wav")
    storage.delete("user_audio/1/2/3.wav")  # deleting a missing key is fine
    assert not storage.exists("user_audio/1/2/3.wav")
    with pytest.raises(ObjectNotFound):
        storage.get_bytes("user_audio/1/2/3.wav")
    assert storage.list("user_audio/") == ["user_audio/1/2/4.wav"]


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs/key", "a/../b", "a//b", "nul\x00.wav",
                                 "back\\slash", "", "a/./b"])
def test_unsafe_keys_never_reach_a_store(storage, key):
    with pytest.raises(UnsafeKey):
        storage.put_bytes(key, b"x")


def test_contract_keys():
    assert keys.user_take_key(1, 7, 3, ".WAV") == "user_audio/1/7/3.wav"
    assert keys.user_take_key(1, 7, 3, None) == "user_audio/1/7/3.mp3"
    assert keys.anonymous_take_key("ab" * 16, "script_3.wav") == f"audio/{'ab' * 16}_script_3.wav"
    assert keys.mix_key(1, 7, "u-1") == "user_Dubbing_auido/1/7/dubbing_audio_u-1.wav"
    assert keys.bgvoice_key("Actor", "dQw4w9WgXcQ") == "Actor/dQw4w9WgXcQ/0/bgvoice.wav"
    assert keys.video_id("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3") == "dQw4w9WgXcQ"
    assert keys.video_id("https://youtu.be/abc-_1") == "abc-_1"
    assert keys.video_id("https://example.com/") is None
    assert keys.reference_key("s3://assets/pitch/7.json") == "pitch/7.json"
    assert keys.is_storage_reference("pitch/7.json")
    assert not keys.is_storage_reference("https://cdn.example.com/bg.wav")
    for hostile in ("../x.wav", "a/b.wav", "x\x00.wav"):
        with pytest.raises(UnsafeKey):
            keys.anonymous_take_key("ab" * 16, hostile)
    with pytest.raises(UnsafeKey):
        keys.bgvoice_key("../..", "vid")


def test_s3_presigned_url_is_real(s3):
    s3.put_bytes("mix.wav", b"RIFFdata", "audio/wav")
    url = s3.presigned_url("mix.wav", 3600)
    assert "Signature" in url or "X-Amz-Signature" in url
    response = httpx.get(url)
    assert response.status_code == 200 and response.content == b"RIFFdata"
    assert response.headers["content-type"] == "audio/wav"


def test_s3_outage_is_a_storage_error():
    dead = S3Storage("bucket", endpoint_url="http://127.0.0.1:9")  # nothing listens on port 9
    with pytest.raises(StorageError):
        dead.put_bytes("a.wav", b"x")


def test_local_presigned_links_range_and_expiry(tmp_path):
    clock = Clock()
    storage = LocalStorage(tmp_path, base_url="http://testserver", secret=SECRET, clock=clock)
    audio = bytes(range(256)) * 100
    storage.put_bytes("Actor/vid/0/bgvoice.wav", audio, "audio/wav")
    app = FastAPI()
    app.include_router(media_router(storage))

    async def run():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            url = storage.presigned_url("Actor/vid/0/bgvoice.wav", 900)
            whole = await client.get(url)
            assert whole.status_code == 200 and whole.content == audio
            assert whole.headers["content-type"].startswith("audio/wav")
            part = await client.get(url, headers={"Range": "bytes=100-199"})
            assert part.status_code == 206 and part.content == audio[100:200]
            assert part.headers["content-range"] == f"bytes 100-199/{len(audio)}"
            tampered = url.replace("bgvoice", "vocal")
            assert (await client.get(tampered)).status_code == 403
            clock.now += 901
            assert (await client.get(url)).status_code == 403
            missing = storage.presigned_url("Actor/vid/0/vocal.wav", 900)
            assert (await client.get(missing)).status_code == 404
            hostile = storage.presigned_url("Actor/vid/0/bgvoice.wav", 900).replace(
                "Actor/vid/0/bgvoice.wav", "..%2F..%2Fsecret")
            assert (await client.get(hostile)).status_code in (403, 404)
    asyncio.run(run())


def test_async_storage_runs_off_the_event_loop(local):
    async def run():
        wrapped = AsyncStorage(local)
        await wrapped.put_bytes("audio/x_a.wav", b"abc", "audio/wav")
        assert await wrapped.get_bytes("audio/x_a.wav") == b"abc"
        assert await wrapped.list("audio/") == ["audio/x_a.wav"]
        assert (await wrapped.presigned_url("audio/x_a.wav", 60)).startswith("http://testserver/")
    asyncio.run(run())


def test_local_storage_hides_its_sidecars(local):
    local.put_bytes("a/b.wav", b"1", "audio/wav")
    assert local.list("") == ["a/b.wav"]
    with pytest.raises(ObjectNotFound):
        local.get_bytes(".meta/a/b.wav.json")
