"""One full-duplex PortAudio stream that plays and records on one clock: `DuplexEngine`.

The engine is a small facade over the parts that do the work, one concern each:

- `clock.py`          the two sample counters, the audio callback that keeps them, playback placed
                      by output index (read it first: it says why takes can be cut by index);
- `stream_host.py`    opening, pumping and closing the PortAudio stream;
- `capture_fanout.py` the capture ring drained into listeners on the consumer thread;
- `supervisor.py`     the consumer and watcher threads: a stream PortAudio ended by itself is
                      reopened, devices that are really gone fail the engine with one message;
- `engine_stats.py`   over/underflow counts and alignment breaks from the callback's event log.

Threads: the audio callback (PortAudio's, or the pump's on ALSA) only copies samples; the consumer
delivers capture to listeners every 10 ms, or sooner when the pump has brought the input a listener
waits for (`wake_consumer_at`); the watcher asks the sound server whether the devices still exist.
Error handlers run once, on one of these threads (never the callback), when the devices are lost.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from typing import Callable

import numpy as np

from yousync_desktop.audio._portaudio import rescan, sounddevice
from yousync_desktop.audio.capture_fanout import CaptureFanout, CaptureListener
from yousync_desktop.audio.clock import DuplexClock, ScheduledPlayback, as_output_frames
from yousync_desktop.audio.devices import DeviceChoice, resolve_devices
from yousync_desktop.audio.engine_config import EngineConfig
from yousync_desktop.audio.engine_stats import (INPUT_OVERFLOW, INPUT_UNDERFLOW, OUTPUT_OVERFLOW,
                                                OUTPUT_UNDERFLOW, STREAM_REOPENED, EngineStats,
                                                StatsCollector)
from yousync_desktop.audio.errors import AudioDeviceError, DeviceLoss
from yousync_desktop.audio.stream_host import (ENGINE_VERSION, StreamHost,
                                               automatic_stream_latency, uses_blocking_pump)
from yousync_desktop.audio.supervisor import Supervisor

log = logging.getLogger(__name__)


class DuplexEngine:
    def __init__(self, config: EngineConfig | None = None):
        self.config = config or EngineConfig()
        self.devices: DeviceChoice | None = None
        self.epoch = 0  # incremented by every start: indexes of different epochs do not compare
        self.good_until: int | None = None  # set on failure: input after it may be stale
        self._state = "stopped"
        self._error: AudioDeviceError | None = None
        self._error_handlers: list[Callable[[AudioDeviceError], None]] = []
        self._fail_lock = threading.Lock()
        self._stop_requested = False
        self._out_channels = 1  # until start() knows the output device
        self._latency = None
        self._clock = DuplexClock(self.config.sample_rate, self.config.capture_seconds)
        self._stats = StatsCollector()
        self._fanout = CaptureFanout(self._clock, self._stats)
        self._host = StreamHost()
        self._supervisor = Supervisor(self._clock, self._fanout, self._host, self._stats,
                                      open_stream=self._open_stream, is_ending=self._is_ending,
                                      fail=self._fail)

    # --- lifecycle -------------------------------------------------------------------------------

    @property
    def state(self) -> str:
        """"stopped", "running" or "failed"."""
        return self._state

    @property
    def error(self) -> AudioDeviceError | None:
        """Why the engine failed, until the next start."""
        return self._error

    def add_error_handler(self, handler: Callable[[AudioDeviceError], None]) -> None:
        """`handler(error)` runs once when the device is lost, on one of the engine's threads
        (never the audio callback): a Qt UI forwards it with a queued signal."""
        self._error_handlers.append(handler)

    def start(self) -> None:
        """Open the devices and start the clock; returns once real input arrives. Raises
        AudioDeviceError with a message for the learner when that cannot be done."""
        if self._state == "running":
            return
        sounddevice()  # says clearly when PortAudio is missing, before devices are looked up
        # A full garbage collection walks every object alive while holding the GIL: 100 ms and
        # more in a big process, long enough for the pump to let the output run dry. What is
        # alive now (libraries, the caller's data) is left out of all later collections.
        gc.freeze()
        self._stop_requested = False
        config = self.config
        self.devices = choice = resolve_devices(config.input_device, config.output_device)
        for message in choice.messages:
            log.warning("%s", message)
        self._out_channels = config.output_channels or min(2, choice.output.max_output_channels)
        self._latency = config.stream_latency_s or automatic_stream_latency(choice.output.hostapi)
        self._clock.reset(config.sample_rate, config.capture_seconds, config.input_channel)
        self._host.reset()
        self._error = None
        self._stats.reset()
        self._fanout.restart_cursors()  # listeners kept across a restart start with the new clock
        self._supervisor.prepare(config)
        self._open_stream()
        self.epoch += 1
        self.good_until = None
        self._state = "running"
        self._supervisor.start(choice)
        if not self.wait_until_live(config.live_timeout_s):
            error = self._error
            self.stop()
            raise error or AudioDeviceError("audio.no_input", microphone=choice.input.label)

    def _open_stream(self) -> None:
        """Open and start a stream on the chosen devices with the clock's callback; the clock is
        not touched. Raises AudioDeviceError with a message for the learner."""
        self._host.open(self.devices, sample_rate=self.config.sample_rate,
                        input_channel=self.config.input_channel,
                        output_channels=self._out_channels, latency=self._latency,
                        callback=self._clock.callback, on_input=self._fanout.input_pumped)

    def _is_ending(self) -> bool:
        return self._stop_requested or self._state != "running"

    def wait_until_live(self, timeout: float) -> bool:
        """Wait until the first real input has been recorded (the capture index exists)."""
        deadline = time.monotonic() + timeout
        while not self._clock.capture_live:
            if self._state != "running" or time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def stop(self) -> None:
        """Stop the stream and the consumer. Listeners get what was captured, then
        `on_stream_end(None)`."""
        self._stop_requested = True  # a reopen racing with this stop must not start a stream
        self._host.close()  # first, so the consumer's last drain gets every sample
        self._supervisor.stop_threads()
        if self._state == "running":
            self._state = "stopped"
            self._fanout.end(None)

    def restart(self, config: EngineConfig | None = None) -> None:
        """Start again after a failure or with other devices, without restarting the app. Devices
        are enumerated afresh, so a reconnected microphone or a restarted sound server is found."""
        self.stop()
        if config is not None:
            self.config = config
        rescan()
        self._state = "stopped"
        self.start()

    def wake_consumer_at(self, capture_index: int) -> None:
        """Ask for the next drain as soon as the capture reaches `capture_index` (for the live
        trace: when its next pitch frame is complete) rather than at the consumer's next 10 ms
        look. Consumer thread only (from a listener's on_capture); it holds for one drain.
        Only the engine's own pump (ALSA) can tell that early; elsewhere the 10 ms look stays."""
        if self._host.pumped:
            self._fanout.wake_at(capture_index)

    def _fail(self, loss: DeviceLoss) -> None:
        """The device is gone: stop, hand listeners what was captured, report one error."""
        with self._fail_lock:
            if self._state != "running":
                return
            self._state = "failed"
        loss, self.good_until = self._supervisor.diagnose(loss)
        devices = self.devices  # resolved by start() before the engine ran
        error = AudioDeviceError.lost(loss, microphone=devices.input.label,
                                      speakers=devices.output.label)
        self._error = error
        self._stats.collect(self._clock)
        self._host.close()
        self._supervisor.stop_threads()
        self._fanout.drain()  # what arrived since the consumer's last pass
        self._fanout.end(error)
        for handler in list(self._error_handlers):
            try:
                handler(error)
            except Exception:
                log.exception("audio error handler failed")

    def _raise_if_failed(self) -> None:
        if self._state == "failed" and self._error is not None:
            raise self._error
        if self._state != "running":
            raise AudioDeviceError("audio.not_running")

    # --- clock and playback ----------------------------------------------------------------------

    @property
    def sample_rate(self) -> int:
        return self.config.sample_rate

    @property
    def output_channels(self) -> int:
        return self._out_channels

    @property
    def position_samples(self) -> int:
        """Output index of the first sample of the next block the callback will play."""
        return self._clock.output_index

    @property
    def capture_end(self) -> int:
        """Capture index one past the newest recorded sample."""
        return self._clock.capture.end

    @property
    def is_live(self) -> bool:
        return self._clock.capture_live

    @property
    def output_latency_s(self) -> float:
        """PortAudio's own estimate of the output latency (for video sync; not for takes)."""
        return self._host.output_latency_s

    def playing_index(self) -> int:
        """Output index of what the speakers play about now: for a playhead or the video to
        follow the audio (accurate to PortAudio's latency estimate, tens of ms; takes never use
        this, they use the calibrated round trip)."""
        return self._clock.output_index - int(self.output_latency_s * self.sample_rate)

    def play(self, samples: np.ndarray, start_index: int | None = None) -> ScheduledPlayback:
        """Play `samples` (frames, or frames × channels) from output index `start_index`, or as
        soon as safely possible. Replaces whatever was scheduled. The returned object says where
        each sample lands on the clock, so takes can be cut by index."""
        self._raise_if_failed()
        return self._clock.schedule(as_output_frames(samples, self.output_channels), start_index)

    def stop_playback(self) -> None:
        self._clock.stop_playback()

    # --- capture ---------------------------------------------------------------------------------

    def add_listener(self, listener: CaptureListener, start_index: int | None = None) -> None:
        """Deliver capture from `start_index` (default: from now on) to `listener`. Samples still in
        the ring are delivered even if `start_index` is in the past. A listener stays registered
        across restarts until removed."""
        self._fanout.add(listener, start_index)

    def remove_listener(self, listener: CaptureListener) -> None:
        self._fanout.remove(listener)

    def read_capture(self, start: int, stop: int) -> tuple[int, np.ndarray]:
        """Recorded samples [start, stop) still in the ring: (first index returned, samples)."""
        first, samples = self._clock.capture.read(start, stop)
        return first, samples[:, 0]

    def wait_for_capture(self, index: int, timeout: float) -> bool:
        """Wait until the capture index reaches `index`; False on timeout or failure."""
        deadline = time.monotonic() + timeout
        while self._clock.capture.end < index:
            if self._state != "running" or time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    # --- statistics ------------------------------------------------------------------------------

    @property
    def stats(self) -> EngineStats:
        """Counters since the stream started (a snapshot; safe from any thread)."""
        return self._stats.snapshot(self._clock)

    def callback_durations_ns(self) -> np.ndarray:
        """How long each recent callback took (for the benchmark), oldest first."""
        return self._clock.callback_durations_ns()


__all__ = ["CaptureListener", "DuplexEngine", "ENGINE_VERSION", "EngineConfig", "EngineStats",
           "INPUT_OVERFLOW", "INPUT_UNDERFLOW", "OUTPUT_OVERFLOW", "OUTPUT_UNDERFLOW",
           "STREAM_REOPENED", "ScheduledPlayback", "automatic_stream_latency",
           "uses_blocking_pump"]
