"""A single-producer, single-consumer ring of float32 samples addressed by absolute sample index.

The producer is the audio callback: `write` copies a block in (at most two slice copies) and then
advances `end`, the index one past the newest sample. Nothing is allocated, nothing waits, and the
producer never blocks on a slow consumer: it overwrites the oldest samples instead. The index is the
clock: a consumer asks for samples by absolute index (`read`), and learns when the samples it wanted
were already overwritten, so a stalled disk or GUI can lose data but can never shift it in time.

Thread safety comes from the order of operations, not from locks: the producer copies first and
publishes `end` afterwards (a single attribute store, atomic under the GIL); a reader copies and
then re-checks that the producer has not lapped it during the copy. Because a block may be being
written while `end` still has its old value, readers keep `guard` samples away from the region the
producer will overwrite next.
"""

from __future__ import annotations

import numpy as np


class SampleRing:
    def __init__(self, capacity: int, channels: int = 1, guard: int | None = None):
        if capacity <= 0:
            raise ValueError("capacity must be positive")
        self.capacity = int(capacity)
        # Larger than any audio block, so a write in flight never touches what a reader may copy.
        self.guard = min(self.capacity // 4, 32768) if guard is None else guard
        self.channels = channels
        self._data = np.zeros((self.capacity, channels), dtype=np.float32)
        self.start_index = 0  # absolute index of the first sample ever written
        self.end = 0          # absolute index one past the newest sample

    def reset(self, start_index: int = 0) -> None:
        """Empty the ring and let the next write land at `start_index`. Producer side only, and only
        while no callback runs (before a stream starts) or from the callback itself."""
        self.start_index = start_index
        self.end = start_index

    @property
    def oldest(self) -> int:
        """The absolute index of the oldest sample a reader may still copy safely."""
        return max(self.start_index, self.end - self.capacity + self.guard)

    def write(self, block: np.ndarray) -> None:
        """Append `block` (frames × channels, or frames for one channel). Producer only."""
        frames = block.shape[0]
        if frames > self.capacity:  # keep only what fits; the index still advances by `frames`
            block = block[frames - self.capacity:]
        count = block.shape[0]
        at = (self.end + frames - count) % self.capacity
        first = min(count, self.capacity - at)
        data = self._data
        if block.ndim == 1:
            data[at:at + first, 0] = block[:first]
            if first < count:
                data[:count - first, 0] = block[first:]
        else:
            data[at:at + first] = block[:first]
            if first < count:
                data[:count - first] = block[first:]
        self.end += frames  # publish after the copy

    def read(self, start: int, stop: int) -> tuple[int, np.ndarray]:
        """Samples with absolute indices in [start, stop) that are still held, as a new array
        (frames × channels). Returns (index of the first returned sample, samples): the first index
        is later than `start` when the oldest of them were already overwritten."""
        stop = min(stop, self.end)
        start = max(start, self.oldest)
        if stop <= start:
            return max(start, stop), np.zeros((0, self.channels), dtype=np.float32)
        out = np.empty((stop - start, self.channels), dtype=np.float32)
        at = start % self.capacity
        first = min(stop - start, self.capacity - at)
        out[:first] = self._data[at:at + first]
        out[first:] = self._data[:stop - start - first]
        # The producer may have overwritten part of what we copied while we copied it.
        lapped = self.end - self.capacity + self.guard - start
        if lapped > 0:
            return start + lapped, out[lapped:]
        return start, out
