"""The object-storage protocol the server talks to, its two kinds of failure, and the async view
the web process uses so that no blocking storage call ever runs on the event loop."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable


class StorageError(RuntimeError):
    """The store could not be reached or refused the operation: an outage, not a missing key.
    Routes answer 503; jobs fail with reason `storage_error`."""


class ObjectNotFound(LookupError):
    """No object under that key."""


@runtime_checkable
class Storage(Protocol):
    """Blocking object storage. Keys come from `storage.keys` (already checked).
    Every method raises StorageError on an outage; reads raise ObjectNotFound for a missing key."""

    def put_bytes(self, key: str, data: bytes, content_type: str | None = None) -> None: ...

    def put_file(self, key: str, path: Path, content_type: str | None = None) -> None: ...

    def get_bytes(self, key: str) -> bytes: ...

    def open(self, key: str) -> BinaryIO:
        """A readable binary file object; the caller closes it (use `with`)."""

    def download_to(self, key: str, path: Path) -> Path: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None:
        """Remove the object; deleting a missing key is not an error."""

    def list(self, prefix: str) -> list[str]:
        """Every key that starts with `prefix`, sorted."""

    def presigned_url(self, key: str, expires_s: int) -> str:
        """A GET URL anyone can fetch until it expires (bgvoice 900 s, takes and mixes 3600 s)."""


class AsyncStorage:
    """The same operations as coroutines, each run in a worker thread (asyncio.to_thread), for
    routes: a slow or hung store then holds a thread, never the event loop."""

    def __init__(self, storage: Storage):
        self.sync = storage

    async def put_bytes(self, key: str, data: bytes, content_type: str | None = None) -> None:
        await asyncio.to_thread(self.sync.put_bytes, key, data, content_type)

    async def put_file(self, key: str, path: Path, content_type: str | None = None) -> None:
        await asyncio.to_thread(self.sync.put_file, key, path, content_type)

    async def get_bytes(self, key: str) -> bytes:
        return await asyncio.to_thread(self.sync.get_bytes, key)

    async def download_to(self, key: str, path: Path) -> Path:
        return await asyncio.to_thread(self.sync.download_to, key, path)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self.sync.exists, key)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.sync.delete, key)

    async def list(self, prefix: str) -> list[str]:
        return await asyncio.to_thread(self.sync.list, prefix)

    async def presigned_url(self, key: str, expires_s: int) -> str:
        # Local URLs are pure HMAC; S3's are computed locally by botocore too, but credential
        # resolution may touch the network the first time, so it goes to a thread as well.
        return await asyncio.to_thread(self.sync.presigned_url, key, expires_s)
