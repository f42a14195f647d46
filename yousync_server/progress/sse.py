"""Job progress as Server-Sent Events, framed per docs/yousync-api.md §4.2 with the fixes of §7.4:

    retry: 3000                       once, first
    id: <version>\\ndata: <json>\\n\\n   on connect (whatever Last-Event-ID says), on every change
    : keep-alive                      every 15 s of quiet
    … until a frame whose status is `completed` or `failed`, or the single unchanged
    data: {"error": "Job not found"} for an unknown job (HTTP 200 all the same).

No `event:` names, so `EventSource.onmessage` sees every frame. JSON uses the public backend's
`", "` / `": "` separators and unescaped UTF-8. No time cap: the stream ends on a terminal frame or
when the client goes away (Starlette cancels the generator; the subscription is closed in
`finally`). While it waits, a stream reads nothing: changes arrive through the process's
ProgressHub."""

from __future__ import annotations

import json
from typing import Any, AsyncIterator, Awaitable, Callable, Mapping

from yousync_server.progress.hub import ProgressHub

RETRY_MS = 3000
KEEPALIVE_S = 15.0
TERMINAL = ("completed", "failed")
JOB_FIELDS = ("job_id", "status", "progress", "message", "result", "script_id")
INGEST_FIELDS = ("job_id", "status", "progress", "message", "result", "token_id", "token_ids")
NOT_FOUND = {"error": "Job not found"}
HEADERS = {"Cache-Control": "no-cache", "Connection": "keep-alive",
           "X-Accel-Buffering": "no"}  # proxies such as nginx must not buffer the stream
MEDIA_TYPE = "text/event-stream; charset=utf-8"


def encode(data: Any) -> str:
    """JSON as the public backend writes it: default separators, non-ASCII left as is."""
    return json.dumps(data, ensure_ascii=False, separators=(", ", ": "))


def frame_body(state: Mapping[str, Any], fields: tuple[str, ...] = JOB_FIELDS) -> dict:
    body = {name: state.get(name) for name in fields}
    if state.get("status") == "failed" and state.get("reason"):
        body["reason"] = state["reason"]          # §7.7, additive
    return body


def data_frame(state: Mapping[str, Any], fields: tuple[str, ...] = JOB_FIELDS) -> str:
    return f"id: {int(state.get('version') or 0)}\ndata: {encode(frame_body(state, fields))}\n\n"


def parse_last_event_id(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


async def job_event_stream(job_id: str, hub: ProgressHub,
                           load_state: Callable[[str], Awaitable[Mapping[str, Any] | None]], *,
                           last_event_id: str | None = None,
                           fields: tuple[str, ...] = JOB_FIELDS,
                           keepalive_s: float = KEEPALIVE_S) -> AsyncIterator[str]:
    """The SSE text of one job's progress. `load_state` reads the job once (e.g. the DB through
    a thread); it returns a mapping with `version`, `status` and the frame fields, or None.
    Reconnecting with `Last-Event-ID` gets the current state at once, as a first connect does;
    after that only newer versions are sent."""
    yield f"retry: {RETRY_MS}\n\n"
    # Subscribe first, then read: a change between the two is then seen, never lost.
    with hub.subscribe(job_id) as subscription:
        state = await load_state(job_id)
        if state is None:
            yield f"data: {encode(NOT_FOUND)}\n\n"
            return
        resumed_from = parse_last_event_id(last_event_id)
        sent = int(state.get("version") or 0)
        if resumed_from is not None and resumed_from > sent:
            sent = resumed_from  # the client saw a newer state than our snapshot: wait for more
            state = subscription.latest or state
        yield data_frame(state, fields)
        if state.get("status") in TERMINAL:
            return
        while True:
            newer = await subscription.next_state(sent, keepalive_s)
            if newer is None:
                yield ": keep-alive\n\n"
                continue
            sent = int(newer.get("version") or 0)
            yield data_frame(newer, fields)
            if newer.get("status") in TERMINAL:
                return


def sse_response(stream: AsyncIterator[str]):
    """The response with the contract's headers around `job_event_stream(...)`
    (event_stream.py: a lighter StreamingResponse, since a server holds many)."""
    from yousync_server.progress.event_stream import EventStreamResponse

    return EventStreamResponse(stream, media_type=MEDIA_TYPE, headers=HEADERS)
