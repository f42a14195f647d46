"""The engine's counters: what the audio callback logged, read out as `EngineStats`.

The callback (clock.py) cannot take locks or allocate, so it writes each status flag it gets into
a preallocated event log (a ring of `EVENT_SLOTS` rows: flags, output index, capture index) and
bumps a counter. `StatsCollector` turns that log into counts on any other thread, under its own
lock, and adds what the engine notices itself (listeners that fell behind, streams it reopened).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

# Event kinds in the callback's event log (bits, as in PortAudio's status flags).
INPUT_UNDERFLOW, INPUT_OVERFLOW, OUTPUT_UNDERFLOW, OUTPUT_OVERFLOW = 1, 2, 4, 8
LIVE = 16  # set on events that happened after the first real input
STREAM_REOPENED = 32  # not a PortAudio flag: the engine reopened a stream PortAudio had ended
EVENT_SLOTS = 1024
_EVENTS_KEPT = 1000  # in EngineStats.events; the counts go on beyond it


@dataclass
class EngineStats:
    callbacks: int = 0
    input_blocks: int = 0       # exchanges that brought real input (callbacks, or pump rounds)
    input_frames: int = 0       # the input they brought: input_frames / input_blocks = block size
    input_underflows: int = 0   # blocks without real input (skipped, alignment kept)
    input_overflows: int = 0    # input discarded by PortAudio
    output_underflows: int = 0  # gaps played
    output_overflows: int = 0
    alignment_breaks: int = 0   # input overflows + output underflows after the input went live
    lost_capture_samples: int = 0  # listeners fell behind the ring (should stay 0)
    reopens: int = 0            # streams PortAudio ended by itself that the engine reopened
    events: list[tuple[int, int, int]] = field(default_factory=list)  # (flags, out idx, cap idx)

    @property
    def xruns(self) -> int:
        """Overflows and underflows that lost or invented audio (late input is not one of them:
        it is skipped and arrives later, see clock.py)."""
        return self.input_overflows + self.output_underflows + self.output_overflows


class StatsCollector:
    """Counts since the stream started, from the clock's event log and the engine's own notes.
    Safe from any thread except the audio callback, which it never blocks."""

    def __init__(self):
        self._lock = threading.Lock()
        self._stats = EngineStats()
        self._events_seen = 0

    def reset(self) -> None:
        """A new stream: counting starts again (the clock's log is reset with it)."""
        self._stats = EngineStats()
        self._events_seen = 0

    def snapshot(self, clock) -> EngineStats:
        self.collect(clock)
        with self._lock:
            return EngineStats(**{**self._stats.__dict__, "events": list(self._stats.events)})

    def collect(self, clock) -> None:
        """Read the events the callback logged since the last call."""
        with self._lock:
            count = clock.event_count
            stats = self._stats
            stats.callbacks = clock.callbacks
            stats.input_blocks, stats.input_frames = clock.input_blocks, clock.input_frames
            for number in range(max(self._events_seen, count - EVENT_SLOTS), count):
                flags, out_index, cap_index = (int(v) for v in clock.events[number % EVENT_SLOTS])
                stats.input_underflows += bool(flags & INPUT_UNDERFLOW)
                stats.input_overflows += bool(flags & INPUT_OVERFLOW)
                stats.output_underflows += bool(flags & OUTPUT_UNDERFLOW)
                stats.output_overflows += bool(flags & OUTPUT_OVERFLOW)
                if flags & LIVE and flags & (INPUT_OVERFLOW | OUTPUT_UNDERFLOW):
                    stats.alignment_breaks += 1
                if len(stats.events) < _EVENTS_KEPT:
                    stats.events.append((flags & ~LIVE, out_index, cap_index))
            self._events_seen = count

    def add_lost_capture(self, samples: int) -> None:
        with self._lock:
            self._stats.lost_capture_samples += samples

    def add_reopen(self, output_index: int, capture_index: int) -> None:
        """A reopened stream: the round trip may have moved, so it counts as an alignment break."""
        with self._lock:
            self._stats.reopens += 1
            self._stats.alignment_breaks += 1
            if len(self._stats.events) < _EVENTS_KEPT:
                self._stats.events.append((STREAM_REOPENED, output_index, capture_index))
