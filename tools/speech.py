"""eSpeak NG speech for the tools, the benchmarks and the tests (never the app at run time).

Two ways in, because callers need two different things:

* `speak()` and `speak_to_wav()` run the `espeak-ng` program: a sentence as samples, or as a WAV
  file. Options left at None are not passed, so espeak-ng's own defaults apply; the benchmark
  corpora and test signals stay reproducible only if every caller keeps passing exactly the options
  it passed before.
* `espeak_library()` drives `libespeak-ng` through ctypes for callers that must know where each
  word starts: the demo scenes take their word timings from the synthesiser's own word events.

Both raise `SpeechError` with the package to install when eSpeak NG is missing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import math
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import NamedTuple

import numpy as np
import soundfile
from scipy.signal import resample_poly

ESPEAK_PROGRAM = "espeak-ng"
_INSTALL_HINT = "Debian/Ubuntu: apt-get install espeak-ng"


class SpeechError(RuntimeError):
    """eSpeak NG is missing or refused the request; the message says what to do."""


# --- the espeak-ng program -----------------------------------------------------------------------

def espeak_available() -> bool:
    return shutil.which(ESPEAK_PROGRAM) is not None


def espeak_command(text: str, voice: str, *, speed: int | None = None, pitch: int | None = None,
                   amplitude: int | None = None, word_gap: int | None = None,
                   wav_path: Path | None = None) -> list[str]:
    """The espeak-ng command line. `speed` in words per minute (-s, default 175), `pitch` 0–99
    (-p, default 50), `amplitude` 0–200 (-a, default 100), `word_gap` in units of 10 ms (-g).
    Writes a WAV file to `wav_path`, or to stdout without one."""
    command = [ESPEAK_PROGRAM, "-v", voice]
    for flag, value in (("-s", speed), ("-p", pitch), ("-a", amplitude), ("-g", word_gap)):
        if value is not None:
            command += [flag, str(int(value))]
    command += ["-w", str(wav_path)] if wav_path is not None else ["--stdout"]
    command.append(text)
    return command


def speak_to_wav(path: Path, text: str, voice: str = "en-us", *, speed: int | None = None,
                 pitch: int | None = None, amplitude: int | None = None,
                 word_gap: int | None = None, timeout: float | None = 60.0) -> Path:
    """Speak `text` into the WAV file `path` (16-bit mono at espeak-ng's own rate, 22 050 Hz)."""
    program = shutil.which(ESPEAK_PROGRAM)
    if program is None:
        raise SpeechError(f"{ESPEAK_PROGRAM} not found on PATH; {_INSTALL_HINT}")
    command = espeak_command(text, voice, speed=speed, pitch=pitch, amplitude=amplitude,
                             word_gap=word_gap, wav_path=Path(path))
    command[0] = program
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=timeout)
    except subprocess.CalledProcessError as exc:
        raise SpeechError(f"{ESPEAK_PROGRAM} failed ({exc.returncode}) for voice {voice!r}: "
                          f"{exc.stderr.decode(errors='replace').strip()}") from None
    except subprocess.TimeoutExpired:
        raise SpeechError(f"{ESPEAK_PROGRAM} took more than {timeout} s for {text!r}") from None
    return Path(path)


def speak(text: str, voice: str = "en-us", *, speed: int | None = None, pitch: int | None = None,
          amplitude: int | None = None, word_gap: int | None = None,
          sample_rate: int | None = None) -> tuple[np.ndarray, int]:
    """`text` spoken by espeak-ng: (mono float64 samples in −1…1, their sample rate). At
    espeak-ng's own rate unless `sample_rate` is given, then resampled (polyphase)."""
    with tempfile.TemporaryDirectory(prefix="espeak-") as scratch:
        wav = speak_to_wav(Path(scratch) / "speech.wav", text, voice, speed=speed, pitch=pitch,
                           amplitude=amplitude, word_gap=word_gap)
        audio, native_rate = soundfile.read(str(wav), dtype="float64")
    if sample_rate is None or sample_rate == native_rate:
        return audio, native_rate
    return resample(audio, native_rate, sample_rate), sample_rate


def resample(audio: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    common = math.gcd(from_rate, to_rate)
    return resample_poly(audio, to_rate // common, from_rate // common)


# --- libespeak-ng, for word timings --------------------------------------------------------------

class WordEvent(NamedTuple):
    """One synthesis event: `kind` is EVENT_WORD (a word starts; length 0 means a pause),
    EVENT_SENTENCE or EVENT_END (a clause ends); `text_position` is 1-based in the input."""
    kind: int
    text_position: int
    length: int  # characters
    sample: int  # index into the synthesised audio


EVENT_LIST_TERMINATED, EVENT_WORD, EVENT_SENTENCE, EVENT_END = 0, 1, 2, 5


class _EspeakEvent(ctypes.Structure):
    """``espeak_EVENT`` from speak_lib.h."""
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),  # 1-based character position in the input text
        ("length", ctypes.c_int),  # word length in characters
        ("audio_position", ctypes.c_int),  # milliseconds
        ("sample", ctypes.c_int),  # sample index in the synthesised audio
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_void_p),  # union {int number; const char *name; char string[8];}
    ]


_SYNTH_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                                   ctypes.POINTER(_EspeakEvent))

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_PARAM_RATE, _PARAM_PITCH, _PARAM_RANGE = 1, 3, 4


@functools.cache
def espeak_library() -> EspeakLibrary:
    """The process's one libespeak-ng binding (the C library keeps global state)."""
    return EspeakLibrary()


class EspeakLibrary:
    """Synthesises one sentence at a time and reports where each word starts. Use
    `espeak_library()` rather than building one."""

    def __init__(self) -> None:
        name = ctypes.util.find_library("espeak-ng") or "libespeak-ng.so.1"
        try:
            self._lib = ctypes.CDLL(name)
        except OSError as exc:
            raise SpeechError(f"cannot load the eSpeak NG library ({name}): {exc}; Debian/Ubuntu: "
                              "apt-get install libespeak-ng1 espeak-ng-data") from exc
        lib = self._lib
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                     ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
        self.sample_rate: int = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, None, 0)
        if self.sample_rate <= 0:
            raise SpeechError("espeak_Initialize failed (is espeak-ng-data installed?)")
        self._chunks: list[np.ndarray] = []
        self._events: list[WordEvent] = []
        self._callback = _SYNTH_CALLBACK(self._on_audio)  # keep a reference: C holds the pointer
        lib.espeak_SetSynthCallback(self._callback)

    def _on_audio(self, wav, n_samples, events) -> int:
        if wav and n_samples > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(n_samples,)).copy())
        i = 0
        while events[i].type != EVENT_LIST_TERMINATED:
            event = events[i]
            self._events.append(WordEvent(event.type, event.text_position, event.length,
                                          event.sample))
            i += 1
        return 0  # continue synthesis

    def synthesize(self, text: str, voice: str, *, speed: int, pitch: int,
                   pitch_range: int) -> tuple[np.ndarray, list[WordEvent]]:
        """(float64 samples at `self.sample_rate`, the events in order). `speed` in words per
        minute, `pitch` and `pitch_range` 0–100."""
        lib = self._lib
        if lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise SpeechError(f"eSpeak NG voice not found: {voice}")
        lib.espeak_SetParameter(_PARAM_RATE, speed, 0)
        lib.espeak_SetParameter(_PARAM_PITCH, pitch, 0)
        lib.espeak_SetParameter(_PARAM_RANGE, pitch_range, 0)
        self._chunks, self._events = [], []
        data = text.encode("utf-8")
        status = lib.espeak_Synth(data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
        if status != 0:
            raise SpeechError(f"espeak_Synth failed for {text!r}")
        lib.espeak_Synchronize()
        audio = np.concatenate(self._chunks).astype(np.float64) / 32768.0
        return audio, list(self._events)
