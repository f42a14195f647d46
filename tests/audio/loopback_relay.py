"""A software "learner" for the audio tests: hears what the app plays and says it back, late by an
exact number of samples that can be changed while it runs.

    python tests/audio/loopback_relay.py [--source appout.monitor] [--sink feed]

It records the app's output (PulseAudio source `appout.monitor`) and plays it into `feed`, whose
monitor is the app's virtual microphone `feedmic`; so for the app it is a cable from its speakers
to its microphone with a delay of its own (constant while this process runs, like a room) plus
`delay` samples added in software. Commands on stdin, one per line:

    delay N   -> from the next block on, N more samples of delay; answers "ok delay N"
    xruns     -> "xruns K": gaps played or input dropped, as PortAudio flagged them, since the
                 first real input;
                 each may have moved this relay's own latency, so measurements spanning one are void
    quit

It prints "ready" once its input is live. The delay is pure sample arithmetic on this process's
own capture counter (same rules as the engine: blocks of fake input are not counted), so changing
it from 0 to N adds exactly N samples to the loop, which is what the calibration test measures.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

RATE = 48000
BASE_DELAY = int(0.3 * RATE)  # headroom: output reads input this far back, so it is always there


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default="appout.monitor")
    parser.add_argument("--sink", default="feed")
    parser.add_argument("--latency", type=float, default=0.2)
    args = parser.parse_args()
    os.environ["PULSE_SOURCE"] = args.source
    os.environ["PULSE_SINK"] = args.sink
    import sounddevice as sd

    history = np.zeros(RATE * 8, dtype=np.float32)
    size = history.size
    state = {"out": 0, "cap_start": None, "cap_end": 0, "delay": 0, "applied": 0, "callbacks": 0,
             "xruns": 0}

    def callback(indata, outdata, frames, _time, status):
        position = state["out"]
        # A gap played or input dropped moves this relay's latency; late input (skipped below)
        # does not: output sample q is always captured sample q - BASE_DELAY - delay.
        if status and state["cap_start"] is not None and (
                status.output_underflow or status.input_overflow):
            state["xruns"] += 1
        if not (status and status.input_underflow):
            if state["cap_start"] is None:
                state["cap_start"] = state["cap_end"] = position
            got = indata.shape[0]  # the pump hands over input and output separately
            at = state["cap_end"] % size
            first = min(got, size - at)
            history[at:at + first] = indata[:first, 0]
            history[:got - first] = indata[first:, 0]
            state["cap_end"] += got
        delay = state["delay"]
        source = position - BASE_DELAY - delay
        outdata.fill(0)
        start = state["cap_start"]
        if start is not None:
            lo = max(source, start, state["cap_end"] - size)
            hi = min(source + frames, state["cap_end"])
            if lo < hi:
                idx = np.arange(lo, hi) % size
                outdata[lo - source:hi - source, 0] = history[idx]
        state["applied"] = delay
        state["out"] = position + frames
        state["callbacks"] += 1

    # Moved by the app's own pump, as the engine does on ALSA: PortAudio's callback thread
    # busy-polls the pulse plug-in, and a relay spinning a core made the loop's timing slip
    # while other tests ran (blocking_pump.py). The pump calls `callback` as PortAudio would.
    from yousync_desktop.audio.blocking_pump import BlockingPump

    stream = sd.Stream(samplerate=RATE, channels=1, dtype="float32", blocksize=0,
                       latency=args.latency)
    stream.start()
    pump = BlockingPump(stream, callback, on_end=lambda: None)
    pump.start()
    deadline = time.monotonic() + 30  # a monitor's first input can come seconds late under load
    while state["cap_start"] is None and time.monotonic() < deadline:
        time.sleep(0.01)
    print("ready" if state["cap_start"] is not None else "no-input", flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        if words[0] == "delay":
            state["delay"] = int(words[1])
            seen = state["callbacks"]
            while state["callbacks"] < seen + 2:
                time.sleep(0.005)
            print(f"ok delay {state['applied']}", flush=True)
        if words[0] == "xruns":
            print(f"xruns {state['xruns']}", flush=True)
    pump.stop()
    stream.abort()
    stream.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
