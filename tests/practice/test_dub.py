"""The learner's dub: the chosen take of each line mixed into the scene at its line's place, written
as WAV, and as MP3/M4A when ffmpeg is there."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import soundfile

from tests.practice.helpers import DEMO_PACK, best_offset, engine_factory
from yousync_desktop.analysis.audio_io import load_mono, resample
from yousync_desktop.library import Library
from yousync_desktop.practice import PracticeSession
from yousync_desktop.practice.dub import DubError, dub_takes, export_dub, export_formats

RATE = 48000


def add_take(session, index: int, voice, tmp_path, *, pre_roll: float = 0.5):
    """A take as the recorder makes them: pre-roll of silence, then the voice, 48 kHz."""
    script = session.scripts[index]
    audio, rate = load_mono(voice)
    audio = resample(audio, rate, RATE)
    take_audio = np.concatenate([np.zeros(int(pre_roll * RATE), np.float32), audio])
    path = tmp_path / f"take-{index}.wav"
    soundfile.write(path, take_audio, RATE, subtype="PCM_24")
    return session.library.add_take(
        session.scene.key, script.id, path, sample_rate=RATE, duration=take_audio.size / RATE,
        metadata={"window_start": script.start_time - pre_roll}), take_audio


@pytest.fixture
def session(practice_paths):
    library = Library(practice_paths)
    practice = PracticeSession(library, library.key_for_pack(DEMO_PACK), engine_factory)
    yield practice
    practice.close()
    library.close()


def test_export_places_each_take_at_its_line(session, voice_lines, tmp_path):
    with pytest.raises(DubError):
        export_dub(session, tmp_path / "empty.wav")
    first, first_audio = add_take(session, 0, voice_lines[0], tmp_path)
    second, _ = add_take(session, 2, voice_lines[2], tmp_path)
    older, _ = add_take(session, 2, voice_lines[1], tmp_path)  # the newest would win…
    session.set_starred(second.id, True)                       # …but the starred one is kept
    assert [(s, p.name) for s, p, _w in dub_takes(session)] == [
        (first.script_id, first.audio_path.rsplit("/", 1)[1]),
        (second.script_id, second.audio_path.rsplit("/", 1)[1])]

    out = export_dub(session, tmp_path / "my-dub.wav")
    mix, mix_rate = soundfile.read(out, dtype="float32")
    token = session.token
    assert mix.shape[0] == pytest.approx(token.duration * mix_rate, abs=mix_rate * 0.05)

    script = session.scripts[0]
    needle = resample(first_audio, RATE, mix_rate)
    start = int(0.55 * mix_rate)                       # inside the line, past the fade-in
    needle = needle[start:start + int(0.4 * mix_rate)]
    expected = int(round(token.clip_offset(script.start_time - 0.5) * mix_rate)) + start
    search_from = expected - mix_rate                   # look a second either side
    found = search_from + best_offset(mix[search_from:expected + mix_rate + needle.size], needle)
    assert abs(found - expected) <= 2, f"take found {found - expected} samples from its line"


@pytest.mark.skipif(".mp3" not in export_formats(), reason="ffmpeg/ffprobe not installed")
@pytest.mark.parametrize("suffix", [".mp3", ".m4a"])
def test_compressed_exports_through_pydub(session, voice_lines, tmp_path, suffix):
    from pydub import AudioSegment

    add_take(session, 1, voice_lines[1], tmp_path)
    out = export_dub(session, tmp_path / f"my-dub{suffix}")
    decoded = AudioSegment.from_file(str(out))
    assert decoded.duration_seconds == pytest.approx(session.token.duration, abs=0.2)
    assert not list(tmp_path.glob("*.part"))
    assert shutil.which("ffprobe")
