"""Benchmark of the YouSync server under load (issue 11 item 8, docs/yousync-api.md §7.1).

    python -m benchmarks.server [--base-url URL] [--postgres]

prints one JSON object. With no URL it starts our server itself — the real `yousync-server serve`
(uvicorn) as a subprocess on loopback with a throwaway data folder, the embedded default (SQLite
WAL, local objects, in-process queue and worker, the demo scenes), or with `--postgres` a
throwaway PostgreSQL cluster + moto S3/SQS and one `yousync-server worker` process — and stops
everything by PID. The load only uses routes the public backend also has, so `--base-url` points
it at any YouSync-compatible server (the server's memory and CPU are then not measured).

Phases, in this order (each with the machine's load average; the CPUs are shared):
1. `GET /api/tokens/` and `GET /api/tokens/{id}` (the first demo token), 64 connections, 10 s
   each after a 3 s warm-up: requests/s, p50/p90/p99 (wrk, else async_load.py; `tool` says which).
2. Upload → `completed`: one 5 s take at a time, from the upload's start to the terminal frame
   on its progress stream, through the in-process worker (at scale: the worker process).
3. Upload → `job_id` under 32 concurrent clients, 4 uploads each (128 samples): p50/p99.
4. SSE: 1,000 streams held on one job for 20 s by sse_hold.py: opened, first frame, heartbeat
   seen (every 15 s of quiet), still open at the end; the server's RSS before and with them and
   its CPU while they wait. So that the job stays open, our embedded server is restarted on the
   same data with its in-process worker off (YOUSYNC_EMBEDDED_WORKERS=0, as a web process at
   scale runs), and with --postgres the worker process is stopped. The jobs queued by phase 3
   are abandoned with the throwaway server.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.serverload import http_load, takes
from benchmarks.serverload.launch import OurServer, _raise_open_files

TARGET_DETAIL_RPS = 1000.0
TARGET_DETAIL_P99_MS = 50.0
TARGET_SSE_STREAMS = 1000
TARGET_SSE_RSS_MB = 200.0          # issue 11: 1,000 streams ≤ 200 MB RSS
AIM_SSE_RSS_MB = 150.0             # §7.1: ≤ 150 MB in all
AIM_SSE_IDLE_CPU_PERCENT = 5.0     # §7.1: ≤ 5 % of a core between events


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def cpu_pressure() -> float | None:
    """Linux PSI: the share of the last 10 s in which some runnable task waited for a CPU (%).
    On this shared machine it says more than the load average about whether a latency tail is
    ours or the scheduler's."""
    try:
        first = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except OSError:
        return None
    return float(first.split("avg10=")[1].split()[0])


def log(message: str) -> None:
    print(f"[server benchmark] {message}", file=sys.stderr, flush=True)


def first_token(base_url: str) -> tuple[int, int, str]:
    """(token id, its first script id, that line's text) from the public routes."""
    tokens = httpx.get(f"{base_url}/api/tokens/", timeout=30).json()
    detail = httpx.get(f"{base_url}/api/tokens/{tokens[0]['id']}", timeout=30).json()
    script = detail["scripts"][0]
    return tokens[0]["id"], script["id"], script["script"]


def phase_reads(base_url: str, token_id: int, connections: int, seconds: float) -> dict:
    out = {}
    for name, path in (("token_list", "/api/tokens/"), ("token_detail", f"/api/tokens/{token_id}")):
        log(f"{name}: {connections} connections, {seconds:g} s")
        before = load_average()
        result = http_load.measure(base_url + path, connections, seconds)
        out[name] = {"path": path, **result, "load_average": [before, load_average()],
                     "cpu_pressure_avg10_at_end": cpu_pressure()}
    return out


def _held_streams(url: str, streams: int, hold_s: float, server) -> dict:
    """Run sse_hold.py; while it holds the streams, sample the server's RSS and CPU."""
    holder = subprocess.Popen([sys.executable, "-m", "benchmarks.serverload.sse_hold", url,
                               "--streams", str(streams), "--hold", str(hold_s)],
                              stdout=subprocess.PIPE, text=True, preexec_fn=_raise_open_files)
    ready = holder.stdout.readline().split()
    measured: dict = {}
    if server is not None and ready[:1] == ["READY"]:
        # Settle, then CPU over the quiet time (which includes one heartbeat per stream at
        # 15 s) and the largest RSS seen while the streams are open.
        time.sleep(1.0)
        cpu_start, wall_start = server.cpu_seconds(), time.perf_counter()
        peak = server.rss_bytes()
        while time.perf_counter() - wall_start < hold_s - 2.0:
            time.sleep(0.5)
            peak = max(peak, server.rss_bytes())
        cpu = server.cpu_seconds() - cpu_start
        wall = time.perf_counter() - wall_start
        measured = {"rss_with_streams_mb": round(peak / 2**20, 1),
                    "cpu_percent_of_one_core_while_held": round(100 * cpu / wall, 2)}
    result = json.loads(holder.stdout.read().strip().splitlines()[-1])
    holder.wait(timeout=60)
    return {**result, **measured}


def phase_sse(base_url: str, script_id: int, take: bytes, streams: int, hold_s: float,
              server) -> dict:
    job = httpx.post(takes.upload_url(base_url, script_id), timeout=60,
                     files={"file": ("take.wav", take, "audio/wav")}).json()
    job_id = job["job_id"]
    rss_before = server.rss_bytes() if server is not None else None
    log(f"SSE: {streams} streams on job {job_id} for {hold_s:g} s")
    before = load_average()
    held = _held_streams(f"{base_url}/api/scripts/analysis-progress/{job_id}", streams, hold_s,
                         server)
    out = {"job_id": job_id, **held, "load_average": [before, load_average()]}
    if rss_before is not None and "rss_with_streams_mb" in held:
        out["rss_before_mb"] = round(rss_before / 2**20, 1)
        added = held["rss_with_streams_mb"] * 2**20 - rss_before
        out["rss_per_stream_kib"] = round(added / max(1, held["open_at_end"]) / 1024, 1)
    return out


def _target(target, measured, met: bool) -> dict:
    return {"target": target, "measured": measured, "met": bool(met)}


def targets(report: dict) -> dict:
    detail = report["reads"]["token_detail"]
    sse = report["sse"]
    held = min(sse["open_at_end"], sse["with_heartbeat"])
    out = {
        "token_detail_requests_per_s": _target(
            f">= {TARGET_DETAIL_RPS:g}", detail["requests_per_s"],
            detail["requests_per_s"] >= TARGET_DETAIL_RPS and detail["errors"] == 0),
        "token_detail_p99_ms": _target(f"<= {TARGET_DETAIL_P99_MS:g}", detail["p99_ms"],
                                       detail["p99_ms"] <= TARGET_DETAIL_P99_MS),
        "sse_streams_held_with_heartbeats": _target(f">= {TARGET_SSE_STREAMS}", held,
                                                    held >= TARGET_SSE_STREAMS),
    }
    if "rss_with_streams_mb" in sse:
        rss = sse["rss_with_streams_mb"]
        cpu = sse["cpu_percent_of_one_core_while_held"]
        out["sse_rss_mb_with_1000_streams"] = _target(f"<= {TARGET_SSE_RSS_MB:g}", rss,
                                                      rss <= TARGET_SSE_RSS_MB and held >= 1000)
        out["api_7_1_sse_rss_mb_in_all"] = _target(f"<= {AIM_SSE_RSS_MB:g}", rss,
                                                   rss <= AIM_SSE_RSS_MB and held >= 1000)
        out["api_7_1_sse_cpu_percent_between_events"] = _target(
            f"<= {AIM_SSE_IDLE_CPU_PERCENT:g}", cpu, cpu <= AIM_SSE_IDLE_CPU_PERCENT)
    return out


def run(base_url: str, server, args) -> dict:
    token_id, script_id, line = first_token(base_url)
    take = takes.five_second_take(line)
    report: dict = {"benchmark": "server", "base_url": base_url,
                    "load_average_at_start": load_average(),
                    "cpu_pressure_avg10_at_start": cpu_pressure()}
    report["reads"] = phase_reads(base_url, token_id, args.connections, args.seconds)
    log(f"upload → completed: {args.completed_runs} takes, one at a time")
    before = load_average()
    report["upload_to_completed"] = {**takes.upload_to_completed(base_url, script_id, take,
                                                                 args.completed_runs),
                                     "load_average": [before, load_average()]}
    log(f"upload → job_id: {args.upload_clients} clients × {args.upload_rounds} uploads")
    before = load_average()
    report["upload_to_job_id"] = {**takes.concurrent_uploads(
        base_url, script_id, take, clients=args.upload_clients, rounds=args.upload_rounds),
        "load_average": [before, load_average()]}
    if server is not None:
        if server.postgres:
            server.stop_worker()
        else:
            log("restarting the web process with its in-process worker off for the SSE phase")
            server.restart(YOUSYNC_EMBEDDED_WORKERS="0")
    report["sse"] = phase_sse(base_url, script_id, take, args.sse_streams, args.sse_hold,
                              server.web if server is not None else None)
    report["load_average_at_end"] = load_average()
    report["cpu_pressure_avg10_at_end"] = cpu_pressure()
    report["targets"] = targets(report)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.server", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", help="a running YouSync-compatible server (default: start "
                                           "ours)")
    parser.add_argument("--postgres", action="store_true",
                        help="start ours on a throwaway PostgreSQL cluster + moto S3/SQS")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--completed-runs", type=int, default=5)
    parser.add_argument("--upload-clients", type=int, default=32)
    parser.add_argument("--upload-rounds", type=int, default=4)
    parser.add_argument("--sse-streams", type=int, default=1000)
    parser.add_argument("--sse-hold", type=float, default=20.0)
    args = parser.parse_args(argv)
    _raise_open_files()
    if args.base_url:
        report = run(args.base_url.rstrip("/"), None, args)
        report["server"] = "external"
    else:
        with tempfile.TemporaryDirectory(prefix="yousync-server-bench-") as folder:
            with OurServer(Path(folder), postgres=args.postgres) as server:
                log(f"server up at {server.base_url} (pid {server.web.pid})")
                report = run(server.base_url, server, args)
            report["server"] = ("ours: PostgreSQL + moto S3/SQS + 1 worker process"
                                if args.postgres else
                                "ours, embedded default: SQLite WAL, local objects, "
                                "in-process queue and worker")
    report["machine"] = {"cpus": os.cpu_count()}
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
