"""The fallback load generator when wrk is not installed: N keep-alive connections, each sending
the next GET as soon as the previous answer is read, for a fixed time. Run as its own process
(`python -m benchmarks.serverload.async_load URL --connections 64 --seconds 10`) so it never
shares a core's Python interpreter with what it measures; prints one JSON object."""

from __future__ import annotations

import argparse
import asyncio
import json
import time

import httpx
import numpy as np


async def _load(url: str, connections: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=10.0) as client:
        deadline = time.perf_counter() + seconds

        async def one_connection():
            nonlocal errors
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    response = await client.get(url)
                    await response.aread()
                    if response.status_code >= 400:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(one_connection() for _ in range(connections)))
        elapsed = time.perf_counter() - started
    values = np.array(latencies) * 1e3 if latencies else np.zeros(1)
    return {"requests": len(latencies), "seconds": elapsed, "errors": errors,
            "p50_ms": float(np.percentile(values, 50)), "p90_ms": float(np.percentile(values, 90)),
            "p99_ms": float(np.percentile(values, 99)), "max_ms": float(values.max())}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(_load(args.url, args.connections, args.seconds))))


if __name__ == "__main__":
    main()
