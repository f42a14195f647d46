"""Playback files are converted (channels, sample rate) or refused with a clear message, and a
line's mix puts the line's start exactly where it says it does."""

import numpy as np
import pytest
import soundfile

from yousync_desktop.audio.errors import PlaybackFileError
from yousync_desktop.audio.playback_mix import CountIn, SceneAudio, decode_track
from yousync_desktop.domain.models import Script, Token

RATE = 48000


def tone(freq: float, seconds: float, rate: int, level: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (level * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def dominant_frequency(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(samples.size)))
    return float(np.argmax(spectrum) * rate / samples.size)


def test_stereo_file_at_44k1_becomes_mono_48k_with_the_same_pitch(tmp_path):
    path = tmp_path / "bg.flac"
    left, right = tone(440, 2.0, 44100), tone(440, 2.0, 44100, level=0.1)
    soundfile.write(path, np.stack([left, right], axis=1), 44100)
    mono = decode_track(path, RATE, 1)
    assert mono.shape == (96000, 1)
    assert dominant_frequency(mono[:, 0], RATE) == pytest.approx(440, abs=1)
    assert np.max(np.abs(mono)) == pytest.approx(0.2, abs=0.01)  # the average of both channels


def test_mono_is_spread_to_stereo_and_surround_folded_through_mono(tmp_path):
    mono_path, surround_path = tmp_path / "mono.wav", tmp_path / "six.wav"
    soundfile.write(mono_path, tone(300, 0.5, RATE), RATE)
    six = np.zeros((RATE // 2, 6), np.float32)
    six[:, 4] = tone(300, 0.5, RATE)  # content only in a rear channel: must not be dropped
    soundfile.write(surround_path, six, RATE)
    stereo = decode_track(mono_path, RATE, 2)
    assert stereo.shape == (RATE // 2, 2) and np.array_equal(stereo[:, 0], stereo[:, 1])
    folded = decode_track(surround_path, RATE, 2)
    assert folded.shape == (RATE // 2, 2) and np.max(np.abs(folded)) > 0.04


@pytest.mark.parametrize("content, reason", [
    (b"RIFF\x00\x00\x00\x00WAVEfmt garbage", "cannot be decoded"),
    (b"", "cannot be decoded"),
    (b"\x00" * 5000, "cannot be decoded"),
])
def test_undecodable_files_are_refused_naming_the_file(tmp_path, content, reason):
    path = tmp_path / "broken.ogg"
    path.write_bytes(content)
    with pytest.raises(PlaybackFileError, match=f"broken.ogg: {reason}"):
        decode_track(path, RATE, 2)


def test_empty_audio_and_invalid_samples_are_refused(tmp_path):
    empty = tmp_path / "empty.wav"
    soundfile.write(empty, np.zeros((0, 1), np.float32), RATE)
    with pytest.raises(PlaybackFileError, match="empty.wav: contains no audio"):
        decode_track(empty, RATE, 1)
    nan = tmp_path / "nan.wav"
    soundfile.write(nan, np.array([0.1, np.nan, 0.2], np.float32), RATE, subtype="FLOAT")
    with pytest.raises(PlaybackFileError, match="invalid"):
        decode_track(nan, RATE, 1)
    with pytest.raises(PlaybackFileError, match="missing.flac"):
        decode_track(tmp_path / "missing.flac", RATE, 1)


@pytest.fixture
def scene(tmp_path):
    """A 10 s clip starting at 100 s of the source video: background has a click at clip 4.0 s,
    the vocal a click at clip 4.5 s."""
    bg = np.zeros(10 * RATE, np.float32)
    bg[4 * RATE] = 0.5
    vocal = np.zeros(10 * RATE, np.float32)
    vocal[int(4.5 * RATE)] = 0.5
    soundfile.write(tmp_path / "bg.wav", bg, RATE)
    soundfile.write(tmp_path / "vocal.wav", vocal, RATE)
    token = Token(id=1, token_name="t", actor_name="a", start_time=100.0, end_time=110.0)
    return token, tmp_path / "bg.wav", tmp_path / "vocal.wav"


def test_line_start_is_where_the_script_start_is_played(scene):
    token, bg, vocal = scene
    audio = SceneAudio.load(token, bg, vocal, sample_rate=RATE, channels=2)
    line = Script(id=1, token_id=1, start_time=104.0, end_time=106.0, script="hi")
    mix = audio.line_mix(line, lead_in_s=1.5, tail_s=0.5)  # vocal left out
    assert mix.samples.shape == (int(4.0 * RATE), 2)
    assert mix.line_end - mix.line_start == 2 * RATE
    clicks = np.flatnonzero(np.abs(mix.samples[:, 0]) > 0.1)
    assert list(clicks) == [mix.line_start]  # the background click at absolute 104.0 s
    assert mix.clip_time(mix.line_start) == pytest.approx(token.clip_offset(104.0))

    with_voice = audio.line_mix(line, lead_in_s=1.5, tail_s=0.5, vocal_gain_db=-6.0)
    clicks = np.flatnonzero(np.abs(with_voice.samples[:, 0]) > 0.1)
    assert list(clicks) == [mix.line_start, mix.line_start + RATE // 2]
    assert with_voice.samples[mix.line_start + RATE // 2, 0] == pytest.approx(0.25, abs=0.01)


def test_count_in_clicks_lead_to_the_line_and_a_line_near_the_clip_start_gets_silence(scene):
    token, bg, _ = scene
    audio = SceneAudio.load(token, bg, None, sample_rate=RATE, channels=1)
    line = Script(id=2, token_id=1, start_time=100.5, end_time=101.0, script="early")
    mix = audio.line_mix(line, lead_in_s=0.5, count_in=CountIn(beats=3, interval_s=0.5))
    assert mix.line_start == int(round(1.75 * RATE))  # lead-in grown to fit the count-in
    assert mix.clip_start == pytest.approx(0.5 - 1.75)  # before the clip: silence
    onsets = [mix.line_start - int(k * 0.5 * RATE) for k in (3, 2, 1)]
    for onset in onsets:
        assert np.max(np.abs(mix.samples[onset:onset + 240, 0])) > 0.1
        assert np.max(np.abs(mix.samples[onset - 240:onset, 0])) == 0
