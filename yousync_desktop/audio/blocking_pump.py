"""Moves audio through a PortAudio stream opened without a callback, on a thread of our own.

Why, and only on ALSA: through ALSA's PulseAudio plug-in (what PortAudio's ALSA host reaches on a
desktop running PulseAudio), PortAudio 19.6's duplex callback thread busy-polls. The plug-in keeps
its capture poll descriptor readable while it reports less than a period ready, so `poll()` returns
at once, thousands of times a second (seen with strace): a whole core on most stream openings,
measured here on 5 of 6 openings with 200 ms buffers, and the capture reached the callback only
every second period. With PortAudio's blocking read/write nothing polls: this thread looks every
few milliseconds at how much can be read and written and moves exactly that much, so it never
blocks and never spins (2–3 % of a core measured over the same openings).

Until the first input arrives it keeps the rules of PortAudio's own duplex loop
(PaAlsaStream_WaitForFrames in pa_linux_alsa.c), which is what makes the round trip the same from
one opening to the next (measured: identical to the sample over 6 openings, like the callback):

- audio moves only when a period's worth is ready on both sides (PortAudio polls for that);
- while no input has come, the output is filled alone and the exchange is flagged
  `input_underflow` (the engine does not record such blocks, see clock.py);
- the first input goes in together with as many output frames (min(input ready, output room)):
  the capture index starts at that output index.

From then on every sample's place is fixed by the sound system's clock (an output sample plays
when the ones queued before it have played; a captured one is counted in order), so input is taken
as soon as it is ready — the live trace does not wait for room in the output — and the output is
kept full, which leaves the most margin against a gap.

`exchange(indata, outdata, frames, time_info, status)` is the engine's audio callback, called here
with the same arguments PortAudio would give it, so one function serves both ways of running.
After an exchange that brought input, `on_input()` tells the engine's consumer it can drain now
(this thread is not the real-time callback, so it may signal).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

import numpy as np

log = logging.getLogger(__name__)

# PortAudio's status flags, as the callback gets them (paInputUnderflow ... paOutputOverflow).
_INPUT_UNDERFLOW, _INPUT_OVERFLOW, _OUTPUT_UNDERFLOW = 1, 2, 4

POLL_INTERVAL_S = 0.004  # under the 5 ms pieces PulseAudio hands capture over in


class BlockingPump:
    """Runs `exchange` for a started blocking stream until `stop()` or until the stream fails
    (`on_end()` is then called once, from the pump's thread)."""

    def __init__(self, stream, exchange: Callable, on_end: Callable[[], None],
                 on_input: Callable[[], None] = lambda: None):
        self._stream = stream
        self._exchange = exchange
        self._on_end = on_end
        self._on_input = on_input
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="audio-pump", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 3.0) -> bool:
        """Ask the thread to end and wait for it; False if it is stuck in the sound system."""
        self._stop.set()
        if self._thread is threading.current_thread() or not self._thread.is_alive():
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        import sounddevice as sd

        stream = self._stream
        try:
            room = stream.write_available  # the whole buffer: nothing written yet
            in_channels, out_channels = stream.channels
            silence_in = np.zeros((room, in_channels), dtype=np.float32)
            out = np.zeros((room, out_channels), dtype=np.float32)
            # PortAudio moves audio when a poll says a period is ready; a quarter of the output
            # buffer stands in for its period, which PortAudio does not report, and half the
            # input latency (the input buffer less a period) for the input's, if smaller.
            threshold = max(1, room // 4)
            in_threshold = max(1, min(threshold, int(stream.latency[0] * stream.samplerate) // 2))
            pending = 0  # an output underflow reported by the last write, for the next exchange
            live = False
            while not self._stop.is_set():
                ready, room_now = stream.read_available, stream.write_available
                if live and (ready or room_now):
                    frames = min(room_now, out.shape[0])
                    indata, overflowed = stream.read(ready) if ready else (silence_in[:0], False)
                elif not live and ready >= in_threshold and room_now >= threshold:
                    live = True
                    frames = min(ready, room_now, out.shape[0])
                    indata, overflowed = stream.read(frames)
                elif not live and room_now >= threshold:
                    frames = min(room_now, out.shape[0])
                    indata, overflowed = silence_in[:frames], False
                    pending |= _INPUT_UNDERFLOW
                else:
                    if not stream.active:
                        break
                    time.sleep(POLL_INTERVAL_S)
                    continue
                flags = pending | (_INPUT_OVERFLOW if overflowed else 0)
                block = out[:frames]
                self._exchange(indata, block, frames, None, sd.CallbackFlags(flags))
                pending = _OUTPUT_UNDERFLOW if frames and stream.write(block) else 0
                if live and indata.shape[0]:
                    self._on_input()
                time.sleep(POLL_INTERVAL_S)
        except Exception as exc:  # noqa: BLE001 - PortAudioError and friends from the host API
            if not self._stop.is_set():
                log.info("the audio stream stopped: %s", exc)
        if not self._stop.is_set():
            self._on_end()
