"""The HTTP routes, one router per domain. ROUTERS is what create_app includes; the job engine's
routers (uploads, progress, results, synthesize, webhooks, queue, ingest) are added to it."""

from __future__ import annotations

from fastapi import APIRouter

from yousync_server.api import (
    actors, auth, browse, mypage, root, score, scripts, tokens, video_requests,
)

ROUTERS: list[APIRouter] = [root.router, auth.router, tokens.router, actors.router,
                            scripts.router, browse.router, mypage.router, score.router,
                            video_requests.router]
