"""Virtual sound servers for the audio tests and the benchmark.

`PulseServer` runs a private PulseAudio with the same devices as scripts/virtual-audio.sh (sinks
`appout` and `feed`, source `feedmic` = feed's monitor) in its own runtime folder, so a test can
kill it without touching the server other tests use. It is stopped by its PID, never by name.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VIRTUAL_AUDIO_SCRIPT = REPO / "scripts" / "virtual-audio.sh"
DEVICES = ("-L", "module-null-sink sink_name=appout rate=48000",
           "-L", "module-null-sink sink_name=feed rate=48000",
           "-L", "module-remap-source master=feed.monitor source_name=feedmic")


def server_is_usable(env: dict[str, str] | None = None) -> bool:
    """True when `pactl` reaches a server that has the virtual devices."""
    if shutil.which("pactl") is None:
        return False
    try:
        sinks = subprocess.run(["pactl", "list", "short", "sinks"], capture_output=True, text=True,
                               timeout=5, env=env)
        sources = subprocess.run(["pactl", "list", "short", "sources"], capture_output=True,
                                 text=True, timeout=5, env=env)
    except (OSError, subprocess.SubprocessError):
        return False
    names = {line.split("\t")[1] for line in (sinks.stdout + sources.stdout).splitlines()
             if "\t" in line}
    return {"appout", "feed", "feedmic"} <= names


class PulseServer:
    def __init__(self, runtime_dir: Path):
        self.runtime_dir = Path(runtime_dir)
        self.process: subprocess.Popen | None = None

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["XDG_RUNTIME_DIR"] = str(self.runtime_dir)
        env.pop("PULSE_SERVER", None)
        return env

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self, timeout: float = 15.0) -> "PulseServer":
        self.runtime_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.runtime_dir, 0o700)
        self.process = subprocess.Popen(
            ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit",
             f"--log-target=file:{self.runtime_dir / 'pulse.log'}",
             "-L", "module-native-protocol-unix auth-anonymous=1", *DEVICES],
            env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while not server_is_usable(self.env):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"private PulseAudio did not start in {self.runtime_dir}")
            time.sleep(0.1)
        for command in (["pactl", "set-default-sink", "appout"],
                        ["pactl", "set-default-source", "feedmic"]):
            subprocess.run(command, env=self.env, timeout=5, check=False)
        return self

    def kill(self) -> None:
        """SIGKILL, as when a sound server crashes."""
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None


def start_shared_server(runtime_dir: Path) -> str:
    """Start the project's virtual devices with scripts/virtual-audio.sh in `runtime_dir`;
    returns the XDG_RUNTIME_DIR to use."""
    env = dict(os.environ, YOUSYNC_AUDIO_RUNTIME_DIR=str(runtime_dir))
    subprocess.run([str(VIRTUAL_AUDIO_SCRIPT), "start"], env=env, check=True, timeout=30,
                   capture_output=True)
    return str(runtime_dir)


def stop_shared_server(runtime_dir: Path) -> None:
    """Stop it again (the script kills the daemon by the PID it recorded)."""
    env = dict(os.environ, YOUSYNC_AUDIO_RUNTIME_DIR=str(runtime_dir))
    subprocess.run([str(VIRTUAL_AUDIO_SCRIPT), "stop"], env=env, check=False, timeout=30,
                   capture_output=True)
