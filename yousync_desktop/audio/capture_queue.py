"""Recorded samples for a GUI timer to pick up: the live waveform and pitch trace.

The engine's consumer thread puts (capture index, samples) in; the UI drains it from its own timer
(Friture's pattern: a 10–30 ms timer, no signals from audio threads). When the UI falls behind, the
oldest blocks are dropped rather than the engine ever waiting; the indexes show the gap.
"""

from __future__ import annotations

import collections
import threading

import numpy as np


class CaptureQueue:
    """A capture listener (`engine.add_listener(queue)`) holding at most `max_blocks` blocks."""

    def __init__(self, max_blocks: int = 256):
        self._blocks: collections.deque[tuple[int, np.ndarray]] = \
            collections.deque(maxlen=max_blocks)
        self._lock = threading.Lock()
        self.ended_with: Exception | None = None
        self.ended = False

    def on_capture(self, start_index: int, samples: np.ndarray) -> None:
        with self._lock:
            self._blocks.append((start_index, samples))

    def on_stream_end(self, error) -> None:
        self.ended, self.ended_with = True, error

    def drain(self) -> list[tuple[int, np.ndarray]]:
        """Every block received since the last call, oldest first."""
        with self._lock:
            blocks = list(self._blocks)
            self._blocks.clear()
        return blocks
