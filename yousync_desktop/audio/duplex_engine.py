"""One full-duplex PortAudio stream that plays and records on one clock.

The clock is two sample counters kept by the audio callback:

- the **output index**: how many samples have been handed to the speakers since the stream opened;
  `position_samples` is the index of the next block's first sample, and `play()` places a buffer
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
can still move L by an unknown amount; they are counted as `alignment_breaks`, reported with each
take, and the practice screen should suggest recalibrating when they happen.

PortAudio's ALSA host sometimes ends a stream by itself after an underrun through the PulseAudio
plug-in (its poll loop gets an error from the plug-in and the callback thread exits; seen on a
loaded machine) although the server and the devices are fine. The engine then reopens the stream
on the same devices (`_reopen`, at most `max_reopens` a minute) instead of failing: the output
index carries on, the capture index restarts at the output index of the first real input as at
start, the samples lost in between reach listeners as a gap (a take keeps time with silence), and
the reopening is logged as an event that counts as an alignment break. A server or device that is
really gone still fails the engine with one message (`_fail`).

On ALSA (PulseAudio's devices included) the stream is opened without a callback and our own
thread calls the same callback function with what it read and writes what it filled
(blocking_pump.py: PortAudio's duplex callback thread busy-polls the PulseAudio plug-in); the clock
rules above hold the same way.

House rules for the callback: it only copies samples (the scheduled playback into `outdata`, the
input into the capture ring) and stores a few integers into preallocated arrays. No allocation of
buffers, no locks, no logging. A consumer thread drains the capture ring into the listeners (level
meter, live trace, take writer) every 10 ms, or sooner when the pump has brought the input a
listener waits for (`wake_consumer_at`: each wake-up costs CPU, so only the live trace asks); it
also watches for a vanished device and reports it.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Protocol

import numpy as np

from yousync_desktop.audio._portaudio import (mark_wedged, rescan, sounddevice, stream_closed,
                                              stream_opened)
from yousync_desktop.audio.blocking_pump import BlockingPump
from yousync_desktop.audio.device_watch import DeviceWatch
from yousync_desktop.audio.devices import (SYSTEM_DEFAULT, DeviceChoice, pulse_routing,
                                           resolve_devices)
from yousync_desktop.audio.errors import AudioDeviceError
from yousync_desktop.audio.ring_buffer import SampleRing

log = logging.getLogger(__name__)

ENGINE_VERSION = "yousync-audio/1"

# Event kinds in the callback's event log (bits, as in PortAudio's status flags).
INPUT_UNDERFLOW, INPUT_OVERFLOW, OUTPUT_UNDERFLOW, OUTPUT_OVERFLOW = 1, 2, 4, 8
_LIVE = 16  # set on events that happened after the first real input
STREAM_REOPENED = 32  # not a PortAudio flag: the engine reopened a stream PortAudio had ended
_EVENT_SLOTS = 1024
_NEVER = 1 << 62  # a capture index never reached
_DURATION_SLOTS = 1 << 16


def automatic_stream_latency(hostapi: str) -> tuple[float, float] | str:
    """The stream latency (input, output) to ask PortAudio for when the learner has not chosen one.

    Through ALSA (on a desktop this is the PulseAudio/PipeWire bridge) our own thread moves the
    audio (blocking_pump.py). The output keeps 120 ms (a 128 ms buffer): 100 ms stalls of the
    pump left no gap, and the round trip was the same to the sample at every opening (measured
    on the virtual devices; PortAudio's callback, used before, underflowed within seconds at
    100 ms on a busy machine). The input asks for 20 ms: PulseAudio then hands capture over in
    5 ms pieces instead of one period (42.7 ms at 100 ms), which is what delayed the live trace.
    It costs no safety: what the pump has not yet read waits in PulseAudio's own queue (60 ms
    stalls lost nothing) and the round trip stayed the same at every opening. Elsewhere
    PortAudio's "high" latency is already safe. Latency costs nothing here: the round trip is
    measured and subtracted.
    """
    return (0.02, 0.12) if hostapi in ("ALSA", "PulseAudio") else "high"


def uses_blocking_pump(hostapi: str) -> bool:
    """Whether the stream is opened without a callback and pumped by our own thread: on ALSA,
    where PortAudio's duplex callback thread busy-polls the PulseAudio plug-in (blocking_pump.py).
    Our device list names PulseAudio's devices reached through ALSA "PulseAudio" (devices.py)."""
    return hostapi in ("ALSA", "PulseAudio")


class CaptureListener(Protocol):
    """Receives recorded samples on the engine's consumer thread (never on the audio thread)."""

    def on_capture(self, start_index: int, samples: np.ndarray) -> None:
        """`samples` (mono float32, a fresh array the listener may keep) begin at capture index
        `start_index`. A gap between calls means samples were lost (the listener fell behind by
        more than the ring holds)."""

    def on_stream_end(self, error: AudioDeviceError | None) -> None:
        """No more samples will come from this stream: it was stopped (`error` is None) or the
        device was lost (`error` says so). Called after the last `on_capture`."""


@dataclass(frozen=True)
class EngineConfig:
    input_device: str = SYSTEM_DEFAULT    # a key from devices.list_devices()
    output_device: str = SYSTEM_DEFAULT
    sample_rate: int = 48000
    output_channels: int | None = None     # None: stereo when the device has two channels
    input_channel: int = 0                 # which input channel is the microphone
    stream_latency_s: float | tuple[float, float] | None = None  # None: automatic
    capture_seconds: float = 60.0          # history kept in the capture ring
    live_timeout_s: float = 10.0           # how long start() waits for the first real input
    stall_timeout_s: float = 5.0           # no callback for this long = the device is gone
    starved_timeout_s: float = 3.0         # callbacks but no real input this long = input gone
    watch_interval_s: float = 0.25         # how often the sound server is asked if it is alive
    max_reopens: int = 3                   # per minute, after PortAudio ended the stream itself

    @classmethod
    def from_settings(cls, settings) -> "EngineConfig":
        latency_ms = getattr(settings, "audio_stream_latency_ms", 0)
        return cls(input_device=getattr(settings, "audio_input_device", SYSTEM_DEFAULT),
                   output_device=getattr(settings, "audio_output_device", SYSTEM_DEFAULT),
                   sample_rate=getattr(settings, "audio_sample_rate", 48000),
                   stream_latency_s=latency_ms / 1000 if latency_ms else None)


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
        it is skipped and arrives later, see the module doc)."""
        return self.input_overflows + self.output_underflows + self.output_overflows


class DuplexEngine:
    def __init__(self, config: EngineConfig | None = None):
        self.config = config or EngineConfig()
        self.devices: DeviceChoice | None = None
        self.epoch = 0  # incremented by every start: indexes of different epochs do not compare
        self._stream = None
        self._pump: BlockingPump | None = None  # moves the audio of a stream opened without callback
        self._state = "stopped"
        self._error: AudioDeviceError | None = None
        self._listeners: dict[int, list] = {}  # id -> [listener, cursor]
        self._listeners_lock = threading.Lock()  # consumer and API threads only, never the callback
        self._stats_lock = threading.Lock()
        self._error_handlers: list[Callable[[AudioDeviceError], None]] = []
        self._consumer: threading.Thread | None = None
        self._stop_consumer = threading.Event()
        self._capture_arrived = threading.Event()  # the pump's nudge: drain now, not in 10 ms
        self._wake_at = _NEVER  # capture index a listener is waiting for (wake_consumer_at)
        self._watcher: threading.Thread | None = None
        self._device_watch: DeviceWatch | None = None
        self._fail_lock = threading.Lock()
        # Closing and reopening a stream (stop, _fail, _reopen) happen one at a time.
        self._stream_lock = threading.RLock()
        self._stop_requested = False
        # Capture indexes at the last passing server check and device-name check (device_watch.py)
        self._server_good_until: int | None = None
        self._devices_good_until: int | None = None
        self.good_until: int | None = None  # set on failure: input after it may be stale
        self._stats = EngineStats()
        self._events_seen = 0
        self._stream_generation = 0  # which stream a finished callback is about
        self._reopened_at: list[float] = []
        self._reset_clock()

    # --- state shared with the callback (preallocated; plain attributes) -------------------------

    def _reset_clock(self) -> None:
        rate = self.config.sample_rate
        self._capture = SampleRing(int(self.config.capture_seconds * rate))
        self._output_index = 0
        self._capture_live = False
        self._scheduled: ScheduledPlayback | None = None
        self._callbacks = 0
        self._input_blocks = 0   # exchanges that brought real input, and how much in all
        self._input_frames = 0
        self._max_frames = 0
        self._events = np.zeros((_EVENT_SLOTS, 3), dtype=np.int64)
        self._event_count = 0
        self._durations = np.zeros(_DURATION_SLOTS, dtype=np.int64)
        self._finished_unexpectedly = False
        self._stopping = False
        self._gone_reason: str | None = None  # why _reopen found the devices gone

    def _callback(self, indata, outdata, frames, _time_info, status) -> None:
        began = time.perf_counter_ns()
        position = self._output_index
        scheduled = self._scheduled
        outdata.fill(0)
        if scheduled is not None:
            first = position if position > scheduled.start else scheduled.start
            last = position + frames
            if last > scheduled.end:
                last = scheduled.end
            if first < last:
                outdata[first - position:last - position] = \
                    scheduled.samples[first - scheduled.start:last - scheduled.start]
        self._output_index = position + frames
        if frames > self._max_frames:
            self._max_frames = frames

        flags = 0
        if status:
            flags = ((INPUT_UNDERFLOW if status.input_underflow else 0)
                     | (INPUT_OVERFLOW if status.input_overflow else 0)
                     | (OUTPUT_UNDERFLOW if status.output_underflow else 0)
                     | (OUTPUT_OVERFLOW if status.output_overflow else 0))
            slot = self._event_count % _EVENT_SLOTS
            self._events[slot, 0] = flags | (_LIVE if self._capture_live else 0)
            self._events[slot, 1] = position
            self._events[slot, 2] = self._capture.end
            self._event_count += 1
        if not flags & INPUT_UNDERFLOW:  # a block of fake zeros is not recorded (see above)
            if not self._capture_live:
                self._capture.reset(position)
                self._capture_live = True
            self._capture.write(indata[:, self._input_channel])
            if indata.shape[0]:
                self._input_blocks += 1
                self._input_frames += indata.shape[0]
        count = self._callbacks
        self._durations[count % _DURATION_SLOTS] = time.perf_counter_ns() - began
        self._callbacks = count + 1

    def _finished(self, generation: int) -> None:
        # An old stream closed by _reopen (or abandoned, wedged) may report its end late.
        if generation == self._stream_generation and not self._stopping:
            self._finished_unexpectedly = True

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
        out_channels = config.output_channels or min(2, choice.output.max_output_channels)
        latency = config.stream_latency_s or automatic_stream_latency(choice.output.hostapi)
        self._input_channel = config.input_channel
        self._out_channels = out_channels
        self._reset_clock()
        self._error = None
        self._stats = EngineStats()
        self._events_seen = 0
        with self._listeners_lock:  # listeners kept across a restart start with the new clock
            for entry in self._listeners.values():
                entry[1] = -1
        self._latency = latency
        self._reopened_at = []
        self._stream = self._open_stream()
        self.epoch += 1
        self.good_until = self._server_good_until = self._devices_good_until = None
        self._state = "running"
        self._stop_consumer.clear()
        self._consumer = threading.Thread(target=self._consume, name="audio-consumer", daemon=True)
        self._consumer.start()
        self._device_watch = watch = DeviceWatch(choice)
        if watch.active:
            self._watcher = threading.Thread(target=self._watch, args=(watch,), name="audio-watch",
                                             daemon=True)
            self._watcher.start()
        if not self.wait_until_live(config.live_timeout_s):
            error = self._error
            self.stop()
            raise error or AudioDeviceError(
                f"No sound is arriving from the microphone “{choice.input.label}”. Check that it "
                "is connected and not in use by another program.")

    def _open_stream(self):
        """Open and start a stream on the chosen devices with the callback; the clock is not
        touched. Raises AudioDeviceError with a message for the learner."""
        sd, config, choice = sounddevice(), self.config, self.devices
        self._stream_generation += 1
        generation = self._stream_generation
        self._stopping = False
        stream = None
        # On ALSA our own thread moves the audio (blocking_pump.py says why); elsewhere PortAudio
        # calls back.
        pumped = uses_blocking_pump(choice.output.hostapi)
        callbacks = {} if pumped else {"callback": self._callback,
                                       "finished_callback": lambda: self._finished(generation)}
        try:
            with pulse_routing(choice):
                stream = sd.Stream(
                    device=(choice.input.portaudio_index, choice.output.portaudio_index),
                    samplerate=config.sample_rate, dtype="float32", blocksize=0,
                    channels=(config.input_channel + 1, self._out_channels),
                    latency=self._latency, **callbacks)
            stream_opened()
            stream.start()
            if pumped:
                self._pump = BlockingPump(stream, self._callback,
                                          on_end=lambda: self._finished(generation),
                                          on_input=self._input_pumped)
                self._pump.start()
        except Exception as exc:  # noqa: BLE001 - PortAudioError and friends from the host API
            if stream is not None:
                self._close(stream)
            raise AudioDeviceError(
                f"Cannot open the microphone “{choice.input.label}” with the speakers "
                f"“{choice.output.label}” at {config.sample_rate} Hz: {exc}") from None
        return stream

    def wait_until_live(self, timeout: float) -> bool:
        """Wait until the first real input has been recorded (the capture index exists)."""
        deadline = time.monotonic() + timeout
        while not self._capture_live:
            if self._state != "running" or time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def stop(self) -> None:
        """Stop the stream and the consumer. Listeners get what was captured, then
        `on_stream_end(None)`."""
        self._stop_requested = True  # a reopen racing with this stop must not start a stream
        self._close_stream()  # first, so the consumer's last drain gets every sample
        self._stop_threads()
        if self._state == "running":
            self._state = "stopped"
            self._end_listeners(None)

    def restart(self, config: EngineConfig | None = None) -> None:
        """Start again after a failure or with other devices, without restarting the app. Devices
        are enumerated afresh, so a reconnected microphone or a restarted sound server is found."""
        self.stop()
        if config is not None:
            self.config = config
        rescan()
        self._state = "stopped"
        self.start()

    def _close_stream(self) -> None:
        with self._stream_lock:
            self._stopping = True  # before anything else: the stream's end is expected from here
            stream, self._stream = self._stream, None
            pump, self._pump = self._pump, None
            if pump is not None and not pump.stop():
                mark_wedged()  # stuck in the plug-in like a dead server's close (see _close)
                return
            if stream is not None:
                self._close(stream)

    @staticmethod
    def _close(stream) -> None:
        def close() -> None:
            try:
                stream.abort()
                stream.close()
            except Exception as exc:  # noqa: BLE001 - a dead device may fail to close; it is gone
                log.info("closing the audio stream: %s", exc)
            stream_closed()

        # When the sound server dies, closing can deadlock inside the ALSA pulse plug-in (seen
        # here); never hang the caller: abandon that stream (see _portaudio.py).
        closer = threading.Thread(target=close, name="audio-close", daemon=True)
        closer.start()
        closer.join(timeout=3)
        if closer.is_alive():
            mark_wedged()

    def wake_consumer_at(self, capture_index: int) -> None:
        """Ask for the next drain as soon as the capture reaches `capture_index` (for the live
        trace: when its next pitch frame is complete) rather than at the consumer's next 10 ms
        look. Consumer thread only (from a listener's on_capture); it holds for one drain.
        Only the engine's own pump (ALSA) can tell that early; elsewhere the 10 ms look stays."""
        if self._pump is not None:
            self._wake_at = min(self._wake_at, capture_index)

    def _input_pumped(self) -> None:
        """The pump's thread, after an exchange that brought input."""
        if self._capture.end >= self._wake_at:
            self._capture_arrived.set()

    def _stop_threads(self) -> None:
        self._stop_consumer.set()
        self._capture_arrived.set()
        for thread in (self._consumer, self._watcher):
            if thread is not None and thread is not threading.current_thread():
                thread.join(timeout=5)
        self._consumer = self._watcher = None

    # --- clock and playback ----------------------------------------------------------------------

    @property
    def sample_rate(self) -> int:
        return self.config.sample_rate

    @property
    def output_channels(self) -> int:
        return getattr(self, "_out_channels", 1)

    @property
    def position_samples(self) -> int:
        """Output index of the first sample of the next block the callback will play."""
        return self._output_index

    @property
    def capture_end(self) -> int:
        """Capture index one past the newest recorded sample."""
        return self._capture.end

    @property
    def is_live(self) -> bool:
        return self._capture_live

    @property
    def output_latency_s(self) -> float:
        """PortAudio's own estimate of the output latency (for video sync; not for takes)."""
        stream = self._stream
        return float(stream.latency[1]) if stream is not None else 0.0

    def playing_index(self) -> int:
        """Output index of what the speakers play about now: for a playhead or the video to
        follow the audio (accurate to PortAudio's latency estimate, tens of ms; takes never use
        this, they use the calibrated round trip)."""
        return self._output_index - int(self.output_latency_s * self.sample_rate)

    def play(self, samples: np.ndarray, start_index: int | None = None) -> ScheduledPlayback:
        """Play `samples` (frames, or frames × channels) from output index `start_index`, or as
        soon as safely possible. Replaces whatever was scheduled. The returned object says where
        each sample lands on the clock, so takes can be cut by index."""
        self._raise_if_failed()
        samples = np.asarray(samples, dtype=np.float32)
        if samples.ndim == 1:
            samples = samples[:, None]
        channels = self.output_channels
        if samples.shape[1] != channels:
            mono = samples.mean(axis=1, keepdims=True)
            samples = np.repeat(mono, channels, axis=1)
        samples = np.ascontiguousarray(samples)
        if start_index is None:
            # Far enough ahead that the callback cannot already be past it when it sees the buffer.
            start_index = (self._output_index + max(self._max_frames, 1024)
                           + self.sample_rate // 20)
        scheduled = ScheduledPlayback(samples=samples, start=int(start_index))
        self._scheduled = scheduled
        return scheduled

    def stop_playback(self) -> None:
        self._scheduled = None

    # --- capture ---------------------------------------------------------------------------------

    def add_listener(self, listener: CaptureListener, start_index: int | None = None) -> None:
        """Deliver capture from `start_index` (default: from now on) to `listener`. Samples still in
        the ring are delivered even if `start_index` is in the past. A listener stays registered
        across restarts until removed."""
        with self._listeners_lock:
            if start_index is not None:
                cursor = int(start_index)
            else:
                cursor = self._capture.end if self._capture_live else -1
            self._listeners[id(listener)] = [listener, cursor]

    def remove_listener(self, listener: CaptureListener) -> None:
        with self._listeners_lock:
            self._listeners.pop(id(listener), None)

    def read_capture(self, start: int, stop: int) -> tuple[int, np.ndarray]:
        """Recorded samples [start, stop) still in the ring: (first index returned, samples)."""
        first, samples = self._capture.read(start, stop)
        return first, samples[:, 0]

    def wait_for_capture(self, index: int, timeout: float) -> bool:
        """Wait until the capture index reaches `index`; False on timeout or failure."""
        deadline = time.monotonic() + timeout
        while self._capture.end < index:
            if self._state != "running" or time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    # --- statistics ------------------------------------------------------------------------------

    @property
    def stats(self) -> EngineStats:
        """Counters since the stream started (a snapshot; safe from any thread)."""
        self._collect_events()
        with self._stats_lock:
            snapshot = EngineStats(**{**self._stats.__dict__, "events": list(self._stats.events)})
        return snapshot

    def callback_durations_ns(self) -> np.ndarray:
        """How long each recent callback took (for the benchmark), oldest first."""
        count = self._callbacks
        if count <= _DURATION_SLOTS:
            return self._durations[:count].copy()
        at = count % _DURATION_SLOTS
        return np.concatenate([self._durations[at:], self._durations[:at]])

    def _collect_events(self) -> None:
        with self._stats_lock:
            count = self._event_count
            stats = self._stats
            stats.callbacks = self._callbacks
            stats.input_blocks, stats.input_frames = self._input_blocks, self._input_frames
            for number in range(max(self._events_seen, count - _EVENT_SLOTS), count):
                flags, out_index, cap_index = (int(v) for v in self._events[number % _EVENT_SLOTS])
                stats.input_underflows += bool(flags & INPUT_UNDERFLOW)
                stats.input_overflows += bool(flags & INPUT_OVERFLOW)
                stats.output_underflows += bool(flags & OUTPUT_UNDERFLOW)
                stats.output_overflows += bool(flags & OUTPUT_OVERFLOW)
                if flags & _LIVE and flags & (INPUT_OVERFLOW | OUTPUT_UNDERFLOW):
                    stats.alignment_breaks += 1
                if len(stats.events) < 1000:
                    stats.events.append((flags & ~_LIVE, out_index, cap_index))
            self._events_seen = count

    # --- consumer thread -------------------------------------------------------------------------

    def _consume(self) -> None:
        last_callbacks, last_progress = -1, time.monotonic()
        last_capture, last_input = -1, time.monotonic()
        while True:
            # While a listener waits for a capture index, the pump's nudge is what counts: a 10 ms
            # look in between would only drain part of what it waits for (one more wake-up).
            self._capture_arrived.wait(0.01 if self._wake_at == _NEVER else 0.05)
            self._capture_arrived.clear()
            self._wake_at = _NEVER  # listeners ask again during this drain
            stopping = self._stop_consumer.is_set()
            self._drain()
            if stopping:
                return
            now = time.monotonic()
            if self._callbacks != last_callbacks:
                last_callbacks, last_progress = self._callbacks, now
            if self._capture.end != last_capture or not self._capture_live:
                last_capture, last_input = self._capture.end, now
            if self._stopping:  # stop() is closing the stream; its end is no problem
                continue
            problem = None
            if self._finished_unexpectedly or not self._stream_active():
                if self._reopen():
                    last_progress = last_input = time.monotonic()
                    continue
                problem = self._gone_reason or \
                    "The audio stream ended unexpectedly: a device was disconnected."
            elif now - last_progress > self.config.stall_timeout_s:
                problem = "The audio devices stopped responding: a device was disconnected."
            elif now - last_input > self.config.starved_timeout_s:
                problem = "The microphone stopped delivering sound: it was disconnected."
            if problem:
                threading.Thread(target=self._fail, args=(problem,), name="audio-fail",
                                 daemon=True).start()
                return

    def _reopen(self) -> bool:
        """PortAudio ended the stream by itself: open it again on the same devices when the server
        and the devices are still there (see the module doc). Consumer thread only."""
        now = time.monotonic()
        self._reopened_at = [t for t in self._reopened_at if now - t < 60.0]
        if len(self._reopened_at) >= self.config.max_reopens:
            return False
        watch = self._device_watch
        gone = watch.problem(check_names=True) if watch is not None else None
        if gone:
            self._gone_reason = gone  # really gone: _fail reports why
            return False
        self._drain()  # everything the old stream captured, before the capture index moves on
        with self._stream_lock:
            if self._stop_requested or self._state != "running":
                return True  # stop() or _fail() is ending the engine anyway
            self._close_stream()
            self._capture_live = False  # the first real input restarts the capture index
            self._finished_unexpectedly = False
            try:
                self._stream = self._open_stream()
            except AudioDeviceError as exc:
                log.warning("reopening the audio stream failed: %s", exc)
                return False
        self._reopened_at.append(now)
        with self._stats_lock:
            self._stats.reopens += 1
            self._stats.alignment_breaks += 1
            if len(self._stats.events) < 1000:
                self._stats.events.append((STREAM_REOPENED, self._output_index, self._capture.end))
        log.warning("PortAudio ended the audio stream by itself; it was reopened")
        return True

    def _stream_active(self) -> bool:
        stream = self._stream
        if stream is None:
            return True  # being closed by stop(); not a failure
        try:
            return bool(stream.active)
        except Exception:  # noqa: BLE001 - closed under us by stop(): not a failure either
            return self._stopping

    def _watch(self, watch: DeviceWatch) -> None:
        while not self._stop_consumer.wait(self.config.watch_interval_s):
            checked_from = self._capture.end
            problem = watch.problem()
            if problem:
                self._fail(problem)
                return
            if self._capture_live:
                self._server_good_until = checked_from
                if watch.last_check_complete:
                    self._devices_good_until = checked_from

    def _drain(self) -> None:
        end = self._capture.end
        with self._listeners_lock:
            entries = list(self._listeners.values())
        for entry in entries:
            listener, cursor = entry
            if cursor < 0:  # "from now on", registered before the first real input
                if not self._capture_live:
                    continue
                cursor = self._capture.start_index
            if cursor >= end:
                continue
            first, samples = self._capture.read(cursor, end)
            if first > cursor:
                with self._stats_lock:
                    self._stats.lost_capture_samples += first - cursor
            entry[1] = first + samples.shape[0]
            if samples.shape[0]:
                try:
                    listener.on_capture(first, samples[:, 0])
                except Exception:  # a broken listener must not stop the recording
                    log.exception("capture listener %r failed; removing it", listener)
                    self.remove_listener(listener)

    def _fail(self, problem: str) -> None:
        """The device is gone: stop, hand listeners what was captured, report one error."""
        with self._fail_lock:
            if self._state != "running":
                return
            self._state = "failed"
        watch = self._device_watch
        if watch is not None and watch.cause is None:
            problem = watch.problem() or problem  # the sound server itself may be the cause
        if watch is not None and watch.cause is not None:
            self.good_until = (self._server_good_until if watch.cause == "server"
                               else self._devices_good_until)
        devices = self.devices
        names = (f"microphone “{devices.input.label}”, speakers “{devices.output.label}”"
                 if devices else "the audio device")
        error = AudioDeviceError(
            f"{problem} Recording stopped ({names}); everything recorded until then was kept. "
            "Check the devices and start again.")
        self._error = error
        self._collect_events()
        self._close_stream()
        self._stop_threads()
        self._drain()  # what arrived since the consumer's last pass
        self._end_listeners(error)
        for handler in list(self._error_handlers):
            try:
                handler(error)
            except Exception:
                log.exception("audio error handler failed")

    def _end_listeners(self, error: AudioDeviceError | None) -> None:
        with self._listeners_lock:
            listeners = [entry[0] for entry in self._listeners.values()]
        for listener in listeners:
            try:
                listener.on_stream_end(error)
            except Exception:
                log.exception("capture listener %r failed at the end of the stream", listener)

    def _raise_if_failed(self) -> None:
        if self._state == "failed" and self._error is not None:
            raise self._error
        if self._state != "running":
            raise AudioDeviceError("The audio engine is not running.")
