"""The live pitch tracker on signals whose f0 is known: glottal-pulse-like harmonic tones, glides,
register jumps, silence, noise and espeak-ng speech, pushed in every block size that matters."""

import math

import numpy as np
import pytest

from tools.speech import espeak_available, speak
from yousync_desktop.analysis.streaming_pitch import (
    PitchFrame, StreamingPitchTracker, frames_to_track, track_pitch)


def voice(f0, rate: int, seconds: float, odd_harmonics: bool = True, level: float = 0.3) -> np.ndarray:
    """A voice-like source: harmonics falling at 12 dB/octave (like a glottal pulse train), band-
    limited below Nyquist; `f0` a number or a per-sample array (a glide)."""
    n = int(round(rate * seconds))
    f0 = np.broadcast_to(np.asarray(f0, dtype=float), (n,))
    phase = 2 * np.pi * np.cumsum(f0) / rate
    signal = np.zeros(n)
    for k in range(1, 40):
        if k % 2 and not odd_harmonics:
            continue
        audible = k * f0 < 0.45 * rate
        signal += np.where(audible, np.sin(k * phase) / k ** 2, 0.0)
    return (level * signal / np.max(np.abs(signal))).astype(np.float32)


def cents(estimate, reference) -> np.ndarray:
    return 1200.0 * np.log2(np.asarray(estimate, dtype=float) / reference)


def push_in_blocks(tracker: StreamingPitchTracker, audio: np.ndarray, block: int) -> list[PitchFrame]:
    frames = []
    for start in range(0, len(audio), block):
        frames += tracker.push(audio[start:start + block])
    return frames + tracker.finish()


@pytest.mark.parametrize("rate", [16000, 44100, 48000])
@pytest.mark.parametrize("f0", [70.0, 110.0, 220.0, 440.0, 900.0])
def test_steady_tones_are_within_50_cents(rate, f0):
    track = track_pitch(voice(f0, rate, 0.8), rate)
    steady = track.hz[5:-5]
    assert np.all(np.isfinite(steady)), "a steady voiced tone must be voiced throughout"
    assert np.max(np.abs(cents(steady, f0))) < 50
    assert abs(np.median(cents(steady, f0))) < 5


def test_a_glide_is_followed():
    rate = 48000
    seconds = 1.5
    t = np.arange(int(rate * seconds)) / rate
    f0 = 120.0 * 2 ** (t / seconds)          # one octave up, 8 semitones per second
    track = track_pitch(voice(f0, rate, seconds), rate)
    truth = 120.0 * 2 ** (track.times / seconds)
    inner = slice(5, -5)
    assert np.mean(np.abs(cents(track.hz[inner], truth[inner])) < 50) >= 0.98


@pytest.mark.parametrize("block", [1, 37, 160, 4096])
def test_block_size_does_not_change_the_output(block):
    rate = 44100
    audio = np.concatenate([np.zeros(3000, np.float32), voice(180.0, rate, 0.25),
                            voice(np.linspace(180, 260, int(0.25 * rate)), rate, 0.25)])
    reference = push_in_blocks(StreamingPitchTracker(rate), audio, len(audio))
    frames = push_in_blocks(StreamingPitchTracker(rate), audio, block)
    assert [f.time for f in frames] == [f.time for f in reference]
    assert [f.hz is None for f in frames] == [f.hz is None for f in reference]
    voiced = [(f.hz, g.hz) for f, g in zip(frames, reference) if f.hz is not None]
    assert voiced and np.allclose(*zip(*voiced), rtol=1e-5)
    assert np.allclose([f.confidence for f in frames], [f.confidence for f in reference], atol=1e-5)


def test_batch_equals_streaming_on_speech_like_audio():
    rate = 48000
    rng = np.random.default_rng(7)
    glide = voice(np.linspace(210, 150, int(0.6 * rate)), rate, 0.6)
    audio = np.concatenate([glide, 0.01 * rng.standard_normal(rate // 5).astype(np.float32),
                            voice(300.0, rate, 0.3)])
    tracker = StreamingPitchTracker(rate)
    streamed = frames_to_track(push_in_blocks(tracker, audio, 512))
    batch = track_pitch(audio, rate)
    assert np.array_equal(streamed.times, batch.times)
    assert np.array_equal(np.isfinite(streamed.hz), np.isfinite(batch.hz))
    assert np.allclose(streamed.hz, batch.hz, rtol=1e-5, equal_nan=True)


@pytest.mark.parametrize("rate", [8000, 22050, 44100, 96000])
def test_frames_come_every_10_ms_exactly(rate):
    seconds = 0.537
    frames = push_in_blocks(StreamingPitchTracker(rate), voice(200.0, rate, seconds), 1000)
    times = np.array([f.time for f in frames])
    assert len(times) == math.ceil(seconds / 0.01)         # one per hop, centred before the end
    assert np.allclose(times, 0.01 * np.arange(len(times)), atol=1e-9)


def test_silence_and_white_noise_are_unvoiced():
    rate = 44100
    assert all(f.hz is None for f in push_in_blocks(StreamingPitchTracker(rate), np.zeros(rate), 441))
    noise = 0.1 * np.random.default_rng(3).standard_normal(2 * rate).astype(np.float32)
    frames = push_in_blocks(StreamingPitchTracker(rate), noise, 441)
    assert np.mean([f.hz is not None for f in frames]) < 0.03
    assert np.mean([f.confidence for f in frames]) < 0.2


def test_latency_is_within_45_ms_and_a_tone_onset_shows_up_in_time():
    rate = 48000
    tracker = StreamingPitchTracker(rate)
    assert 0.0 < tracker.latency_seconds <= 0.045
    onset = 0.3
    audio = np.concatenate([np.zeros(int(onset * rate), np.float32), voice(200.0, rate, 0.4)])
    pushed, first_voiced = 0, None
    for start in range(0, len(audio), 48):              # 1 ms blocks
        block = audio[start:start + 48]
        frames = tracker.push(block)
        pushed += len(block)
        voiced = [f for f in frames if f.hz is not None]
        if voiced and first_voiced is None:
            first_voiced = (voiced[0], pushed / rate)
    frame, emitted_at = first_voiced
    assert emitted_at <= onset + tracker.latency_seconds + 0.001
    assert onset - 0.02 <= frame.time <= onset + 0.01
    # and every frame comes out exactly latency_seconds after its centre (to the block)
    assert emitted_at - frame.time == pytest.approx(tracker.latency_seconds, abs=0.001)


def test_octave_guard_holds_through_a_short_octave_ambiguity_but_follows_a_real_jump():
    rate = 44100
    # 150 Hz, then 50 ms with only even harmonics (periodic at 300 Hz), then 150 Hz again.
    glitch = np.concatenate([voice(150.0, rate, 0.5), voice(150.0, rate, 0.05, odd_harmonics=False),
                             voice(150.0, rate, 0.5)])
    track = track_pitch(glitch, rate)
    voiced = track.hz[np.isfinite(track.hz)]
    assert np.all(np.abs(cents(voiced, 150.0)) < 50), "no frame may jump to the octave"

    jump = np.concatenate([voice(110.0, rate, 1.0), voice(440.0, rate, 1.0)])
    track = track_pitch(jump, rate)
    after = track.hz[110:200]                           # from 100 ms after the jump
    assert np.all(np.abs(cents(after, 440.0)) < 50), "a real register change must be followed"


def test_range_adapts_to_the_speaker_and_widens_again():
    rate = 16000
    low_voice = voice(100.0, rate, 2.0)
    tracker = StreamingPitchTracker(rate)
    tracker.push(low_voice)
    assert tracker._decoder.high < 300.0                  # narrowed around 100 Hz
    frames = tracker.push(voice(500.0, rate, 1.0))        # a child takes over
    late = [f.hz for f in frames[30:]]
    assert all(hz is not None and abs(cents(hz, 500.0)) < 50 for hz in late)
    assert tracker._decoder.high >= 500.0


def test_reset_starts_a_new_stream():
    rate = 22050
    audio = voice(250.0, rate, 0.3)
    tracker = StreamingPitchTracker(rate)
    first = push_in_blocks(tracker, audio, 500)            # finish() resets
    tracker.push(voice(120.0, rate, 0.2))
    tracker.reset()
    again = push_in_blocks(tracker, audio, 500)
    assert first == again


def test_stereo_blocks_are_mixed_down():
    rate = 48000
    mono = voice(330.0, rate, 0.4)
    stereo = np.stack([mono, mono], axis=1)
    assert push_in_blocks(StreamingPitchTracker(rate), stereo, 480) == \
        push_in_blocks(StreamingPitchTracker(rate), mono, 480)


@pytest.mark.skipif(not espeak_available(), reason="espeak-ng not installed")
def test_espeak_speech_gets_a_plausible_contour():
    audio, rate = speak("Where were you last night? I waited for hours in the rain.", "en-us",
                        speed=160)
    audio = audio.astype(np.float32)
    streamed = frames_to_track(push_in_blocks(StreamingPitchTracker(rate), audio, 256))
    voiced = streamed.hz[streamed.voiced]
    assert 0.3 < streamed.voiced.mean() < 0.95
    assert 70 < np.median(voiced) < 200                  # espeak's default male voice
    assert np.all((0 <= streamed.confidence) & (streamed.confidence <= 1))
    # frame to frame, speech intonation moves smoothly: no octave jumps inside voiced runs
    both = streamed.voiced[1:] & streamed.voiced[:-1]
    steps = np.abs(cents(streamed.hz[1:][both], streamed.hz[:-1][both]))
    assert np.mean(steps > 900) < 0.01


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        StreamingPitchTracker(4000)
    with pytest.raises(ValueError):
        StreamingPitchTracker(48000, fmin=300.0, fmax=200.0)
    with pytest.raises(ValueError):
        StreamingPitchTracker(48000, fmax=3000.0)


def test_tentative_guesses_cover_the_look_ahead_and_arrive_20_ms_sooner():
    """The live trace draws `tentative()` first: a guess for every frame not yet decided, on the
    same 10 ms grid, following the decided frames, and on a glide within 50 cents of the truth."""
    rate = 48000
    glide = np.linspace(150.0, 300.0, rate)
    audio = voice(glide, rate, 1.0)
    tracker = StreamingPitchTracker(rate)
    assert tracker.tentative_latency_seconds == pytest.approx(tracker.latency_seconds - 0.02)
    block = rate // 100
    decided_until, first_guess = -0.01, {}  # as if frame −1 had been decided
    for start in range(0, rate, block):
        decided = tracker.push(audio[start:start + block])
        if decided:
            decided_until = decided[-1].time
        guesses = tracker.tentative()
        assert len(guesses) <= 2
        times = [decided_until] + [g.time for g in guesses]
        assert np.allclose(np.diff(times), 0.01)
        for guess in guesses:
            first_guess.setdefault(round(guess.time, 2), guess.hz)
    inner = {t: hz for t, hz in first_guess.items() if 0.1 <= t <= 0.9}
    assert len(inner) >= 79
    truth = np.interp(list(inner), np.arange(rate) / rate, glide)
    assert np.all(np.abs(cents(list(inner.values()), truth)) < 50)


def test_tentative_changes_nothing():
    rate = 16000
    audio = voice(220.0, rate, 0.5)
    plain, probed = StreamingPitchTracker(rate), StreamingPitchTracker(rate)
    frames_plain, frames_probed = [], []
    for start in range(0, len(audio), 160):
        frames_plain += plain.push(audio[start:start + 160])
        frames_probed += probed.push(audio[start:start + 160])
        probed.tentative()
    assert frames_plain + plain.finish() == frames_probed + probed.finish()
