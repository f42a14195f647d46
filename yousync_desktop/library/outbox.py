"""The upload outbox: takes the learner marked for the server's analysis, kept durably in the
library beside the takes themselves, with what became of each.

An item goes queued → uploading → analysing → completed, or ends failed with a code and the
server's own reason. Every step is one committed transaction, so a process killed at any point
leaves an item the next run can carry on from:

- queued or uploading (no job yet): uploaded (again) with the same Idempotency-Key — the item's
  id — so our server replays the first answer instead of making a second job (§7.12);
- analysing (job known): followed, never uploaded again — against the public backend, which
  ignores the key, this is what keeps a take to one job;
- completed: the server's score and the item's state are written in one transaction, so a crash
  cannot store a result twice or lose it.

The item's job_id is the client's own job → take → script map (the public backend's results
carry no script_id, §6.12). Each change publishes JobStateChanged; a stored result also
ScoreStored and ResultStored. sync/outbox_worker.py does the talking to the server.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from sqlalchemy import select

from yousync_desktop.domain import Score
from yousync_desktop.events import JobStateChanged, ResultStored, ScoreStored
from yousync_desktop.library.repository import Library, LibraryError, _now
from yousync_desktop.library.schema import OutboxRow, ScoreRow, TakeRow

QUEUED, UPLOADING, ANALYSING, COMPLETED, FAILED = (
    "queued", "uploading", "analysing", "completed", "failed")
UNFINISHED = (QUEUED, UPLOADING, ANALYSING)


@dataclass(frozen=True)
class OutboxItem:
    id: str
    take_id: int
    profile: str
    token_key: int
    script_id: int
    state: str
    attempts: int
    job_id: str | None
    progress: int
    message: str
    error_code: str | None
    error_reason: str | None
    last_event_id: str | None
    result: dict | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: OutboxRow) -> "OutboxItem":
        return cls(**{name: getattr(row, name) for name in cls.__dataclass_fields__})

    @property
    def needs_upload(self) -> bool:
        return self.state in (QUEUED, UPLOADING) and self.job_id is None


class UploadOutbox:
    """The outbox of one library. Thread-safe as the library is (one transaction per change)."""

    def __init__(self, library: Library):
        self.library = library

    # --- reading -------------------------------------------------------------------------------

    def items(self, profile: str | None = None, states: Iterable[str] | None = None
              ) -> list[OutboxItem]:
        """Oldest first: takes go in the order they were marked."""
        query = select(OutboxRow).order_by(OutboxRow.created_at, OutboxRow.id)
        if profile is not None:
            query = query.where(OutboxRow.profile == profile)
        if states is not None:
            query = query.where(OutboxRow.state.in_(list(states)))
        with self.library._sessions() as session:
            return [OutboxItem.of(row) for row in session.scalars(query)]

    def get(self, item_id: str) -> OutboxItem:
        with self.library._sessions() as session:
            row = session.get(OutboxRow, item_id)
            if row is None:
                raise KeyError(item_id)
            return OutboxItem.of(row)

    def item_for_job(self, profile: str, job_id: str) -> OutboxItem | None:
        """The take and script a job was made for (the client's own map)."""
        with self.library._sessions() as session:
            row = session.scalar(select(OutboxRow).where(OutboxRow.profile == profile,
                                                          OutboxRow.job_id == job_id))
            return OutboxItem.of(row) if row is not None else None

    # --- marking -------------------------------------------------------------------------------

    def enqueue(self, take_id: int, profile: str) -> OutboxItem:
        """Mark a take for the server's analysis. Marking it again changes nothing (the first
        item stands, whatever its state); a failed item is sent again with `retry`."""
        with self.library.transaction() as session:
            existing = session.scalar(select(OutboxRow).where(OutboxRow.take_id == take_id,
                                                              OutboxRow.profile == profile))
            if existing is not None:
                return OutboxItem.of(existing)
            take = session.get(TakeRow, take_id)
            if take is None or take.status != "complete":
                raise LibraryError("library.no_take", take=take_id)
            now = _now()
            row = OutboxRow(id=str(uuid.uuid4()), take_id=take_id, profile=profile,
                            token_key=take.token_key, script_id=take.script_id, state=QUEUED,
                            attempts=0, progress=0, message="", created_at=now, updated_at=now)
            session.add(row)
            session.flush()
            item = OutboxItem.of(row)
        self._announce(item)
        return item

    def retry(self, item_id: str) -> OutboxItem:
        """A failed item queued again as a new item: a new id, so a new Idempotency-Key (the
        server must not replay the refusal)."""
        with self.library.transaction() as session:
            row = session.get(OutboxRow, item_id)
            if row is None or row.state != FAILED:
                return self.get(item_id) if row is not None else None
            take_id, profile = row.take_id, row.profile
            session.delete(row)
        return self.enqueue(take_id, profile)

    # --- the worker's steps --------------------------------------------------------------------

    def start_upload(self, item_id: str) -> OutboxItem:
        return self._change(item_id, state=UPLOADING, progress=0, message="",
                            attempts=OutboxRow.attempts + 1)

    def upload_postponed(self, item_id: str, why: str) -> OutboxItem:
        """The upload could not be made now (offline, server 5xx, signed out): queued again."""
        return self._change(item_id, state=QUEUED, progress=0, message=why)

    def record_job(self, item_id: str, job_id: str, message: str = "") -> OutboxItem:
        return self._change(item_id, state=ANALYSING, job_id=job_id, progress=0, message=message)

    def record_progress(self, item_id: str, progress: int, message: str,
                        last_event_id: str | None = None) -> OutboxItem:
        changes = {"progress": max(0, min(100, int(progress))), "message": message}
        if last_event_id is not None:
            changes["last_event_id"] = last_event_id
        return self._change(item_id, **changes)

    def fail(self, item_id: str, code: str, reason: str, result: dict | None = None
             ) -> OutboxItem:
        return self._change(item_id, state=FAILED, error_code=code, error_reason=reason,
                            message=reason, result=result)

    def complete(self, item_id: str, score: Score, result: dict) -> OutboxItem:
        """The server's score beside the take's quick score and the item completed, in one
        transaction: a crash stores both or neither."""
        with self.library.transaction() as session:
            row = session.get(OutboxRow, item_id)
            if row is None:
                raise KeyError(item_id)
            if row.state == COMPLETED:
                return OutboxItem.of(row)
            session.add(ScoreRow(take_id=row.take_id, source=score.source,
                                 overall_score=score.overall_score,
                                 pronunciation=score.pronunciation, intonation=score.intonation,
                                 timing=score.timing, detail=score.to_json(), created_at=_now()))
            row.state, row.progress, row.result = COMPLETED, 100, result
            row.error_code = row.error_reason = None
            row.updated_at = _now()
            session.flush()
            item = OutboxItem.of(row)
        events = self.library.events
        events.publish(ScoreStored(item.token_key, item.script_id, item.take_id, score.source))
        events.publish(ResultStored(item.id, item.take_id, item.token_key, item.script_id,
                                    item.job_id or ""))
        self._announce(item)
        return item

    def _change(self, item_id: str, **changes) -> OutboxItem:
        with self.library.transaction() as session:
            row = session.get(OutboxRow, item_id)
            if row is None:
                raise KeyError(item_id)
            for name, value in changes.items():
                setattr(row, name, value)
            row.updated_at = _now()
            session.flush()
            session.refresh(row)
            item = OutboxItem.of(row)
        self._announce(item)
        return item

    def _announce(self, item: OutboxItem) -> None:
        self.library.events.publish(JobStateChanged(
            item.id, item.take_id, item.token_key, item.script_id, item.state, item.progress,
            item.message, item.error_code))
