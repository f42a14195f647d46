"""The HTTP routes, one router per domain. ROUTERS is what create_app includes; the job engine's
routers (uploads, progress, results, synthesize, webhooks, queue, ingest) are added to it."""

from __future__ import annotations

from fastapi import APIRouter

from yousync_server.api import (
    actors, auth, browse, ingest, job_reads, mypage, root, score, scripts, synthesize, tokens,
    uploads, video_requests, webhooks,
)

ROUTERS: list[APIRouter] = [root.router, auth.router, tokens.router, actors.router,
                            scripts.router, browse.router, mypage.router, score.router,
                            video_requests.router,
                            # The job engine's routes (§3.5–3.7, §4.3).
                            uploads.router, job_reads.router, webhooks.router, synthesize.router,
                            ingest.router]  # §3.14
