"""Which microphone and speakers to use: list them, remember the choice, fall back when it is gone.

A device is remembered by its `key`, a string that survives restarts (PortAudio's numeric indexes do
not): ``"<host API>:<device name>"`` for a PortAudio device, ``"pulse:<name>"`` for a PulseAudio
source or sink, and ``""`` for the system default.

On Linux, PortAudio reaches PulseAudio (and PipeWire's Pulse server) through ALSA's "pulse" plugin,
which shows the whole sound server as one device called "pulse". The sources and sinks behind it are
listed with `pactl`, and one is selected by setting `PULSE_SOURCE` / `PULSE_SINK` in the environment
while the stream opens (`pulse_routing`): the plugin reads them when it connects.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from yousync_desktop.audio._portaudio import rescan, sounddevice
from yousync_desktop.audio.errors import AudioDeviceError

SYSTEM_DEFAULT = ""
CANDIDATE_RATES = (44100, 48000, 88200, 96000)
_PULSE_BRIDGE = "pulse"  # the ALSA plugin device PortAudio shows for the sound server


@dataclass(frozen=True)
class AudioDevice:
    key: str                  # what Settings stores
    label: str                # what the learner sees
    portaudio_index: int      # the PortAudio device the stream opens
    hostapi: str
    max_input_channels: int
    max_output_channels: int
    default_samplerate: float
    pulse_name: str | None = None  # routed through the "pulse" device with PULSE_SOURCE/PULSE_SINK
    is_default: bool = False

    @property
    def is_input(self) -> bool:
        return self.max_input_channels > 0

    @property
    def is_output(self) -> bool:
        return self.max_output_channels > 0


@dataclass(frozen=True)
class DeviceChoice:
    input: AudioDevice
    output: AudioDevice
    messages: tuple[str, ...] = ()  # why a saved device was replaced, for the UI to show

    @property
    def pair_key(self) -> str:
        return pair_key(self.input.key, self.output.key)


def pair_key(input_key: str, output_key: str) -> str:
    """The key under which a latency calibration of this input/output pair is stored."""
    return f"{input_key or 'default'} -> {output_key or 'default'}"


# --- listing ------------------------------------------------------------------------------------

def _pactl_json(kind: str) -> list[dict]:
    """PulseAudio sources or sinks (`kind`), or [] when there is no pactl or no server."""
    if shutil.which("pactl") is None:
        return []
    try:
        done = subprocess.run(["pactl", "-f", "json", "list", kind], capture_output=True,
                              text=True, timeout=3)
        if done.returncode == 0:
            found = json.loads(done.stdout)
            return found if isinstance(found, list) else []
        # Older pactl has no JSON: names only, from the short list.
        done = subprocess.run(["pactl", "list", "short", kind], capture_output=True, text=True,
                              timeout=3)
    except (OSError, subprocess.SubprocessError, ValueError):
        return []
    if done.returncode != 0:
        return []
    rows = []
    for line in done.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            rows.append({"name": parts[1], "description": parts[1],
                         "sample_specification": parts[3] if len(parts) > 3 else ""})
    return rows


def _pactl_default(kind: str) -> str | None:
    if shutil.which("pactl") is None:
        return None
    try:
        done = subprocess.run(["pactl", f"get-default-{kind}"], capture_output=True, text=True,
                              timeout=3)
    except (OSError, subprocess.SubprocessError):
        return None
    return (done.stdout.strip() or None) if done.returncode == 0 else None


def _spec_rate(spec: str) -> float:
    match = re.search(r"(\d+)Hz", spec or "")
    return float(match.group(1)) if match else 48000.0


def _channels(spec: str) -> int:
    match = re.search(r"(\d+)ch", spec or "")
    return int(match.group(1)) if match else 2


def list_devices(*, rescan_first: bool = False) -> list[AudioDevice]:
    """Every input and output device, the system default first. PulseAudio's sources and sinks are
    listed one by one in place of PortAudio's single "pulse" device."""
    sd = sounddevice()
    if rescan_first:
        rescan()
    hostapis = sd.query_hostapis()
    raw = list(sd.query_devices())
    default_in, default_out = sd.default.device
    devices: list[AudioDevice] = []
    bridge = next((d for d in raw if d["name"] == _PULSE_BRIDGE), None)

    # The system default as one entry per direction: on Windows and macOS the default microphone
    # and speakers are different PortAudio devices.
    for index, is_input in ((default_in, True), (default_out, False)):
        if index is None or index < 0:
            continue
        info = raw[index]
        server_default = _pactl_default("source" if is_input else "sink") if bridge else None
        devices.append(AudioDevice(
            key=SYSTEM_DEFAULT,
            label="System default" + (f" ({server_default})" if server_default else ""),
            portaudio_index=index, hostapi=hostapis[info["hostapi"]]["name"],
            max_input_channels=info["max_input_channels"] if is_input else 0,
            max_output_channels=0 if is_input else info["max_output_channels"],
            default_samplerate=info["default_samplerate"], is_default=True))

    if bridge is not None:
        for kind, is_input in (("sources", True), ("sinks", False)):
            entries = [e for e in _pactl_json(kind) if e.get("name")]
            descriptions = [e.get("description") or e["name"] for e in entries]
            for entry, description in zip(entries, descriptions):
                name = entry["name"]
                spec = entry.get("sample_specification", "")
                channels = _channels(spec)
                # Identical descriptions ("Null Output") are told apart by the server's name.
                label = description if descriptions.count(description) == 1 else \
                    f"{description} ({name})"
                devices.append(AudioDevice(
                    key=f"pulse:{name}", label=label,
                    portaudio_index=bridge["index"], hostapi="PulseAudio",
                    max_input_channels=channels if is_input else 0,
                    max_output_channels=0 if is_input else channels,
                    default_samplerate=_spec_rate(spec), pulse_name=name))

    for index, info in enumerate(raw):
        if info["name"] in (_PULSE_BRIDGE, "default") and bridge is not None:
            continue  # shown above as the server's own devices and as the system default
        hostapi = hostapis[info["hostapi"]]["name"]
        devices.append(AudioDevice(
            key=f"{hostapi}:{info['name']}", label=f"{info['name']} ({hostapi})",
            portaudio_index=index, hostapi=hostapi,
            max_input_channels=info["max_input_channels"],
            max_output_channels=info["max_output_channels"],
            default_samplerate=info["default_samplerate"]))
    return devices


def supported_sample_rates(device: AudioDevice, *, for_input: bool) -> list[int]:
    """The common rates PortAudio accepts for this device (through a sound server: all of them,
    the server converts)."""
    sd = sounddevice()
    check = sd.check_input_settings if for_input else sd.check_output_settings
    rates = []
    for rate in CANDIDATE_RATES:
        try:
            check(device=device.portaudio_index, samplerate=rate, channels=1)
        except Exception:  # noqa: BLE001 - PortAudio raises several types for "unsupported"
            continue
        rates.append(rate)
    return rates


# --- choosing -----------------------------------------------------------------------------------

def display_name(key: str) -> str:
    """A saved key as the learner would recognise it (without the host API prefix)."""
    return key.split(":", 1)[1] if ":" in key else (key or "system default")


def _without_hw_suffix(key: str) -> str:
    # ALSA numbers cards in plug-in order: "USB Mic (hw:2,0)" may come back as "(hw:1,0)".
    return re.sub(r"\s*\(hw:\d+,\d+\)\s*$", "", key)


def find_device(devices: list[AudioDevice], key: str, *, for_input: bool) -> AudioDevice | None:
    usable = [d for d in devices if (d.is_input if for_input else d.is_output)]
    for device in usable:
        if device.key == key:
            return device
    loose = _without_hw_suffix(key)
    for device in usable:
        if _without_hw_suffix(device.key) == loose:
            return device
    return None


def resolve_devices(input_key: str = SYSTEM_DEFAULT, output_key: str = SYSTEM_DEFAULT,
                    devices: list[AudioDevice] | None = None) -> DeviceChoice:
    """The devices to open for the saved keys; a saved device that is gone is replaced by the
    system default, with a message saying so. Raises AudioDeviceError when there is nothing."""
    if devices is None:
        devices = list_devices()
        if not devices or find_device(devices, input_key, for_input=True) is None \
                or find_device(devices, output_key, for_input=False) is None:
            devices = list_devices(rescan_first=True)  # plugged in, or the server came back
    messages = []
    chosen = []
    for key, for_input, what in ((input_key, True, "microphone"), (output_key, False, "speakers")):
        device = find_device(devices, key, for_input=for_input)
        if device is None:
            fallback = find_device(devices, SYSTEM_DEFAULT, for_input=for_input)
            if fallback is None:
                fallback = next((d for d in devices if (d.is_input if for_input else d.is_output)),
                                None)
            if fallback is None:
                if for_input:
                    raise AudioDeviceError("audio.no_microphone")
                raise AudioDeviceError("audio.no_speakers")
            messages.append(f"The saved {what} “{display_name(key)}” is not available; "
                            f"using “{fallback.label}” instead.")
            device = fallback
        chosen.append(device)
    return DeviceChoice(input=chosen[0], output=chosen[1], messages=tuple(messages))


def save_device_choice(settings, *, input_key: str | None = None,
                       output_key: str | None = None) -> None:
    """Remember the learner's choice in Settings (the caller saves the file)."""
    if input_key is not None:
        settings.audio_input_device = input_key
    if output_key is not None:
        settings.audio_output_device = output_key


@contextmanager
def pulse_routing(choice: DeviceChoice) -> Iterator[None]:
    """Point the ALSA "pulse" plug-in at the chosen source and sink while a stream opens, then put
    the environment back so nothing else in the process is affected."""
    wanted = {"PULSE_SOURCE": choice.input.pulse_name, "PULSE_SINK": choice.output.pulse_name}
    saved = {name: os.environ.get(name) for name in wanted}
    try:
        for name, value in wanted.items():
            if value is not None:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
