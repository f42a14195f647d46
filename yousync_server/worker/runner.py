"""The job runner: one job id in, one terminal job out — `completed` with the §4.4 result, or
`failed` with a reason (docs/yousync-api.md §7.7) — never a job left at 90.

It knows nothing of the database or of storage: everything comes through `JobSources`, small
callables the app provides (get the job, fetch its take into a folder, get the script and the
token's media, write a state). Progress follows §4.1: the upload route has set 10 (created) and 40
(take stored); the runner sets 70 (dispatched) and 90 (analysing), then 100 or 0.

Idempotent by job id, because the queue delivers at least once: a job already terminal is left
alone ("already_done"), so a redelivery is acknowledged, not redone. The analysis runs in a thread
under a deadline (default 5 min, §7.7); past it the job fails with `analysis_timeout` and the
thread's late answer is dropped (`set_state` is never called for it)."""

from __future__ import annotations

import logging
import tempfile
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from yousync_desktop.domain import Script
from yousync_server.storage.base import ObjectNotFound, StorageError
from yousync_server.worker.analysis import (InvalidTake, MissingReference, TokenMedia, analyze,
                                            analyze_samples)
from yousync_server.uploads.formats import NotAudio, load_mono_any

log = logging.getLogger(__name__)

TERMINAL = ("completed", "failed")
DEFAULT_DEADLINE_S = 300.0
# (progress, message) per step of §4.1; messages are display text, in the public backend's words.
CREATED = (10, "업로드 시작")
STORED = (40, "업로드 완료")
DISPATCHED = (70, "분석 요청")
ANALYSING = (90, "분석 중")
DONE = (100, "분석 완료")
BATCH_ANALYSING = (80, "분석 중")  # batch jobs: 20 → 50 → 80 → 100 (§4.1)
FAILURE_MESSAGES = {
    "analysis_unavailable": "분석을 할 수 없습니다",
    "analysis_timeout": "분석 시간이 초과되었습니다",
    "analysis_error": "분석 중 오류가 발생했습니다",
    "invalid_audio": "오디오를 읽을 수 없습니다",
    "storage_error": "저장소 오류가 발생했습니다",
}
REASONS = tuple(FAILURE_MESSAGES)


@dataclass(frozen=True)
class JobView:
    """What the runner reads of a job row."""

    job_id: str
    kind: str                      # "script" | "token" | "batch"
    status: str
    script_id: int | None = None
    token_id: int | None = None
    take_key: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)  # e.g. {"window_start": 61.5}


@dataclass(frozen=True)
class JobUpdate:
    status: str
    progress: int
    message: str
    result: dict | None = None
    reason: str | None = None


@dataclass
class JobSources:
    get_job: Callable[[str], JobView | None]
    fetch_take: Callable[[JobView, Path], Path]          # write the take into the folder
    get_script: Callable[[int], Script]
    get_token_media: Callable[[int, Path], TokenMedia]   # may download the vocal into the folder
    set_state: Callable[[str, JobUpdate], Any]            # returns what `on_change` publishes
    on_change: Callable[[Any], None] | None = None        # e.g. the progress notifier


class JobFailed(Exception):
    def __init__(self, reason: str, detail: str):
        assert reason in REASONS, reason
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}")


class JobRunner:
    def __init__(self, sources: JobSources, *, deadline_s: float = DEFAULT_DEADLINE_S,
                 analyze_take: Callable[..., dict] = analyze):
        self.sources = sources
        self.deadline_s = deadline_s
        self.analyze_take = analyze_take

    def run(self, job_id: str, hints: dict[str, Any] | None = None) -> str:
        """Take the job to a terminal state: "completed", "failed", "already_done" (terminal
        before we started) or "missing" (no such job, e.g. an anonymous job swept away).
        `hints` (the queue message's payload, e.g. `window_start`) add to the job's payload.
        Raises only when the state itself cannot be written (the queue then redelivers)."""
        job = self.sources.get_job(job_id)
        if job is None:
            return "missing"
        if job.status in TERMINAL:
            return "already_done"
        if hints:
            job = JobView(**{**job.__dict__, "payload": {**job.payload, **hints}})
        if job.kind == "batch":
            self._set(job_id, JobUpdate("processing", *BATCH_ANALYSING))
        else:
            self._set(job_id, JobUpdate("processing", *DISPATCHED))
            analysing_status = "queued_for_analysis" if job.kind == "token" else "processing"
            self._set(job_id, JobUpdate(analysing_status, *ANALYSING))
        try:
            result = self._with_deadline(job)
        except JobFailed as failure:
            log.warning("job %s failed: %s", job_id, failure)
            self.fail(job_id, failure.reason, failure.detail)
            return "failed"
        self._set(job_id, JobUpdate("completed", *DONE, result=result))
        return "completed"

    def fail(self, job_id: str, reason: str, detail: str = "") -> None:
        """Mark a job failed with `reason` (also the queue consumer's give-up)."""
        message = FAILURE_MESSAGES[reason] + (f": {detail}" if detail else "")
        self._set(job_id, JobUpdate("failed", 0, message[:500], reason=reason))

    def _set(self, job_id: str, update: JobUpdate) -> None:
        published = self.sources.set_state(job_id, update)
        if self.sources.on_change is not None and published is not None:
            try:
                self.sources.on_change(published)
            except Exception:  # noqa: BLE001 — a notifier hiccup must not fail the job
                log.exception("progress notification failed for job %s", job_id)

    def _with_deadline(self, job: JobView) -> dict:
        future: Future = Future()

        def work():
            try:
                future.set_result(self._analyse(job))
            except BaseException as exc:  # noqa: BLE001 — handed to the waiting thread
                future.set_exception(exc)

        threading.Thread(target=work, name=f"analysis-{job.job_id}", daemon=True).start()
        try:
            return future.result(timeout=self.deadline_s)
        except TimeoutError:
            raise JobFailed("analysis_timeout", f"no result within {self.deadline_s:g} s") from None
        except JobFailed:
            raise
        except Exception as exc:  # noqa: BLE001 — any analysis bug ends as a failed job
            log.exception("analysis of job %s crashed", job.job_id)
            raise JobFailed("analysis_error", type(exc).__name__) from None

    def _analyse(self, job: JobView) -> dict:
        with tempfile.TemporaryDirectory(prefix=f"job-{job.job_id[:12]}-") as scratch:
            folder = Path(scratch)
            try:
                take = self.sources.fetch_take(job, folder)
                if job.kind == "script":
                    script = self.sources.get_script(job.script_id)
                    media = self.sources.get_token_media(script.token_id, folder)
                else:
                    media = self.sources.get_token_media(job.token_id, folder)
            except (StorageError, ObjectNotFound) as exc:
                raise JobFailed("storage_error", str(exc)[:200]) from None
            try:
                if job.kind == "script":
                    window_start = job.payload.get("window_start")
                    latency = job.payload.get("latency_ms")
                    extra = {"latency_ms": float(latency)} if latency is not None else {}
                    analysis = self.analyze_take(
                        take, script, media,
                        window_start=float(window_start) if window_start is not None else None,
                        **extra)
                    return {"result": analysis, "script_id": script.id, "job_id": job.job_id}
                return _token_result(take, media, job)
            except InvalidTake as exc:
                raise JobFailed("invalid_audio", str(exc)[:200]) from None
            except MissingReference as exc:
                raise JobFailed("analysis_unavailable", str(exc)) from None


LINE_PRE_ROLL_S = 0.5  # of a whole-token take, kept before each line when it is cut out


def _token_result(take_path: Path, media: TokenMedia, job: JobView) -> dict:
    """A legacy token job: one take of the whole clip (sample 0 = token.start_time), scored line
    by line. Its shape is the contract's "unspecified"; each line has the §4.4 analysis."""
    try:
        take, rate = load_mono_any(take_path)
    except (NotAudio, OSError) as exc:
        raise InvalidTake(str(exc)) from None
    token = media.token
    lines = []
    for script in sorted(token.scripts, key=lambda s: s.start_time):
        window_start = max(token.start_time, script.start_time - LINE_PRE_ROLL_S)
        first = int(round(token.clip_offset(window_start) * rate))
        last = int(round((token.clip_offset(script.end_time) + 1.0) * rate))
        if first >= len(take):
            continue  # the take stops before this line
        analysis = analyze_samples(take[first:last], rate, script, media,
                                   window_start=window_start)
        lines.append({"script_id": script.id, "result": analysis})
    if not lines:
        raise InvalidTake("the take does not reach any line of the token")
    overall = sum(line["result"]["overall_score"] for line in lines) / len(lines)
    return {"job_id": job.job_id, "token_id": token.id, "overall_score": round(overall, 4),
            "lines": lines}
