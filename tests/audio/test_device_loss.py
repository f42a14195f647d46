"""The sound server dies mid-take (kill -9): the take ends cleanly with what was captured, the
engine reports one clear error, and it starts again once a server is back, without restarting the
app. Runs against a private PulseAudio so the shared one is never touched.

How much of the take is kept depends on when the engine's watcher last saw the devices alive,
which the machine's load decides; so the take is checked against the engine's own record of
that moment (`good_until`), never against elapsed seconds."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile

from tests.audio.conftest import LineReader
from tests.audio.pulse_server import PulseServer
from yousync_desktop.audio.take_writer import read_take_metadata

pytestmark = pytest.mark.audio_stack

CHILD = Path(__file__).with_name("run_in_audio_process.py")
RATE = 48000
TONE_HZ = 1000.0


class Child:
    def __init__(self, env: dict[str, str]):
        self.process = subprocess.Popen([sys.executable, str(CHILD)], env=env, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.lines = LineReader(self.process.stdout)

    def ask(self, timeout: float = 30, **command) -> dict:
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return json.loads(self.lines.next(timeout=timeout))

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.write('{"cmd": "quit"}\n')
                self.process.stdin.flush()
                self.process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait(timeout=5)


def play_tone(server: PulseServer, path: Path) -> subprocess.Popen:
    return subprocess.Popen(["paplay", "-d", "feed", str(path)], env=server.env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(timeout=5)


def take_progress(child: Child, at_least_s: float) -> int:
    """Frames taken so far, once there are `at_least_s` seconds of them (the test's timeout
    guards against a take that never records)."""
    while (progress := child.ask(cmd="progress"))["seconds"] < at_least_s:
        time.sleep(0.1)
    return progress["frames"]


def assert_kept_until_last_seen_alive(samples, result: dict, taken_before_loss: int) -> None:
    """Everything captured up to the last moment the engine knew the device good is kept, and
    nothing after it (input after it may be stale, or from another microphone)."""
    assert result["good_until"] is not None, "the watcher never saw the device alive"
    good = result["good_until"] - result["capture_start"]
    assert min(good, taken_before_loss) <= samples.size <= good
    assert samples.size == round(result["duration"] * RATE)


@pytest.mark.timeout(90)
def test_server_killed_mid_take_keeps_the_audio_and_the_engine_restarts(tmp_path):
    tone_path = tmp_path / "tone.wav"
    t = np.arange(20 * RATE) / RATE
    soundfile.write(tone_path, 0.25 * np.sin(2 * np.pi * TONE_HZ * t), RATE, subtype="PCM_16")
    server = PulseServer(tmp_path / "pa").start()
    child = Child(server.env)
    feeders = []
    try:
        assert child.ask(cmd="start", input="pulse:feedmic", output="pulse:appout")["ok"]
        feeders.append(play_tone(server, tone_path))
        take_path = tmp_path / "take.wav"
        assert child.ask(cmd="record", path=str(take_path), line_s=12.0)["ok"]
        taken = take_progress(child, 2.0)
        server.kill()

        result = child.ask(cmd="wait_take", timeout=20, timeout_s=25)
        assert result["ok"] and result["complete"] is False
        assert result["status"] == "interrupted"
        assert len(result["errors_reported"]) == 1  # one error for the UI, not a cascade
        message = result["errors_reported"][0]
        assert "sound system stopped" in message
        assert "everything recorded until then was kept" in message
        assert result["error"] == message and result["engine_state"] == "failed"

        samples, rate = soundfile.read(take_path, dtype="float32")
        assert rate == RATE
        assert_kept_until_last_seen_alive(samples, result, taken)
        # What was captured before the kill is the tone, right up to the end of the file.
        frames = samples[: samples.size // 2400 * 2400].reshape(-1, 2400)
        heard = np.sqrt(np.mean(frames ** 2, axis=1)) > 0.25 / np.sqrt(2) * 0.8
        assert heard.size and heard[-int(1.0 * RATE / 2400):].all()
        last = samples[-RATE:]
        spectrum = np.abs(np.fft.rfft(last))
        assert np.argmax(spectrum) * RATE / last.size == pytest.approx(TONE_HZ,
                                                                       abs=2 * RATE / last.size)
        assert read_take_metadata(take_path)["input_device_key"] == "pulse:feedmic"

        # The sound server comes back; the same engine object starts again.
        server.start()
        feeders.append(play_tone(server, tone_path))
        restarted = child.ask(cmd="restart", timeout=40)
        assert restarted["ok"], restarted
        assert restarted["state"] == "running" and restarted["epoch"] == 2
        captured = child.ask(cmd="capture", seconds=0.5)
        assert captured["ok"] and captured["frames"] == RATE // 2
        assert captured["peak_dbfs"] == pytest.approx(20 * np.log10(0.25), abs=1.0)
    finally:
        child.close()
        for feeder in feeders:
            stop(feeder)
        server.stop()


@pytest.mark.timeout(60)
def test_unplugging_the_microphone_mid_take_ends_it_with_one_clear_error(tmp_path):
    """A USB microphone unplugged is, for PulseAudio, its source disappearing (the server would
    quietly move the stream to another microphone): here the `feedmic` source is unloaded."""
    tone_path = tmp_path / "tone.wav"
    t = np.arange(20 * RATE) / RATE
    soundfile.write(tone_path, 0.25 * np.sin(2 * np.pi * TONE_HZ * t), RATE, subtype="PCM_16")
    server = PulseServer(tmp_path / "pa").start()
    child = Child(server.env)
    feeder = None
    try:
        assert child.ask(cmd="start", input="pulse:feedmic", output="pulse:appout")["ok"]
        feeder = play_tone(server, tone_path)
        take_path = tmp_path / "take.wav"
        assert child.ask(cmd="record", path=str(take_path), line_s=12.0)["ok"]
        take_progress(child, 1.5)
        modules = subprocess.run(["pactl", "list", "short", "modules"], env=server.env,
                                 capture_output=True, text=True, timeout=10).stdout
        [remap] = [line.split("\t")[0] for line in modules.splitlines()
                   if "source_name=feedmic" in line]
        taken = child.ask(cmd="progress")["frames"]
        subprocess.run(["pactl", "unload-module", remap], env=server.env, check=True, timeout=10)

        result = child.ask(cmd="wait_take", timeout=20, timeout_s=25)
        assert result["ok"] and result["complete"] is False and result["status"] == "interrupted"
        assert len(result["errors_reported"]) == 1
        assert result["errors_reported"][0].startswith(
            "The microphone “Remapped Monitor of Null Output” was disconnected.")
        samples, _ = soundfile.read(take_path, dtype="float32")
        assert_kept_until_last_seen_alive(samples, result, taken)
        frames = samples[: samples.size // 2400 * 2400].reshape(-1, 2400)
        assert (np.sqrt(np.mean(frames ** 2, axis=1)) > 0.14).all()  # and only from it
    finally:
        child.close()
        if feeder is not None:
            stop(feeder)
        server.stop()
