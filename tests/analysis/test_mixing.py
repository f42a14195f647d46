"""The "my dub" mix on real signals: clicks for placement, tones for the actor, eSpeak NG speech for
loudness. The scene is 10 s of clip starting at absolute 100 s, with three lines."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pyloudnorm
import pytest
import soundfile
from scipy.signal import resample_poly

from tools.speech import speak
from yousync_desktop.analysis.mixing import (MixTake, limit_peaks, mix_scene_to_file,
                                             render_dub_mix, segment_loudness)
from yousync_desktop.domain import Script, Token

RATE = 48_000
CEILING = 10 ** (-1 / 20)
PRE_ROLL = 0.5


def _scene() -> Token:
    lines = [(1, 101.0, 102.5, "You came back."), (2, 104.0, 106.0, "I waited here every night."),
             (3, 107.5, 109.0, "Stay this time.")]
    return Token(id=7, token_name="test", actor_name="actor", start_time=100.0, end_time=110.0,
                 scripts=[Script(id=i, token_id=7, start_time=s, end_time=e, script=text)
                          for i, s, e, text in lines])


TOKEN = _scene()
LINE = {script.id: script for script in TOKEN.scripts}
N = int(TOKEN.duration * RATE)


def clip_sample(absolute_time: float) -> int:
    return int(round(TOKEN.clip_offset(absolute_time) * RATE))


def take_start(script_id: int) -> int:
    """Clip sample of a take's sample 0 (its window starts PRE_ROLL before the line)."""
    return clip_sample(LINE[script_id].start_time - PRE_ROLL)


def espeak(text: str, voice: str, pitch: int = 50) -> np.ndarray:
    audio, _ = speak(text, voice, speed=160, pitch=pitch, sample_rate=RATE)
    return (audio / np.sqrt(np.mean(audio ** 2)) * 0.1).astype(np.float32)


def loudness(audio: np.ndarray) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pyloudnorm.Meter(RATE).integrated_loudness(audio.astype(np.float64))


@pytest.fixture(scope="module")
def speech() -> dict[str, np.ndarray]:
    return {"actor": espeak("I waited here every night, you know.", "en-us+f3", 60),
            "learner": espeak("I waited here every night, you know.", "en-gb+m2", 40)}


def take_window(script_id: int, audio: np.ndarray, rate: int = RATE,
                pre_roll: float = PRE_ROLL) -> MixTake:
    return MixTake(script_id, audio, rate, LINE[script_id].start_time - pre_roll)


def silence() -> np.ndarray:
    return np.zeros(N, dtype=np.float32)


def actor_tone() -> np.ndarray:
    t = np.arange(N) / RATE
    return (0.2 * np.sin(2 * np.pi * 200 * t)).astype(np.float32)


def pulse(rate: int, centre: float, seconds: float = 4.0) -> np.ndarray:
    """A 1 kHz Gaussian-windowed pulse (band-limited, so resampling keeps its shape), centred
    `centre` seconds into a take of `seconds`."""
    t = np.arange(int(seconds * rate)) / rate - centre
    return (0.5 * np.exp(-0.5 * (t / 0.002) ** 2) * np.cos(2 * np.pi * 1000 * t)).astype(np.float32)


def located(mix: np.ndarray) -> int:
    """Clip sample where a pulse's centre landed (cross-correlation peak)."""
    template = pulse(RATE, 0.02, 0.04)
    correlation = np.correlate(mix, template, mode="valid")
    return int(np.argmax(correlation)) + int(round(0.02 * RATE))


# --- placement -----------------------------------------------------------------------------------

def test_a_click_take_lands_on_exactly_the_right_sample():
    take = np.zeros(int(3.0 * RATE), dtype=np.float32)
    take[int(0.8 * RATE)] = 0.5          # 0.3 s into line 2, well inside it
    mix = render_dub_mix(TOKEN, silence(), None, RATE, [take_window(2, take)])
    expected = take_start(2) + int(0.8 * RATE)
    assert int(np.argmax(np.abs(mix))) == expected
    assert mix[expected] == pytest.approx(0.5, abs=1e-6)
    assert np.count_nonzero(mix) == 1


def test_a_window_start_between_samples_rounds_to_the_nearest_one():
    take = np.zeros(int(3.0 * RATE), dtype=np.float32)
    take[int(0.8 * RATE)] = 0.5
    window_start = LINE[2].start_time - PRE_ROLL + 0.7 / RATE  # 0.7 of a sample late
    mix = render_dub_mix(TOKEN, silence(), None, RATE, [MixTake(2, take, RATE, window_start)])
    assert int(np.argmax(np.abs(mix))) == take_start(2) + int(0.8 * RATE) + 1


@pytest.mark.parametrize("take_rate", [44_100, 16_000, 96_000])
def test_takes_at_other_sample_rates_land_on_the_same_sample(take_rate):
    # A centre 0.75 s into the take: a whole number of samples at every rate tested.
    take = pulse(take_rate, 0.75)
    mix = render_dub_mix(TOKEN, silence(), None, RATE, [take_window(1, take, take_rate)])
    assert located(mix) == take_start(1) + int(0.75 * RATE)


def test_a_take_starting_before_the_clip_is_cut_at_sample_zero():
    early = Token(id=8, token_name="t", actor_name="a", start_time=100.0, end_time=103.0,
                  scripts=[Script(id=1, token_id=8, start_time=100.2, end_time=101.5, script="x")])
    take = np.zeros(int(2.5 * RATE), dtype=np.float32)
    take[int(0.9 * RATE)] = 0.5            # window starts at 99.7 s: 0.3 s before the clip
    mix = render_dub_mix(early, np.zeros(3 * RATE, np.float32), None, RATE,
                         [MixTake(1, take, RATE, 99.7)])
    assert len(mix) == 3 * RATE
    assert int(np.argmax(np.abs(mix))) == int(round(0.6 * RATE))


# --- the actor and the background ----------------------------------------------------------------

def test_the_actor_is_gone_under_a_take_and_kept_elsewhere():
    take = np.zeros(int(3.0 * RATE), dtype=np.float32)   # a silent take: the mix is actor only
    vocal = actor_tone()
    mix = render_dub_mix(TOKEN, silence(), vocal, RATE, [take_window(2, take)])
    under = slice(clip_sample(LINE[2].start_time), clip_sample(LINE[2].end_time))
    assert np.sum(mix[under] ** 2) == 0.0
    for other in (1, 3):
        kept = slice(clip_sample(LINE[other].start_time), clip_sample(LINE[other].end_time))
        np.testing.assert_array_equal(mix[kept], vocal[kept])


def test_the_actor_can_be_ducked_instead_of_removed():
    take = np.zeros(int(3.0 * RATE), dtype=np.float32)
    vocal = actor_tone()
    mix = render_dub_mix(TOKEN, silence(), vocal, RATE, [take_window(2, take)], actor_duck_db=-12.0)
    under = slice(clip_sample(LINE[2].start_time), clip_sample(LINE[2].end_time))
    ratio = np.sqrt(np.mean(mix[under] ** 2) / np.mean(vocal[under] ** 2))
    assert 20 * np.log10(ratio) == pytest.approx(-12.0, abs=0.01)


def test_without_keep_actor_elsewhere_the_actor_is_left_out():
    take = np.zeros(int(3.0 * RATE), dtype=np.float32)
    mix = render_dub_mix(TOKEN, silence(), actor_tone(), RATE, [take_window(2, take)],
                         keep_actor_elsewhere=False)
    assert not mix.any()


def test_the_background_plays_unchanged_under_the_takes():
    background = (np.random.default_rng(3).standard_normal(N) * 0.05).astype(np.float32)
    takes = [take_window(i, np.zeros(int(3.0 * RATE), np.float32)) for i in (1, 2, 3)]
    mix = render_dub_mix(TOKEN, background, None, RATE, takes)
    np.testing.assert_array_equal(mix, background)


# --- extent and fades ----------------------------------------------------------------------------

def test_a_take_longer_than_its_line_is_cut_and_faded_at_the_margins():
    # A constant take (0.5 s pre-roll + 2 s line + 1.5 s post-roll): the mix shows its envelope.
    take = np.full(int(4.0 * RATE), 0.3, dtype=np.float32)
    margin, fade = 0.15, 0.03
    mix = render_dub_mix(TOKEN, silence(), None, RATE, [take_window(2, take)], margin=margin,
                         fade=fade)
    use_from = clip_sample(LINE[2].start_time - margin)
    use_to = clip_sample(LINE[2].end_time + margin)
    ramp = int(round(fade * RATE))
    assert not mix[:use_from].any() and not mix[use_to:].any()
    fade_in, fade_out = mix[use_from: use_from + ramp], mix[use_to - ramp: use_to]
    assert fade_in[0] < 0.001 and np.all(np.diff(fade_in) > 0)
    assert fade_out[-1] < 0.001 and np.all(np.diff(fade_out) < 0)
    np.testing.assert_allclose(mix[use_from + ramp: use_to - ramp], 0.3)


def test_a_wider_margin_uses_more_of_the_take():
    take = np.full(int(4.0 * RATE), 0.1, dtype=np.float32)
    narrow = render_dub_mix(TOKEN, silence(), None, RATE, [take_window(2, take)], margin=0.05)
    wide = render_dub_mix(TOKEN, silence(), None, RATE, [take_window(2, take)], margin=0.4)
    assert np.count_nonzero(wide) - np.count_nonzero(narrow) == pytest.approx(0.7 * RATE, abs=2)


# --- loudness and peaks --------------------------------------------------------------------------

def _line_scene(speech: dict[str, np.ndarray], take_gain_db: float):
    script = LINE[2]
    vocal = silence()
    at = clip_sample(script.start_time)
    actor = speech["actor"][: clip_sample(script.end_time) - at]
    vocal[at: at + len(actor)] = actor
    take = np.zeros(int((script.duration + 1.5) * RATE), dtype=np.float32)
    learner = speech["learner"][: int(script.duration * RATE)] * 10 ** (take_gain_db / 20)
    take[int(PRE_ROLL * RATE): int(PRE_ROLL * RATE) + len(learner)] = learner
    take += np.random.default_rng(5).standard_normal(len(take)).astype(np.float32) * 1e-4
    return vocal, take


def test_a_take_recorded_12_db_too_quiet_matches_the_actor_within_1_lu(speech):
    script = LINE[2]
    vocal, take = _line_scene(speech, take_gain_db=0.0)
    region = slice(clip_sample(script.start_time), clip_sample(script.end_time))
    # Set the take 12 LU under the actor (the voices differ, so measure rather than assume).
    line_in_take = slice(region.start - take_start(2), region.stop - take_start(2))
    offset = loudness(vocal[region]) - loudness(take[line_in_take])
    take *= np.float32(10 ** ((offset - 12.0) / 20))
    mix = render_dub_mix(TOKEN, silence(), vocal, RATE, [take_window(2, take)],
                         keep_actor_elsewhere=False)
    assert abs(loudness(mix[region]) - loudness(vocal[region])) <= 1.0


@pytest.mark.parametrize("take_gain_db, applied_db", [(-40.0, 20.0), (-70.0, 0.0)])
def test_a_near_silent_take_is_raised_no_more_than_the_gain_limit(speech, take_gain_db, applied_db):
    # 40 dB too quiet: raised by the 20 dB limit only. Under BS.1770's -70 LUFS gate: left alone.
    vocal, take = _line_scene(speech, take_gain_db=take_gain_db)
    region = slice(clip_sample(LINE[2].start_time), clip_sample(LINE[2].end_time))
    mix = render_dub_mix(TOKEN, silence(), vocal, RATE, [take_window(2, take)],
                         keep_actor_elsewhere=False, max_gain_db=20.0)
    raw = take[region.start - take_start(2): region.stop - take_start(2)]
    gain_db = 20 * np.log10(np.abs(mix[region]).max() / np.abs(raw).max())
    assert gain_db == pytest.approx(applied_db, abs=0.01)


def test_no_sample_exceeds_minus_1_dbfs_even_with_a_hot_take(speech):
    vocal, take = _line_scene(speech, take_gain_db=0.0)
    take *= np.float32(3.0 / np.abs(take).max())           # peaks at +9.5 dBFS
    background = (np.random.default_rng(9).standard_normal(N) * 0.05).astype(np.float32)
    for match in (False, True):
        mix = render_dub_mix(TOKEN, background, vocal, RATE, [take_window(2, take)],
                             loudness_match=match)
        assert np.abs(mix).max() <= CEILING
    # The limiter only acts near the hot take: the background far from it is untouched.
    far = slice(0, clip_sample(LINE[2].start_time - 0.5))
    np.testing.assert_array_equal(mix[far], background[far] + vocal[far])


def test_the_limiter_keeps_inter_sample_peaks_under_the_ceiling():
    t = np.arange(RATE) / RATE
    # A tone at a quarter of the rate sampled off its crests: inter-sample peaks 3 dB above.
    tone = np.sin(2 * np.pi * (RATE / 4) * t + np.pi / 4).astype(np.float32) * 1.2
    limited = limit_peaks(tone, RATE)
    upsampled = resample_poly(limited.astype(np.float64), 4, 1)
    assert np.abs(limited).max() <= CEILING
    assert np.abs(upsampled[4000:-4000]).max() <= CEILING * 1.01


def test_short_segments_are_measured_by_rms_on_active_frames():
    t = np.arange(int(0.3 * RATE)) / RATE
    tone = (0.1 * np.sin(2 * np.pi * 300 * t)).astype(np.float32)
    padded = np.concatenate([np.zeros(int(0.06 * RATE), np.float32), tone])  # still < 0.4 s
    assert segment_loudness(padded, RATE) == pytest.approx(segment_loudness(tone, RATE), abs=0.1)
    assert segment_loudness(np.zeros(1000, np.float32), RATE) == -math.inf


# --- files and errors ----------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".wav", ".flac"])
def test_mix_scene_to_file_reads_files_at_their_rates_and_writes_the_mix(tmp_path, suffix):
    background = (np.random.default_rng(1).standard_normal(N) * 0.05).astype(np.float32)
    soundfile.write(tmp_path / "bgvoice.flac", background, RATE)
    soundfile.write(tmp_path / "vocal.flac", actor_tone(), RATE)
    soundfile.write(tmp_path / "take.wav", pulse(44_100, 0.75), 44_100, subtype="FLOAT")
    out = mix_scene_to_file(TOKEN, tmp_path / "bgvoice.flac", tmp_path / "vocal.flac",
                            [(1, tmp_path / "take.wav", LINE[1].start_time - PRE_ROLL)],
                            tmp_path / f"mix{suffix}", loudness_match=False)
    mix, rate = soundfile.read(out, dtype="float32")
    assert rate == RATE and len(mix) == N
    assert np.abs(mix).max() <= CEILING + 1 / 32768
    line = slice(clip_sample(LINE[1].start_time), clip_sample(LINE[1].end_time))
    # Under the line the actor is gone: what is not background is the (resampled) take.
    expected_take = pulse(RATE, 0.75)[line.start - take_start(1): line.stop - take_start(1)]
    assert np.abs(mix[line] - background[line] - expected_take).max() < 1e-3
    assert list(tmp_path.glob("tmp*")) == []


def test_a_mix_without_an_actor_track_still_renders(tmp_path):
    soundfile.write(tmp_path / "bgvoice.flac", silence(), RATE)
    take = np.zeros(int(3.0 * RATE), dtype=np.float32)
    take[int(0.8 * RATE)] = 0.5
    soundfile.write(tmp_path / "take.flac", take, RATE)
    out = mix_scene_to_file(TOKEN, tmp_path / "bgvoice.flac", None,
                            [(2, tmp_path / "take.flac", LINE[2].start_time - PRE_ROLL)],
                            tmp_path / "mix.wav")
    mix, _ = soundfile.read(out, dtype="float32")
    assert int(np.argmax(np.abs(mix))) == take_start(2) + int(0.8 * RATE)


def test_an_unknown_extension_is_refused(tmp_path):
    with pytest.raises(ValueError, match="wav"):
        mix_scene_to_file(TOKEN, None, None, [], tmp_path / "mix.mp3")


def test_takes_must_be_one_per_known_line():
    take = np.zeros(RATE, dtype=np.float32)
    with pytest.raises(ValueError, match="not in this scene"):
        render_dub_mix(TOKEN, silence(), None, RATE, [MixTake(99, take, RATE, 100.0)])
    with pytest.raises(ValueError, match="two takes"):
        render_dub_mix(TOKEN, silence(), None, RATE, [take_window(1, take), take_window(1, take)])
