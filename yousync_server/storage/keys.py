"""Object keys, as the contract lays them out (docs/yousync-api.md §5), and the one check every key
passes before it reaches a storage back-end: no absolute paths, no `..` segments, no NUL or other
control characters, no backslashes. Keys are built here and nowhere else."""

from __future__ import annotations

import re

_VIDEO_ID = re.compile(r"(?:youtu\.be/|v=)([\w-]+)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class UnsafeKey(ValueError):
    """A key (or a part of one, such as an uploaded file name) that could escape its prefix."""


def check_key(key: str) -> str:
    """`key` itself when it is safe to use as an object key; else UnsafeKey."""
    if not isinstance(key, str) or not key:
        raise UnsafeKey("empty key")
    if _CONTROL.search(key) or "\\" in key:
        raise UnsafeKey("control character or backslash in key")
    if key.startswith("/"):
        raise UnsafeKey("absolute key")
    if any(part in ("", ".", "..") for part in key.split("/")):
        raise UnsafeKey("empty, '.' or '..' segment in key")
    return key


def check_segment(segment: str) -> str:
    """One path segment (a file name, an actor name): a safe key without slashes."""
    if "/" in str(segment):
        raise UnsafeKey("slash in a key segment")
    return check_key(str(segment))


def video_id(youtube_url: str | None) -> str | None:
    """The YouTube id by the contract's pattern `(?:youtu\\.be/|v=)([\\w-]+)`, or None."""
    match = _VIDEO_ID.search(youtube_url or "")
    return match.group(1) if match else None


def user_take_key(user_id: int, token_id: int, script_id: int, ext: str | None) -> str:
    """A signed-in learner's take of one line; a new take overwrites the old (same extension)."""
    ext = (ext or "mp3").lstrip(".").lower()
    return check_key(f"user_audio/{int(user_id)}/{int(token_id)}/{int(script_id)}."
                     f"{check_segment(ext)}")


def anonymous_take_key(job_hex: str, file_name: str) -> str:
    """An anonymous script take, or any token-path or batch take."""
    return check_key(f"audio/{check_segment(job_hex)}_{check_segment(file_name)}")


def mix_key(user_id: int, token_id: int, mix_uuid: str) -> str:
    """A synthesize mix. The misspelt prefix is part of the contract."""
    return check_key(f"user_Dubbing_auido/{int(user_id)}/{int(token_id)}/"
                     f"dubbing_audio_{check_segment(mix_uuid)}.wav")


def mix_prefix(user_id: int, token_id: int) -> str:
    return f"user_Dubbing_auido/{int(user_id)}/{int(token_id)}/"


def user_takes_prefix(user_id: int, token_id: int) -> str:
    return f"user_audio/{int(user_id)}/{int(token_id)}/"


def bgvoice_key(actor_name: str, video: str) -> str:
    """The background track synthesize reads; segment `0` is fixed by the contract."""
    return check_key(f"{check_segment(actor_name)}/{check_segment(video)}/0/bgvoice.wav")


def vocal_key(actor_name: str, video: str) -> str:
    return check_key(f"{check_segment(actor_name)}/{check_segment(video)}/0/vocal.wav")


def is_storage_reference(value: str | None) -> bool:
    """Whether a stored `s3_*_url` is a key we can presign (a bare key or `s3://bucket/key`),
    rather than a URL to pass through unchanged (§3.0 TokenDetail)."""
    if not value:
        return False
    if value.startswith("s3://"):
        return True
    return "://" not in value and not value.startswith("/")


def reference_key(value: str) -> str:
    """The key inside a storage reference: `s3://bucket/key` → `key`; a bare key as it is."""
    if value.startswith("s3://"):
        value = value[len("s3://"):].split("/", 1)[1] if "/" in value[5:] else ""
    return check_key(value)
