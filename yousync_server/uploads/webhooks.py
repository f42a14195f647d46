"""Webhook signatures (docs/yousync-api.md §7.9):
`X-YouSync-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
Several `v1=` entries may be sent and several secrets configured, so a secret can be rotated
without downtime. A missing or malformed header, no matching signature, or a timestamp more than
300 s from now is refused (the route answers 401)."""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Iterable

SIGNATURE_HEADER = "X-YouSync-Signature"
TOLERANCE_S = 300


class WebhookSignatureError(Exception):
    """Why a webhook was refused (for the log; the client only sees 401)."""


def signature_for(secret: str | bytes, timestamp: int, body: bytes) -> str:
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, f"{int(timestamp)}.".encode() + body, hashlib.sha256).hexdigest()


def sign(secret: str | bytes, body: bytes, timestamp: int | None = None) -> str:
    """The header value a sender (the analysis server, or a test) puts on `body`."""
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    return f"t={timestamp},v1={signature_for(secret, timestamp, body)}"


def parse_header(header: str) -> tuple[int, list[str]]:
    timestamp = None
    signatures = []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == "v1" and value:
            signatures.append(value.lower())
    if timestamp is None or not signatures:
        raise WebhookSignatureError("malformed signature header")
    return timestamp, signatures


def verify(secrets: Iterable[str | bytes], header: str | None, body: bytes, *,
           now: float | None = None, tolerance_s: int = TOLERANCE_S) -> int:
    """The signed timestamp when `header` signs `body` with one of `secrets` within the tolerance;
    else WebhookSignatureError. `body` must be the raw bytes as received."""
    if not header:
        raise WebhookSignatureError("missing signature header")
    timestamp, signatures = parse_header(header)
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance_s:
        raise WebhookSignatureError("timestamp outside the tolerance")
    secrets = [s for s in secrets if s]
    if not secrets:
        raise WebhookSignatureError("no webhook secret configured")
    for secret in secrets:
        expected = signature_for(secret, timestamp, body)
        if any(hmac.compare_digest(expected, given) for given in signatures):
            return timestamp
    raise WebhookSignatureError("signature does not match")
