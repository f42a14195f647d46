"""The score's pitch for a voice under the live tracker's 60 Hz floor (an octave under a male
voice): read at twice the rate, it is found and reported at its real frequency and times, so the
intonation of a low voice is not scored as "no melody"."""

from __future__ import annotations

import numpy as np

from yousync_desktop.analysis.scoring.frames import track_pitch
from yousync_desktop.analysis.streaming_pitch import track_pitch as live_track_pitch

RATE = 16000


def pulse_voice(f0_start: float, f0_end: float, seconds: float = 1.5) -> np.ndarray:
    """A buzzy voice: a pulse train on a gliding f0, low-passed (a glottal-like source)."""
    t = np.arange(int(seconds * RATE)) / RATE
    f0 = np.linspace(f0_start, f0_end, len(t))
    phase = np.cumsum(f0) / RATE
    pulses = np.diff(np.floor(phase), prepend=0.0)
    kernel_t = np.arange(int(0.02 * RATE)) / RATE
    kernel = np.exp(-kernel_t * 800)
    voice = np.convolve(pulses, kernel)[: len(t)]
    return 0.3 * voice / np.abs(voice).max()


def test_a_voice_under_the_floor_is_tracked_at_its_real_pitch():
    audio = pulse_voice(48.0, 40.0)
    assert np.isfinite(live_track_pitch(audio, RATE).hz).mean() < 0.1   # what it fixes
    score = track_pitch(audio, RATE)
    assert np.isfinite(score.hz).mean() > 0.6
    assert 40.0 <= np.nanmedian(score.hz) <= 48.5
    assert np.allclose(np.diff(score.times), 0.01, atol=1e-6)  # real time on the 10 ms grid
    assert abs(score.times[-1] - len(audio) / RATE) < 0.05


def test_an_ordinary_voice_keeps_the_live_trackers_result():
    audio = pulse_voice(120.0, 100.0)
    score = track_pitch(audio, RATE)
    live = live_track_pitch(audio, RATE)
    assert np.array_equal(score.hz, live.hz, equal_nan=True)
