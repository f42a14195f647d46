"""Noticing that the sound server or the chosen device is gone while a stream still "runs".

When PulseAudio (or PipeWire's Pulse server) dies under an open stream, PortAudio does not always
say so: measured here, it sometimes ends the stream, sometimes stops calling back, and sometimes
keeps calling back at the normal pace with stale input looped from its buffer and no status flag.
When a PulseAudio source is removed (a USB microphone unplugged), the server quietly moves the
stream to another source. Neither is visible from the callback, so a watcher asks the server:

- is its socket still accepting connections (cheap; every check);
- do the source and sink the learner chose by name still exist (`pactl`; every few checks).

The engine notes the capture index at the start of every check that passes; when the watch finds
the server or a device gone, input after the last such index may be stale (or from another
microphone), and takes cut by the loss are trimmed to it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

from yousync_desktop.audio.devices import DeviceChoice
from yousync_desktop.audio.errors import SERVER_STOPPED, DeviceLoss


def pulse_socket_path() -> Path | None:
    """Where a PulseAudio-compatible server listens for this process, if it is a local socket."""
    server = os.environ.get("PULSE_SERVER", "")
    for entry in server.split():
        if entry.startswith("unix:"):
            return Path(entry[5:])
        if entry.startswith("/"):
            return Path(entry)
    if server:
        return None  # tcp or another transport: not probed
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    return Path(runtime) / "pulse" / "native" if runtime else None


def _accepts_connections(path: Path) -> bool:
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(1.0)
    try:
        probe.connect(str(path))
        return True
    except OSError:
        return False
    finally:
        probe.close()


def _pulse_names(kind: str) -> set[str] | None:
    try:
        done = subprocess.run(["pactl", "list", "short", kind], capture_output=True, text=True,
                              timeout=3)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return {line.split("\t")[1] for line in done.stdout.splitlines() if "\t" in line}


class DeviceWatch:
    NAME_CHECK_EVERY = 4  # checks; pactl costs a process start

    def __init__(self, choice: DeviceChoice):
        self.choice = choice
        path = pulse_socket_path()
        # Only watch a server the stream can actually be using: one that is up when we start.
        self.server_socket = path if path is not None and _accepts_connections(path) else None
        self._named = shutil.which("pactl") is not None and (
            choice.input.pulse_name is not None or choice.output.pulse_name is not None)
        self._checks = 0
        self.last_check_complete = False  # did the last check include the device names?
        self.cause: str | None = None     # "server" or "device" once a problem was found

    @property
    def active(self) -> bool:
        return self.server_socket is not None

    def problem(self, check_names: bool = False) -> DeviceLoss | None:
        """None while all is well, else why the devices are gone.
        The device names are checked every few calls, or now with `check_names`."""
        self.last_check_complete = False
        if self.server_socket is None:
            return None
        if not _accepts_connections(self.server_socket):
            self.cause = "server"
            return SERVER_STOPPED
        self._checks += 1
        names_now = self._checks % self.NAME_CHECK_EVERY == 0 or check_names
        if self._named and names_now:
            for device, kind, code in ((self.choice.input, "sources",
                                        "audio.lost.microphone_unplugged"),
                                       (self.choice.output, "sinks",
                                        "audio.lost.speakers_unplugged")):
                if device.pulse_name is None:
                    continue
                names = _pulse_names(kind)
                if names is not None and device.pulse_name not in names:
                    self.cause = "device"
                    return DeviceLoss(code, device.label)
        self.last_check_complete = not self._named or names_now
        return None
