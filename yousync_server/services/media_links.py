"""Turning stored media references into URLs a client can fetch (§3.0, §7.13).

A stored value that is already an http(s) URL passes through unchanged (the public backend does
the same); anything else is an object key, handed out as a presigned URL of the storage engine.
Thumbnails get a stable address on this server (/api/tokens/{id}/thumbnail) that redirects to a
fresh presigned URL, because clients cache token lists far longer than a presigned URL lives.
"""

from __future__ import annotations

from pydantic import ValidationError

from yousync_desktop.sync import contract
from yousync_server.db.models import Token
from yousync_server.storage.keys import UnsafeKey, reference_key

BGVOICE_SECONDS = 900
TAKE_SECONDS = 3600


class MediaLinks:
    def __init__(self, storage, base_url: str):
        self.storage = storage
        self.base_url = base_url.rstrip("/")

    def url(self, stored: str | None, expires_in: int = BGVOICE_SECONDS) -> str | None:
        if not stored:
            return None
        if stored.startswith(("http://", "https://")) or self.storage is None:
            return stored
        try:
            url = self.storage.presigned_url(reference_key(stored), expires_in)
        except UnsafeKey:
            return None
        return self.base_url + url if url.startswith("/") else url

    def thumbnail_url(self, row: Token) -> str | None:
        if row.thumbnail_url:
            return row.thumbnail_url
        if row.thumbnail_key:
            return f"{self.base_url}/api/tokens/{row.id}/thumbnail"
        return None

    def token(self, row: Token) -> contract.Token:
        out = contract.Token.model_validate(row)
        out.thumbnail_url = self.thumbnail_url(row)
        return out

    def tokens(self, rows) -> list[contract.Token]:
        return [self.token(row) for row in rows]

    def detail(self, row: Token) -> contract.TokenDetail:
        base = self.token(row).model_dump()
        try:
            pitch = ([contract.PitchPoint.model_validate(p) for p in row.pitch]
                     if row.pitch is not None else None)
        except (ValidationError, TypeError):
            pitch = None  # §3.0: pitch is null on any load error
        return contract.TokenDetail(
            **base, bgvoice_url=self.url(row.s3_bgvoice_url),
            video_url=self.url(row.video_key), vocal_url=self.url(row.vocal_key), pitch=pitch,
            scripts=[contract.Script.model_validate(s) for s in row.scripts])
