"""STOPGAP until yousync_server/storage (the storage engine, built on its own branch) is merged:
a tiny local object folder with the two calls the core needs — `put_object(key, path)` and
`url_for(key, expires_in)` — and a route serving its objects by expiring signed URLs, so token
detail hands out working media links on the embedded default. config.build_storage prefers the
real engine as soon as it exists; delete this module then.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import shutil
import time
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse


def _safe_key(key: str) -> PurePosixPath:
    path = PurePosixPath(key)
    if not key or key.startswith("/") or "\x00" in key or any(p in ("", "..") for p in path.parts):
        raise ValueError(f"unsafe object key {key!r}")
    return path


class LocalObjects:
    def __init__(self, root: Path, *, secret: str):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._secret = secret.encode("utf-8")

    def path_of(self, key: str) -> Path:
        return self.root.joinpath(*_safe_key(key).parts)

    def put_object(self, key: str, path: Path) -> None:
        target = self.path_of(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
        shutil.copyfile(path, partial)
        os.replace(partial, target)  # readers never see half an object

    def exists(self, key: str) -> bool:
        try:
            return self.path_of(key).is_file()
        except ValueError:
            return False

    def _signature(self, key: str, expires: int) -> str:
        return hmac.new(self._secret, f"{key}\n{expires}".encode(), hashlib.sha256).hexdigest()

    def url_for(self, key: str, expires_in: int) -> str:
        """A path on this server (the caller makes it absolute) valid for `expires_in` s."""
        expires = int(time.time()) + expires_in
        return (f"/api/media/{quote(key)}?expires={expires}"
                f"&signature={self._signature(key, expires)}")

    def verify(self, key: str, expires: int, signature: str) -> bool:
        return (expires >= time.time()
                and hmac.compare_digest(self._signature(key, expires), signature))


router = APIRouter(tags=["media"])


@router.get("/api/media/{key:path}", include_in_schema=False)
def get_object(key: str, expires: int, signature: str, request: Request):
    objects = request.app.state.storage
    if not isinstance(objects, LocalObjects) or not objects.verify(key, expires, signature):
        raise HTTPException(403, "만료되었거나 잘못된 링크입니다")
    try:
        path = objects.path_of(key)
    except ValueError:
        raise HTTPException(404, "Not Found") from None
    if not path.is_file():
        raise HTTPException(404, "Not Found")
    return FileResponse(path)
