"""Offline pitch (two-pass pYIN) on tones and glides with known f0, and the token pitch JSON made
from a demo scene's actor vocal."""

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
import soundfile

from yousync_desktop.analysis.offline_pitch import (
    analyze_pitch_file, offline_pitch, token_pitch_from_vocal)
from yousync_desktop.analysis.streaming_pitch import track_pitch
from yousync_desktop.domain import PitchPoint

DEMO_SCENES = Path(__file__).resolve().parents[2] / "resources" / "demo_scenes"


def voice(f0, rate: int, seconds: float, level: float = 0.3) -> np.ndarray:
    """Harmonics falling at 12 dB/octave (glottal-pulse-like); `f0` a number or per-sample array."""
    n = int(round(rate * seconds))
    f0 = np.broadcast_to(np.asarray(f0, dtype=float), (n,))
    phase = 2 * np.pi * np.cumsum(f0) / rate
    signal = sum(np.where(k * f0 < 0.45 * rate, np.sin(k * phase) / k ** 2, 0.0) for k in range(1, 40))
    return (level * signal / np.max(np.abs(signal))).astype(np.float32)


def cents(estimate, reference) -> np.ndarray:
    return 1200.0 * np.log2(np.asarray(estimate, dtype=float) / reference)


@pytest.mark.parametrize("rate, f0", [(16000, 85.0), (44100, 220.0), (48000, 600.0)])
def test_steady_tones(rate, f0):
    track = offline_pitch(voice(f0, rate, 0.8), rate)
    assert np.allclose(track.times, 0.01 * np.arange(len(track.times)))
    inner = track.hz[5:-5]
    assert np.all(np.isfinite(inner))
    assert np.max(np.abs(cents(inner, f0))) < 50


def test_a_glide_up_and_down():
    rate = 44100
    seconds = 2.0
    t = np.arange(int(rate * seconds)) / rate
    f0 = 160.0 * 2 ** (0.8 * np.sin(np.pi * t / seconds))    # up 0.8 octave and back
    track = offline_pitch(voice(f0, rate, seconds), rate)
    truth = 160.0 * 2 ** (0.8 * np.sin(np.pi * track.times / seconds))
    inner = slice(5, -5)
    assert np.mean(np.abs(cents(track.hz[inner], truth[inner])) < 50) >= 0.97


def test_silence_is_unvoiced_and_short_audio_works():
    track = offline_pitch(np.zeros(16000, np.float32), 16000)
    assert len(track.times) == 101 and not track.voiced.any()
    assert len(offline_pitch(np.zeros(100, np.float32), 48000).times) >= 1


@pytest.fixture(scope="module")
def demo_vocal(tmp_path_factory):
    """The first demo scene's actor vocal and its token's start/end times."""
    pack = sorted(DEMO_SCENES.glob("*.yspack"))[0]
    folder = tmp_path_factory.mktemp("demo-vocal")
    with zipfile.ZipFile(pack) as archive:
        token = json.loads(archive.read("manifest.json"))["token"]
        archive.extract("media/vocal.flac", folder)
    return folder / "media" / "vocal.flac", token["start_time"], token["end_time"]


def test_token_pitch_from_a_demo_vocal(demo_vocal):
    path, start, end = demo_vocal
    points = token_pitch_from_vocal(path, start)
    assert all(isinstance(p, PitchPoint) for p in points)
    times = [p.time for p in points]
    assert all(a < b for a, b in zip(times, times[1:])), "absolute times strictly increasing"
    assert start <= times[0] < start + 0.011 and times[-1] <= end
    assert all(round(t, 3) == t for t in times)
    voiced = [p.hz for p in points if p.hz is not None]
    assert len(voiced) > 100 and all(round(hz, 1) == hz and 60 <= hz <= 1000 for hz in voiced)


def test_offline_and_live_trackers_agree_on_the_demo_vocal(demo_vocal):
    path, start, _ = demo_vocal
    audio, rate = soundfile.read(str(path), dtype="float32")
    offline = offline_pitch(audio, rate)
    live = track_pitch(audio, rate)
    n = min(len(offline.hz), len(live.hz))
    both = offline.voiced[:n] & live.voiced[:n]
    assert both.sum() > 100
    assert np.mean(np.abs(cents(live.hz[:n][both], offline.hz[:n][both])) < 50) >= 0.95
    assert np.mean(offline.voiced[:n] == live.voiced[:n]) >= 0.9


def test_analyze_pitch_file_gives_the_api_shape(tmp_path):
    path = tmp_path / "line.wav"
    soundfile.write(str(path), voice(200.0, 48000, 0.5), 48000)
    points = analyze_pitch_file(path, offset=12.5)
    assert all(set(p) == {"time", "hz"} for p in points)
    assert points[0]["time"] == 12.5 and points[1]["time"] == 12.51
    assert abs(cents(points[25]["hz"], 200.0)) < 50
