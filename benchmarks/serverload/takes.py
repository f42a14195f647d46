"""Takes through the public routes: the per-script upload (`POST /api/scripts/{id}/upload-audio`,
anonymous, so no sign-in is needed on any compatible server) and its progress stream
(`GET /api/scripts/analysis-progress/{job_id}`).

The take is 5.0 s of 16-bit mono PCM WAV at 44.1 kHz (§5's advice): eSpeak NG reading the line
when it is installed, padded with silence to 5 s; otherwise a voiced synthetic tone."""

from __future__ import annotations

import asyncio
import io
import json
import time

import httpx
import numpy as np
import soundfile

RATE = 44100
TAKE_SECONDS = 5.0


def five_second_take(text: str) -> bytes:
    samples = int(RATE * TAKE_SECONDS)
    audio = np.zeros(samples, dtype=np.float32)
    try:
        from tools.speech import speak

        speech, _ = speak(text, "en-us+m3", speed=150, sample_rate=RATE)
        speech = 0.8 * speech / max(1e-6, float(np.max(np.abs(speech))))
        start = int(0.5 * RATE)
        audio[start:start + len(speech)] = speech[:samples - start]
    except Exception:  # noqa: BLE001 — any speech trouble: the synthetic voice instead
        t = np.arange(samples) / RATE
        f0 = 140 + 20 * np.sin(2 * np.pi * 0.5 * t)
        phase = 2 * np.pi * np.cumsum(f0) / RATE
        audio = 0.2 * sum(np.sin(k * phase) / k for k in range(1, 8)).astype(np.float32)
    out = io.BytesIO()
    soundfile.write(out, audio, RATE, subtype="PCM_16", format="WAV")
    return out.getvalue()


def upload_url(base_url: str, script_id: int) -> str:
    return f"{base_url}/api/scripts/{script_id}/upload-audio"


async def _upload(client: httpx.AsyncClient, url: str, take: bytes) -> tuple[float, str | None]:
    started = time.perf_counter()
    response = await client.post(url, files={"file": ("take.wav", take, "audio/wav")})
    elapsed = time.perf_counter() - started
    job_id = response.json().get("job_id") if response.status_code == 200 else None
    return elapsed, job_id


async def _concurrent_uploads(base_url: str, script_id: int, take: bytes, clients: int,
                              rounds: int) -> dict:
    url = upload_url(base_url, script_id)
    latencies: list[float] = []
    failures = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=120.0) as client:
        async def one_client():
            nonlocal failures
            for _ in range(rounds):
                try:
                    elapsed, job_id = await _upload(client, url, take)
                except httpx.HTTPError:
                    failures += 1
                    continue
                if job_id is None:
                    failures += 1
                else:
                    latencies.append(elapsed)
        started = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        wall = time.perf_counter() - started
    values = np.array(latencies or [float("nan")]) * 1e3
    return {"concurrent_uploads": clients, "uploads": len(latencies), "failures": failures,
            "take_bytes": len(take), "take_seconds": TAKE_SECONDS,
            "p50_ms": round(float(np.percentile(values, 50)), 1),
            "p99_ms": round(float(np.percentile(values, 99)), 1),
            "max_ms": round(float(np.max(values)), 1),
            "uploads_per_s": round(len(latencies) / wall, 1)}


def concurrent_uploads(base_url: str, script_id: int, take: bytes, *, clients: int = 32,
                       rounds: int = 4) -> dict:
    """`clients` uploading at once, each `rounds` takes one after another: upload → job_id."""
    return asyncio.run(_concurrent_uploads(base_url, script_id, take, clients, rounds))


def _frames(lines: list[str]) -> list[dict]:
    return [json.loads(line[len("data: "):]) for line in lines if line.startswith("data: ")]


def upload_to_completed(base_url: str, script_id: int, take: bytes, runs: int = 5) -> dict:
    """Upload one take, then follow its progress stream until a terminal frame: the time from
    the upload's start to `completed`, one take at a time (an idle queue)."""
    seconds, scores, statuses = [], [], []
    with httpx.Client(timeout=httpx.Timeout(10.0, read=600.0)) as client:
        for _ in range(runs):
            started = time.perf_counter()
            response = client.post(upload_url(base_url, script_id),
                                   files={"file": ("take.wav", take, "audio/wav")})
            response.raise_for_status()
            job_id = response.json()["job_id"]
            last = None
            with client.stream("GET", f"{base_url}/api/scripts/analysis-progress/{job_id}",
                               headers={"Accept": "text/event-stream"}) as stream:
                for line in stream.iter_lines():
                    for frame in _frames([line]):
                        last = frame
                    if last is not None and last.get("status") in ("completed", "failed"):
                        break
            if last is None or last.get("status") not in ("completed", "failed"):
                # The public backend closes the stream after ~30 s (§6.7): poll the result.
                while True:
                    job = client.get(f"{base_url}/api/scripts/analysis-result/{job_id}").json()
                    if job.get("status") in ("completed", "failed"):
                        last = job
                        break
                    time.sleep(0.2)
            seconds.append(time.perf_counter() - started)
            statuses.append(last.get("status"))
            score = ((last.get("result") or {}).get("result") or {}).get("overall_score")
            if score is not None:
                scores.append(score)
    return {"runs": runs, "statuses": statuses,
            "seconds_p50": round(float(np.median(seconds)), 3),
            "seconds_max": round(float(np.max(seconds)), 3),
            "overall_scores": [round(s, 3) for s in scores]}

