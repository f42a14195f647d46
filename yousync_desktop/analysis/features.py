"""Frame features of speech for the quick score: loudness, voice activity, MFCC and onsets.

Everything runs at one analysis rate (16 kHz, which keeps the whole speech band) on one frame grid:
frame `i` is centred on `i * HOP_SECONDS` seconds after the first sample (10 ms hop, 25 ms window).
Each public function takes `(audio, rate)` at any rate and resamples itself; `frame_features`
computes them all from one spectrogram when a caller needs several (the quick score does).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import librosa
import numpy as np
from scipy import ndimage

from yousync_desktop.analysis.audio_io import resample, to_mono

ANALYSIS_RATE = 16_000
HOP_SECONDS = 0.010
HOP_LENGTH = 160          # 10 ms at 16 kHz
WIN_LENGTH = 400          # 25 ms: the usual speech analysis window
N_FFT = 512
N_MELS = 40
N_MFCC = 13
MEL_FMIN, MEL_FMAX = 60.0, 6200.0  # room to scale the band by up to 1.28 below the 8 kHz Nyquist

SILENCE_FLOOR_DB = -100.0  # what digital silence reads as, instead of -inf
ABSOLUTE_VOICE_DB = -55.0  # quieter than this is never speech, whatever the recording's floor
RELATIVE_VOICE_DB = 35.0   # and neither is anything this far below the take's loud parts
NOISE_MARGIN_DB = 6.0      # nor anything within this margin of the background noise
MAX_SPEECH_FLATNESS = 0.30  # noise is spectrally flat; vowels and voiced consonants aren't
HANGOVER_SECONDS = 0.12    # keeps short unvoiced consonants and pauses inside words active
MIN_ACTIVE_SECONDS = 0.04  # shorter blips (clicks, a breath) are not speech
ONSET_RANGE_DB = 50.0      # onsets look only at this range below the loudest band (see _onsets)


def at_analysis_rate(audio: np.ndarray, rate: int) -> np.ndarray:
    """Mono float32 at ANALYSIS_RATE with non-finite samples zeroed (a broken buffer must not
    poison every frame with NaN)."""
    mono = to_mono(np.asarray(audio))
    mono = np.where(np.isfinite(mono), mono, 0.0).astype(np.float32)
    return resample(mono, int(rate), ANALYSIS_RATE)


def frame_count(n_samples: int) -> int:
    """Frames on the grid for `n_samples` at ANALYSIS_RATE (centred frames, as librosa has)."""
    return 1 + n_samples // HOP_LENGTH


def frame_times(n_frames: int) -> np.ndarray:
    return np.arange(n_frames) * HOP_SECONDS


# --- single features -----------------------------------------------------------------------------

def loudness_db(audio: np.ndarray, rate: int) -> np.ndarray:
    """Frame RMS in dBFS (full-scale sine ≈ -3 dB), floored at SILENCE_FLOOR_DB."""
    return _loudness_db(at_analysis_rate(audio, rate))


def voice_activity(audio: np.ndarray, rate: int) -> np.ndarray:
    """Boolean per frame: someone is speaking. Loud enough (absolute, relative to the take's peak
    and to its noise floor) and not spectrally flat like noise, then smoothed with a hangover."""
    y = at_analysis_rate(audio, rate)
    return _voice_activity(_loudness_db(y), _flatness(_power_spectrogram(y)))


def mfcc(audio: np.ndarray, rate: int, active: np.ndarray | None = None) -> np.ndarray:
    """MFCC (N_MFCC × frames) with cepstral mean normalisation: the mean over the active frames
    (all frames if none given or none active) is removed, and with it the level and any fixed
    colouring of the microphone and room."""
    y = at_analysis_rate(audio, rate)
    return _mfcc(_log_mel(_power_spectrogram(y)), active)


def onset_times(audio: np.ndarray, rate: int) -> np.ndarray:
    """Seconds of detected onsets (syllable and word attacks), backtracked to the energy rise."""
    y = at_analysis_rate(audio, rate)
    return _onsets(_log_mel(_power_spectrogram(y)), _loudness_db(y))


# --- all at once ---------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class FrameFeatures:
    """One recording's features on the 10 ms grid (all arrays have `n_frames` frames)."""

    audio: np.ndarray          # the mono 16 kHz signal they were computed from
    power: np.ndarray          # power spectrogram (N_FFT // 2 + 1) × frames
    loudness_db: np.ndarray
    flatness: np.ndarray
    active: np.ndarray         # voice activity
    mfcc: np.ndarray           # N_MFCC × frames, CMN over the active frames

    @property
    def n_frames(self) -> int:
        return len(self.loudness_db)

    @property
    def duration(self) -> float:
        return len(self.audio) / ANALYSIS_RATE

    def onset_times(self) -> np.ndarray:
        return _onsets(_log_mel(self.power), self.loudness_db)

    def warped_mfcc(self, warp: float) -> np.ndarray:
        """MFCC (with CMN) from a mel filterbank whose frequencies are scaled by `warp`: vocal
        tract length normalisation. A longer vocal tract (lower formants) looks like a shorter one
        through warp < 1; warp = 1 is `mfcc`."""
        return _mfcc(_log_mel(self.power, warp), self.active)


def frame_features(audio: np.ndarray, rate: int) -> FrameFeatures:
    """Loudness, flatness, voice activity and MFCC from one spectrogram."""
    y = at_analysis_rate(audio, rate)
    power = _power_spectrogram(y)
    level = _loudness_db(y)
    flat = _flatness(power)
    active = _voice_activity(level, flat)
    return FrameFeatures(audio=y, power=power, loudness_db=level, flatness=flat, active=active,
                         mfcc=_mfcc(_log_mel(power), active))


# --- internals (all at ANALYSIS_RATE) ------------------------------------------------------------

def _power_spectrogram(y: np.ndarray) -> np.ndarray:
    spectrum = librosa.stft(y, n_fft=N_FFT, hop_length=HOP_LENGTH, win_length=WIN_LENGTH,
                            center=True)
    return (spectrum.real ** 2 + spectrum.imag ** 2).astype(np.float32)


def _loudness_db(y: np.ndarray) -> np.ndarray:
    rms = librosa.feature.rms(y=y, frame_length=WIN_LENGTH, hop_length=HOP_LENGTH, center=True)[0]
    floor = 10.0 ** (SILENCE_FLOOR_DB / 20.0)
    return 20.0 * np.log10(np.maximum(rms, floor))


def _flatness(power: np.ndarray) -> np.ndarray:
    # Only 100 Hz–7 kHz: below is hum and rumble, above is often empty after resampling.
    band = power[3:225] + 1e-12
    return np.exp(np.mean(np.log(band), axis=0)) / np.mean(band, axis=0)


def _voice_activity(level_db: np.ndarray, flatness: np.ndarray) -> np.ndarray:
    if level_db.size == 0:
        return np.zeros(0, dtype=bool)
    peak = np.percentile(level_db, 99)
    noise_floor = np.percentile(level_db, 10)
    threshold = max(ABSOLUTE_VOICE_DB, peak - RELATIVE_VOICE_DB, noise_floor + NOISE_MARGIN_DB)
    seeds = (level_db > threshold) & (flatness < MAX_SPEECH_FLATNESS)
    seeds = ndimage.binary_opening(seeds, structure=np.ones(_frames(MIN_ACTIVE_SECONDS), bool))
    hang = _frames(HANGOVER_SECONDS)
    # Close gaps shorter than the hangover, then extend each region by it (but only into frames
    # that still carry some sound, so the hangover doesn't paint silence as speech).
    active = ndimage.binary_closing(seeds, structure=np.ones(hang, bool))
    active = ndimage.binary_dilation(active, structure=np.ones(2 * hang + 1, bool))
    return active & (level_db > max(ABSOLUTE_VOICE_DB, noise_floor + NOISE_MARGIN_DB / 2))


@lru_cache(maxsize=32)
def _mel_filters(warp: float) -> np.ndarray:
    return librosa.filters.mel(sr=ANALYSIS_RATE, n_fft=N_FFT, n_mels=N_MELS,
                               fmin=MEL_FMIN * warp, fmax=min(MEL_FMAX * warp, ANALYSIS_RATE / 2))


def _log_mel(power: np.ndarray, warp: float = 1.0) -> np.ndarray:
    mel = _mel_filters(float(warp)) @ power
    return librosa.power_to_db(mel, ref=1.0, amin=1e-10, top_db=None)


def _mfcc(log_mel: np.ndarray, active: np.ndarray | None) -> np.ndarray:
    coefficients = librosa.feature.mfcc(S=log_mel, n_mfcc=N_MFCC)
    use = active if active is not None and active.any() else slice(None)
    return coefficients - coefficients[:, use].mean(axis=1, keepdims=True)


def _onsets(log_mel: np.ndarray, level_db: np.ndarray) -> np.ndarray:
    # Faint spectral splatter (a note's release, the noise floor) is tens of dB up from digital
    # silence; 50 dB below the loudest band keeps it from counting as an attack.
    floored = np.maximum(log_mel, log_mel.max(initial=SILENCE_FLOOR_DB) - ONSET_RANGE_DB)
    # n_fft matters even with a spectrogram given: it sets the centring shift of the envelope.
    envelope = librosa.onset.onset_strength(S=floored, sr=ANALYSIS_RATE, hop_length=HOP_LENGTH,
                                            n_fft=N_FFT)
    if envelope.size == 0 or not np.any(envelope > 0):
        return np.zeros(0)
    frames = librosa.onset.onset_detect(onset_envelope=envelope, sr=ANALYSIS_RATE,
                                        hop_length=HOP_LENGTH, backtrack=True, energy=level_db)
    # Backtracking can send two peaks to the same energy dip: one onset.
    return np.unique(frames) * HOP_SECONDS


def _frames(seconds: float) -> int:
    return max(1, int(round(seconds / HOP_SECONDS)))
