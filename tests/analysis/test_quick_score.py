"""The quick score on speech it was not tuned on: actors and learners in eSpeak NG voices, accents
and sentences outside the corpus its thresholds were chosen on (tests/analysis/held_out.py),
takes placed on the recording window as the app records them, some resynthesised by WORLD."""

import functools
import json
import warnings
from dataclasses import replace

import numpy as np
import pytest
import soundfile as sf

from benchmarks.corpus.takes import RATE, CorpusLine, flatten_pitch, place
from tests.analysis.held_out import CASES, Voice, actor_line, learner_speech
from yousync_desktop.analysis import quick_score as qs
from yousync_desktop.domain import Score, rank_for

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import pyworld

# Properties that do not hold on a held-out voice are marked here with their numbers (strict:
# the day they hold, the mark must go), not loosened.
WEST_MIDLANDS_THE = pytest.mark.xfail(strict=True, reason=(
    "eSpeak NG's West Midlands learner (en-gb-x-gbcwmd) drops the h of 'harbour' and says 'the' "
    "as 'thee' (DI2 'A@b3 against the actor's D@ h'A@b3): 'the' gets similarity 0.00, every "
    "other word passes (0.78-1.00), overall 0.93"))
NARROW_MELODY = pytest.mark.xfail(strict=True, reason=(
    "the female actor's contour is narrow (1.1 st std, 3.1 st from 5th to 95th percentile; the "
    "demo actors 1.3-3.5 st std): the flat take's mean error stays 0.70 st, under the 1 st that "
    "scores in full, with correlation 0.31, so intonation is 0.72 against 1.00 (drop 0.28 < 0.3)"))

FEMALE, MALE = "female-actor", "male-actor"
SEED = 7


@functools.cache
def held_out_line(key: str) -> CorpusLine:
    return actor_line(CASES[key])


@functools.cache
def speech(key: str, role: str = "learner") -> np.ndarray:
    """The line said by the case's `role` ("learner", "high_learner"), as long as the actor's
    line times the voice's duration factor."""
    case = CASES[key]
    return learner_speech(case.text, getattr(case, role), held_out_line(key).script.duration)


@functools.cache
def on_time(key: str, role: str = "learner") -> np.ndarray:
    return take_at(held_out_line(key), speech(key, role), 0.0)


def take_at(line: CorpusLine, spoken: np.ndarray, late_by: float) -> np.ndarray:
    """`spoken` starting `late_by` seconds after the actor's line start on the recording window."""
    return place(spoken, len(line.reference), line.script.start_time - line.window_start + late_by,
                 seed=SEED)


def score(line: CorpusLine, take, rate=RATE, **kwargs) -> qs.QuickScoreResult:
    return qs.quick_score(take, rate, line.reference, RATE, line.script,
                          window_start=line.window_start, reference_pitch=line.reference_pitch,
                          **kwargs)


def with_f0(spoken: np.ndarray, factor: float) -> np.ndarray:
    """`spoken` resynthesised by WORLD at 16 kHz with its f0 multiplied by `factor`."""
    rate = 16_000
    x = np.interp(np.arange(0, len(spoken), RATE / rate), np.arange(len(spoken)), spoken)
    f0, times = pyworld.dio(x.astype(np.float64), rate, f0_floor=50.0, f0_ceil=600.0)
    f0 = pyworld.stonemask(x.astype(np.float64), f0, times, rate)
    sp = pyworld.cheaptrick(x.astype(np.float64), f0, times, rate)
    ap = pyworld.d4c(x.astype(np.float64), f0, times, rate)
    y = pyworld.synthesize(f0 * factor, sp, ap, rate)
    y = np.interp(np.arange(0, len(y), rate / RATE), np.arange(len(y)), y)
    return (y * (np.sqrt(np.mean(spoken ** 2)) / np.sqrt(np.mean(y ** 2)))).astype(np.float32)


def assert_well_formed(result: qs.QuickScoreResult, line: CorpusLine) -> Score:
    s = result.score
    assert s.source == "quick"
    for value in (s.overall_score, s.pronunciation, s.intonation, s.timing):
        assert 0.0 <= value <= 1.0
    mean = (s.pronunciation + s.intonation + s.timing) / 3
    assert s.overall_score == pytest.approx(mean, abs=1e-3)
    assert s.rank == rank_for(s.overall_score)
    assert [w.word for w in s.words] == [w.word for w in line.script.words]
    for w in s.words:
        assert 0.0 <= w.word_score <= 1.0 and w.text_status in ("pass", "fail")
        assert 0.0 <= w.overlap_ratio <= 1.0 and 0.0 <= w.mfcc_similarity <= 1.0
    json.dumps(qs.result_json(result))  # serialisable as the CLI prints it
    return s


# Every distinct learner voice of each case (the male actor's two roles are one voice).
GOOD_TAKES = [(FEMALE, "learner"), (FEMALE, "high_learner"), (MALE, "learner")]


# --- the properties, on every held-out line ------------------------------------------------------

@pytest.mark.parametrize("key, role", GOOD_TAKES)
def test_a_good_take_in_another_voice_scores_well(key, role):
    line = held_out_line(key)
    result = score(line, on_time(key, role))
    s = assert_well_formed(result, line)
    assert s.overall_score >= 0.8 and s.rank in ("S", "A")
    assert all(w.time_match for w in s.words)
    assert abs(np.median([w.timing_offset_ms for w in s.words])) < 100
    # The learner's contour for display: absolute times from the window start, 10 ms apart.
    times = result.learner_pitch.times
    assert times[0] == pytest.approx(line.window_start) and np.allclose(np.diff(times), 0.01)
    assert np.isfinite(result.learner_pitch.hz).sum() > 50


@pytest.mark.parametrize("key, role", [pytest.param(FEMALE, "learner", marks=WEST_MIDLANDS_THE),
                                       (FEMALE, "high_learner"), (MALE, "learner")])
def test_a_good_take_passes_every_word(key, role):
    s = score(held_out_line(key), on_time(key, role)).score
    assert [w.word for w in s.words if w.text_status != "pass"] == []


@pytest.mark.parametrize("key", [FEMALE, MALE])
def test_late_takes_lose_timing_and_the_words_move_with_them(key):
    line, spoken = held_out_line(key), speech(key)
    base = score(line, on_time(key))
    late = score(line, take_at(line, spoken, 0.3))
    later = score(line, take_at(line, spoken, 0.6))
    assert base.score.timing > late.score.timing + 0.2 > later.score.timing + 0.4
    assert any("late" in issue for issue in late.score.issues)
    assert late.score.pronunciation == pytest.approx(base.score.pronunciation, abs=0.1)
    shifts = [b.take_start - a.take_start
              for a, b in zip(base.alignment.words, late.alignment.words)]
    assert np.allclose(shifts, 0.3, atol=0.04)
    assert np.median([w.timing_offset_ms for w in late.score.words]) == pytest.approx(300, abs=40)


@pytest.mark.parametrize("key", [FEMALE, MALE])
def test_the_round_trip_latency_is_removed_before_judging_timing(key):
    line = held_out_line(key)
    base = score(line, on_time(key)).score
    compensated = score(line, take_at(line, speech(key), 0.25), latency_ms=250.0).score
    assert compensated.timing == pytest.approx(base.timing, abs=0.05)
    assert compensated.overall_score == pytest.approx(base.overall_score, abs=0.05)
    assert not any("late" in issue for issue in compensated.issues)


@pytest.mark.parametrize("key", [FEMALE, MALE])
def test_slower_delivery_loses_timing(key):
    case, line = CASES[key], held_out_line(key)
    slow_voice = Voice(case.learner.name, case.learner.pitch, 1.3)
    slower = score(line, take_at(line, learner_speech(case.text, slow_voice, line.script.duration),
                                 0.0)).score
    assert slower.timing < score(line, on_time(key)).score.timing - 0.2
    assert any("slower" in issue for issue in slower.issues)


@functools.cache
def melodies(key: str) -> dict[str, Score]:
    """The high learner's take resynthesised: as said, an octave and a fifth lower, and flat."""
    line, high = held_out_line(key), speech(key, "high_learner")
    takes = {"original": with_f0(high, 1.0), "octave": with_f0(high, 0.5),
             "fifth": with_f0(high, 2 ** (-7 / 12)), "flat": flatten_pitch(high)}
    return {name: score(line, take_at(line, take, 0.0)).score for name, take in takes.items()}


@pytest.mark.parametrize("key", [FEMALE, MALE])
def test_intonation_is_register_free(key):
    """The same melody an octave or a fifth lower scores like the original register."""
    scores = melodies(key)
    original, octave = scores["original"], scores["octave"]
    assert octave.intonation == pytest.approx(original.intonation, abs=0.06)
    assert scores["fifth"].intonation == pytest.approx(original.intonation, abs=0.06)
    errors = [w.pitch_error_semitones for w in octave.words if w.pitch_error_semitones is not None]
    assert errors and np.median(errors) < 2.5  # per word, in semitones after removing register


@pytest.mark.parametrize("key", [pytest.param(FEMALE, marks=NARROW_MELODY), MALE])
def test_a_flat_delivery_scores_clearly_lower_on_intonation(key):
    scores = melodies(key)
    assert scores["flat"].intonation < scores["original"].intonation - 0.3


@pytest.mark.parametrize("key", [FEMALE, MALE])
def test_wrong_words_score_low_on_pronunciation(key):
    case, line = CASES[key], held_out_line(key)
    other = learner_speech(case.wrong_words, case.learner, line.script.duration)
    wrong = score(line, take_at(line, other, 0.0)).score
    good = score(line, on_time(key)).score
    assert wrong.pronunciation < good.pronunciation - 0.4
    assert wrong.overall_score < good.overall_score
    assert sum(w.text_status == "fail" for w in wrong.words) >= len(wrong.words) // 2


# --- bad input and plumbing, on one held-out line ------------------------------------------------

@pytest.fixture(scope="module")
def line():
    return held_out_line(FEMALE)


@pytest.fixture(scope="module")
def good_take():
    return on_time(FEMALE)


def noise(n: int, level: float, seed: int) -> np.ndarray:
    return (np.random.default_rng(seed).standard_normal(n) * level).astype(np.float32)


DEGENERATE = {
    "silence": lambda take: noise(len(take), 10 ** (-75 / 20), 1),
    "white noise": lambda take: noise(len(take), 0.1, 2),
    "0.05 s long": lambda take: take[: int(0.05 * RATE)],
    "all NaN": lambda take: np.full(len(take), np.nan, dtype=np.float32),
    "all inf": lambda take: np.full(len(take), np.inf, dtype=np.float32),
    "empty": lambda take: np.zeros(0, dtype=np.float32),
}


@pytest.mark.parametrize("name", list(DEGENERATE))
def test_unusable_takes_score_near_zero_with_an_explanation(line, good_take, name):
    result = score(line, DEGENERATE[name](good_take))
    s = assert_well_formed(result, line)
    assert s.overall_score <= 0.1
    assert s.issues


@pytest.mark.parametrize("rate", [0, -48000, 10 ** 9])
def test_an_impossible_sample_rate_is_an_issue_not_an_exception(line, good_take, rate):
    s = assert_well_formed(score(line, good_take, rate=rate), line)
    assert s.overall_score == 0.0 and "sample rate" in s.issues[0]


def test_damaged_takes_score_lower_and_say_why(line, good_take):
    good = score(line, good_take).score
    clipped = score(line, np.clip(good_take * 8.0, -1.0, 1.0)).score
    assert clipped.overall_score < good.overall_score - 0.2
    assert any("clipped" in issue for issue in clipped.issues)

    narrowband = np.interp(np.arange(0, len(good_take), 6), np.arange(len(good_take)), good_take)
    telephone = assert_well_formed(score(line, narrowband.astype(np.float32), rate=8000), line)
    assert telephone.overall_score < good.overall_score
    assert any("8000 Hz" in issue for issue in telephone.issues)

    holes = good_take.copy()
    holes[::50] = np.nan
    holes[7] = -np.inf
    holed = assert_well_formed(score(line, holes), line)
    assert holed.overall_score < good.overall_score
    assert any("invalid samples" in issue for issue in holed.issues)


def test_other_sample_formats_are_read_as_audio(line, good_take):
    good = score(line, good_take).score
    as_pcm16 = score(line, np.round(good_take * 32767).astype(np.int16)).score
    stereo = score(line, np.column_stack((good_take, good_take))).score
    assert as_pcm16.overall_score == pytest.approx(good.overall_score, abs=0.03)
    assert stereo.overall_score == pytest.approx(good.overall_score, abs=0.03)


def test_score_take_files_prints_the_api_shape(line, tmp_path):
    script = line.script.to_api()
    script["window_start"] = line.window_start
    (tmp_path / "line.json").write_text(json.dumps(script), encoding="utf-8")
    sf.write(tmp_path / "actor.wav", line.reference, RATE)
    sf.write(tmp_path / "take.wav", take_at(line, speech(FEMALE), 0.2), RATE)
    out = qs.score_take_files(tmp_path / "line.json", tmp_path / "actor.wav",
                              tmp_path / "take.wav", latency_ms=200.0)
    for key in ("overall_score", "pronunciation", "intonation", "timing", "rank", "word_analysis",
                "summary", "issues", "learner_pitch"):
        assert key in out
    assert out["source"] == "quick" and out["rank"] in "SABC"
    assert out["summary"]["total_words"] == len(line.script.words)
    assert {"word", "word_score", "text_status", "time_match", "overlap_ratio", "mfcc_similarity",
            "timing_offset_ms"} <= set(out["word_analysis"][0])
    assert out["learner_pitch"][0]["time"] == pytest.approx(line.window_start, abs=1e-3)
    assert Score.from_json(out).overall_score == out["overall_score"]
    assert abs(np.median([w["timing_offset_ms"] for w in out["word_analysis"]])) < 100


def test_a_long_window_only_moves_the_times(line, good_take):
    """Five more seconds of pre-roll and twenty of post-roll: the same score, and every time
    still counted from the window's first sample."""
    before, after = 5 * RATE, 20 * RATE
    reference = np.pad(line.reference, (before, after))
    take = np.pad(good_take, (before, after))
    start = line.window_start - 5.0
    base = score(line, good_take)
    long = qs.quick_score(take, RATE, reference, RATE, line.script, window_start=start,
                          reference_pitch=line.reference_pitch)
    assert long.score.overall_score == pytest.approx(base.score.overall_score, abs=0.02)
    for a, b in zip(base.alignment.words, long.alignment.words):
        assert b.ref_start == pytest.approx(a.ref_start + 5.0, abs=1e-6)
        assert b.take_start == pytest.approx(a.take_start + 5.0, abs=0.02)
    assert long.learner_pitch.times[0] >= start


def test_a_line_without_word_times_is_scored_as_one_word(line, good_take):
    bare = replace(line.script, words=[])
    result = qs.quick_score(good_take, RATE, line.reference, RATE, bare,
                            window_start=line.window_start)
    assert [w.word for w in result.score.words] == [bare.script]
    assert result.score.overall_score > 0.7


def test_an_unusable_reference_is_an_issue_not_an_exception(line, good_take):
    for reference, rate in ((np.zeros(0, dtype=np.float32), RATE), (line.reference, 0),
                            (np.zeros_like(line.reference), RATE)):
        result = qs.quick_score(good_take, RATE, reference, rate, line.script,
                                window_start=line.window_start)
        assert result.score.overall_score == 0.0
        assert "reference" in result.score.issues[0]


def test_a_latency_that_is_not_a_number_is_ignored_with_an_issue(line, good_take):
    good = score(line, good_take).score
    for latency in (float("nan"), None):
        s = score(line, good_take, latency_ms=latency).score
        assert s.overall_score == pytest.approx(good.overall_score)
        assert any("latency" in issue for issue in s.issues)


# --- the actor's side, prepared once per line ----------------------------------------------------

def test_the_reference_is_prepared_once_per_line(line):
    first = qs.reference_line(line.reference, RATE, line.script, window_start=line.window_start,
                              reference_pitch=line.reference_pitch)
    again = qs.reference_line(line.reference.copy(), RATE, line.script,
                              window_start=line.window_start, reference_pitch=line.reference_pitch)
    assert again is first
    other = qs.reference_line(line.reference * 0.5, RATE, line.script,
                              window_start=line.window_start, reference_pitch=line.reference_pitch)
    assert other is not first


def test_a_reference_prepared_ahead_gives_the_same_score_as_one_call(line, good_take):
    """What the practice session does: prepare the line while the learner speaks, then score
    the take against it. Same numbers as scoring in one call."""
    references = qs.ReferenceCache()
    prepared = references.line(line.reference, RATE, line.script,
                               window_start=line.window_start,
                               reference_pitch=line.reference_pitch)
    ahead = qs.score_take(good_take, RATE, prepared)
    at_once = qs.quick_score(good_take, RATE, line.reference, RATE, line.script,
                             window_start=line.window_start, reference_pitch=line.reference_pitch,
                             references=references)
    assert len(references) == 1  # quick_score found the prepared line in the cache it was handed
    assert qs.result_json(ahead) == qs.result_json(at_once)


def test_a_reference_cache_forgets_the_line_used_longest_ago(line):
    references = qs.ReferenceCache(size=2)

    def prepare(gain: float) -> qs.ReferenceLine:
        return references.line(line.reference * gain, RATE, line.script,
                               window_start=line.window_start,
                               reference_pitch=line.reference_pitch)

    loud, soft = prepare(1.0), prepare(0.5)
    assert prepare(1.0) is loud          # used again: now the most recent
    prepare(0.25)                        # a third line pushes out the one used longest ago
    assert len(references) == 2
    assert prepare(1.0) is loud and prepare(0.5) is not soft
    references.clear()
    assert len(references) == 0 and prepare(1.0) is not loud
