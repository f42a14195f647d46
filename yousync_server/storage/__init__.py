"""Object storage: the `Storage` protocol, a local folder (the embedded default) and S3.

    storage = LocalStorage(root, base_url=..., secret=...)   # + media_router(storage) on the app
    storage = S3Storage(bucket, endpoint_url=None)           # AWS_ENDPOINT_URL honoured
    async_storage = AsyncStorage(storage)                    # for routes: calls run in threads

Keys are built by `storage.keys` (docs/yousync-api.md §5)."""

from yousync_server.storage.base import AsyncStorage, ObjectNotFound, Storage, StorageError
from yousync_server.storage.keys import UnsafeKey
from yousync_server.storage.local import LocalStorage

__all__ = ["AsyncStorage", "LocalStorage", "ObjectNotFound", "S3Storage", "Storage",
           "StorageError", "UnsafeKey"]


def __getattr__(name):
    # boto3 takes ~0.3 s to import: only the S3 set-up pays for it.
    if name == "S3Storage":
        from yousync_server.storage.s3 import S3Storage
        return S3Storage
    raise AttributeError(name)


def from_settings(settings) -> Storage:
    """S3 when YOUSYNC_S3_BUCKET is set, else the local folder. Local links are relative
    (`/api/media/…`) unless YOUSYNC_PUBLIC_BASE_URL is set; the token routes make them absolute
    from the request."""
    if settings.s3_bucket:
        from yousync_server.storage.s3 import S3Storage

        return S3Storage(settings.s3_bucket, create_bucket=settings.s3_create_bucket)
    import hashlib

    # A key of its own for media links, derived so that it survives restarts with the JWT key.
    secret = hashlib.sha256(b"media-links\n" + settings.signing_secret().encode()).digest()
    return LocalStorage(settings.effective_storage_dir, base_url=settings.public_base_url or "",
                        secret=secret, media_path="/api/media")
