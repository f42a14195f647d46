"""Serves LocalStorage's presigned links: GET/HEAD `{media_path}/{key}?expires=&signature=`.
Range requests (206) come from Starlette's FileResponse, so audio and video players can seek.
A bad or expired signature is 403 (as S3 answers); a missing object 404."""

from __future__ import annotations

import mimetypes

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import FileResponse

from yousync_server.storage.base import ObjectNotFound
from yousync_server.storage.keys import UnsafeKey
from yousync_server.storage.local import LocalStorage


def media_router(storage: LocalStorage) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.api_route(storage.media_path + "/{key:path}", methods=["GET", "HEAD"])
    def media(key: str, expires: int = Query(...), signature: str = Query(...)):
        # A plain (sync) route: FastAPI runs it in its thread pool, so stat() never blocks the loop.
        if not storage.verify(key, expires, signature):
            raise HTTPException(status_code=403, detail="Invalid or expired link")
        try:
            path = storage.path_for(key)
        except (ObjectNotFound, UnsafeKey):
            raise HTTPException(status_code=404, detail="Not found") from None
        if not path.is_file():
            raise HTTPException(status_code=404, detail="Not found")
        media_type = (storage.content_type(key) or mimetypes.guess_type(path.name)[0]
                      or "application/octet-stream")
        return FileResponse(path, media_type=media_type,
                            headers={"Cache-Control": "private, max-age=60"})

    return router
