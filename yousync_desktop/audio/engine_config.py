"""What an audio engine opens and how it watches it: `EngineConfig`, from the learner's Settings
or made by hand (tests, the CLI). Shared by `DuplexEngine` and `FakeEngine`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from yousync_desktop.audio.devices import SYSTEM_DEFAULT

if TYPE_CHECKING:
    from yousync_desktop.settings import Settings


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
    def from_settings(cls, settings: Settings) -> "EngineConfig":
        """The devices, rate and stream latency the learner chose (0 ms latency: automatic)."""
        latency_ms = settings.audio_stream_latency_ms
        return cls(input_device=settings.audio_input_device,
                   output_device=settings.audio_output_device,
                   sample_rate=settings.audio_sample_rate,
                   stream_latency_s=latency_ms / 1000 if latency_ms else None)
