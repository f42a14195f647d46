"""Taking in a learner's recording (§3.5, §7.8, §7.12): validate it, open its job, store it, queue
it — in that order, so a refused or failed upload leaves nothing behind (no object, no job): a
storage or queue outage answers 503 and undoes what was done. The job then belongs to the worker.

Blocking work (database, storage, queue, decoding) runs in threads; the event loop only awaits."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy.orm import Session, sessionmaker

from yousync_server.db.models import Script as ScriptRow, Token as TokenRow, User
from yousync_server.queue import QueueError
from yousync_server.services import jobs
from yousync_server.services.errors import BadRequest, Conflict, NotFound, ServiceError, \
    Unavailable, Unprocessable
from yousync_server.storage import StorageError
from yousync_server.storage.keys import anonymous_take_key, user_take_key
from yousync_server.uploads import idempotency
from yousync_server.uploads.validation import UploadRejected, ValidatedUpload, validate_upload
from yousync_server.worker.runner import STORED, JobUpdate

log = logging.getLogger(__name__)
ACCEPTED = "업로드 완료, 분석을 시작합니다"
UNAVAILABLE = "저장소 또는 작업 대기열을 사용할 수 없습니다. 잠시 후 다시 시도하세요"
BATCH_STORED = (50, "업로드 완료")


class UploadRefused(ServiceError):
    def __init__(self, refused: UploadRejected):
        super().__init__(refused.detail)
        self.status_code = refused.status_code


@dataclass
class NewJob:
    job_id: str
    kind: str
    token_id: int
    script_id: int | None
    key: str
    upload: ValidatedUpload
    hints: dict[str, Any]


class TakeIntake:
    def __init__(self, sessions: sessionmaker[Session], storage, queue, idempotency_store,
                 notify: Callable[[dict], None] | None = None):
        self.sessions = sessions
        self.storage = storage
        self.queue = queue
        self.idempotency = idempotency_store
        self.notify = notify

    # --- the three routes ---

    async def script_take(self, user: User | None, script_id: int, upload, *,
                          key: str | None, window_start: float | None) -> dict:
        script = await asyncio.to_thread(self._script, script_id)
        taken = await self._validated([upload])
        job_id = jobs.new_script_job_id()
        validated = taken[0]
        store_key = (user_take_key(user.id, script.token_id, script.id, validated.extension)
                     if user is not None else
                     anonymous_take_key(job_id, _stored_name(validated)))
        hints = {"window_start": window_start} if window_start is not None else {}

        async def work():
            await self._open(NewJob(job_id, "script", script.token_id, script.id, store_key,
                                    validated, hints), user)
            return {"message": ACCEPTED, "job_id": job_id, "status": "processing",
                    "script_id": script.id}
        return await self._idempotent(user, f"POST /api/scripts/{script_id}/upload-audio", key,
                                      (script_id, validated.sha256, window_start), taken, work)

    async def token_take(self, user: User, token_id: int, upload, *, key: str | None) -> dict:
        token = await asyncio.to_thread(self._token, token_id)
        taken = await self._validated([upload])
        validated = taken[0]
        job_id = jobs.new_token_job_id()
        store_key = anonymous_take_key(job_id.replace("-", ""), _stored_name(validated))

        async def work():
            await self._open(NewJob(job_id, "token", token.id, None, store_key, validated, {}),
                             user)
            return {"message": ACCEPTED, "job_id": job_id, "status": "processing",
                    "token_info": {"id": token.id, "s3_textgrid_url": token.s3_textgrid_url,
                                   "s3_pitch_url": token.s3_pitch_url}}
        return await self._idempotent(user, f"POST /api/tokens/{token_id}/upload-audio/", key,
                                      (token_id, validated.sha256), taken, work)

    async def batch(self, user: User, token_ids_text: str, uploads: list, *,
                    key: str | None) -> dict:
        try:
            token_ids = [int(part) for part in token_ids_text.split(",") if part.strip()]
        except ValueError:
            raise BadRequest("token_ids는 쉼표로 구분된 숫자여야 합니다") from None
        if not uploads or len(token_ids) != len(uploads):
            raise BadRequest("파일 수와 token_ids 수가 일치하지 않습니다")
        tokens = [await asyncio.to_thread(self._token, token_id) for token_id in token_ids]
        taken = await self._validated(uploads)
        planned = []
        for token, validated in zip(tokens, taken):
            job_id = jobs.new_token_job_id()
            planned.append(NewJob(job_id, "batch", token.id, None,
                                  anonymous_take_key(job_id.replace("-", ""),
                                                     _stored_name(validated)), validated, {}))

        async def work():
            opened = []
            try:
                for job in planned:
                    await self._open(job, user)
                    opened.append(job)
            except ServiceError:
                for job in opened:  # all or nothing: undo the files already taken in
                    await asyncio.to_thread(self._undo, job)
                raise
            return {"message": ACCEPTED, "job_ids": [job.job_id for job in planned],
                    "total_files": len(planned)}
        return await self._idempotent(user, "POST /api/tokens/batch-upload/", key,
                                      (tuple(token_ids), tuple(v.sha256 for v in taken)), taken,
                                      work)

    # --- steps ---

    def _script(self, script_id: int) -> ScriptRow:
        with self.sessions() as session:
            script = session.get(ScriptRow, script_id)
            if script is None:
                raise NotFound("Script not found")
            session.expunge(script)
            return script

    def _token(self, token_id: int) -> TokenRow:
        with self.sessions() as session:
            token = session.get(TokenRow, token_id)
            if token is None:
                raise NotFound("Token not found")  # §7.8: not the public 500
            session.expunge(token)
            return token

    async def _validated(self, uploads: list) -> list[ValidatedUpload]:
        taken: list[ValidatedUpload] = []
        try:
            for upload in uploads:
                taken.append(await validate_upload(upload))
        except UploadRejected as refused:
            for validated in taken:
                validated.cleanup()
            raise UploadRefused(refused) from None
        return taken

    async def _idempotent(self, user, route: str, key: str | None, payload, taken, work) -> dict:
        try:
            try:
                key = idempotency.check_key(key)
            except idempotency.IdempotencyKeyInvalid as exc:
                raise Unprocessable(str(exc)) from None
            if key is None:
                return await work()
            scope = idempotency.scope(None if user is None else user.id, route)
            decision = await asyncio.to_thread(self.idempotency.claim, scope, key,
                                               idempotency.fingerprint(route, payload))
            if decision.outcome is idempotency.Outcome.REPLAY:
                return decision.record.body
            if decision.outcome is idempotency.Outcome.IN_FLIGHT:
                raise Conflict("같은 Idempotency-Key의 요청이 아직 처리 중입니다")
            if decision.outcome is idempotency.Outcome.MISMATCH:
                raise Unprocessable("같은 Idempotency-Key로 다른 요청을 보냈습니다")
            try:
                body = await work()
            except BaseException:
                await asyncio.to_thread(self.idempotency.release, scope, key)
                raise
            await asyncio.to_thread(self.idempotency.complete, scope, key, 200, body)
            return body
        finally:
            for validated in taken:
                validated.cleanup()

    async def _open(self, job: NewJob, user: User | None) -> None:
        """Job row at 10, object stored, job at 40 with its key, message queued."""
        await asyncio.to_thread(self._create_row, job, user)
        try:
            await asyncio.to_thread(self.storage.put_file, job.key, job.upload.path,
                                    "audio/mpeg" if job.kind == "script" and user else None)
        except StorageError as exc:
            log.warning("take not stored, upload refused: %s", exc)
            await asyncio.to_thread(self._forget_row, job.job_id)
            raise Unavailable(UNAVAILABLE) from None
        progress, message = BATCH_STORED if job.kind == "batch" else STORED
        state = await asyncio.to_thread(self._mark_stored, job, progress, message)
        if state is not None and self.notify is not None:
            self.notify(state)
        try:
            if self.queue is None:
                raise QueueError("no job queue configured")
            await asyncio.to_thread(self.queue.enqueue, job.job_id,
                                    {"kind": job.kind, **job.hints})
        except QueueError as exc:
            log.warning("job not queued, upload refused: %s", exc)
            await asyncio.to_thread(self._undo, job)
            raise Unavailable(UNAVAILABLE) from None

    def _create_row(self, job: NewJob, user: User | None) -> None:
        with self.sessions() as session:
            jobs.create(session, job_id=job.job_id, kind=job.kind,
                        user_id=None if user is None else user.id, token_id=job.token_id,
                        script_id=job.script_id)

    def _mark_stored(self, job: NewJob, progress: int, message: str):
        with self.sessions() as session:
            return jobs.apply(session, job.job_id, JobUpdate("processing", progress, message),
                              take_key=job.key)

    def _forget_row(self, job_id: str) -> None:
        with self.sessions() as session:
            jobs.delete_job(session, job_id)

    def _undo(self, job: NewJob) -> None:
        try:
            self.storage.delete(job.key)
        except StorageError:
            log.warning("could not delete %s after a refused upload", job.key)
        self._forget_row(job.job_id)


def _stored_name(validated: ValidatedUpload) -> str:
    """The client's file name with the extension the content has (§5 keeps the name)."""
    stem, dot, _ = validated.file_name.rpartition(".")
    return f"{stem if dot and stem else validated.file_name}.{validated.extension}"
