"""The eSpeak NG helper shared by the tools, benchmarks and tests (tools/speech.py)."""

import ast
from pathlib import Path

import numpy as np
import pytest
import soundfile

from tools.speech import (EVENT_WORD, SpeechError, espeak_command, espeak_library, speak,
                          speak_to_wav)

REPO = Path(__file__).resolve().parents[2]


def test_the_command_passes_only_the_options_given():
    assert espeak_command("Hi.", "en-us") == ["espeak-ng", "-v", "en-us", "--stdout", "Hi."]
    assert espeak_command("Hi.", "en-us+m3", speed=170, pitch=40, amplitude=150, word_gap=25,
                          wav_path=Path("/x/s.wav")) == [
        "espeak-ng", "-v", "en-us+m3", "-s", "170", "-p", "40", "-a", "150", "-g", "25",
        "-w", "/x/s.wav", "Hi."]


def test_speak_gives_audible_mono_speech_at_espeaks_rate_or_the_one_asked():
    audio, rate = speak("We have thirty seconds.", "en-us", speed=170)
    assert rate == 22_050 and audio.ndim == 1 and audio.dtype == np.float64
    assert 0.8 < len(audio) / rate < 3.0 and 0.05 < np.abs(audio).max() <= 1.0
    resampled, rate48 = speak("We have thirty seconds.", "en-us", speed=170, sample_rate=48_000)
    assert rate48 == 48_000 and abs(len(resampled) - len(audio) * 48_000 / 22_050) < 2


def test_options_reach_espeak_and_the_wav_holds_the_same_samples(tmp_path):
    low, _ = speak("Stay here.", "en-us", pitch=20)
    high, _ = speak("Stay here.", "en-us", pitch=80)
    assert not (len(low) == len(high) and np.array_equal(low, high))
    wav = speak_to_wav(tmp_path / "line.wav", "Stay here.", "en-us", pitch=20)
    from_file, rate = soundfile.read(wav, dtype="float64")
    assert rate == 22_050 and np.array_equal(from_file, low)


def test_a_missing_program_or_voice_is_one_clear_error(tmp_path, monkeypatch):
    with pytest.raises(SpeechError, match="failed .* for voice 'nonexistentvoice'"):
        speak("Hello.", "nonexistentvoice")
    monkeypatch.setenv("PATH", str(tmp_path))  # no espeak-ng on it
    with pytest.raises(SpeechError, match="espeak-ng not found.*apt-get install espeak-ng"):
        speak("Hello.")


def test_the_library_binding_times_every_word():
    tts = espeak_library()
    assert espeak_library() is tts  # one binding per process: the C library keeps global state
    audio, events = tts.synthesize("You came back.", "en-us+f3", speed=140, pitch=48,
                                   pitch_range=60)
    words = [e for e in events if e.kind == EVENT_WORD and e.length > 0]
    assert [(e.text_position, e.length) for e in words] == [(1, 3), (5, 4), (10, 4)]
    samples = [e.sample for e in words]
    assert samples == sorted(samples) and samples[-1] < len(audio)
    assert tts.sample_rate == 22_050 and np.abs(audio).max() > 0.05


def test_the_app_never_imports_tools_benchmarks_or_tests():
    """tools/ (and what uses it) is for developers; the app and its wheel must not need it."""
    offenders = []
    for path in (REPO / "yousync_desktop").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.module
                     and node.level == 0 else [])
            offenders += [f"{path.relative_to(REPO)}: {name}" for name in names
                          if name.split(".")[0] in ("tools", "benchmarks", "tests")]
    assert offenders == []
