"""Fixtures for the audio tests: the real PortAudio → ALSA pulse plug-in → PulseAudio stack with
virtual devices (see ../shared/docs/testing.md and scripts/virtual-audio.sh).

`virtual_audio` uses the server `make test` started (when `pactl` reaches one with the virtual
devices) or starts its own with scripts/virtual-audio.sh in a private folder, and stops that one by
its PID at the end. Either way XDG_RUNTIME_DIR points the test process at it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import queue
from pathlib import Path

import pytest

from tests.audio.pulse_server import server_is_usable, start_shared_server, stop_shared_server

RELAY_SCRIPT = Path(__file__).with_name("loopback_relay.py")


@pytest.fixture(scope="session")
def virtual_audio(tmp_path_factory):
    """The XDG_RUNTIME_DIR of a PulseAudio with sinks appout/feed and source feedmic."""
    if os.environ.get("XDG_RUNTIME_DIR") and server_is_usable():
        yield os.environ["XDG_RUNTIME_DIR"]
        return
    runtime_dir = tmp_path_factory.mktemp("virtual-audio")
    previous = os.environ.get("XDG_RUNTIME_DIR")
    os.environ["XDG_RUNTIME_DIR"] = start_shared_server(runtime_dir)
    try:
        if not server_is_usable():
            pytest.fail("the virtual sound server did not come up (scripts/virtual-audio.sh)")
        yield os.environ["XDG_RUNTIME_DIR"]
    finally:
        stop_shared_server(runtime_dir)
        if previous is None:
            os.environ.pop("XDG_RUNTIME_DIR", None)
        else:
            os.environ["XDG_RUNTIME_DIR"] = previous


class LineReader:
    """Reads a child's stdout lines on a thread, so the test can wait with a timeout."""

    def __init__(self, stream):
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream) -> None:
        for line in stream:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def next(self, timeout: float) -> str:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no answer from the child process within {timeout} s") from None
        if line is None:
            raise AssertionError("the child process ended early")
        return line


class Relay:
    """tests/audio/loopback_relay.py in a child process: appout.monitor → (delay) → feed."""

    def __init__(self):
        self.process = subprocess.Popen([sys.executable, str(RELAY_SCRIPT)], text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._reader = LineReader(self.process.stdout)
        ready = self._reader.next(timeout=45)
        assert ready == "ready", f"relay did not start: {ready}"

    def restart(self) -> None:
        """A new relay process (a fresh stream), after the old one is stopped by its PID."""
        self.close()
        self.__init__()

    def set_delay(self, samples: int) -> None:
        self.process.stdin.write(f"delay {samples}\n")
        self.process.stdin.flush()
        assert self._reader.next(timeout=10) == f"ok delay {samples}"

    def xruns(self) -> int:
        """Glitches of the relay's own stream so far (each may move the loop's latency)."""
        self.process.stdin.write("xruns\n")
        self.process.stdin.flush()
        return int(self._reader.next(timeout=10).split()[1])

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.write("quit\n")
                self.process.stdin.flush()
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()  # by its own PID (Popen.kill), nothing broader
                self.process.wait(timeout=5)


@pytest.fixture(scope="module")
def relay(virtual_audio):
    relay = Relay()
    yield relay
    relay.close()


@pytest.fixture(scope="module")
def feed_loop_engine(virtual_audio, relay):
    """An engine that plays to `appout` and records `feedmic`, with the relay closing the loop:
    the virtual equivalent of speakers and a microphone in one room."""
    from yousync_desktop.audio.duplex_engine import DuplexEngine, EngineConfig

    engine = DuplexEngine(EngineConfig(input_device="pulse:feedmic", output_device="pulse:appout",
                                       live_timeout_s=30))
    engine.start()
    yield engine
    engine.stop()
