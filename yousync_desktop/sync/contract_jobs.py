"""The job shapes of the YouSync HTTP API (uploads, jobs, progress, results, batch, queue,
webhooks: docs/yousync-api.md §3.5–3.7, §3.11, §4), split from contract.py by concern under the
same rules: wire names, nullable where the public backend sends null, §7 additions optional.
Pydantic only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from yousync_desktop.sync.contract import WireModel


# --- jobs (§3.5–3.7, §4; the job routes themselves live with the job engine) ----------------------

class Job(WireModel):
    job_id: str
    token_id: int | None = None
    script_id: int | None = None  # §7.5
    status: str
    progress: int = 0
    result: dict[str, Any] | None = None
    message: str = ""
    reason: str | None = None  # §7.7, on failed jobs
    created_at: datetime | None = None


class ScriptResult(WireModel):
    """One analysis-status entry: the has_result=false form carries only the first three keys."""

    script_id: int
    script_text: str
    has_result: bool
    job_id: str | None = None
    status: str | None = None
    result: dict[str, Any] | None = None
    created_at: datetime | None = None


class AnalysisStatus(WireModel):
    token_id: int
    has_analysis: bool
    script_results: list[ScriptResult]


# --- job routes (§3.5–3.7, §3.11, §4.3) ----------------------------------------------------------

class ScriptUploadAccepted(WireModel):
    message: str
    job_id: str
    status: str
    script_id: int | None = None  # §7.5


class TokenInfo(WireModel):
    id: int
    s3_textgrid_url: str | None = None
    s3_pitch_url: str | None = None


class TokenUploadAccepted(WireModel):
    message: str
    job_id: str
    status: str
    token_info: TokenInfo


class BatchUploadAccepted(WireModel):
    message: str
    job_ids: list[str]
    total_files: int


class BatchItem(WireModel):
    job_id: str
    status: str
    progress: int = 0
    message: str = ""
    token_id: int | None = None
    script_id: int | None = None  # §7.5


class BatchSummary(WireModel):
    total_jobs: int
    completed: int
    failed: int
    in_progress: int
    overall_progress: float


class BatchProgress(WireModel):
    batch_results: list[BatchItem]
    summary: BatchSummary


class QueueInfo(WireModel):
    messages_available: str
    messages_in_flight: str


class QueueStatus(WireModel):
    status: str
    queue_info: QueueInfo | None = None
    message: str | None = None
    sqs_enabled: bool


class Message(WireModel):
    message: str


class WebhookReceived(WireModel):
    received: bool
    job_id: str
    task_id: str | None = None
    message: str | None = None


class SynthesizeResult(WireModel):
    status: str
    message: str
    dubbing_audio_url: str


class DubbingUrl(WireModel):
    url: str


class UserAudio(WireModel):
    script_id: int
    url: str


class UserAudios(WireModel):
    audios: list[UserAudio]
