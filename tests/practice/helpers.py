"""Shared by the practice service tests and the practice UI tests: a library with a demo scene,
a learner's voice per line (eSpeak NG), and a "virtual learner" that speaks into the virtual
microphone (`paplay -d feed`, see docs/testing.md) when the line's start is about to be heard."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import soundfile

from tools.speech import speak_to_wav
from yousync_desktop.library import Library
from yousync_desktop.library.scene_pack import import_pack
from yousync_desktop.settings import AppPaths, demo_scenes_dir

DEMO_PACK = "demo-rainy-promise"
LEARNER_VOICE = ("en-us", 150, 40)  # voice, words per minute, pitch: not the actor's voice


def make_template_library(root: Path) -> AppPaths:
    """A data folder with the demo scene imported (copy it per test: importing probes media)."""
    paths = AppPaths(root / "data", root / "config")
    with Library(paths) as library:
        import_pack(library, demo_scenes_dir() / f"{DEMO_PACK}.yspack")
    return paths


def copy_library(template: AppPaths, root: Path) -> AppPaths:
    paths = AppPaths(root / "data", root / "config")
    shutil.copytree(template.data_dir, paths.data_dir)
    return paths


def make_voice_lines(folder: Path, texts: list[str]) -> list[Path]:
    """One WAV per line text, spoken by eSpeak NG in a voice unlike the actor's."""
    voice, speed, pitch = LEARNER_VOICE
    paths = []
    for number, text in enumerate(texts):
        path = folder / f"line-{number}.wav"
        speak_to_wav(path, text, voice, speed=speed, pitch=pitch, timeout=30)
        audio, rate = soundfile.read(path, dtype="float32")
        soundfile.write(path, (audio * 0.6).astype(np.float32), rate)  # well below clipping
        paths.append(path)
    return paths


def engine_factory():
    from yousync_desktop.audio.duplex_engine import DuplexEngine, EngineConfig

    return DuplexEngine(EngineConfig(input_device="pulse:feedmic", output_device="pulse:appout"))


class _FirstSound:
    """A capture listener that notes the capture index of the first loud sample."""

    def __init__(self):
        self.index: int | None = None

    def on_capture(self, start_index, samples) -> None:
        if self.index is None:
            loud = np.flatnonzero(np.abs(samples) > 0.05)
            if loud.size:
                self.index = start_index + int(loud[0])

    def on_stream_end(self, _error) -> None:
        pass


class VirtualLearner:
    """Speaks into the virtual microphone (`paplay -d feed`) so that the voice reaches the take
    at the line's start. The voice goes straight into the microphone, not through the speakers,
    so it keeps time with the capture clock; how far the capture index moves between starting
    paplay and the sound arriving (`lag`, samples) depends on the stream and is measured once
    with a beep (`measure_lag`)."""

    def __init__(self, folder: Path):
        self.processes: list[subprocess.Popen] = []
        self.lag = 4800
        self._beep = folder / "beep.wav"
        t = np.arange(2400) / 48000
        soundfile.write(self._beep, (0.5 * np.sin(2 * np.pi * 1000 * t)).astype(np.float32), 48000)

    def _play(self, wav: Path) -> None:
        self.processes.append(subprocess.Popen(
            ["paplay", "--latency-msec=20", "-d", "feed", str(wav)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    def measure_lag(self, engine, timeout: float = 10.0) -> int:
        listener = _FirstSound()
        engine.add_listener(listener)
        try:
            started_at = engine.capture_end
            self._play(self._beep)
            deadline = time.monotonic() + timeout
            while listener.index is None and time.monotonic() < deadline:
                time.sleep(0.005)
        finally:
            engine.remove_listener(listener)
        if listener.index is not None:
            self.lag = listener.index - started_at
        return self.lag

    def speak_at_line(self, recording, wav: Path, timeout: float = 15.0) -> threading.Thread:
        take = recording.take_session
        rate = take.metadata["sample_rate"]
        line_capture = take.capture_start + int(round(take.metadata["pre_roll_s"] * rate))

        def run() -> None:
            deadline = time.monotonic() + timeout
            while (left := line_capture - self.lag - take.engine.capture_end) > 0:
                if recording.finished or time.monotonic() > deadline:
                    return
                # Sleep through most of the wait, then look every 2 ms: this thread runs in the
                # process whose CPU benchmarks.live measures.
                time.sleep(max(0.002, left / rate - 0.02))
            self._play(wav)

        thread = threading.Thread(target=run, name="virtual-learner", daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()  # by its own PID
                process.wait(timeout=5)


def best_offset(haystack: np.ndarray, needle: np.ndarray) -> int:
    """Where `needle` fits best in `haystack` (normalised cross-correlation via FFT)."""
    from scipy.signal import fftconvolve

    needle = needle - needle.mean()
    score = fftconvolve(haystack, needle[::-1], mode="valid")
    energy = np.sqrt(np.maximum(fftconvolve(haystack ** 2, np.ones(needle.size), mode="valid"),
                                1e-12))
    return int(np.argmax(np.abs(score) / energy))
