"""Idempotent uploads (docs/yousync-api.md §7.12), as plain functions and a small store protocol.

The `Idempotency-Key` header (1–255 printable ASCII characters) scopes to (caller, route). The first
request claims the key with a fingerprint of its payload; a repeat within 24 h with the same
fingerprint replays the stored response (same `job_id`, no new job), with another fingerprint it
is refused with 422, and while the first is still running with 409. A claim left in flight by a
request that died (process killed) lapses after IN_FLIGHT_LEASE_S, so the key is not blocked for a
day. A refused first request releases its claim: the client may retry with the same key.

A database-backed store (the app's table, unique on (scope, key)) follows the same rules: insert
the claim; on a unique-constraint conflict, read the row and apply `decide`."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol

HEADER = "Idempotency-Key"
RETENTION_S = 24 * 3600
IN_FLIGHT_LEASE_S = 120


class IdempotencyKeyInvalid(ValueError):
    """Not 1–255 printable ASCII characters (the route answers 422)."""


def check_key(value: str | None) -> str | None:
    """The key, None when the header is absent, IdempotencyKeyInvalid when malformed."""
    if value is None:
        return None
    if not 1 <= len(value) <= 255 or not all(0x20 <= ord(c) <= 0x7E for c in value):
        raise IdempotencyKeyInvalid("Idempotency-Key must be 1-255 printable ASCII characters")
    return value


def scope(caller: int | str | None, route: str) -> str:
    """One caller on one route. Anonymous callers share the "anonymous" caller: their keys are
    random (UUIDs), so only the client that made one can repeat it."""
    return f"{'anonymous' if caller is None else caller}|{route}"


def fingerprint(*parts: Any) -> str:
    """A digest of what makes two requests the same: route parameters, form fields, the file's
    sha256 (not its name alone)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()


class Outcome(Enum):
    PROCEED = "proceed"        # a new request: do the work, then `complete`
    REPLAY = "replay"          # answer with the stored response
    IN_FLIGHT = "in_flight"    # 409
    MISMATCH = "mismatch"      # 422: same key, another payload


@dataclass
class IdempotencyRecord:
    fingerprint: str
    created_at: float
    status_code: int | None = None      # None while in flight
    body: Any = None


@dataclass
class Decision:
    outcome: Outcome
    record: IdempotencyRecord | None = None

    @property
    def status_code(self) -> int | None:
        return {Outcome.IN_FLIGHT: 409, Outcome.MISMATCH: 422}.get(self.outcome)


def decide(existing: IdempotencyRecord | None, request_fingerprint: str, now: float) -> Decision:
    """What to do with a request whose key is already recorded as `existing` (or not at all)."""
    if existing is None or now - existing.created_at > RETENTION_S:
        return Decision(Outcome.PROCEED)
    if existing.fingerprint != request_fingerprint:
        return Decision(Outcome.MISMATCH, existing)
    if existing.status_code is None:
        if now - existing.created_at > IN_FLIGHT_LEASE_S:
            return Decision(Outcome.PROCEED)      # the first request died holding the claim
        return Decision(Outcome.IN_FLIGHT, existing)
    return Decision(Outcome.REPLAY, existing)


class IdempotencyStore(Protocol):
    def claim(self, scope: str, key: str, request_fingerprint: str) -> Decision:
        """Atomically: record a new in-flight claim (PROCEED) or decide against the existing one."""

    def complete(self, scope: str, key: str, status_code: int, body: Any) -> None: ...

    def release(self, scope: str, key: str) -> None:
        """Forget a claim whose request failed, so a retry with the key does the work."""


@dataclass
class InMemoryIdempotencyStore:
    """For one process (the embedded server and tests)."""

    clock: Any = time.time
    _records: dict[tuple[str, str], IdempotencyRecord] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def claim(self, scope: str, key: str, request_fingerprint: str) -> Decision:
        now = self.clock()
        with self._lock:
            decision = decide(self._records.get((scope, key)), request_fingerprint, now)
            if decision.outcome is Outcome.PROCEED:
                self._records[(scope, key)] = IdempotencyRecord(request_fingerprint, now)
            self._purge(now)
            return decision

    def complete(self, scope: str, key: str, status_code: int, body: Any) -> None:
        with self._lock:
            record = self._records.get((scope, key))
            if record is not None:
                record.status_code, record.body = status_code, body

    def release(self, scope: str, key: str) -> None:
        with self._lock:
            record = self._records.get((scope, key))
            if record is not None and record.status_code is None:
                del self._records[(scope, key)]

    def _purge(self, now: float) -> None:
        for ident, record in list(self._records.items()):
            if now - record.created_at > RETENTION_S:
                del self._records[ident]
