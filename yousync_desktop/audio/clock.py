"""The engine's clock: two sample counters kept by the audio callback, and the callback itself.

- the **output index**: how many samples have been handed to the speakers since the stream opened;
  `output_index` is the index of the next block's first sample, and `schedule()` places a buffer
  at an output index;
- the **capture index**: the index of each recorded sample in the capture ring.

Both advance in the same callback, block for block, so a sound played at output index p comes back
(through a cable, or speakers and a microphone) at capture index p + L, where L, the round trip,
stays constant for as long as the stream runs without a glitch. `calibration.py` measures L;
`take_recorder.py` uses it to cut takes by index.

Two rules keep that true on real systems, where input and output are separate devices underneath:

- When PortAudio has no input yet it calls back with zeros and the `input_underflow` flag (with a
  variable block size, the documented meaning is "this whole block is silence, no real data"). Those
  blocks are not recorded and do not advance the capture index: the real samples arrive later and
  keep their place. Through PulseAudio this happens for the first second of every stream and now and
  then under load; counting the fake blocks shifted alignment by whole blocks.
- The capture index starts at the output index of the callback that brings the first real input,
  so L is the true round trip on hardware where both start together.

An output underflow (a gap the device played) or an input overflow (input PortAudio discarded)
can still move L by an unknown amount; they are logged for engine_stats.py, which counts them as
`alignment_breaks`, reported with each take.

House rules for the callback: it only copies samples (the scheduled playback into `outdata`, the
input into the capture ring) and stores a few integers into preallocated arrays. No allocation of
buffers, no locks, no logging. It is the same function whether PortAudio calls it or the engine's
own pump does (blocking_pump.py), and it needs no PortAudio at all: tests and the fake engine call
it with numpy arrays.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from yousync_desktop.audio.engine_stats import (EVENT_SLOTS, INPUT_OVERFLOW, INPUT_UNDERFLOW, LIVE,
                                                OUTPUT_OVERFLOW, OUTPUT_UNDERFLOW)
from yousync_desktop.audio.ring_buffer import SampleRing

DURATION_SLOTS = 1 << 16


@dataclass(frozen=True)
class ScheduledPlayback:
    """A buffer placed on the output clock: `samples[i]` is played at output index `start + i`."""

    samples: np.ndarray  # frames × output channels, float32
    start: int

    @property
    def end(self) -> int:
        return self.start + self.samples.shape[0]

    def buffer_index(self, output_index: int) -> int:
        """Which sample of `samples` is at `output_index` (may be outside the buffer)."""
        return output_index - self.start


def as_output_frames(samples: np.ndarray, channels: int) -> np.ndarray:
    """`samples` (frames, or frames × channels) as contiguous float32 frames × `channels`: other
    channel counts go through mono."""
    samples = np.asarray(samples, dtype=np.float32)
    if samples.ndim == 1:
        samples = samples[:, None]
    if samples.shape[1] != channels:
        mono = samples.mean(axis=1, keepdims=True)
        samples = np.repeat(mono, channels, axis=1)
    return np.ascontiguousarray(samples)


class DuplexClock:
    """The state the audio callback shares with the rest of the engine: preallocated, plain
    attributes. Only `callback` writes them while a stream runs (`reset` and `restart_capture`
    are called while none does); other threads read them."""

    def __init__(self, sample_rate: int, capture_seconds: float, input_channel: int = 0):
        self.reset(sample_rate, capture_seconds, input_channel)

    def reset(self, sample_rate: int, capture_seconds: float, input_channel: int = 0) -> None:
        """Both counters back to 0 and an empty capture ring of `capture_seconds`."""
        self.sample_rate = sample_rate
        self.input_channel = input_channel
        self.capture = SampleRing(int(capture_seconds * sample_rate))
        self.output_index = 0
        self.capture_live = False
        self.scheduled: ScheduledPlayback | None = None
        self.callbacks = 0
        self.input_blocks = 0   # exchanges that brought real input, and how much in all
        self.input_frames = 0
        self.max_frames = 0
        self.events = np.zeros((EVENT_SLOTS, 3), dtype=np.int64)
        self.event_count = 0
        self.durations = np.zeros(DURATION_SLOTS, dtype=np.int64)

    def restart_capture(self) -> None:
        """A new stream on the same clock (the engine reopened one): the output index carries on,
        and the first real input restarts the capture index at the output index, as at start."""
        self.capture_live = False

    def callback(self, indata, outdata, frames, _time_info, status) -> None:
        began = time.perf_counter_ns()
        position = self.output_index
        scheduled = self.scheduled
        outdata.fill(0)
        if scheduled is not None:
            first = position if position > scheduled.start else scheduled.start
            last = position + frames
            if last > scheduled.end:
                last = scheduled.end
            if first < last:
                outdata[first - position:last - position] = \
                    scheduled.samples[first - scheduled.start:last - scheduled.start]
        self.output_index = position + frames
        if frames > self.max_frames:
            self.max_frames = frames

        flags = 0
        if status:
            flags = ((INPUT_UNDERFLOW if status.input_underflow else 0)
                     | (INPUT_OVERFLOW if status.input_overflow else 0)
                     | (OUTPUT_UNDERFLOW if status.output_underflow else 0)
                     | (OUTPUT_OVERFLOW if status.output_overflow else 0))
            slot = self.event_count % EVENT_SLOTS
            self.events[slot, 0] = flags | (LIVE if self.capture_live else 0)
            self.events[slot, 1] = position
            self.events[slot, 2] = self.capture.end
            self.event_count += 1
        if not flags & INPUT_UNDERFLOW:  # a block of fake zeros is not recorded (see above)
            if not self.capture_live:
                self.capture.reset(position)
                self.capture_live = True
            self.capture.write(indata[:, self.input_channel])
            if indata.shape[0]:
                self.input_blocks += 1
                self.input_frames += indata.shape[0]
        count = self.callbacks
        self.durations[count % DURATION_SLOTS] = time.perf_counter_ns() - began
        self.callbacks = count + 1

    # --- for the other threads -------------------------------------------------------------------

    def schedule(self, frames: np.ndarray, start_index: int | None = None) -> ScheduledPlayback:
        """Play `frames` (see `as_output_frames`) from output index `start_index`, or as soon as
        safely possible; replaces whatever was scheduled."""
        if start_index is None:
            # Far enough ahead that the callback cannot already be past it when it sees the buffer.
            start_index = (self.output_index + max(self.max_frames, 1024)
                           + self.sample_rate // 20)
        scheduled = ScheduledPlayback(samples=frames, start=int(start_index))
        self.scheduled = scheduled
        return scheduled

    def stop_playback(self) -> None:
        self.scheduled = None

    def callback_durations_ns(self) -> np.ndarray:
        """How long each recent callback took (for the benchmark), oldest first."""
        count = self.callbacks
        if count <= DURATION_SLOTS:
            return self.durations[:count].copy()
        at = count % DURATION_SLOTS
        return np.concatenate([self.durations[at:], self.durations[:at]])
