"""Objects in an S3 bucket through boto3: AWS, or any S3-compatible endpoint (MinIO, moto, Ceph)
named by `endpoint_url` or the standard AWS_ENDPOINT_URL variable. Presigned URLs are real S3 ones.

Every method blocks (boto3 is synchronous): routes use `AsyncStorage(S3Storage(...))`, workers call
it directly. Errors are mapped to the protocol's two: ObjectNotFound for a missing key, StorageError
for everything else (network, credentials, throttling after botocore's own retries)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from yousync_server.storage.base import ObjectNotFound, StorageError
from yousync_server.storage.keys import check_key

_MISSING = {"404", "NoSuchKey", "NotFound"}


def _client_config() -> Config:
    # Short connect timeouts and a few retries: a dead endpoint should fail an upload in seconds
    # (503), not hang it for minutes.
    return Config(connect_timeout=5, read_timeout=60,
                  retries={"max_attempts": 3, "mode": "standard"}, signature_version="s3v4",
                  s3={"addressing_style": "path"})


class S3Storage:
    def __init__(self, bucket: str, *, endpoint_url: str | None = None, region: str | None = None,
                 client=None, create_bucket: bool = False):
        self.bucket = bucket
        self.client = client or boto3.client(
            "s3", endpoint_url=endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None,
            region_name=region or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
            config=_client_config())
        if create_bucket:
            self._ensure_bucket()

    def _ensure_bucket(self) -> None:
        with self._errors("bucket"):
            try:
                self.client.head_bucket(Bucket=self.bucket)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") not in _MISSING:
                    raise
                self.client.create_bucket(Bucket=self.bucket)

    class _errors:
        """Maps botocore's exceptions onto the protocol's."""

        def __init__(self, key: str):
            self.key = key

        def __enter__(self):
            return self

        def __exit__(self, kind, exc, tb):
            if exc is None or isinstance(exc, (ObjectNotFound, StorageError)):
                return False
            if isinstance(exc, ClientError):
                code = str(exc.response.get("Error", {}).get("Code"))
                if code in _MISSING:
                    raise ObjectNotFound(self.key) from None
                raise StorageError(f"S3 refused {self.key}: {code}") from exc
            if isinstance(exc, (BotoCoreError, OSError)):
                raise StorageError(f"S3 unreachable for {self.key}: {exc}") from exc
            return False

    def put_bytes(self, key: str, data: bytes, content_type: str | None = None) -> None:
        extra = {"ContentType": content_type} if content_type else {}
        with self._errors(check_key(key)):
            self.client.put_object(Bucket=self.bucket, Key=key, Body=data, **extra)

    def put_file(self, key: str, path: Path, content_type: str | None = None) -> None:
        extra = {"ExtraArgs": {"ContentType": content_type}} if content_type else {}
        with self._errors(check_key(key)):
            # upload_file streams (multipart above 8 MB): the file is never all in memory.
            self.client.upload_file(str(path), self.bucket, key, **extra)

    def open(self, key: str) -> BinaryIO:
        with self._errors(check_key(key)):
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"]

    def get_bytes(self, key: str) -> bytes:
        with self._errors(check_key(key)):
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
            try:
                return body.read()
            finally:
                body.close()

    def download_to(self, key: str, path: Path) -> Path:
        with self._errors(check_key(key)):
            self.client.download_file(self.bucket, key, str(path))
        return Path(path)

    def exists(self, key: str) -> bool:
        try:
            with self._errors(check_key(key)):
                self.client.head_object(Bucket=self.bucket, Key=key)
            return True
        except ObjectNotFound:
            return False

    def delete(self, key: str) -> None:
        with self._errors(check_key(key)):
            self.client.delete_object(Bucket=self.bucket, Key=key)

    def list(self, prefix: str) -> list[str]:
        keys = []
        with self._errors(prefix or "(all)"):
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                           Prefix=prefix)
            for page in pages:
                keys += [item["Key"] for item in page.get("Contents", [])]
        return sorted(keys)

    def presigned_url(self, key: str, expires_s: int) -> str:
        with self._errors(check_key(key)):
            return self.client.generate_presigned_url(
                "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=int(expires_s))
