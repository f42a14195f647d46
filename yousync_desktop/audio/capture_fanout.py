"""Handing recorded samples from the capture ring to the listeners (level meter, live trace, take
writer), on the engine's consumer thread and never on the audio thread.

Each listener has a cursor: the capture index it wants next. A drain reads each listener's part of
the ring and calls `on_capture(start_index, samples)`; a listener that fell a whole ring behind
gets what is left (the gap shows in the indexes and is counted as lost). The consumer drains every
10 ms, or sooner when the pump has brought the input a listener waits for (`wake_at`: each
wake-up costs CPU, so only the live trace asks).
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

import numpy as np

from yousync_desktop.audio.errors import AudioDeviceError

log = logging.getLogger(__name__)

NEVER = 1 << 62  # a capture index never reached
_FROM_NOW_ON = -1  # a cursor registered before the first real input: start at the first one


class CaptureListener(Protocol):
    """Receives recorded samples on the engine's consumer thread (never on the audio thread)."""

    def on_capture(self, start_index: int, samples: np.ndarray) -> None:
        """`samples` (mono float32, a fresh array the listener may keep) begin at capture index
        `start_index`. A gap between calls means samples were lost (the listener fell behind by
        more than the ring holds)."""

    def on_stream_end(self, error: AudioDeviceError | None) -> None:
        """No more samples will come from this stream: it was stopped (`error` is None) or the
        device was lost (`error` says so). Called after the last `on_capture`."""


class CaptureFanout:
    """The listeners of one engine and their cursors into its clock's capture ring."""

    def __init__(self, clock, stats):
        self._clock = clock
        self._stats = stats
        self._listeners: dict[int, list] = {}  # id -> [listener, cursor]
        self._lock = threading.Lock()  # consumer and API threads only, never the callback
        self._capture_arrived = threading.Event()  # the pump's nudge: drain now, not in 10 ms
        self._wake_at = NEVER  # capture index a listener is waiting for (wake_at)

    # --- registration (any thread) ---------------------------------------------------------------

    def add(self, listener: CaptureListener, start_index: int | None = None) -> None:
        """Deliver capture from `start_index` (default: from now on) to `listener`. Samples still in
        the ring are delivered even if `start_index` is in the past."""
        with self._lock:
            if start_index is not None:
                cursor = int(start_index)
            else:
                cursor = self._clock.capture.end if self._clock.capture_live else _FROM_NOW_ON
            self._listeners[id(listener)] = [listener, cursor]

    def remove(self, listener: CaptureListener) -> None:
        with self._lock:
            self._listeners.pop(id(listener), None)

    def restart_cursors(self) -> None:
        """A new clock (the engine started again): listeners kept across it start with it."""
        with self._lock:
            for entry in self._listeners.values():
                entry[1] = _FROM_NOW_ON

    # --- delivery (consumer thread) --------------------------------------------------------------

    def drain(self) -> None:
        capture = self._clock.capture
        end = capture.end
        with self._lock:
            entries = list(self._listeners.values())
        for entry in entries:
            listener, cursor = entry
            if cursor < 0:  # "from now on", registered before the first real input
                if not self._clock.capture_live:
                    continue
                cursor = capture.start_index
            if cursor >= end:
                continue
            first, samples = capture.read(cursor, end)
            if first > cursor:
                self._stats.add_lost_capture(first - cursor)
            entry[1] = first + samples.shape[0]
            if samples.shape[0]:
                try:
                    listener.on_capture(first, samples[:, 0])
                except Exception:  # a broken listener must not stop the recording
                    log.exception("capture listener %r failed; removing it", listener)
                    self.remove(listener)

    def end(self, error: AudioDeviceError | None) -> None:
        """Tell every listener the stream ended (after the last drain)."""
        with self._lock:
            listeners = [entry[0] for entry in self._listeners.values()]
        for listener in listeners:
            try:
                listener.on_stream_end(error)
            except Exception:
                log.exception("capture listener %r failed at the end of the stream", listener)

    # --- when to drain ---------------------------------------------------------------------------

    def wait_for_input(self) -> None:
        """The consumer's pause between drains."""
        # While a listener waits for a capture index, the pump's nudge is what counts: a 10 ms
        # look in between would only drain part of what it waits for (one more wake-up).
        self._capture_arrived.wait(0.01 if self._wake_at == NEVER else 0.05)
        self._capture_arrived.clear()
        self._wake_at = NEVER  # listeners ask again during this drain

    def wake_at(self, capture_index: int) -> None:
        """Drain as soon as the capture reaches `capture_index` (from a listener's on_capture)."""
        self._wake_at = min(self._wake_at, capture_index)

    def input_pumped(self) -> None:
        """The pump's thread, after an exchange that brought input."""
        if self._clock.capture.end >= self._wake_at:
            self._capture_arrived.set()

    def nudge(self) -> None:
        """Wake the consumer now (it is being stopped)."""
        self._capture_arrived.set()
