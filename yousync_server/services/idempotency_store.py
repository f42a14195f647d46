"""The idempotency store over the `idempotency_keys` table (unique on caller, route, key): the
rules are `uploads.idempotency.decide`; the unique constraint makes the claim atomic across
processes."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from yousync_server.db.models import IdempotencyKey, utcnow
from yousync_server.uploads.idempotency import Decision, IdempotencyRecord, Outcome, decide


def _seconds(moment: datetime) -> float:
    return moment.replace(tzinfo=timezone.utc).timestamp()


class DatabaseIdempotencyStore:
    def __init__(self, sessions: sessionmaker[Session]):
        self.sessions = sessions

    @staticmethod
    def _split(scope: str) -> tuple[str, str]:
        caller, _, route = scope.partition("|")
        return caller[:64], route[:200]

    def _row(self, session: Session, scope: str, key: str) -> IdempotencyKey | None:
        caller, route = self._split(scope)
        return session.scalars(select(IdempotencyKey).where(
            IdempotencyKey.caller == caller, IdempotencyKey.route == route,
            IdempotencyKey.key == key)).first()

    def claim(self, scope: str, key: str, request_fingerprint: str) -> Decision:
        caller, route = self._split(scope)
        now = utcnow()
        with self.sessions() as session:
            session.add(IdempotencyKey(caller=caller, route=route, key=key,
                                       request_hash=request_fingerprint, state="in_flight",
                                       created_at=now))
            try:
                session.commit()
                return Decision(Outcome.PROCEED)
            except IntegrityError:
                session.rollback()
            row = self._row(session, scope, key)
            if row is None:  # deleted in between: claim again
                return self.claim(scope, key, request_fingerprint)
            record = IdempotencyRecord(row.request_hash, _seconds(row.created_at),
                                       row.status_code if row.state == "done" else None,
                                       row.response)
            decision = decide(record, request_fingerprint, _seconds(now))
            if decision.outcome is Outcome.PROCEED:   # expired or lapsed: take it over
                row.request_hash, row.state, row.status_code, row.response = (
                    request_fingerprint, "in_flight", None, None)
                row.created_at = now
                session.commit()
            return decision

    def complete(self, scope: str, key: str, status_code: int, body: Any) -> None:
        with self.sessions() as session:
            row = self._row(session, scope, key)
            if row is not None:
                row.state, row.status_code, row.response = "done", status_code, body
                session.commit()

    def release(self, scope: str, key: str) -> None:
        caller, route = self._split(scope)
        with self.sessions() as session:
            session.execute(delete(IdempotencyKey).where(
                IdempotencyKey.caller == caller, IdempotencyKey.route == route,
                IdempotencyKey.key == key, IdempotencyKey.state == "in_flight"))
            session.commit()
