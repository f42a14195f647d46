"""Hold many SSE progress streams open on one job, in a process of its own:

    python -m benchmarks.serverload.sse_hold URL --streams 1000 --hold 20

URL is a progress stream (e.g. http://127.0.0.1:8000/api/scripts/analysis-progress/<job_id>).
Each stream is a plain keep-alive HTTP/1.1 connection (asyncio sockets: a thousand streams cost
this process little, and nothing of an HTTP client library's is measured). Once every stream has
been tried, one line `READY <open> <with a first frame>` goes to stdout (the caller measures the
server while the streams are held), then after `--hold` seconds one JSON object: how many
streams opened, got their first `data:` frame, saw a `: keep-alive` heartbeat, and were still open
at the end (a stream the server closed early is counted, with its last frame)."""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
from urllib.parse import urlsplit

OPENING_AT_ONCE = 50   # connects in flight at a time: a burst of 1,000 SYNs helps no one


class Stream:
    def __init__(self):
        self.status_line = b""
        self.frames = 0
        self.heartbeats = 0
        self.open = False
        self.closed_by_server = False
        self.error: str | None = None
        self.first_frame = asyncio.Event()

    async def run(self, host: str, port: int, target: str, opening: asyncio.Semaphore,
                  stop: asyncio.Event) -> None:
        try:
            async with opening:
                reader, writer = await asyncio.open_connection(host, port)
                writer.write(f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                             f"Accept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n"
                             .encode())
                await writer.drain()
                self.status_line = await reader.readline()
                self.open = True
        except OSError as exc:
            self.error = type(exc).__name__
            self.first_frame.set()
            return
        reading = asyncio.ensure_future(self._read(reader))
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({reading, stopping}, return_when=asyncio.FIRST_COMPLETED)
        reading.cancel()
        stopping.cancel()
        writer.close()
        self.first_frame.set()

    async def _read(self, reader: asyncio.StreamReader) -> None:
        pending = b""
        while True:
            chunk = await reader.read(65536)
            if not chunk:
                self.open = False
                self.closed_by_server = True
                return
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                line = line.strip()
                if line.startswith(b"data:"):
                    self.frames += 1
                    self.first_frame.set()
                elif line.startswith(b": keep-alive"):
                    self.heartbeats += 1


async def hold(url: str, count: int, hold_s: float) -> dict:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    opening = asyncio.Semaphore(OPENING_AT_ONCE)
    stop = asyncio.Event()
    streams = [Stream() for _ in range(count)]
    started = time.perf_counter()
    tasks = [asyncio.ensure_future(s.run(parts.hostname, parts.port or 80, target, opening, stop))
             for s in streams]
    # Every stream tried and either answered with a frame or failed (bounded: a server that
    # never answers must not hang the benchmark).
    waiting = [asyncio.ensure_future(s.first_frame.wait()) for s in streams]
    await asyncio.wait(waiting, timeout=120)
    opened_in = time.perf_counter() - started
    with_frame = sum(s.frames > 0 for s in streams)
    print(f"READY {sum(s.open for s in streams)} {with_frame}", flush=True)
    await asyncio.sleep(hold_s)
    still_open = sum(s.open for s in streams)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    heartbeats = sorted(s.heartbeats for s in streams)
    errors: dict[str, int] = {}
    for s in streams:
        if s.error:
            errors[s.error] = errors.get(s.error, 0) + 1
    return {"streams": count, "seconds_to_open_all": round(opened_in, 2),
            "got_first_frame": with_frame, "open_at_end": still_open,
            "closed_by_server": sum(s.closed_by_server for s in streams),
            "with_heartbeat": sum(h > 0 for h in heartbeats),
            "heartbeats_min": heartbeats[0] if heartbeats else 0,
            "status_200": sum(s.status_line.startswith(b"HTTP/1.1 200") for s in streams),
            "connect_errors": errors, "held_seconds": hold_s}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--hold", type=float, default=20.0)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < args.streams + 100:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, args.streams * 2 + 100), hard))
    print(json.dumps(asyncio.run(hold(args.url, args.streams, args.hold))), flush=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
