"""A loopback stand-in for the public YouSync backend's quirks (docs/yousync-api.md §6), built
from the API doc, for the quirk tests only — everything else runs against our real server.

Reproduced: exact trailing slashes with 307 to the declared form (FastAPI's own redirect, as the
public backend is FastAPI), 403 `Not authenticated` with no header, **500 text/plain for a bad
token**, 401 for an expired one, legacy Bearer refresh only while valid, no refresh tokens,
bookmarks `{"debug_info": …}` when empty, the script SSE closing **silently** after
`sse_close_after` seconds (30 in the real one; a fraction of a second here), `data:` frames only,
no `script_id` anywhere, and the Idempotency-Key ignored (each upload makes a new job).

Jobs finish when the test says: a job completes on its `complete_on_read`-th observation (SSE
connection or result read), so no test waits on the clock. `fail_next_uploads` answers the next
uploads with a 500 before any job is made.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import threading
import time
from dataclasses import dataclass, field

import uvicorn
from fastapi import FastAPI, File, Request, UploadFile
from fastapi.responses import JSONResponse, PlainTextResponse, StreamingResponse

RESULT = {"overall_score": 0.71, "word_analysis": [
    {"word": "Looking", "text_status": "pass", "time_match": True, "overlap_ratio": 0.8,
     "mfcc_similarity": 0.6, "word_score": 0.7},
    {"word": "for", "text_status": "fail", "time_match": False, "overlap_ratio": 0.1,
     "mfcc_similarity": 0.4, "word_score": 0.3}]}


@dataclass
class StandinJob:
    job_id: str
    script_id: int  # kept by the stand-in only; never sent (§6.12)
    reads: int = 0
    status: str = "processing"
    progress: int = 10

    def frame(self) -> dict:
        return {"job_id": self.job_id, "status": self.status, "progress": self.progress,
                "message": "분석 중", "result": {"result": RESULT} if self.status == "completed"
                else None}


@dataclass
class StandinState:
    sse_close_after: float = 0.3
    sse_tick: float = 0.05
    complete_on_read: int = 2
    access_seconds: int = 3600
    fail_next_uploads: int = 0
    # Not the public backend: frames numbered like ours (§7.4), and a stream that goes quiet
    # without closing (what a lost connection looks like from the client's side).
    sweep_anonymous_jobs: bool = False  # §6.6: as if the minute had passed at once
    send_event_ids: bool = False
    go_quiet_after_first_frame: bool = False
    last_event_ids_seen: list = field(default_factory=list)
    jobs: dict[str, StandinJob] = field(default_factory=dict)
    tokens: dict[str, tuple[str, float]] = field(default_factory=dict)  # token → (email, exp)
    uploads: list[dict] = field(default_factory=list)
    counter: itertools.count = field(default_factory=itertools.count)

    def issue(self, email: str, seconds: int | None = None) -> str:
        token = f"pub-{next(self.counter)}-{secrets.token_hex(4)}"
        self.tokens[token] = (email, time.time() + (seconds or self.access_seconds))
        return token

    def observe(self, job: StandinJob) -> None:
        job.reads += 1
        if job.reads >= self.complete_on_read and job.status == "processing":
            job.status, job.progress = "completed", 100


def build_app(state: StandinState) -> FastAPI:
    app = FastAPI()

    def caller(request: Request, required: bool):
        header = request.headers.get("authorization")
        if header is None:
            return (JSONResponse({"detail": "Not authenticated"}, 403) if required else None)
        token = header.removeprefix("Bearer ")
        if token not in state.tokens:
            return PlainTextResponse("Internal Server Error", 500)  # §6.1
        email, expires = state.tokens[token]
        if expires < time.time():
            return JSONResponse({"detail": "토큰이 만료되었습니다"}, 401,
                                headers={"WWW-Authenticate": "Bearer"})
        return email

    @app.get("/")
    def root():
        return {"message": "YouSync API", "docs": "/docs", "redoc": "/redoc", "version": "1.0.0"}

    @app.get("/health")
    def health():
        return {"status": "healthy", "service": "token-script-api"}

    @app.post("/api/auth/google-login")
    async def google_login(request: Request):
        body = await request.json()
        id_token = body.get("id_token", "")
        if not id_token.startswith("valid:"):
            return JSONResponse({"detail": "유효하지 않은 구글 토큰입니다: bad"}, 400)
        return {"access_token": state.issue(id_token[6:]), "token_type": "bearer"}

    @app.get("/api/auth/me")
    def me(request: Request):
        who = caller(request, True)
        if not isinstance(who, str):
            return who
        return {"id": 1, "email": who, "created_at": "2026-11-26T06:15:53", "login_type": "google"}

    @app.post("/api/auth/refresh/")
    def refresh(request: Request):
        who = caller(request, True)
        if not isinstance(who, str):
            return who
        return {"access_token": state.issue(who), "token_type": "bearer"}

    @app.get("/api/mypage/bookmarks")
    def bookmarks(request: Request):
        who = caller(request, True)
        if not isinstance(who, str):
            return who
        return {"debug_info": {"user_id": 1, "bookmarks": 0}}  # §6.10

    @app.post("/api/scripts/{script_id}/upload-audio")
    async def upload(script_id: int, request: Request, file: UploadFile = File(...)):
        who = caller(request, False)
        if who is not None and not isinstance(who, str):
            if who.status_code == 500:
                return who
            who = None  # §6.5: an expired token silently makes the take anonymous
        if state.fail_next_uploads > 0:
            state.fail_next_uploads -= 1
            return PlainTextResponse("Internal Server Error", 500)
        content = await file.read()
        job = StandinJob(job_id=secrets.token_hex(16), script_id=script_id)
        if not (state.sweep_anonymous_jobs and who is None):
            state.jobs[job.job_id] = job
        state.uploads.append({"script_id": script_id, "bytes": len(content), "user": who,
                              "key": request.headers.get("idempotency-key"),
                              "job_id": job.job_id})
        return {"message": "업로드 완료", "job_id": job.job_id, "status": "processing"}

    @app.get("/api/scripts/analysis-result/{job_id}")
    def result(job_id: str):
        job = state.jobs.get(job_id)
        if job is None:
            return JSONResponse({"detail": "결과가 없습니다."}, 404)
        state.observe(job)
        return {**job.frame(), "token_id": 1, "created_at": "2026-11-26T06:15:53"}

    @app.get("/api/scripts/analysis-progress/{job_id}")
    async def progress(job_id: str, request: Request):
        state.last_event_ids_seen.append(request.headers.get("last-event-id"))

        async def frames():
            job = state.jobs.get(job_id)
            if job is None:
                yield 'data: {"error": "Job not found"}\n\n'
                return
            state.observe(job)
            started = time.monotonic()
            while True:
                event_id = f"id: {job.reads}\n" if state.send_event_ids else ""
                yield event_id + "data: " + json.dumps(job.frame(), ensure_ascii=False,
                                                       separators=(", ", ": ")) + "\n\n"
                if job.status in ("completed", "failed"):
                    return
                if state.go_quiet_after_first_frame:
                    await asyncio.sleep(3600)  # silent, open: the client's read timeout ends it
                if time.monotonic() - started > state.sse_close_after:
                    return  # §6.7: closes silently, no terminal frame
                await asyncio.sleep(state.sse_tick)
        return StreamingResponse(frames(), media_type="text/event-stream; charset=utf-8")

    return app


class RunningStandin:
    """The stand-in served by uvicorn on a thread of the test process, on a free loopback port."""

    def __init__(self, state: StandinState | None = None):
        import socket

        self.state = state or StandinState()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = uvicorn.Server(uvicorn.Config(build_app(self.state), host="127.0.0.1",
                                                     port=self.port, log_level="warning"))
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> "RunningStandin":
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the stand-in did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_exc) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)
