"""Requests/s and latency percentiles of one GET route under N concurrent connections.

wrk (Debian's `wrk`, one thread, keep-alive connections, as docs/yousync-api.md §7.1 measured the
public backend) when it is installed; otherwise our asyncio load generator in a separate process
(async_load.py). The report names which one ran. wrk's numbers come from a Lua `done` hook that
prints them as JSON (latencies in microseconds, every non-2xx/3xx answer counted as an error)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

WRK_REPORT = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "errors": %d, "non_2xx": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _summary(tool: str, requests: int, seconds: float, errors: int, p50_ms: float,
             p90_ms: float, p99_ms: float, max_ms: float, connections: int) -> dict:
    return {"tool": tool, "connections": connections, "seconds": round(seconds, 2),
            "requests": requests, "errors": errors,
            "requests_per_s": round(requests / seconds, 1) if seconds else 0.0,
            "p50_ms": round(p50_ms, 2), "p90_ms": round(p90_ms, 2), "p99_ms": round(p99_ms, 2),
            "max_ms": round(max_ms, 2)}


def run_wrk(url: str, connections: int, seconds: float) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    try:
        out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s",
                              "--timeout", "10s", "-s", script.name, url],
                             check=True, capture_output=True, text=True,
                             timeout=seconds + 60).stdout
    finally:
        Path(script.name).unlink(missing_ok=True)
    line = next(line for line in out.splitlines() if line.startswith("WRK_JSON "))
    raw = json.loads(line[len("WRK_JSON "):])
    return _summary("wrk 1 thread", raw["requests"], raw["duration_us"] / 1e6,
                    raw["errors"] + raw["non_2xx"], raw["p50_us"] / 1e3, raw["p90_us"] / 1e3,
                    raw["p99_us"] / 1e3, raw["max_us"] / 1e3, connections)


def run_async_load(url: str, connections: int, seconds: float) -> dict:
    out = subprocess.run([sys.executable, "-m", "benchmarks.serverload.async_load", url,
                          "--connections", str(connections), "--seconds", str(seconds)],
                         check=True, capture_output=True, text=True, timeout=seconds + 120).stdout
    raw = json.loads(out)
    return _summary("asyncio httpx (separate process)", raw["requests"], raw["seconds"],
                    raw["errors"], raw["p50_ms"], raw["p90_ms"], raw["p99_ms"], raw["max_ms"],
                    connections)


def measure(url: str, connections: int, seconds: float, warmup_s: float = 3.0) -> dict:
    """A warm-up run (discarded: connections, caches, the first render), then the measured one."""
    run = run_wrk if wrk_available() else run_async_load
    run(url, connections, warmup_s)
    return run(url, connections, seconds)
