"""`FakeEngine`: the audio engine for tests, deterministic and without PortAudio.

It runs the real engine's clock and fan-out (clock.py, capture_fanout.py, engine_stats.py): the
same callback places playback by output index and records capture by capture index, the same
drain delivers capture to listeners. Only the sound system is simulated, and time moves only
when the test says so:

- `advance(seconds)` moves output and capture by whole blocks (`block_frames`), and delivers the
  capture to listeners after each block, on the caller's thread;
- `wait_for_capture(index, timeout)` and `wait_until_live(timeout)` advance until the index is
  reached (at most `timeout` seconds of the fake's time): code that waits for the engine, such as
  `LatencyCalibrator.measure()` or `record_for()`, runs to the end in the test's thread;
- `run_realtime()` instead moves one block per block of wall-clock time on a thread of its own
  while the engine runs (restarts included), for UI tests that poll with timers; listeners are
  then called on that thread, as on the real engine's consumer thread.

What the microphone hears is the sum of what the test puts there (`microphone`, a FakeMicrophone):
silence by default, a signal at a capture index (`say`), the output looped back with a fixed round
trip (`loop_back`: a sound played at output index p is captured at p + latency, so calibration
finds exactly that latency), and seeded noise. `fail()` loses the devices as the real engine
does: listeners get what was captured, then `on_stream_end(error)`, then the error handlers run.
`glitch()` flags the next block like PortAudio flags an xrun (it counts, it moves nothing).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from typing import Callable

import numpy as np

from yousync_desktop.audio.capture_fanout import CaptureFanout, CaptureListener
from yousync_desktop.audio.clock import DuplexClock, ScheduledPlayback, as_output_frames
from yousync_desktop.audio.devices import AudioDevice, DeviceChoice, display_name
from yousync_desktop.audio.engine_config import EngineConfig
from yousync_desktop.audio.engine_stats import EngineStats, StatsCollector
from yousync_desktop.audio.errors import STREAM_ENDED, AudioDeviceError, DeviceLoss
from yousync_desktop.audio.ring_buffer import SampleRing

log = logging.getLogger(__name__)


class _Flags:
    """A block's status as PortAudio's CallbackFlags present it to the callback."""

    def __init__(self, input_underflow=False, input_overflow=False, output_underflow=False,
                 output_overflow=False):
        self.input_underflow, self.input_overflow = input_underflow, input_overflow
        self.output_underflow, self.output_overflow = output_underflow, output_overflow

    def __bool__(self) -> bool:
        return bool(self.input_underflow or self.input_overflow or self.output_underflow
                    or self.output_overflow)


class FakeMicrophone:
    """What the fake microphone hears, by capture index."""

    def __init__(self):
        self._signals: list[tuple[int, np.ndarray]] = []
        self.loopback_latency: int | None = None  # samples from output index to capture index
        self.loopback_gain = 1.0
        self._noise_rms = 0.0
        self._noise = np.random.default_rng(0)

    def say(self, samples: np.ndarray, at: int) -> None:
        """`samples` (mono) are heard from capture index `at` on (added to anything else)."""
        self._signals.append((int(at), np.asarray(samples, dtype=np.float32).reshape(-1)))

    def loop_back(self, latency_samples: int, gain: float = 1.0) -> None:
        """Hear what is played (channels averaged), `latency_samples` later: a cable, or a sound
        server's monitor. The fake then moves at most that many samples per block, so what comes
        back has always been played already."""
        if latency_samples < 1:
            raise ValueError("a loop back needs a round trip of at least one sample")
        self.loopback_latency, self.loopback_gain = int(latency_samples), float(gain)

    def noise(self, rms: float, seed: int = 0) -> None:
        """White noise of this RMS under everything (a room, a microphone's self-noise)."""
        self._noise_rms, self._noise = float(rms), np.random.default_rng(seed)

    def silence(self) -> None:
        """Forget every signal, the loop back and the noise."""
        self._signals.clear()
        self.loopback_latency, self._noise_rms = None, 0.0

    def hear(self, start: int, frames: int, played: SampleRing) -> np.ndarray:
        """The capture [start, start + frames); `played` holds the output by output index."""
        out = np.zeros(frames, dtype=np.float32)
        for at, samples in self._signals:
            lo, hi = max(start, at), min(start + frames, at + samples.size)
            if lo < hi:
                out[lo - start:hi - start] += samples[lo - at:hi - at]
        if self.loopback_latency is not None:
            source = start - self.loopback_latency
            first, heard = played.read(source, source + frames)
            if heard.shape[0]:
                at = first - source
                out[at:at + heard.shape[0]] += self.loopback_gain * heard.mean(axis=1)
        if self._noise_rms:
            out += (self._noise_rms * self._noise.standard_normal(frames)).astype(np.float32)
        return out


def fake_devices(config: EngineConfig) -> DeviceChoice:
    """Devices named after the configured keys ("" = the fake's own defaults)."""
    def device(key: str, *, is_input: bool) -> AudioDevice:
        default = "Fake microphone" if is_input else "Fake speakers"
        return AudioDevice(key=key, label=display_name(key) if key else default,
                           portaudio_index=-1, hostapi="Fake",
                           max_input_channels=config.input_channel + 1 if is_input else 0,
                           max_output_channels=0 if is_input else 2,
                           default_samplerate=float(config.sample_rate), is_default=not key)

    return DeviceChoice(device(config.input_device, is_input=True),
                        device(config.output_device, is_input=False))


class FakeEngine:
    """Implements `engine_interface.AudioEngine`; see the module doc for how time moves."""

    def __init__(self, config: EngineConfig | None = None, *, block_frames: int = 480,
                 output_latency_s: float = 0.0, live_after_s: float = 0.0):
        self.config = config or EngineConfig()
        self.block_frames = block_frames
        self.live_after_s = live_after_s  # blocks flagged "no input yet" after each start
        self.microphone = FakeMicrophone()
        self.devices: DeviceChoice | None = None
        self.epoch = 0
        self.good_until: int | None = None
        self.start_error: AudioDeviceError | None = None  # raised by every start while set
        self.wake_requests: list[int] = []  # wake_consumer_at calls (the fake drains every block)
        self._output_latency_s = output_latency_s
        self._state = "stopped"
        self._error: AudioDeviceError | None = None
        self._error_handlers: list[Callable[[AudioDeviceError], None]] = []
        self._clock = DuplexClock(self.config.sample_rate, self.config.capture_seconds)
        self._stats = StatsCollector()
        self._fanout = CaptureFanout(self._clock, self._stats)
        self._played = SampleRing(1, channels=self.output_channels)
        self._next_flags = _Flags()
        self._silent_until = 0
        self._lock = threading.RLock()  # one block at a time: the test's or the realtime thread's
        self._realtime_mode = False
        self._realtime: threading.Thread | None = None
        self._stop_realtime = threading.Event()

    # --- lifecycle -------------------------------------------------------------------------------

    @property
    def state(self) -> str:
        return self._state

    @property
    def error(self) -> AudioDeviceError | None:
        return self._error

    def add_error_handler(self, handler: Callable[[AudioDeviceError], None]) -> None:
        self._error_handlers.append(handler)

    def start(self) -> None:
        if self._state == "running":
            return
        if self.start_error is not None:
            raise self.start_error
        config = self.config
        self.devices = fake_devices(config)
        with self._lock:
            self._clock.reset(config.sample_rate, config.capture_seconds, config.input_channel)
            self._played = SampleRing(int(config.capture_seconds * config.sample_rate),
                                      channels=self.output_channels)
            self._stats.reset()
            self._fanout.restart_cursors()
            self._silent_until = int(self.live_after_s * config.sample_rate)
            self._error, self.good_until = None, None
            self.epoch += 1
            self._state = "running"
        if self._realtime_mode:
            self._start_realtime()
        if not self.wait_until_live(config.live_timeout_s):
            self.stop()
            raise AudioDeviceError("audio.no_input", microphone=self.devices.input.label)

    def stop(self) -> None:
        self._end_realtime()
        with self._lock:
            if self._state == "running":
                self._state = "stopped"
                self._fanout.drain()
                self._fanout.end(None)

    def restart(self, config: EngineConfig | None = None) -> None:
        self.stop()
        if config is not None:
            self.config = config
        self._state = "stopped"
        self.start()

    def fail(self, loss: DeviceLoss | AudioDeviceError = STREAM_ENDED, *,
             good_until: int | None = None) -> AudioDeviceError:
        """The devices vanish now, as `DuplexEngine` reports it: the stream ends, listeners get
        what was captured and `on_stream_end(error)`, then each error handler gets the error.
        `good_until`: the capture index after which input is to be treated as stale."""
        self._end_realtime()
        with self._lock:
            if self._state != "running":
                return self._error
            self._state = "failed"
            self.good_until = good_until
            devices = self.devices
            error = loss if isinstance(loss, AudioDeviceError) else AudioDeviceError.lost(
                loss, microphone=devices.input.label, speakers=devices.output.label)
            self._error = error
            self._fanout.drain()
            self._fanout.end(error)
        for handler in list(self._error_handlers):
            handler(error)
        return error

    def glitch(self, *, input_overflow: bool = False, output_underflow: bool = False,
               output_overflow: bool = False) -> None:
        """Flag the next block as PortAudio flags an xrun (counted; the clock does not move)."""
        self._next_flags = _Flags(input_overflow=input_overflow,
                                  output_underflow=output_underflow,
                                  output_overflow=output_overflow)

    # --- time ------------------------------------------------------------------------------------

    def advance(self, seconds: float) -> int:
        """Move output and capture by `seconds` (rounded up to whole blocks); returns the
        samples moved. Listeners are called after every block, on this thread."""
        if self._realtime_mode:
            raise RuntimeError("the fake engine moves by itself in realtime mode")
        target = self._clock.output_index + math.ceil(seconds * self.sample_rate
                                                      / self.block_frames) * self.block_frames
        start = self._clock.output_index
        while self._state == "running" and self._clock.output_index < target:
            self._exchange(min(self.block_frames, target - self._clock.output_index))
        return self._clock.output_index - start

    def advance_until(self, condition: Callable[[], bool], timeout_s: float) -> bool:
        """Advance block by block until `condition()` holds (True), the engine stops, or
        `timeout_s` of the fake's time has passed (False)."""
        if self._realtime_mode:
            return self._wait_realtime(condition, timeout_s)
        limit = self._clock.output_index + int(timeout_s * self.sample_rate)
        while not condition():
            if self._state != "running" or self._clock.output_index >= limit:
                return condition()
            self._exchange(self.block_frames)
        return True

    def run_realtime(self) -> None:
        """From now on one block moves per block of wall-clock time, on the fake's own thread,
        whenever the engine runs (now, and after each start). Waits then wait in wall time."""
        self._realtime_mode = True
        if self._state == "running":
            self._start_realtime()

    def _start_realtime(self) -> None:
        if self._realtime is None:
            self._stop_realtime.clear()
            self._realtime = threading.Thread(target=self._run, name="fake-audio", daemon=True)
            self._realtime.start()

    def _run(self) -> None:
        block_s = self.block_frames / self.sample_rate
        due = time.monotonic()
        while not self._stop_realtime.is_set() and self._state == "running":
            due += block_s
            try:
                self._exchange(self.block_frames)
            except Exception:  # noqa: BLE001 - a test's bug: say so, keep the clock going
                log.exception("the fake engine's block failed")
            pause = due - time.monotonic()
            if pause > 0:
                self._stop_realtime.wait(pause)
            elif pause < -0.5:  # starved: go on from now rather than catch up in one burst
                due = time.monotonic()

    def _end_realtime(self) -> None:
        thread, self._realtime = self._realtime, None
        self._stop_realtime.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)

    def _wait_realtime(self, condition: Callable[[], bool], timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while not condition():
            if self._state != "running" or time.monotonic() > deadline:
                return condition()
            time.sleep(0.005)
        return True

    def _exchange(self, frames: int) -> None:
        """One block through the real callback, then the consumer's drain."""
        with self._lock:
            if self._state != "running":
                return
            clock, microphone = self._clock, self.microphone
            if microphone.loopback_latency is not None:
                frames = min(frames, microphone.loopback_latency)
            flags, self._next_flags = self._next_flags, _Flags()
            position = clock.output_index
            indata = np.zeros((frames, clock.input_channel + 1), dtype=np.float32)
            if position < self._silent_until:
                flags.input_underflow = True
            else:
                start = clock.capture.end if clock.capture_live else position
                indata[:, clock.input_channel] = microphone.hear(start, frames, self._played)
            outdata = np.empty((frames, self.output_channels), dtype=np.float32)
            clock.callback(indata, outdata, frames, None, flags)
            self._played.write(outdata)
            self._fanout.drain()

    # --- clock and playback ----------------------------------------------------------------------

    @property
    def sample_rate(self) -> int:
        return self.config.sample_rate

    @property
    def output_channels(self) -> int:
        return self.config.output_channels or 2

    @property
    def position_samples(self) -> int:
        return self._clock.output_index

    @property
    def capture_end(self) -> int:
        return self._clock.capture.end

    @property
    def is_live(self) -> bool:
        return self._clock.capture_live

    @property
    def output_latency_s(self) -> float:
        return self._output_latency_s

    def playing_index(self) -> int:
        return self._clock.output_index - int(self.output_latency_s * self.sample_rate)

    def play(self, samples: np.ndarray, start_index: int | None = None) -> ScheduledPlayback:
        if self._state == "failed" and self._error is not None:
            raise self._error
        if self._state != "running":
            raise AudioDeviceError("audio.not_running")
        return self._clock.schedule(as_output_frames(samples, self.output_channels), start_index)

    def stop_playback(self) -> None:
        self._clock.stop_playback()

    def played(self, start: int, stop: int) -> np.ndarray:
        """What the speakers got for output indexes [start, stop) (frames × channels; zeros
        where nothing was played or the history no longer reaches)."""
        out = np.zeros((stop - start, self.output_channels), dtype=np.float32)
        first, frames = self._played.read(start, stop)
        out[first - start:first - start + frames.shape[0]] = frames
        return out

    # --- capture ---------------------------------------------------------------------------------

    def add_listener(self, listener: CaptureListener, start_index: int | None = None) -> None:
        self._fanout.add(listener, start_index)

    def remove_listener(self, listener: CaptureListener) -> None:
        self._fanout.remove(listener)

    def wake_consumer_at(self, capture_index: int) -> None:
        self.wake_requests.append(capture_index)

    def read_capture(self, start: int, stop: int) -> tuple[int, np.ndarray]:
        first, samples = self._clock.capture.read(start, stop)
        return first, samples[:, 0]

    def wait_for_capture(self, index: int, timeout: float) -> bool:
        """Advances the fake's time (see the module doc); False on timeout or failure."""
        return self.advance_until(lambda: self._clock.capture.end >= index, timeout)

    def wait_until_live(self, timeout: float) -> bool:
        return self.advance_until(lambda: self._clock.capture_live, timeout)

    # --- statistics ------------------------------------------------------------------------------

    @property
    def stats(self) -> EngineStats:
        return self._stats.snapshot(self._clock)

    def callback_durations_ns(self) -> np.ndarray:
        return self._clock.callback_durations_ns()
