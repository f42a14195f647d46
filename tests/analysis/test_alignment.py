"""Banded DTW: exact against a plain reference implementation, and on real speech it recovers a
known shift and a known time-stretch."""

import librosa
import numpy as np
import pytest

from benchmarks.corpus.takes import espeak_speech
from yousync_desktop.analysis import features as fx
from yousync_desktop.analysis.alignment import Alignment, banded_dtw, dtw_distances
from yousync_desktop.domain import Word

RATE = 16_000
SPEECH_AT, WINDOW = 0.5, 4.0


def plain_dtw_cost(x: np.ndarray, y: np.ndarray, radius: int) -> float:
    """Textbook DTW, loops and all, restricted to |i - j| <= radius."""
    n, m = len(x), len(y)
    total = np.full((n + 1, m + 1), np.inf)
    total[0, 0] = 0.0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            if abs(i - j) <= radius:
                cost = np.linalg.norm(x[i - 1] - y[j - 1])
                total[i, j] = cost + min(total[i - 1, j - 1], total[i - 1, j], total[i, j - 1])
    return total[n, m]


def features_of(audio: np.ndarray) -> np.ndarray:
    f = fx.frame_features(audio, RATE)
    level = np.clip((f.loudness_db - f.loudness_db.max()) / 10.0, -5.0, 0.0)
    return np.column_stack((level, np.where(f.active[:, None], f.mfcc[1:].T / 10.0, 0.0)))


def in_window(speech: np.ndarray, at: float) -> np.ndarray:
    rng = np.random.default_rng(3)
    take = (rng.standard_normal(int(WINDOW * RATE)) * 1e-4).astype(np.float32)
    start = int(at * RATE)
    part = speech[: len(take) - start]
    take[start:start + len(part)] += part
    return take


@pytest.fixture(scope="module")
def speech():
    audio = espeak_speech("We have thirty seconds to reach the roof.", "en-us+m3", 170, 40)
    return librosa.resample(audio, orig_sr=48_000, target_sr=RATE)


@pytest.mark.parametrize("shape,radius", [((40, 40), 100), ((37, 52), 100), ((60, 60), 8)])
def test_matches_the_textbook_recurrence(shape, radius):
    rng = np.random.default_rng(sum(shape))
    x, y = rng.standard_normal((shape[0], 4)), rng.standard_normal((shape[1], 4))
    alignment = banded_dtw(x, y, hop=0.01, band_seconds=radius * 0.01)
    radius = max(radius, abs(shape[0] - shape[1]))  # the band always reaches the last frames
    assert alignment.step_cost.sum() == pytest.approx(plain_dtw_cost(x, y, radius))
    path = alignment.path
    assert tuple(path[0]) == (0, 0) and tuple(path[-1]) == (shape[0] - 1, shape[1] - 1)
    steps = np.diff(path, axis=0)
    assert np.all((steps >= 0) & (steps <= 1)) and np.all(steps.sum(axis=1) >= 1)
    assert np.all(np.abs(path[:, 0] - path[:, 1]) <= radius)


def test_recovers_a_shift_and_moves_the_words_with_it(speech):
    reference = features_of(in_window(speech, SPEECH_AT))
    late = features_of(in_window(speech, SPEECH_AT + 0.3))
    alignment = banded_dtw(late, reference, hop=fx.HOP_SECONDS, band_seconds=1.0)
    duration = len(speech) / RATE
    probes = SPEECH_AT + np.linspace(0.05, duration - 0.05, 9)
    assert np.allclose(alignment.take_time(probes), probes + 0.3, atol=0.03)

    window_start = 100.0
    words = [Word(1, 1, "We", window_start + SPEECH_AT, window_start + SPEECH_AT + 0.2),
             Word(2, 1, "roof", window_start + SPEECH_AT + duration - 0.4,
                  window_start + SPEECH_AT + duration)]
    mapped = alignment.with_words(words, window_start).words
    for word, original in zip(mapped, words):
        assert word.ref_start == pytest.approx(original.start_time - window_start)
        assert word.take_start == pytest.approx(word.ref_start + 0.3, abs=0.03)
        assert word.take_end == pytest.approx(word.ref_end + 0.3, abs=0.03)


@pytest.mark.filterwarnings("ignore::FutureWarning")  # librosa 1.0's own phase vocoder call
def test_recovers_a_time_stretch(speech):
    slower = librosa.effects.time_stretch(speech, rate=1 / 1.2)  # 20 % longer, same pitch
    reference = features_of(in_window(speech, SPEECH_AT))
    take = features_of(in_window(slower, SPEECH_AT))
    alignment = banded_dtw(take, reference, hop=fx.HOP_SECONDS, band_seconds=1.5)
    duration = len(speech) / RATE
    # (the vocoder smears the last consonant's release, so the probes stop 0.2 s before the end)
    probes = SPEECH_AT + np.linspace(0.1, duration - 0.2, 9)
    expected = SPEECH_AT + (probes - SPEECH_AT) * 1.2
    assert np.max(np.abs(alignment.take_time(probes) - expected)) < 0.05


def test_time_maps_are_monotone_and_roughly_inverse(speech):
    reference = features_of(in_window(speech, SPEECH_AT))
    take = features_of(in_window(speech, SPEECH_AT + 0.2))
    alignment = banded_dtw(take, reference, hop=fx.HOP_SECONDS)
    grid = np.linspace(0, WINDOW - 0.02, 200)
    for edge in ("start", "mid", "end"):
        assert np.all(np.diff(alignment.take_time(grid, edge)) >= 0)
    assert np.all(np.diff(alignment.ref_time(grid)) >= 0)
    inside = np.linspace(SPEECH_AT + 0.1, SPEECH_AT + 1.5, 10)
    assert np.allclose(alignment.ref_time(alignment.take_time(inside)), inside, atol=0.03)
    assert isinstance(alignment.take_time(1.0), float)


def test_times_count_from_the_window_even_when_frames_start_later():
    path = np.column_stack((np.arange(50), np.arange(50)))
    alignment = Alignment(path=path, step_cost=np.zeros(50), hop=0.01, origin=2.0)
    assert alignment.take_time(2.25) == pytest.approx(2.25)
    assert alignment.ref_time(2.4) == pytest.approx(2.4)
    assert np.allclose(alignment.time_pairs()[[0, -1]], [[2.0, 2.0], [2.49, 2.49]])


def test_words_without_times_still_get_an_interval():
    path = np.column_stack((np.arange(100), np.arange(100)))
    alignment = Alignment(path=path, step_cost=np.zeros(100), hop=0.01)
    words = [Word(1, 1, "a", 10.1, 10.3), Word(2, 1, "b", None, None), Word(3, 1, "c", 10.5, 10.7)]
    mapped = alignment.with_words(words, window_start=10.0).words
    assert [w.word for w in mapped] == ["a", "b", "c"]
    assert mapped[1].ref_start == pytest.approx(0.3) and mapped[1].ref_end == pytest.approx(0.5)
    assert mapped[2].take_end == pytest.approx(0.7)


def test_refuses_empty_input():
    with pytest.raises(ValueError):
        banded_dtw(np.zeros((0, 3)), np.zeros((5, 3)), hop=0.01)


def test_batched_distances_match_single_alignments():
    rng = np.random.default_rng(5)
    reference = rng.standard_normal((45, 3))
    candidates = rng.standard_normal((4, 50, 3))
    batched = dtw_distances(candidates, reference, hop=0.01, band_seconds=0.2)
    for candidate, distance in zip(candidates, batched):
        alone = banded_dtw(candidate, reference, hop=0.01, band_seconds=0.2)
        assert distance == pytest.approx(alone.step_cost.sum() / (50 + 45))
