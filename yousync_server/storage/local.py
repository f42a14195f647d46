"""Objects as files under one folder: the embedded default. Writes are atomic (temp file + rename)
so a reader never sees half an object; content types live in a sidecar tree (`.meta/`) that
`list` never shows. Presigned URLs are links to `media_router`, signed with HMAC-SHA256 over the
key and the expiry, so they work for anyone until they expire, like S3's."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from yousync_server.storage.base import ObjectNotFound, StorageError
from yousync_server.storage.keys import check_key

META_DIR = ".meta"


def sign_media(secret: bytes, key: str, expires_at: int) -> str:
    return hmac.new(secret, f"{key}\n{expires_at}".encode(), hashlib.sha256).hexdigest()


class LocalStorage:
    def __init__(self, root: Path, *, base_url: str, secret: bytes, media_path: str = "/media",
                 clock=time.time):
        """`base_url` is how clients reach this server (e.g. http://127.0.0.1:8000); presigned
        URLs are `{base_url}{media_path}/{key}?expires=…&signature=…`."""
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.base_url = base_url.rstrip("/")
        self.media_path = "/" + media_path.strip("/")
        self.secret = secret
        self.clock = clock

    # --- paths ---

    def path_for(self, key: str) -> Path:
        """The file behind `key`; the key check plus a containment check keep it in the root."""
        path = (self.root / check_key(key)).resolve()
        if self.root not in path.parents or path.parts[len(self.root.parts)] == META_DIR:
            raise ObjectNotFound(key)
        return path

    def _meta_path(self, key: str) -> Path:
        return self.root / META_DIR / (check_key(key) + ".json")

    def content_type(self, key: str) -> str | None:
        try:
            return json.loads(self._meta_path(key).read_text()).get("content_type")
        except (OSError, ValueError):
            return None

    # --- writes ---

    def _write(self, key: str, fill, content_type: str | None) -> None:
        path = self.path_for(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
            try:
                with os.fdopen(handle, "wb") as out:
                    fill(out)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            meta = self._meta_path(key)
            if content_type:
                meta.parent.mkdir(parents=True, exist_ok=True)
                meta.write_text(json.dumps({"content_type": content_type}))
            else:
                meta.unlink(missing_ok=True)
        except OSError as exc:
            raise StorageError(f"local storage write failed for {key}: {exc}") from exc

    def put_bytes(self, key: str, data: bytes, content_type: str | None = None) -> None:
        self._write(key, lambda out: out.write(data), content_type)

    def put_file(self, key: str, path: Path, content_type: str | None = None) -> None:
        def fill(out):
            with open(path, "rb") as source:
                shutil.copyfileobj(source, out, 1 << 20)
        self._write(key, fill, content_type)

    # --- reads ---

    def open(self, key: str) -> BinaryIO:
        path = self.path_for(key)
        try:
            return open(path, "rb")
        except FileNotFoundError:
            raise ObjectNotFound(key) from None
        except OSError as exc:
            raise StorageError(f"local storage read failed for {key}: {exc}") from exc

    def get_bytes(self, key: str) -> bytes:
        with self.open(key) as source:
            return source.read()

    def download_to(self, key: str, path: Path) -> Path:
        with self.open(key) as source, open(path, "wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)
        return Path(path)

    def exists(self, key: str) -> bool:
        try:
            return self.path_for(key).is_file()
        except ObjectNotFound:
            return False

    def delete(self, key: str) -> None:
        try:
            self.path_for(key).unlink(missing_ok=True)
            self._meta_path(key).unlink(missing_ok=True)
        except ObjectNotFound:
            return
        except OSError as exc:
            raise StorageError(f"local storage delete failed for {key}: {exc}") from exc

    def list(self, prefix: str) -> list[str]:
        keys = []
        for path in self.root.rglob("*"):
            relative = path.relative_to(self.root)
            if (path.is_file() and relative.parts[0] != META_DIR
                    and not path.name.startswith(".part-")):
                key = relative.as_posix()
                if key.startswith(prefix):
                    keys.append(key)
        return sorted(keys)

    # --- links ---

    def presigned_url(self, key: str, expires_s: int) -> str:
        check_key(key)
        expires_at = int(self.clock()) + int(expires_s)
        signature = sign_media(self.secret, key, expires_at)
        return (f"{self.base_url}{self.media_path}/{quote(key)}"
                f"?expires={expires_at}&signature={signature}")

    def verify(self, key: str, expires_at: int, signature: str) -> bool:
        """Whether a presigned link is genuine and still valid."""
        if expires_at < self.clock():
            return False
        return hmac.compare_digest(sign_media(self.secret, key, expires_at), signature)
