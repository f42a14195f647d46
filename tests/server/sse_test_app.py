"""A small app for the SSE tests, served by a real uvicorn: job states live in an SQLite file that
the test process writes (as a separate worker process would), and the server learns of changes
through one SharedPoller feeding its ProgressHub. `/test/stats` says how often it read the jobs."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request

from yousync_server.progress import ProgressHub, SharedPoller, job_event_stream, sse_response

DB = os.environ["SSE_TEST_DB"]
KEEPALIVE_S = float(os.environ.get("SSE_TEST_KEEPALIVE", "15"))
COLUMNS = "job_id, status, progress, message, result, script_id, version"

hub = ProgressHub()
stats = {"loads": 0, "connects": 0}


def _rows(where: str, args) -> list[dict]:
    import json
    with sqlite3.connect(DB, timeout=30) as db:
        rows = db.execute(f"select {COLUMNS} from jobs where {where}", args).fetchall()
    return [dict(zip(COLUMNS.split(", "), row), result=json.loads(row[4]) if row[4] else None)
            for row in rows]


def load_states(job_ids: list[str]) -> list[dict]:
    return _rows(f"job_id in ({','.join('?' * len(job_ids))})", job_ids)


async def load_state(job_id: str) -> dict | None:
    stats["loads"] += 1
    rows = await asyncio.to_thread(_rows, "job_id = ?", (job_id,))
    return rows[0] if rows else None


poller = SharedPoller(hub, load_states, interval_s=0.2)


@asynccontextmanager
async def lifespan(app):
    poller.start()
    yield
    await poller.stop()


app = FastAPI(lifespan=lifespan)


@app.get("/api/scripts/analysis-progress/{job_id}")
async def progress(job_id: str, request: Request):
    stats["connects"] += 1
    return sse_response(job_event_stream(job_id, hub, load_state,
                                         last_event_id=request.headers.get("last-event-id"),
                                         keepalive_s=KEEPALIVE_S))


@app.get("/test/stats")
async def get_stats():
    return {**stats, "polls": poller.polls, "streams": hub.stream_count()}
