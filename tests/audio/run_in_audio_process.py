"""Runs a DuplexEngine in a child process, driven by JSON commands on stdin (one per line), with one
JSON answer per command on stdout. A test gives the child its own environment (which sound
server, which PulseAudio devices), so it can kill that server without disturbing anything else.

Commands: {"cmd": "start", "input": KEY, "output": KEY}
          {"cmd": "record", "path": P, "line_s": S}      -> starts a take, answers at once
          {"cmd": "progress"}                             -> seconds and frames taken so far
          {"cmd": "wait_take", "timeout_s": T}            -> the TakeResult, the engine's
                                                             good_until and the take's start
          {"cmd": "restart"}
          {"cmd": "capture", "seconds": S}                -> peak and RMS of S seconds of input
          {"cmd": "quit"}
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from yousync_desktop.audio.duplex_engine import DuplexEngine, EngineConfig
from yousync_desktop.audio.errors import AudioError
from yousync_desktop.audio.input_health import peak_dbfs, record_for, rms_dbfs
from yousync_desktop.audio.playback_mix import silence_mix
from yousync_desktop.audio.take_recorder import AppliedLatency, record_line


def main() -> int:
    engine: DuplexEngine | None = None
    session = None
    errors_reported: list[str] = []

    def answer(**fields) -> None:
        print(json.dumps(fields), flush=True)

    for line in sys.stdin:
        command = json.loads(line)
        name = command["cmd"]
        try:
            if name == "start":
                engine = DuplexEngine(EngineConfig(input_device=command["input"],
                                                   output_device=command["output"],
                                                   live_timeout_s=30))
                engine.add_error_handler(lambda error: errors_reported.append(str(error)))
                engine.start()
                answer(ok=True, input=engine.devices.input.label)
            elif name == "record":
                mix = silence_mix(10.0, 10.0 + command["line_s"], lead_in_s=0.5, tail_s=0.5,
                                  channels=engine.output_channels)
                session = record_line(engine, mix, Path(command["path"]), AppliedLatency.none())
                answer(ok=True)
            elif name == "progress":
                frames = round(session.progress * (session.capture_end - session.capture_start))
                answer(ok=True, seconds=frames / engine.sample_rate, frames=frames)
            elif name == "wait_take":
                result = session.wait(command["timeout_s"])
                answer(ok=result is not None, complete=result.complete if result else None,
                       error=result.error if result else None,
                       duration=result.duration if result else None,
                       status=result.metadata["status"] if result else None,
                       engine_state=engine.state, errors_reported=errors_reported,
                       good_until=engine.good_until, capture_start=session.capture_start)
            elif name == "restart":
                engine.restart()
                answer(ok=True, state=engine.state, epoch=engine.epoch)
            elif name == "capture":
                samples = record_for(engine, command["seconds"])
                answer(ok=True, frames=int(samples.size), peak_dbfs=peak_dbfs(samples),
                       rms_dbfs=rms_dbfs(samples), finite=bool(np.isfinite(samples).all()))
            elif name == "quit":
                break
            else:
                answer(ok=False, error=f"unknown command {name}")
        except AudioError as exc:
            answer(ok=False, error=str(exc))
    if engine is not None:
        engine.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
