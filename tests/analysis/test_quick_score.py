"""The quick score on real speech: the actor is a demo pack's line, the takes are eSpeak NG in
another voice (and WORLD resyntheses of it) placed on the same recording window."""

import json
import warnings
from dataclasses import replace

import numpy as np
import pytest
import soundfile as sf

from benchmarks.corpus.takes import PACKS, RATE, actor_line, flatten_pitch, place, speech_lasting
from yousync_desktop.analysis import quick_score as qs
from yousync_desktop.domain import Score, rank_for

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import pyworld

PACK = next(p for p in PACKS if p.stem == "demo-rainy-promise")
SCRIPT_ID = 2  # "I waited here every night, you know." — a female actor, 2.6 s


@pytest.fixture(scope="module")
def line():
    return actor_line(PACK, SCRIPT_ID)


@pytest.fixture(scope="module")
def speech(line):
    """The line's text in a male voice, as long as the actor's line (an octave below her)."""
    return speech_lasting(line.script.script, "en-us+m3", 45, line.script.duration, 140)[0]


@pytest.fixture(scope="module")
def high_speech(line):
    """The line's text in a female voice, in the actor's register."""
    return speech_lasting(line.script.script, "en-us+f4", 70, line.script.duration, 140)[0]


@pytest.fixture(scope="module")
def on_time(line, speech):
    return take_at(line, speech, 0.0)


def take_at(line, speech, late_by: float) -> np.ndarray:
    """`speech` starting `late_by` seconds after the actor's line start on the recording window."""
    return place(speech, len(line.reference), line.script.start_time - line.window_start + late_by,
                 seed=7)


def score(line, take, rate=RATE, **kwargs) -> qs.QuickScoreResult:
    return qs.quick_score(take, rate, line.reference, RATE, line.script,
                          window_start=line.window_start, reference_pitch=line.reference_pitch,
                          **kwargs)


def with_f0(speech: np.ndarray, factor: float) -> np.ndarray:
    """`speech` resynthesised by WORLD at 16 kHz with its f0 multiplied by `factor`."""
    rate = 16_000
    x = np.interp(np.arange(0, len(speech), RATE / rate), np.arange(len(speech)), speech)
    f0, times = pyworld.dio(x.astype(np.float64), rate, f0_floor=50.0, f0_ceil=600.0)
    f0 = pyworld.stonemask(x.astype(np.float64), f0, times, rate)
    sp = pyworld.cheaptrick(x.astype(np.float64), f0, times, rate)
    ap = pyworld.d4c(x.astype(np.float64), f0, times, rate)
    y = pyworld.synthesize(f0 * factor, sp, ap, rate)
    y = np.interp(np.arange(0, len(y), rate / RATE), np.arange(len(y)), y)
    return (y * (np.sqrt(np.mean(speech ** 2)) / np.sqrt(np.mean(y ** 2)))).astype(np.float32)


def assert_well_formed(result: qs.QuickScoreResult, line) -> Score:
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


def test_a_good_take_in_another_voice_scores_well(line, on_time):
    result = score(line, on_time)
    s = assert_well_formed(result, line)
    assert s.overall_score >= 0.8 and s.rank in ("S", "A")
    assert all(w.text_status == "pass" for w in s.words)
    assert all(w.time_match for w in s.words)
    assert abs(np.median([w.timing_offset_ms for w in s.words])) < 100
    # The learner's contour for display: absolute times from the window start, 10 ms apart.
    times = result.learner_pitch.times
    assert times[0] == pytest.approx(line.window_start) and np.allclose(np.diff(times), 0.01)
    assert np.isfinite(result.learner_pitch.hz).sum() > 50


def test_late_takes_lose_timing_and_the_words_move_with_them(line, speech, on_time):
    base = score(line, on_time)
    late = score(line, take_at(line, speech, 0.3))
    later = score(line, take_at(line, speech, 0.6))
    assert base.score.timing > late.score.timing + 0.2 > later.score.timing + 0.4
    assert any("late" in issue for issue in late.score.issues)
    assert late.score.pronunciation == pytest.approx(base.score.pronunciation, abs=0.1)
    shifts = [b.take_start - a.take_start
              for a, b in zip(base.alignment.words, late.alignment.words)]
    assert np.allclose(shifts, 0.3, atol=0.04)
    assert np.median([w.timing_offset_ms for w in late.score.words]) == pytest.approx(300, abs=40)


def test_the_round_trip_latency_is_removed_before_judging_timing(line, speech, on_time):
    base = score(line, on_time).score
    compensated = score(line, take_at(line, speech, 0.25), latency_ms=250.0).score
    assert compensated.timing == pytest.approx(base.timing, abs=0.05)
    assert compensated.overall_score == pytest.approx(base.overall_score, abs=0.05)
    assert not any("late" in issue for issue in compensated.issues)


def test_slower_delivery_loses_timing(line, on_time):
    slow, _ = speech_lasting(line.script.script, "en-us+m3", 45, 1.3 * line.script.duration, 110)
    slower = score(line, take_at(line, slow, 0.0)).score
    assert slower.timing < score(line, on_time).score.timing - 0.2
    assert any("slower" in issue for issue in slower.issues)


def test_intonation_is_register_free_and_catches_a_flat_delivery(line, high_speech):
    """The same melody an octave or a fifth lower scores like the original register; the same
    words on one flat pitch score clearly lower."""
    original = score(line, take_at(line, with_f0(high_speech, 1.0), 0.0)).score
    octave = score(line, take_at(line, with_f0(high_speech, 0.5), 0.0)).score
    fifth = score(line, take_at(line, with_f0(high_speech, 2 ** (-7 / 12)), 0.0)).score
    flat = score(line, take_at(line, flatten_pitch(high_speech), 0.0)).score
    assert octave.intonation == pytest.approx(original.intonation, abs=0.06)
    assert fifth.intonation == pytest.approx(original.intonation, abs=0.06)
    assert flat.intonation < original.intonation - 0.3
    errors = [w.pitch_error_semitones for w in octave.words if w.pitch_error_semitones is not None]
    assert errors and np.median(errors) < 2.5  # per word, in semitones after removing register


def test_wrong_words_score_low_on_pronunciation(line, on_time):
    other, _ = speech_lasting("Nobody could find the keys to the old red truck.", "en-us+m3", 45,
                              line.script.duration, 140)
    wrong = score(line, take_at(line, other, 0.0)).score
    good = score(line, on_time).score
    assert wrong.pronunciation < good.pronunciation - 0.4
    assert wrong.overall_score < good.overall_score
    assert sum(w.text_status == "fail" for w in wrong.words) >= len(wrong.words) // 2


def noise(n: int, level: float, seed: int) -> np.ndarray:
    return (np.random.default_rng(seed).standard_normal(n) * level).astype(np.float32)


DEGENERATE = {
    "silence": lambda line, take: noise(len(take), 10 ** (-75 / 20), 1),
    "white noise": lambda line, take: noise(len(take), 0.1, 2),
    "0.05 s long": lambda line, take: take[: int(0.05 * RATE)],
    "all NaN": lambda line, take: np.full(len(take), np.nan, dtype=np.float32),
    "all inf": lambda line, take: np.full(len(take), np.inf, dtype=np.float32),
    "empty": lambda line, take: np.zeros(0, dtype=np.float32),
}


@pytest.mark.parametrize("name", list(DEGENERATE))
def test_unusable_takes_score_near_zero_with_an_explanation(line, on_time, name):
    result = score(line, DEGENERATE[name](line, on_time))
    s = assert_well_formed(result, line)
    assert s.overall_score <= 0.1
    assert s.issues


@pytest.mark.parametrize("rate", [0, -48000, 10 ** 9])
def test_an_impossible_sample_rate_is_an_issue_not_an_exception(line, on_time, rate):
    s = assert_well_formed(score(line, on_time, rate=rate), line)
    assert s.overall_score == 0.0 and "sample rate" in s.issues[0]


def test_damaged_takes_score_lower_and_say_why(line, on_time):
    good = score(line, on_time).score
    clipped = score(line, np.clip(on_time * 8.0, -1.0, 1.0)).score
    assert clipped.overall_score < good.overall_score - 0.2
    assert any("clipped" in issue for issue in clipped.issues)

    narrowband = np.interp(np.arange(0, len(on_time), 6), np.arange(len(on_time)), on_time)
    telephone = assert_well_formed(score(line, narrowband.astype(np.float32), rate=8000), line)
    assert telephone.overall_score < good.overall_score
    assert any("8000 Hz" in issue for issue in telephone.issues)

    holes = on_time.copy()
    holes[::50] = np.nan
    holes[7] = -np.inf
    holed = assert_well_formed(score(line, holes), line)
    assert holed.overall_score < good.overall_score
    assert any("invalid samples" in issue for issue in holed.issues)


def test_other_sample_formats_are_read_as_audio(line, on_time):
    good = score(line, on_time).score
    as_pcm16 = score(line, np.round(on_time * 32767).astype(np.int16)).score
    stereo = score(line, np.column_stack((on_time, on_time))).score
    assert as_pcm16.overall_score == pytest.approx(good.overall_score, abs=0.03)
    assert stereo.overall_score == pytest.approx(good.overall_score, abs=0.03)


def test_the_reference_is_prepared_once_per_line(line):
    first = qs.reference_line(line.reference, RATE, line.script, window_start=line.window_start,
                              reference_pitch=line.reference_pitch)
    again = qs.reference_line(line.reference.copy(), RATE, line.script,
                              window_start=line.window_start, reference_pitch=line.reference_pitch)
    assert again is first
    other = qs.reference_line(line.reference * 0.5, RATE, line.script,
                              window_start=line.window_start, reference_pitch=line.reference_pitch)
    assert other is not first


def test_score_take_files_prints_the_api_shape(line, speech, tmp_path):
    on_time_speech = speech
    script = line.script.to_api()
    script["window_start"] = line.window_start
    (tmp_path / "line.json").write_text(json.dumps(script), encoding="utf-8")
    sf.write(tmp_path / "actor.wav", line.reference, RATE)
    sf.write(tmp_path / "take.wav", take_at(line, on_time_speech, 0.2), RATE)
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


def test_a_long_window_only_moves_the_times(line, on_time):
    """Five more seconds of pre-roll and twenty of post-roll: the same score, and every time
    still counted from the window's first sample."""
    before, after = 5 * RATE, 20 * RATE
    reference = np.pad(line.reference, (before, after))
    take = np.pad(on_time, (before, after))
    start = line.window_start - 5.0
    base = score(line, on_time)
    long = qs.quick_score(take, RATE, reference, RATE, line.script, window_start=start,
                          reference_pitch=line.reference_pitch)
    assert long.score.overall_score == pytest.approx(base.score.overall_score, abs=0.02)
    for a, b in zip(base.alignment.words, long.alignment.words):
        assert b.ref_start == pytest.approx(a.ref_start + 5.0, abs=1e-6)
        assert b.take_start == pytest.approx(a.take_start + 5.0, abs=0.02)
    assert long.learner_pitch.times[0] >= start


def test_a_line_without_word_times_is_scored_as_one_word(line, on_time):
    bare = replace(line.script, words=[])
    result = qs.quick_score(on_time, RATE, line.reference, RATE, bare,
                            window_start=line.window_start)
    assert [w.word for w in result.score.words] == [bare.script]
    assert result.score.overall_score > 0.7


def test_an_unusable_reference_is_an_issue_not_an_exception(line, on_time):
    for reference, rate in ((np.zeros(0, dtype=np.float32), RATE), (line.reference, 0),
                            (np.zeros_like(line.reference), RATE)):
        result = qs.quick_score(on_time, RATE, reference, rate, line.script,
                                window_start=line.window_start)
        assert result.score.overall_score == 0.0
        assert "reference" in result.score.issues[0]


def test_a_latency_that_is_not_a_number_is_ignored_with_an_issue(line, on_time):
    good = score(line, on_time).score
    for latency in (float("nan"), None):
        s = score(line, on_time, latency_ms=latency).score
        assert s.overall_score == pytest.approx(good.overall_score)
        assert any("latency" in issue for issue in s.issues)
