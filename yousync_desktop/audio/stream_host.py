"""Opening, running and closing the engine's PortAudio stream.

On ALSA (PulseAudio's devices included) the stream is opened without a callback and our own
thread calls the clock's callback with what it read and writes what it filled (blocking_pump.py:
PortAudio's duplex callback thread busy-polls the PulseAudio plug-in); elsewhere PortAudio calls
it. The clock's rules hold the same way (clock.py).

The host also notices that a stream ended although nobody closed it (`finished_unexpectedly`):
PortAudio's ALSA host sometimes ends a stream by itself after an underrun through the PulseAudio
plug-in, which the supervisor answers by reopening (supervisor.py).
"""

from __future__ import annotations

import logging
import threading
from typing import Callable

from yousync_desktop.audio._portaudio import mark_wedged, sounddevice, stream_closed, stream_opened
from yousync_desktop.audio.blocking_pump import BlockingPump
from yousync_desktop.audio.devices import DeviceChoice, pulse_routing
from yousync_desktop.audio.errors import AudioDeviceError

log = logging.getLogger(__name__)

# Names the stream settings a calibration was measured with: a round trip saved by an engine with
# other settings is not applied (calibration.py).
ENGINE_VERSION = "yousync-audio/1"


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


class StreamHost:
    """At most one open stream at a time. Closing and reopening (stop, failure, reopen) happen one
    at a time under `lock`."""

    def __init__(self):
        self.stream = None
        self.pump: BlockingPump | None = None  # moves the audio of a stream opened without callback
        self.lock = threading.RLock()
        self.stopping = False  # the stream's end is expected (it is being closed)
        self.finished_unexpectedly = False
        self._generation = 0  # which stream a finished callback is about

    def reset(self) -> None:
        """Before the first stream of a start."""
        self.finished_unexpectedly = False
        self.stopping = False

    @property
    def pumped(self) -> bool:
        return self.pump is not None

    @property
    def output_latency_s(self) -> float:
        """PortAudio's own estimate of the output latency (for video sync; not for takes)."""
        stream = self.stream
        return float(stream.latency[1]) if stream is not None else 0.0

    def open(self, choice: DeviceChoice, *, sample_rate: int, input_channel: int,
             output_channels: int, latency, callback: Callable,
             on_input: Callable[[], None]) -> None:
        """Open and start a stream on `choice` that runs `callback`; `on_input` is called after
        each pumped exchange that brought input. Raises AudioDeviceError with a message for the
        learner."""
        sd = sounddevice()
        self._generation += 1
        generation = self._generation
        self.stopping = False
        stream = None
        # On ALSA our own thread moves the audio (blocking_pump.py says why); elsewhere PortAudio
        # calls back.
        pumped = uses_blocking_pump(choice.output.hostapi)
        callbacks = {} if pumped else {"callback": callback,
                                       "finished_callback": lambda: self._finished(generation)}
        try:
            with pulse_routing(choice):
                stream = sd.Stream(
                    device=(choice.input.portaudio_index, choice.output.portaudio_index),
                    samplerate=sample_rate, dtype="float32", blocksize=0,
                    channels=(input_channel + 1, output_channels),
                    latency=latency, **callbacks)
            stream_opened()
            stream.start()
            if pumped:
                self.pump = BlockingPump(stream, callback,
                                         on_end=lambda: self._finished(generation),
                                         on_input=on_input)
                self.pump.start()
        except Exception as exc:  # noqa: BLE001 - PortAudioError and friends from the host API
            if stream is not None:
                self._close(stream)
            raise AudioDeviceError("audio.cannot_open", microphone=choice.input.label,
                                   speakers=choice.output.label, sample_rate=sample_rate,
                                   reason=str(exc)) from None
        self.stream = stream

    def _finished(self, generation: int) -> None:
        # An old stream closed by a reopen (or abandoned, wedged) may report its end late.
        if generation == self._generation and not self.stopping:
            self.finished_unexpectedly = True

    def active(self) -> bool:
        """Is the stream still running? (True while there is none: being closed is no failure.)"""
        stream = self.stream
        if stream is None:
            return True  # being closed by stop(); not a failure
        try:
            return bool(stream.active)
        except Exception:  # noqa: BLE001 - closed under us by stop(): not a failure either
            return self.stopping

    def close(self) -> None:
        with self.lock:
            self.stopping = True  # before anything else: the stream's end is expected from here
            stream, self.stream = self.stream, None
            pump, self.pump = self.pump, None
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
