"""What the practice layer and the audio helpers use of an audio engine: `DuplexEngine` (the real
one) and `FakeEngine` (tests) both provide exactly this. Indexes are samples on the engine's
clock (clock.py): output indexes for what is played, capture indexes for what is recorded."""

from __future__ import annotations

from typing import Callable, Protocol

import numpy as np

from yousync_desktop.audio.capture_fanout import CaptureListener
from yousync_desktop.audio.clock import ScheduledPlayback
from yousync_desktop.audio.devices import DeviceChoice
from yousync_desktop.audio.engine_stats import EngineStats
from yousync_desktop.audio.errors import AudioDeviceError


class AudioEngine(Protocol):
    devices: DeviceChoice | None  # the devices opened by the last start
    epoch: int                    # one more at every start: indexes of two epochs do not compare
    good_until: int | None        # after a loss: capture after this index may be stale

    # --- lifecycle ---
    @property
    def state(self) -> str: ...                 # "stopped", "running" or "failed"
    @property
    def error(self) -> AudioDeviceError | None: ...
    def add_error_handler(self, handler: Callable[[AudioDeviceError], None]) -> None: ...
    def start(self) -> None: ...                # returns once real input arrives
    def stop(self) -> None: ...                 # listeners get what was captured, then the end
    def restart(self, config=None) -> None: ...
    def wait_until_live(self, timeout: float) -> bool: ...

    # --- clock and playback ---
    @property
    def sample_rate(self) -> int: ...
    @property
    def output_channels(self) -> int: ...
    @property
    def position_samples(self) -> int: ...      # output index of the next block
    @property
    def capture_end(self) -> int: ...           # capture index one past the newest sample
    @property
    def is_live(self) -> bool: ...
    @property
    def output_latency_s(self) -> float: ...
    def playing_index(self) -> int: ...         # output index heard about now
    def play(self, samples: np.ndarray,
             start_index: int | None = None) -> ScheduledPlayback: ...
    def stop_playback(self) -> None: ...

    # --- capture ---
    def add_listener(self, listener: CaptureListener, start_index: int | None = None) -> None: ...
    def remove_listener(self, listener: CaptureListener) -> None: ...
    def wake_consumer_at(self, capture_index: int) -> None: ...
    def read_capture(self, start: int, stop: int) -> tuple[int, np.ndarray]: ...
    def wait_for_capture(self, index: int, timeout: float) -> bool: ...

    # --- statistics ---
    @property
    def stats(self) -> EngineStats: ...
    def callback_durations_ns(self) -> np.ndarray: ...
