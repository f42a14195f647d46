"""Speech with a KNOWN f0: espeak-ng sentences resynthesised by WORLD on contours we choose.

Why this is ground truth: WORLD (pyworld) splits each espeak-ng sentence into an f0 track, a spectral
envelope and an aperiodicity; we throw the f0 away and resynthesise on a contour we draw ourselves
(declination, accents, a question rise, a slow vibrato-like wiggle, a random drift). Frames
we leave at f0 = 0 are synthesised from noise only, so the truth is exactly the imposed contour, and
"unvoiced" exactly the frames we set to 0. Which frames are voiced follows the sentence itself:
WORLD's own voiced/unvoiced decision (D4C) minus near-silent frames (runs under 30 ms dropped,
gaps under 15 ms filled), with 0.25–0.35 s of silence before and 0.3 s after, and the pauses
espeak-ng makes at commas. Child voices also get their formants raised 12–15 %.

Three speaker ranges (male 85–180 Hz, female 165–330 Hz, child 250–500 Hz), six utterances each
(3.4–4.8 s, about 70 s per condition), at 44.1 kHz so every tracker also exercises its resampling.
Noisy conditions add white (even-numbered utterances) or pink (odd, 1/f from 50 Hz) noise at 20 and
10 dB SNR, the SNR measured over the whole band and the whole utterance including its silences.
A separate "dev" split (other sentences, voices and contour seeds) is for tuning, so the benchmark
is not fitted to its own clips.

Everything is seeded. The slow part (WORLD analysis of the espeak-ng audio) is cached under
`benchmarks.corpus.cache_root()` in a folder named by CORPUS_VERSION: change the
version whenever this file changes what it generates.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile
import soxr

from benchmarks.corpus import cache_root
from tools.speech import speak

CORPUS_VERSION = "known-pitch-v1"
SAMPLE_RATE = 44100
FRAME_PERIOD = 0.005  # seconds between ground-truth f0 values (WORLD frames)
CONDITIONS = ("clean", "snr20", "snr10")
RANGES = {"male": (85.0, 180.0), "female": (165.0, 330.0), "child": (250.0, 500.0)}

_SENTENCES = {
    "test": (
        "Where were you last night, I waited for hours in the rain.",
        "Nobody told me the train was leaving early today.",
        "Give me one good reason why I should trust you again.",
        "We have to get out of here before the lights go out.",
        "Do you really think she will come back, after all this time?",
        "The music box was still playing when we found the letter.",
    ),
    # Tuning happens on these only, so the benchmark's numbers are not fitted to its own clips.
    "dev": (
        "I never said it would be easy, but it was worth it.",
        "Can you hear that sound coming from the basement?",
        "Hold the door, we are almost there, just a little more.",
        "My father built this house with his own two hands.",
        "Are you sure this is the right way to the station?",
        "Let me tell you a story about a girl and a lighthouse.",
    ),
}
# espeak-ng voice, speaking rate (words per minute), the f0 range WORLD should search in it,
# and a formant scale that makes the envelope fit the target speaker (child: shorter vocal tract).
_SOURCES = {
    "male": [("en-us", 165, (60, 300), 1.0), ("en-gb", 150, (60, 300), 1.0),
             ("en+m3", 175, (60, 300), 1.0)],
    "female": [("en-us+f3", 160, (120, 450), 1.0), ("en+f2", 150, (120, 450), 1.0),
               ("en+f5", 170, (120, 450), 1.0)],
    "child": [("en-us+f3", 165, (120, 450), 1.15), ("en+f4", 155, (120, 450), 1.15),
              ("en+f2", 170, (120, 450), 1.12)],
}


@dataclass(frozen=True)
class Utterance:
    """One clean resynthesised utterance and its truth (`f0[i]` at i·FRAME_PERIOD s, 0 = unvoiced)."""

    name: str
    voice_range: str
    audio: np.ndarray
    sample_rate: int
    f0: np.ndarray

    @property
    def duration(self) -> float:
        return len(self.audio) / self.sample_rate

    def truth_at(self, times: np.ndarray) -> np.ndarray:
        """True f0 at `times` (seconds), NaN where unvoiced; nearest WORLD frame (5 ms grid)."""
        index = np.clip(np.round(np.asarray(times) / FRAME_PERIOD).astype(int), 0, len(self.f0) - 1)
        hz = self.f0[index].astype(float)
        hz[(hz <= 0) | (np.asarray(times) > (len(self.f0) - 1) * FRAME_PERIOD + 1e-9)] = np.nan
        return hz


@dataclass(frozen=True)
class Clip:
    """An utterance under one listening condition."""

    utterance: Utterance
    condition: str
    audio: np.ndarray

    @property
    def name(self) -> str:
        return f"{self.utterance.name}/{self.condition}"


def cache_folder() -> Path:
    return cache_root() / CORPUS_VERSION


def utterances(split: str = "test") -> list[Utterance]:
    """All clean utterances of a split ("test": the benchmark; "dev": for tuning), generated once
    and then read from the cache."""
    folder = cache_folder()
    folder.mkdir(parents=True, exist_ok=True)
    result = []
    for voice_range in RANGES:
        for index, sentence in enumerate(_SENTENCES[split]):
            name = f"{voice_range}-{index}" if split == "test" else f"{split}-{voice_range}-{index}"
            path = folder / f"{name}.npz"
            if not path.exists():
                seed = index + (0 if split == "test" else 500)
                audio, f0 = _generate(voice_range, seed, sentence)
                tmp = path.with_suffix(".tmp.npz")
                np.savez(tmp, audio=audio, f0=f0)
                tmp.replace(path)
            with np.load(path) as data:
                result.append(Utterance(name, voice_range, data["audio"], SAMPLE_RATE, data["f0"]))
    return result


def clips(conditions: tuple[str, ...] = CONDITIONS, split: str = "test") -> list[Clip]:
    return [Clip(u, condition, add_noise(u, condition))
            for u in utterances(split) for condition in conditions]


def add_noise(utterance: Utterance, condition: str) -> np.ndarray:
    """The utterance with seeded white (even index) or pink (odd) noise at the condition's SNR."""
    if condition == "clean":
        return utterance.audio
    snr_db = float(condition.removeprefix("snr"))
    seed = int(hashlib.sha256(f"{utterance.name}/{condition}".encode()).hexdigest()[:8], 16)
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal(len(utterance.audio))
    if int(utterance.name.rsplit("-", 1)[1]) % 2:
        noise = _pinken(noise)
    signal_power = np.mean(utterance.audio.astype(float) ** 2)
    noise *= np.sqrt(signal_power / 10 ** (snr_db / 10) / np.mean(noise ** 2))
    return (utterance.audio + noise).astype(np.float32)


def _pinken(white: np.ndarray) -> np.ndarray:
    """1/f power spectrum from 50 Hz up, by shaping white noise in the frequency domain. (Without
    the 50 Hz floor, most of the noise power would sit at a few Hz, where no tracker looks, and the
    nominal SNR would overstate how noisy the speech band is.)"""
    spectrum = np.fft.rfft(white)
    hz = np.fft.rfftfreq(len(white), 1.0 / SAMPLE_RATE)
    gain = np.where(hz >= 50.0, 1.0 / np.sqrt(np.maximum(hz, 50.0)), 0.0)
    return np.fft.irfft(spectrum * gain, len(white))


def _generate(voice_range: str, seed: int, sentence: str) -> tuple[np.ndarray, np.ndarray]:
    with warnings.catch_warnings():  # pyworld 0.3.x imports the deprecated pkg_resources
        warnings.simplefilter("ignore")
        import pyworld  # the dev extra; imported here so reading the cache needs nothing more

    index = seed % 500
    voice, rate, (f0_floor, f0_ceil), formant_scale = _SOURCES[voice_range][(index + seed // 500) % 3]
    speech, speech_rate = speak(sentence, voice, speed=rate)
    x = speech.astype(np.float64)
    period_ms = FRAME_PERIOD * 1000
    f0, times = pyworld.harvest(x, speech_rate, f0_floor=f0_floor, f0_ceil=f0_ceil,
                                frame_period=period_ms)
    f0 = _fold_octave_jumps(f0)
    envelope = pyworld.cheaptrick(x, f0, times, speech_rate)
    aperiodicity = pyworld.d4c(x, f0, times, speech_rate)
    voiced = _voicing(f0, envelope, aperiodicity, speech_rate)
    if formant_scale != 1.0:
        envelope = _warp_formants(envelope, formant_scale)

    rng = np.random.default_rng(1000 + seed + 100 * list(RANGES).index(voice_range))
    contour = _contour(len(f0), voice_range, rng, question=sentence.endswith("?"))
    target_f0 = np.where(voiced, contour, 0.0)
    y = pyworld.synthesize(target_f0, envelope, aperiodicity, speech_rate, period_ms)
    n = min(len(y), len(target_f0) * int(round(FRAME_PERIOD * speech_rate)))
    y = y[:n]

    # Silence around the utterance; a whole number of truth frames so the grids stay aligned.
    lead, tail = 0.25 + 0.05 * (index % 3), 0.3
    lead_frames, tail_frames = int(round(lead / FRAME_PERIOD)), int(round(tail / FRAME_PERIOD))
    y = soxr.resample(y, speech_rate, SAMPLE_RATE, quality="VHQ")
    y = np.concatenate([np.zeros(int(round(lead_frames * FRAME_PERIOD * SAMPLE_RATE))), y,
                        np.zeros(int(round(tail_frames * FRAME_PERIOD * SAMPLE_RATE)))])
    truth = np.concatenate([np.zeros(lead_frames), target_f0, np.zeros(tail_frames)])
    truth = truth[: int(len(y) / SAMPLE_RATE / FRAME_PERIOD) + 1]
    y = 0.5 * y / np.max(np.abs(y))
    return y.astype(np.float32), truth.astype(np.float32)


def _fold_octave_jumps(f0: np.ndarray) -> np.ndarray:
    """Harvest sometimes halves or doubles on espeak-ng voices; fold such frames back next to the
    running median so the spectral envelope is estimated with the right harmonic spacing."""
    out = f0.copy()
    voiced = np.flatnonzero(f0 > 0)
    if voiced.size == 0:
        return out
    for i in voiced:
        neighbours = f0[max(0, i - 40): i + 41]
        median = np.median(neighbours[neighbours > 0])
        while out[i] > median * 1.5:
            out[i] /= 2
        while out[i] < median / 1.5:
            out[i] *= 2
    return out


def _voicing(f0, envelope, aperiodicity, rate) -> np.ndarray:
    """Voiced where Harvest found f0, D4C judged the low band periodic and the frame is not
    near-silent; runs shorter than 30 ms and gaps shorter than 15 ms are merged away."""
    bins = envelope.shape[1]
    hz = np.arange(bins) * rate / (2 * (bins - 1))
    low_band = (hz > 100) & (hz < 1500)
    energy_db = 10 * np.log10(envelope.sum(axis=1) + 1e-20)
    loud = energy_db > energy_db.max() - 35
    periodic = aperiodicity[:, low_band].mean(axis=1) < 0.5
    voiced = (f0 > 0) & periodic & loud
    voiced = _drop_short_runs(voiced, value=False, shorter_than=3)
    return _drop_short_runs(voiced, value=True, shorter_than=6)


def _drop_short_runs(mask: np.ndarray, value: bool, shorter_than: int) -> np.ndarray:
    mask = mask.copy()
    edges = np.flatnonzero(np.diff(np.concatenate([[False], mask == value, [False]]).astype(int)))
    for start, stop in zip(edges[::2], edges[1::2]):
        inside = start > 0 and stop < len(mask)  # short gaps at the edges are real silence
        if stop - start < shorter_than and (value or inside):
            mask[start:stop] = not value
    return mask


def _warp_formants(envelope: np.ndarray, scale: float) -> np.ndarray:
    """Move every formant up by `scale` (a shorter vocal tract)."""
    bins = np.arange(envelope.shape[1], dtype=float)
    return np.stack([np.interp(bins / scale, bins, frame) for frame in envelope])


def _contour(frames: int, voice_range: str, rng: np.random.Generator, question: bool) -> np.ndarray:
    """A natural-looking intonation contour in Hz for every frame (used where voiced)."""
    low, high = RANGES[voice_range]
    t = np.arange(frames) * FRAME_PERIOD
    span = t[-1] if frames > 1 else 1.0
    log_span = np.log(high / low)
    base = np.exp(rng.uniform(np.log(low) + 0.3 * log_span, np.log(low) + 0.5 * log_span))
    semitones = np.interp(t, [0, span], [rng.uniform(1.0, 2.5), rng.uniform(-3.5, -1.5)])  # declination
    for centre in rng.uniform(0.1, 0.9, size=3) * span:  # pitch accents
        width = rng.uniform(0.06, 0.15)
        semitones += rng.uniform(1.5, 5.0) * np.exp(-0.5 * ((t - centre) / width) ** 2)
    if question:
        semitones += np.clip((t - (span - 0.4)) / 0.4, 0, 1) * rng.uniform(4.0, 6.0)
    depth, rate_hz, phase = rng.uniform(0.15, 0.4), rng.uniform(4.5, 6.5), rng.uniform(0, 6.3)
    semitones += depth * np.sin(2 * np.pi * rate_hz * t + phase)  # slow vibrato-like wiggle
    drift = np.convolve(rng.standard_normal(frames + 40), np.hanning(41) / np.hanning(41).sum(), "valid")
    semitones += 2.0 * drift[:frames]
    hz = base * 2 ** (semitones / 12)
    return np.clip(hz, low, high)


def main() -> None:
    """`python -m benchmarks.corpus.known_pitch OUT_DIR` writes every clip as WAV to listen to."""
    import sys

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "known-pitch-wavs")
    out.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for clip in clips():
            soundfile.write(str(out / (clip.name.replace("/", "-") + ".wav")), clip.audio, SAMPLE_RATE)
    print(f"wrote {len(list(out.glob('*.wav')))} files to {out}")


if __name__ == "__main__":
    main()
