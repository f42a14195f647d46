"""The "hear it fixed" warp on real signals: a 220 Hz tone for pitch and duration, eSpeak NG speech
for identity and for onsets after a known stretch."""

from __future__ import annotations

import math

import librosa
import numpy as np
import pytest

from tools.speech import speak
from yousync_desktop.analysis.alignment import Alignment
from yousync_desktop.analysis.time_warp import (hear_it_fixed, time_map_from_alignment,
                                                warp_to_reference)

RATE = 48_000


def espeak(text: str) -> np.ndarray:
    # -g 25: 250 ms between words, so each word has a clear onset.
    audio, _ = speak(text, "en-us", speed=150, word_gap=25, sample_rate=RATE)
    return (audio / np.abs(audio).max() * 0.5).astype(np.float32)


@pytest.fixture(scope="module")
def counting() -> np.ndarray:
    # Vowel-initial words: their onsets are strong, so a stretch by another method (the phase
    # vocoder) keeps them sharp; a weak fricative onset ("three") it smears by 50 ms.
    return espeak("eight one aim odd ice")


def tone_burst(before: float, length: float, after: float, hz: float = 220.0) -> np.ndarray:
    t = np.arange(int(length * RATE)) / RATE
    tone = 0.5 * np.sin(2 * np.pi * hz * t)
    return np.concatenate([np.zeros(int(before * RATE)), tone,
                           np.zeros(int(after * RATE))]).astype(np.float32)


def frequency(audio: np.ndarray) -> float:
    """The strongest frequency, to a fraction of a cent (zero-padded FFT, parabolic peak)."""
    segment = audio * np.hanning(len(audio))
    size = 1 << 22
    spectrum = np.abs(np.fft.rfft(segment, size))
    k = int(np.argmax(spectrum))
    a, b, c = np.log(spectrum[k - 1: k + 2])
    return (k + 0.5 * (a - c) / (a - 2 * b + c)) * RATE / size


def burst_edges(audio: np.ndarray) -> tuple[float, float]:
    """Seconds where a tone burst starts and ends (its 5 ms envelope crosses half the peak)."""
    frame = int(0.005 * RATE)
    n = len(audio) // frame
    envelope = np.abs(audio[: n * frame]).reshape(n, frame).max(axis=1)
    loud = np.nonzero(envelope > 0.5 * envelope.max())[0]
    return loud[0] * frame / RATE, (loud[-1] + 1) * frame / RATE


def onsets(audio: np.ndarray) -> np.ndarray:
    """Word onsets: 5 ms frames rising above -30 dB of the loudest after at least 80 ms below."""
    frame = int(0.005 * RATE)
    n = len(audio) // frame
    level = 10 * np.log10(np.mean(audio[: n * frame].reshape(n, frame) ** 2, axis=1) + 1e-12)
    loud = level > level.max() - 30
    found, quiet = [], 16
    for i, is_loud in enumerate(loud):
        if is_loud and quiet >= 16:
            found.append(i * frame / RATE)
        quiet = 0 if is_loud else quiet + 1
    return np.array(found)


def cents(ratio: float) -> float:
    return 1200 * math.log2(ratio)


# --- pitch and duration --------------------------------------------------------------------------

@pytest.mark.parametrize("time_map", [
    [(0.0, 0.0), (1.0, 1.2), (2.6, 2.7)],       # 20 % slower start, then 1.07x faster
    [(0.0, 0.0), (2.6, 1.8)],                   # 1.44x faster throughout
    [(0.0, 0.0), (2.6, 4.0)],                   # 0.65x: much slower
])
def test_a_warped_tone_keeps_its_pitch_and_lands_where_the_map_says(time_map):
    take = tone_burst(0.3, 2.0, 0.3)
    pairs = np.array(time_map)
    out = warp_to_reference(take, RATE, pairs)
    start, end = burst_edges(out)
    steady = out[int((start + 0.1) * RATE): int((end - 0.1) * RATE)]
    assert abs(cents(frequency(steady) / 220.0)) <= 10.0
    # The burst runs from take 0.3 s to 2.3 s: where the map sends those is where it must be.
    assert start == pytest.approx(np.interp(0.3, pairs[:, 0], pairs[:, 1]), abs=0.010)
    assert end == pytest.approx(np.interp(2.3, pairs[:, 0], pairs[:, 1]), abs=0.010)
    assert len(out) / RATE == pytest.approx(pairs[-1, 1], abs=0.010)


def test_an_impossible_rate_is_clamped_to_two_times():
    # The map asks for the 1 s burst in 0.25 s (4x); the warp plays it at no more than 2x.
    take = tone_burst(1.0, 1.0, 1.0)
    out = warp_to_reference(take, RATE, np.array([(0.0, 0.0), (1.0, 1.0), (2.0, 1.25),
                                                  (3.0, 2.25)]))
    start, end = burst_edges(out)
    assert end - start >= 0.5 - 0.010
    assert abs(cents(frequency(out[int(start * RATE): int(end * RATE)]) / 220.0)) <= 10.0


def test_the_identity_map_returns_the_take(counting):
    out = warp_to_reference(counting, RATE, np.array([(0.0, 0.0), (len(counting) / RATE,) * 2]))
    assert len(out) == len(counting)
    np.testing.assert_allclose(out, counting, atol=1e-4)


def test_output_duration_pads_or_cuts_the_reference_timeline(counting):
    seconds = len(counting) / RATE
    out = warp_to_reference(counting, RATE, np.array([(0.0, 0.0), (seconds, seconds)]),
                            output_duration=seconds + 0.5)
    assert len(out) == len(counting) + RATE // 2
    assert not out[len(counting) + 2 * int(0.03 * RATE):].any()


# --- speech --------------------------------------------------------------------------------------

def test_stretched_then_warped_speech_lines_up_with_the_reference(counting):
    reference = counting
    split = len(reference) // 2
    # The take: the first half 25 % slower, the second 10 % faster (phase vocoder, another method).
    first = librosa.effects.time_stretch(reference[:split], rate=0.8)
    second = librosa.effects.time_stretch(reference[split:], rate=1.1)
    take = np.concatenate([first, second])
    split_s, end_s = split / RATE, len(reference) / RATE
    time_map = np.array([(0.0, 0.0), (len(first) / RATE, split_s), (len(take) / RATE, end_s)])
    fixed = warp_to_reference(take, RATE, time_map)

    expected, found = onsets(reference), onsets(fixed)
    assert len(expected) == 5 and len(found) == len(expected)
    assert np.abs(found - expected).max() <= 0.020
    # Without the warp the take is far off, so the check above means something.
    assert np.abs(onsets(take) - expected).max() > 0.1


def test_hear_it_fixed_follows_an_alignment_path(counting):
    hop = 0.01
    n = len(counting) // int(hop * RATE)
    # A DTW-like staircase: the take lingers on every third reference frame (take is slower).
    take_frames = np.arange(int(n * 1.2))
    ref_frames = np.minimum(np.round(take_frames / 1.2).astype(int), n - 1)
    alignment = Alignment(path=np.stack([take_frames, ref_frames], axis=1),
                          step_cost=np.zeros(len(take_frames)), hop=hop)
    np.testing.assert_allclose(time_map_from_alignment(alignment)[-1],
                               [take_frames[-1] * hop, ref_frames[-1] * hop])
    # The score aligned a latency-corrected take; the raw take's times carry the latency again.
    np.testing.assert_allclose(time_map_from_alignment(alignment, latency_ms=40.0)[-1],
                               [take_frames[-1] * hop + 0.04, ref_frames[-1] * hop])
    shifted = Alignment(path=alignment.path, step_cost=alignment.step_cost, hop=hop, origin=0.25)
    np.testing.assert_allclose(time_map_from_alignment(shifted)[0], [0.25, 0.25])
    take = librosa.effects.time_stretch(counting, rate=1 / 1.2)
    fixed = hear_it_fixed(take, RATE, alignment)
    expected, found = onsets(counting), onsets(fixed)
    assert len(expected) == 5 and len(found) == len(expected)
    assert np.abs(found - expected).max() <= 0.020


def test_a_map_that_goes_backwards_is_refused():
    with pytest.raises(ValueError, match="monotone"):
        warp_to_reference(np.zeros(RATE, np.float32), RATE, np.array([(0.0, 0.0), (0.5, 0.6),
                                                                      (0.4, 1.0)]))
    with pytest.raises(ValueError):
        warp_to_reference(np.zeros(RATE, np.float32), RATE, np.array([0.0, 1.0]))
