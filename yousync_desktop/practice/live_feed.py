"""The live trace's data path: capture → pitch tracker → a queue the UI drains.

`LivePitchFeed` is a capture listener (it runs on the audio engine's consumer thread, never on the
audio callback). It runs the streaming pitch tracker on the capture a frame's worth at a time, and
asks the engine to wake its consumer when the next frame's last sample is in (`wake_at`): on this
machine every thread wake-up costs tens of microseconds of CPU, more than a hop's analysis, so
blocks shorter than a hop wait here instead of being pushed one by one. It appends to two deques:
pitch points with absolute times (the same timeline as the actor's contour) and waveform peaks
(min/max per 10 ms). The UI calls `drain()` on one timer while a take is made (see
ui/practice/live_presenter.py for why one timer rather than a cross-thread notice); deque appends
and pops are atomic in CPython, so neither side ever waits for the other. `on_points`, when set,
is called on the consumer thread after each push: an observer for tests and benchmarks.

Besides the tracker's decisions (`final`), each push publishes the tracker's tentative guesses for
the frames still inside its look-ahead, so the trace reaches the voice about 20 ms sooner; the UI
draws them after the decided points and replaces them when the decisions come. `first` marks the
first time a frame is published at all (the benchmark's "reached the plot").

Each point also carries when its frame's centre sample was captured (`captured_at`, estimated
from the arrival of its block: the block's last sample is taken as captured on arrival), when the
block that completed its frame arrived (`available_at`) and when the tracker emitted it, so the
benchmark can measure the delay from voice to plot and the part of it that is our data path.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from typing import Callable

import numpy as np

from yousync_desktop.analysis.streaming_pitch import PitchFrame, StreamingPitchTracker

PEAK_SECONDS = 0.01
_ARRIVALS_KEPT = 256


@dataclass(frozen=True)
class LivePoint:
    time: float          # absolute seconds (the token's timeline)
    hz: float | None     # None = unvoiced
    confidence: float
    captured_at: float   # time.monotonic() when the frame's centre sample was captured (estimate)
    available_at: float  # when the block that completed the frame's look-ahead arrived
    emitted_at: float    # time.monotonic() when the tracker produced it
    final: bool = True   # False: a tentative guess, replaced later by the decision
    first: bool = True   # the first point published for this frame (tentative or final)


@dataclass(frozen=True)
class WavePeak:
    time: float          # absolute seconds of the chunk's start
    low: float
    high: float


class LivePitchFeed:
    """Feeds capture from index `capture_start` (absolute time `window_start`) to the tracker."""

    def __init__(self, sample_rate: int, capture_start: int, window_start: float,
                 wake_at: Callable[[int], None] | None = None):
        self.sample_rate = sample_rate
        self.capture_start = capture_start
        self.window_start = window_start
        self._tracker = StreamingPitchTracker(sample_rate)
        self._next = capture_start           # next capture index expected
        self._waiting: list[np.ndarray] = []  # received, not yet pushed: less than a frame needs
        self._waiting_size = 0
        self._wake_at = wake_at              # the engine's wake_consumer_at, if it has one
        self._peak_size = max(1, int(round(PEAK_SECONDS * sample_rate)))
        self._peak_carry = np.zeros(0, dtype=np.float32)
        self._peak_index = capture_start
        self._arrivals: deque[tuple[int, float]] = deque(maxlen=_ARRIVALS_KEPT)
        self.points: deque[LivePoint] = deque()
        self.peaks: deque[WavePeak] = deque()
        self.finished = False
        self.on_points: Callable[[], None] | None = None  # observer: a push queued points
        self._published_until = -1.0  # frame time (take seconds) of the newest published frame

    @property
    def latency_seconds(self) -> float:
        return self._tracker.latency_seconds

    def time_of(self, capture_index: int) -> float:
        return self.window_start + (capture_index - self.capture_start) / self.sample_rate

    # --- CaptureListener -----------------------------------------------------------------------

    def on_capture(self, start_index: int, samples: np.ndarray) -> None:
        if self.finished:
            return
        arrived = time.monotonic()
        end = start_index + samples.shape[0]
        if end <= self._next:
            return
        if start_index > self._next:  # lost samples: keep the tracker's clock with silence
            samples = np.concatenate([np.zeros(start_index - self._next, np.float32), samples])
            start_index = self._next
        samples = samples[self._next - start_index:]
        self._arrivals.append((end, arrived))
        self._next = end
        self._add_peaks(samples)
        self._waiting.append(samples)
        self._waiting_size += samples.shape[0]
        needed = self._tracker.input_needed()
        if self._waiting_size >= needed:
            # Pushing less than a frame needs only buffers it, at the cost of a push; so blocks
            # wait here until they complete a frame.
            self._push(arrived)
            needed = self._tracker.input_needed()
        if self._wake_at is not None:
            self._wake_at(self._next - self._waiting_size + needed)

    def _push(self, arrived: float) -> None:
        block = self._waiting[0] if len(self._waiting) == 1 else np.concatenate(self._waiting)
        self._waiting, self._waiting_size = [], 0
        self._publish(self._tracker.push(block), arrived)
        self._publish(self._tracker.tentative(), arrived, final=False)
        notify = self.on_points
        if notify is not None:
            notify()

    def on_stream_end(self, _error) -> None:
        self.finish()

    def finish(self) -> None:
        """The frames still owed at the end of the take (their look-ahead is silence)."""
        if not self.finished:
            self.finished = True
            if self._waiting:
                block = np.concatenate(self._waiting)
                self._waiting, self._waiting_size = [], 0
                self._publish(self._tracker.push(block), time.monotonic())
            self._publish(self._tracker.finish(), time.monotonic())

    # --- for the UI ----------------------------------------------------------------------------

    def drain(self) -> tuple[list[LivePoint], list[WavePeak]]:
        points, peaks = [], []
        while self.points:
            points.append(self.points.popleft())
        while self.peaks:
            peaks.append(self.peaks.popleft())
        return points, peaks

    # --- internals -----------------------------------------------------------------------------

    def _captured_at(self, index: int) -> float:
        for end, arrived in self._arrivals:
            if index < end:
                return arrived - (end - 1 - index) / self.sample_rate
        return time.monotonic()

    def _publish(self, frames: list[PitchFrame], available_at: float, final: bool = True) -> None:
        if not frames:
            return
        now = time.monotonic()
        for frame in frames:
            index = self.capture_start + int(round(frame.time * self.sample_rate))
            first = frame.time > self._published_until
            if first:
                self._published_until = frame.time
            self.points.append(LivePoint(self.window_start + frame.time, frame.hz,
                                         frame.confidence, self._captured_at(index),
                                         available_at, now, final, first))

    def _add_peaks(self, samples: np.ndarray) -> None:
        data = np.concatenate([self._peak_carry, samples]) if self._peak_carry.size else samples
        whole = data.shape[0] // self._peak_size * self._peak_size
        if whole:
            chunks = data[:whole].reshape(-1, self._peak_size)
            lows, highs = chunks.min(axis=1), chunks.max(axis=1)
            for k in range(chunks.shape[0]):
                self.peaks.append(WavePeak(self.time_of(self._peak_index + k * self._peak_size),
                                           float(lows[k]), float(highs[k])))
            self._peak_index += whole
        self._peak_carry = np.array(data[whole:], dtype=np.float32)
