"""Reading audio for analysis: any file libsndfile decodes, as mono float32 at the rate asked for."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import soundfile
import soxr

from yousync_desktop.errors import CodedError, QT_TRANSLATE_NOOP


class AudioFileError(CodedError, ValueError):
    """An audio file that cannot be read: `name` says which, `detail` (libsndfile's own words)
    why."""

    messages = {
        "audio_file.not_found": QT_TRANSLATE_NOOP("errors", "{name}: file not found"),
        "audio_file.unreadable": QT_TRANSLATE_NOOP("errors",
                                                   "{name}: cannot read audio ({detail})"),
    }


def to_mono(audio: np.ndarray) -> np.ndarray:
    audio = np.asarray(audio, dtype=np.float32)
    return audio.mean(axis=1, dtype=np.float32) if audio.ndim == 2 else audio


def resample(audio: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    if from_rate == to_rate:
        return np.asarray(audio, dtype=np.float32)
    return soxr.resample(audio, from_rate, to_rate, quality="HQ").astype(np.float32, copy=False)


def sndfile_name(path: Path | str) -> str | bytes:
    """The file name as libsndfile should get it. soundfile encodes a str name as strict UTF-8,
    which fails on a name that is not UTF-8 (it reaches Python as lone surrogates); the file
    system's own bytes always work. Windows names are Unicode and go through as they are."""
    return str(path) if sys.platform == "win32" else os.fsencode(path)


def audio_seconds(path: Path) -> float:
    """A file's length from its header (no decoding); AudioFileError if it cannot be read."""
    if not Path(path).is_file():
        raise AudioFileError("audio_file.not_found", name=Path(path).name)
    try:
        return soundfile.info(sndfile_name(path)).duration
    except (soundfile.LibsndfileError, RuntimeError, OSError) as exc:
        raise AudioFileError("audio_file.unreadable", name=Path(path).name,
                             detail=_reason(exc)) from None


def _reason(error: Exception) -> str:
    # libsndfile's own words, without soundfile's "Error opening b'/the/full/path': " prefix.
    return getattr(error, "error_string", None) or str(error)


def load_mono(path: Path, rate: int | None = None, start: float = 0.0,
              duration: float | None = None) -> tuple[np.ndarray, int]:
    """Mono float32 samples of `path` (optionally a segment in seconds), resampled to `rate`."""
    if not Path(path).is_file():
        raise AudioFileError("audio_file.not_found", name=Path(path).name)
    try:
        with soundfile.SoundFile(sndfile_name(path)) as audio:
            native = audio.samplerate
            audio.seek(min(int(round(start * native)), audio.frames))
            frames = -1 if duration is None else int(round(duration * native))
            samples = audio.read(frames, dtype="float32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, OSError) as exc:
        raise AudioFileError("audio_file.unreadable", name=Path(path).name,
                             detail=_reason(exc)) from None
    mono = to_mono(samples)
    target = rate or native
    return resample(mono, native, target), target
