"""The HTTP response of an SSE stream, kept small because a server holds a thousand of them.

Starlette's StreamingResponse (under uvicorn's ASGI 2.3) runs each stream as an anyio task group:
two tasks, cancel scopes and their bookkeeping for every open stream, which sit in memory for as
long as the stream is open. Here the stream is written by the request's own task, and one small
task waits for the client to leave; when it does, it cancels the writing task, which ends the
stream (the generator's `finally` closes its subscription) and returns normally. A cancellation
from anywhere else (the server shutting down) is passed on as usual.
"""

from __future__ import annotations

import asyncio
from typing import AsyncIterator, Mapping

from starlette.background import BackgroundTask
from starlette.responses import Response
from starlette.types import Receive, Scope, Send


class EventStreamResponse(Response):
    def __init__(self, stream: AsyncIterator[str], *, media_type: str,
                 headers: Mapping[str, str] | None = None,
                 background: BackgroundTask | None = None):
        self.body_iterator = stream
        self.status_code = 200
        self.media_type = media_type
        self.background = background
        self.init_headers(headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        writer = asyncio.current_task()
        client_gone = False

        async def watch_for_disconnect() -> None:
            nonlocal client_gone
            while (await receive())["type"] != "http.disconnect":
                pass
            client_gone = True
            writer.cancel()

        watcher = asyncio.ensure_future(watch_for_disconnect())
        try:
            await send({"type": "http.response.start", "status": self.status_code,
                        "headers": self.raw_headers})
            async for chunk in self.body_iterator:
                await send({"type": "http.response.body", "body": chunk.encode("utf-8"),
                            "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        except asyncio.CancelledError:
            if not client_gone:
                raise
            writer.uncancel()   # our own cancellation: the client left, the stream is over
            return
        finally:
            watcher.cancel()
        if self.background is not None:
            await self.background()
