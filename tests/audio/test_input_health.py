"""Levels in dBFS, clipping, and the noise-floor and voice checks with their messages."""

import numpy as np
import pytest

from yousync_desktop.audio.input_health import (LevelMeter, check_noise_floor, check_voice_level,
                                                peak_dbfs, rms_dbfs)

RATE = 48000


def sine(level: float, seconds: float = 1.0, freq: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (level * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def test_full_scale_sine_reads_0_dbfs_peak_and_minus_3_rms():
    tone = sine(1.0)
    assert peak_dbfs(tone) == pytest.approx(0.0, abs=0.01)
    assert rms_dbfs(tone) == pytest.approx(-3.01, abs=0.02)
    assert rms_dbfs(np.zeros(100, np.float32)) == -120.0


def test_meter_tracks_levels_and_holds_the_clip_light():
    meter = LevelMeter(RATE, window_s=0.1, hold_s=0.5)
    meter.on_capture(0, sine(0.1, 0.2))
    reading = meter.take_reading()
    assert reading.peak_dbfs == pytest.approx(-20.0, abs=0.1)
    assert reading.rms_dbfs == pytest.approx(-23.0, abs=0.2)
    assert not reading.clipping
    clipped = np.clip(sine(1.5, 0.1), -1, 1)
    meter.on_capture(9600, clipped)
    assert meter.reading.clipping and meter.reading.clipped_samples > 0
    meter.on_capture(14400, sine(0.1, 1.0))  # a second later the light goes out
    assert not meter.reading.clipping


def test_noise_floor_messages_say_what_was_measured():
    rng = np.random.default_rng(1)
    noisy = check_noise_floor((0.02 * rng.standard_normal(RATE * 2)).astype(np.float32), RATE)
    assert not noisy.ok
    assert noisy.message.startswith("Too noisy: background is -34 dBFS")
    assert "below -50 dBFS" in noisy.message
    quiet = check_noise_floor(np.zeros(RATE * 2, np.float32), RATE)
    assert not quiet.ok and quiet.message.startswith("Too quiet: background is -120 dBFS")
    room = (0.0005 * rng.standard_normal(RATE * 2)).astype(np.float32)
    room[RATE:RATE + 2000] += 0.5  # a cough does not make the room noisy
    fine = check_noise_floor(room, RATE)
    assert fine.ok and -70 < fine.level_dbfs < -60


def test_voice_level_too_quiet_too_loud_and_good():
    assert "Too quiet" in check_voice_level(sine(0.01)).message
    assert "Too loud" in check_voice_level(np.clip(sine(1.2), -1, 1)).message
    assert check_voice_level(sine(0.3)).ok
