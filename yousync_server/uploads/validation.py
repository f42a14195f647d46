"""Upload validation (docs/yousync-api.md §7.8): a take is streamed to a temporary file under a
50 MB cap (413), its format is detected from its content (415 unless WAV, MP3, M4A/AAC, FLAC or
OGG), and it is decoded in full to prove it is audio (422 when empty, undecodable or zero-length).
The client's file name is checked before it can become part of a storage key (422 for `..`,
slashes, NUL or other control characters). Nothing is written to storage before all of this has
passed, so a refused upload leaves no object behind.

Two layers enforce the cap: `BodySizeLimit`, an ASGI middleware that stops reading a request body
once it passes the cap (so a 60 MB upload is never spooled in full by the multipart parser), and
`receive_upload`, which counts the file part itself."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from yousync_server.uploads.formats import (EXTENSIONS, AudioProbe, NotAudio, UnsupportedFormat,
                                            probe_audio)

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MULTIPART_OVERHEAD_BYTES = 64 * 1024     # boundaries, part headers, small form fields
CHUNK_BYTES = 1 << 20
MAX_FILE_NAME_CHARS = 200

MESSAGES = {
    413: "파일이 너무 큽니다 (최대 50MB)",
    415: "지원하지 않는 오디오 형식입니다 (WAV, MP3, M4A/AAC, FLAC, OGG)",
    422: "오디오 파일을 읽을 수 없습니다",
}


class UploadRejected(Exception):
    """An upload refused with an HTTP status (413, 415 or 422) and a `detail` for the client."""

    def __init__(self, status_code: int, reason: str):
        self.status_code = status_code
        self.reason = reason
        super().__init__(f"{status_code}: {reason}")

    @property
    def detail(self) -> str:
        return f"{MESSAGES[self.status_code]}: {self.reason}"


class ReadableUpload(Protocol):
    """What `receive_upload` reads: Starlette's UploadFile fits (`await read(n)`)."""

    filename: str | None

    async def read(self, size: int = -1) -> bytes: ...


@dataclass
class ValidatedUpload:
    path: Path            # the temporary file; the caller deletes it (or uses `cleanup`)
    file_name: str        # the client's name, checked safe for a key
    extension: str        # the key's extension: the detected format's (see `key_extension`)
    probe: AudioProbe
    size: int
    sha256: str           # of the content: part of an idempotency fingerprint

    def cleanup(self) -> None:
        self.path.unlink(missing_ok=True)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def safe_file_name(name: str | None, default: str = "take.wav") -> str:
    """The client's file name if it is a plain name; UploadRejected(422) if it tries to be a path
    or carries control characters. A missing name gets `default`."""
    if name is None or name == "":
        return default
    name = unicodedata.normalize("NFC", name)
    if _CONTROL.search(name):
        raise UploadRejected(422, "file name contains NUL or control characters")
    if "/" in name or "\\" in name or name in (".", "..") or ".." in name.split("."):
        raise UploadRejected(422, "file name must not contain a path")
    if len(name) > MAX_FILE_NAME_CHARS:
        raise UploadRejected(422, "file name is too long")
    return name


def name_extension(name: str) -> str | None:
    """The lower-case extension of a file name, or None."""
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else None


def key_extension(file_name: str, detected: str) -> str:
    """The extension a take is stored under. The content decides: a WAV named `take.mp3` is
    stored as `.wav`, so a key never lies about what it holds. A name whose extension is not an
    audio one at all (`take.exe`) is refused with 415."""
    extension = name_extension(file_name)
    if extension is not None and extension not in EXTENSIONS:
        raise UploadRejected(415, f"'.{extension}' is not an audio file extension")
    return detected


async def receive_upload(upload: ReadableUpload, directory: Path | None = None,
                         max_bytes: int = MAX_UPLOAD_BYTES) -> tuple[Path, int, str]:
    """Copy the upload to a new temporary file, chunk by chunk, under `max_bytes`:
    (path, size, sha256). UploadRejected(413) as soon as it passes the cap (the partial file is
    removed). File writes are small and go to local disk; the multipart parser has already
    spooled the part, so this is a copy, not a network read."""
    handle, name = tempfile.mkstemp(prefix="upload-", suffix=".part", dir=directory)
    path = Path(name)
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(handle, "wb") as out:
            while chunk := await upload.read(CHUNK_BYTES):
                size += len(chunk)
                if size > max_bytes:
                    raise UploadRejected(413, f"more than {max_bytes} bytes")
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path, size, digest.hexdigest()


def validate_audio_file(path: Path, file_name: str) -> tuple[AudioProbe, str]:
    """(probe, key extension) for a received file, or UploadRejected(415/422). Blocking (it
    decodes the whole file): routes call it through `asyncio.to_thread`."""
    if path.stat().st_size == 0:
        raise UploadRejected(422, "empty file")
    try:
        probe = probe_audio(path)
    except UnsupportedFormat as exc:
        raise UploadRejected(415, str(exc)) from None
    except NotAudio as exc:
        raise UploadRejected(422, str(exc)) from None
    return probe, key_extension(file_name, probe.format)


async def validate_upload(upload: ReadableUpload, directory: Path | None = None,
                          max_bytes: int = MAX_UPLOAD_BYTES) -> ValidatedUpload:
    """The whole check for one multipart `file`: name, size, format, decode. On refusal the
    temporary file is already gone."""
    file_name = safe_file_name(upload.filename)
    path, size, sha256 = await receive_upload(upload, directory, max_bytes)
    try:
        probe, extension = await asyncio.to_thread(validate_audio_file, path, file_name)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return ValidatedUpload(path, file_name, extension, probe, size, sha256)


class BodySizeLimit:
    """ASGI middleware: requests to `paths` (prefix match) whose body passes `max_bytes` get 413
    without the rest being read. A Content-Length over the cap is refused before any byte."""

    def __init__(self, app, max_bytes: int = MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES,
                 paths: tuple[str, ...] = ("/api/",)):
        self.app = app
        self.max_bytes = max_bytes
        self.paths = paths

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith(self.paths):
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            return await _too_large(send)
        seen = 0
        answered = False   # our 413 went out: whatever the app does next is dropped

        async def limited_receive():
            nonlocal seen, answered
            if answered:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    # Answer now and tell the app the client left, so it stops reading. (Raising
                    # here would be turned into a 400 by the framework's form parser.)
                    answered = True
                    await _too_large(send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message):
            if not answered:
                await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not answered:
                raise


async def _too_large(send) -> None:
    body = json.dumps({"detail": MESSAGES[413]}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
