"""Frame features on real signals: eSpeak NG speech, tones, noise."""

import numpy as np
import pytest

from benchmarks.corpus.takes import espeak_speech
from yousync_desktop.analysis import features as fx

RATE = 48_000
SPEECH_AT, WINDOW = 0.8, 3.0


@pytest.fixture(scope="module")
def speech_take():
    """A 3 s take: a quiet microphone floor, speech from 0.8 s on. Returns (audio, speech end)."""
    speech = espeak_speech("Stay behind me, and don't look back.", "en-us+m3", 175, 40)
    rng = np.random.default_rng(1)
    take = (rng.standard_normal(int(WINDOW * RATE)) * 10 ** (-70 / 20)).astype(np.float32)
    start = int(SPEECH_AT * RATE)
    take[start:start + len(speech)] += speech[: len(take) - start]
    return take, SPEECH_AT + len(speech) / RATE


def tone(freq, seconds, rate=RATE, level_db=-20.0):
    t = np.arange(int(seconds * rate)) / rate
    return (np.sqrt(2) * 10 ** (level_db / 20) * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def test_frames_are_on_one_10ms_grid_whatever_the_rate(speech_take):
    audio, _ = speech_take
    expected = fx.frame_count(int(WINDOW * fx.ANALYSIS_RATE))
    assert len(fx.loudness_db(audio, RATE)) == expected
    assert fx.mfcc(audio, RATE).shape == (fx.N_MFCC, expected)
    assert len(fx.voice_activity(audio, RATE)) == expected
    low_rate = fx.at_analysis_rate(audio, RATE)[::2]  # 8 kHz
    assert len(fx.loudness_db(low_rate, 8000)) == expected


def test_loudness_reads_dbfs():
    level = fx.loudness_db(tone(440, 1.0, level_db=-20.0), RATE)
    assert np.median(level) == pytest.approx(-20.0, abs=0.5)
    silent = fx.loudness_db(np.zeros(RATE, dtype=np.float32), RATE)
    assert silent.max() <= fx.SILENCE_FLOOR_DB + 1e-6


def test_voice_activity_covers_the_speech_and_not_the_silence(speech_take):
    audio, speech_end = speech_take
    active = fx.voice_activity(audio, RATE)
    times = fx.frame_times(len(active))
    inside = (times > SPEECH_AT + 0.05) & (times < speech_end - 0.05)
    outside = (times < SPEECH_AT - 0.2) | (times > speech_end + 0.3)
    assert active[inside].mean() > 0.85
    assert active[outside].mean() < 0.05


def test_voice_activity_rejects_steady_noise():
    rng = np.random.default_rng(2)
    noise = (rng.standard_normal(2 * RATE) * 0.1).astype(np.float32)
    assert fx.voice_activity(noise, RATE).mean() < 0.1


def test_mfcc_mean_normalisation_removes_the_gain(speech_take):
    audio, _ = speech_take
    features = fx.frame_features(audio, RATE)
    active = features.active
    assert np.allclose(features.mfcc[:, active].mean(axis=1), 0.0, atol=1e-3)
    quieter = fx.mfcc(audio * 0.1, RATE, active=active)
    # A gain is a constant in every log-mel band, i.e. in c0 only, which CMN removes.
    assert np.max(np.abs(quieter[:, active] - features.mfcc[:, active])) < 0.5


def test_onsets_find_tone_bursts():
    burst_times = [0.5, 1.1, 1.6]
    audio = np.zeros(int(2.2 * RATE), dtype=np.float32)
    burst = tone(330, 0.2)
    fade = int(0.03 * RATE)  # a hard stop would be a click, itself an onset
    burst[:fade] *= np.linspace(0, 1, fade)
    burst[-fade:] *= np.linspace(1, 0, fade)
    for at in burst_times:
        start = int(at * RATE)
        audio[start:start + len(burst)] = burst
    onsets = fx.onset_times(audio, RATE)
    for at in burst_times:
        assert np.min(np.abs(onsets - at)) < 0.03
    assert len(onsets) == len(burst_times)


def test_broken_samples_do_not_poison_the_features(speech_take):
    audio, _ = speech_take
    broken = audio.copy()
    broken[1000:1100] = np.nan
    broken[5000] = np.inf
    features = fx.frame_features(broken, RATE)
    assert np.all(np.isfinite(features.loudness_db))
    assert np.all(np.isfinite(features.mfcc))
    assert features.active.any()


def test_warped_mfcc_differs_but_unit_warp_is_the_plain_mfcc(speech_take):
    audio, _ = speech_take
    features = fx.frame_features(audio, RATE)
    assert np.allclose(features.warped_mfcc(1.0), features.mfcc)
    assert not np.allclose(features.warped_mfcc(0.85), features.mfcc)
