"""Pitch of finished recordings (takes, actor vocals): pYIN in two passes, the second one fitted to
the speaker, and the token pitch JSON (`[{"time", "hz"}]`) for packs that ship none.

Why two passes: one pass over 60–1000 Hz has to allow every register, so an octave slip is as cheap
as any other move and the frame must be long enough for 60 Hz. The first pass finds the speaker's
median; the second searches median / 2.5 … median × 2.5 only, with a frame of three periods of
the lowest pitch left in range (for higher voices shorter than the first pass's, so it follows fast
intonation more closely).

The audio is low-passed at 2 kHz first (zero-phase, so no time shift): the f0 and its first
harmonics are all YIN needs, and the band above carries mostly breath and noise. On the
benchmark's development split the low-pass gained ~0.5 point of raw pitch accuracy at 10 dB SNR,
and three-period frames ~0.7 point over two-period ones (benchmarks/README.pitch.md).
"""

from __future__ import annotations

import math
from pathlib import Path

import librosa
import numpy as np
from scipy.signal import butter, sosfiltfilt

from yousync_desktop.analysis.audio_io import load_mono, resample
from yousync_desktop.analysis.pitch_track import PitchTrack
from yousync_desktop.domain import PitchPoint

ANALYSIS_RATE = 16000
RANGE_SPAN = 2.5             # second pass: median / 2.5 … median × 2.5
MIN_VOICED_FRAMES = 20       # fewer confident voiced frames than this: keep the first pass
CONFIDENT = 0.5              # voiced probability for a frame to count towards the median
FRAME_PERIODS = 3.0          # frame length in periods of the lowest pitch searched
_LOW_PASS = butter(8, 2000.0, fs=ANALYSIS_RATE, output="sos")


def offline_pitch(audio: np.ndarray, sample_rate: int, fmin: float = 60.0, fmax: float = 1000.0,
                  hop_seconds: float = 0.01) -> PitchTrack:
    """f0 every `hop_seconds`, frame k centred at k × hop_seconds (NaN where unvoiced); confidence
    is pYIN's voiced probability."""
    audio = np.asarray(audio, dtype=np.float32)
    if audio.ndim == 2:
        audio = audio.mean(axis=1, dtype=np.float32)
    y = resample(audio, sample_rate, ANALYSIS_RATE)
    hop = int(round(hop_seconds * ANALYSIS_RATE))
    if len(y) == 0:
        return PitchTrack(times=np.zeros(0), hz=np.zeros(0), confidence=np.zeros(0))
    if len(y) > 64:  # filtfilt needs a little context
        y = sosfiltfilt(_LOW_PASS, y).astype(np.float32)
    fmax = min(fmax, 0.45 * ANALYSIS_RATE)
    first = _pyin(y, hop, fmin, fmax)
    confident = first.hz[first.voiced & (first.confidence >= CONFIDENT)]
    if confident.size < MIN_VOICED_FRAMES:
        return first
    median = float(np.median(confident))
    low, high = max(fmin, median / RANGE_SPAN), min(fmax, median * RANGE_SPAN)
    return _pyin(y, hop, low, high)


def _pyin(y: np.ndarray, hop: int, fmin: float, fmax: float) -> PitchTrack:
    # Three periods of the lowest pitch searched (YIN needs at least two), and at least 32 ms.
    frame_length = max(512, int(math.ceil(FRAME_PERIODS * ANALYSIS_RATE / fmin)))
    frame_length += frame_length % 2
    f0, voiced, probability = librosa.pyin(y, fmin=fmin, fmax=fmax, sr=ANALYSIS_RATE,
                                           frame_length=frame_length, hop_length=hop, center=True)
    hz = np.where(voiced, f0, np.nan)
    n = 1 + len(y) // hop
    times = np.arange(len(hz)) * hop / ANALYSIS_RATE
    return PitchTrack(times=times[:n], hz=hz[:n], confidence=np.nan_to_num(probability[:n]))


def token_pitch_from_vocal(vocal_path: Path, token_start: float) -> list[PitchPoint]:
    """The token's pitch contour from its isolated vocal: absolute times (the vocal's first sample is
    `token_start`), rounded to the millisecond, hz to 0.1, None where unvoiced."""
    audio, rate = load_mono(Path(vocal_path))
    return offline_pitch(audio, rate).to_points(offset=token_start, decimals=3)


def analyze_pitch_file(path: Path, offset: float = 0.0) -> list[dict]:
    """`yousync analyze-pitch IN.wav`: the API's pitch JSON shape, `[{"time", "hz"}]`."""
    return [point.to_api() for point in token_pitch_from_vocal(path, offset)]
