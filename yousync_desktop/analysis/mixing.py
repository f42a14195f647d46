""""My dub": the scene's background track with the learner's takes at their lines.

What the mix does, line by line, for each take (one take per line; the caller picks which):
- placement: the take's sample 0 is absolute time `window_start` (the line's start minus the
  pre-roll, already latency-corrected by the audio engine), so it goes at clip sample
  round(token.clip_offset(window_start) × media_rate) — sample-accurate at the media's rate.
  Takes at another rate are resampled first (soxr, which keeps the time origin).
- extent: only the part of the take within [line start − margin, line end + margin] is used
  (pre/post-roll hold room noise and breaths), faded in and out with raised-cosine ramps of
  `fade` seconds lying inside that range, so the line itself always plays at full level.
- actor: the actor's vocal crossfades out exactly as the take fades in (removed by default, or
  ducked by `actor_duck_db`); lines without a take keep the actor when `keep_actor_elsewhere`.
- background: left exactly as it is — unlike the server's synthesize (docs/yousync-api.md
  §3.11), which silences the background under every take.
- loudness: each take gets the gain that makes it as loud as the actor's vocal over the same
  stretch of the line (see `segment_loudness`), limited to ±`max_gain_db` so a near-silent or
  empty take is not pumped up into noise.
- peaks: a look-ahead peak limiter (`limit_peaks`) keeps the mix at or below `ceiling_dbfs`
  (−1 dBFS) and does nothing at all to a mix that already fits.
"""

from __future__ import annotations

import math
import os
import tempfile
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyloudnorm
import soundfile
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import resample_poly

from yousync_desktop.analysis.audio_io import load_mono, resample, sndfile_name, to_mono
from yousync_desktop.domain import Script, Token

MIX_MARGIN = 0.15  # seconds of a take used before and after its line

BS1770_BLOCK_SECONDS = 0.4      # one gating block; shorter stretches fall back to an RMS match
RMS_FRAME_SECONDS = 0.02
RMS_ACTIVE_RANGE_DB = 30.0      # RMS fallback: frames within this of the loudest frame count
SILENCE_DBFS = -70.0            # BS.1770's absolute gate; quieter than this is "no signal"
LIMITER_LOOKAHEAD_SECONDS = 0.005
LIMITER_HOLD_SECONDS = 0.020
TRUE_PEAK_OVERSAMPLING = 4
WRITE_SUBTYPES = {".wav": ("WAV", "PCM_16"), ".flac": ("FLAC", "PCM_16")}


@dataclass
class MixTake:
    """One learner take for one line: sample 0 is absolute time `window_start`."""

    script_id: int
    audio: np.ndarray
    sample_rate: int
    window_start: float


# --- loudness ------------------------------------------------------------------------------------

@lru_cache(maxsize=8)
def _meter(rate: int) -> pyloudnorm.Meter:
    return pyloudnorm.Meter(rate, block_size=BS1770_BLOCK_SECONDS)


def segment_loudness(audio: np.ndarray, rate: int) -> float:
    """Loudness of a stretch of voice, in LUFS-like dB (−inf for silence).

    At least one 400 ms block: ITU-R BS.1770 integrated loudness (K-weighting, absolute −70 LUFS
    and relative −10 LU gates, via pyloudnorm), so pauses and room noise do not drag it down.
    Shorter: the mean power of the 20 ms frames within 30 dB of the loudest one (and above
    −70 dBFS) — the same idea of "loudness while speaking" without K-weighting. A take and the
    actor are always measured over the same stretch, hence with the same method."""
    audio = np.asarray(audio, dtype=np.float64)
    if len(audio) >= int(BS1770_BLOCK_SECONDS * rate):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pyloudnorm warns about samples near full scale
            return float(_meter(rate).integrated_loudness(audio))
    frame = max(1, int(RMS_FRAME_SECONDS * rate))
    n = len(audio) // frame
    if n == 0:
        return -math.inf
    power = np.mean(audio[: n * frame].reshape(n, frame) ** 2, axis=1)
    level = 10 * np.log10(np.maximum(power, 1e-20))
    active = (level > level.max() - RMS_ACTIVE_RANGE_DB) & (level > SILENCE_DBFS)
    return float(10 * np.log10(power[active].mean())) if active.any() else -math.inf


def matching_gain_db(take: np.ndarray, actor: np.ndarray, rate: int, max_gain_db: float) -> float:
    """The gain that brings `take` to the loudness of `actor` (same stretch), within
    ±max_gain_db; 0 dB when either is silent, since there is nothing to match then."""
    take_loudness = segment_loudness(take, rate)
    actor_loudness = segment_loudness(actor, rate)
    if not (math.isfinite(take_loudness) and math.isfinite(actor_loudness)):
        return 0.0
    return float(np.clip(actor_loudness - take_loudness, -max_gain_db, max_gain_db))


# --- peak safety ---------------------------------------------------------------------------------

def limit_peaks(audio: np.ndarray, rate: int, ceiling_dbfs: float = -1.0) -> np.ndarray:
    """`audio` with no sample — nor 4×-oversampled inter-sample peak — above `ceiling_dbfs`.

    A look-ahead limiter without a side chain to tune: the gain each sample needs
    (ceiling / peak, at most 1) is held at its minimum over ±20 ms, then smoothed by a ±5 ms
    moving average. Every value the average sees around a peak is at most the gain that peak
    needs, so the peak always ends up under the ceiling, reached by a ~10 ms ramp rather than a
    click. A mix already under the ceiling is returned untouched."""
    ceiling = 10 ** (ceiling_dbfs / 20)
    audio = np.asarray(audio, dtype=np.float32)
    if len(audio) == 0 or np.max(np.abs(audio)) <= ceiling / 1.5:
        return audio  # far enough below that no inter-sample peak can reach the ceiling
    detector = np.abs(audio).astype(np.float64)
    upsampled = np.abs(resample_poly(audio.astype(np.float64), TRUE_PEAK_OVERSAMPLING, 1))
    detector = np.maximum(detector, upsampled.reshape(-1, TRUE_PEAK_OVERSAMPLING).max(axis=1))
    if detector.max() <= ceiling:
        return audio
    needed = np.minimum(1.0, ceiling / np.maximum(detector, 1e-12))
    hold = 2 * int(LIMITER_HOLD_SECONDS * rate) + 1
    lookahead = 2 * int(LIMITER_LOOKAHEAD_SECONDS * rate) + 1
    gain = uniform_filter1d(minimum_filter1d(needed, hold, mode="nearest"), lookahead,
                            mode="nearest")
    limited = audio * gain
    # Rounding can leave a sample a hair above; the clip only ever touches those.
    return np.clip(limited, -ceiling, ceiling).astype(np.float32)


# --- the mix -------------------------------------------------------------------------------------

def _fade_envelope(length: int, fade: int) -> np.ndarray:
    """1 over `length` samples with raised-cosine ramps of `fade` samples inside both ends."""
    envelope = np.ones(length, dtype=np.float32)
    fade = min(fade, length // 2)
    if fade > 0:
        ramp = (0.5 - 0.5 * np.cos(np.pi * (np.arange(fade) + 0.5) / fade)).astype(np.float32)
        envelope[:fade] = ramp
        envelope[length - fade:] = ramp[::-1]
    return envelope


def _fit_length(audio: np.ndarray, n: int) -> np.ndarray:
    audio = to_mono(audio)
    return audio[:n] if len(audio) >= n else np.pad(audio, (0, n - len(audio)))


def render_dub_mix(token: Token, bgvoice: np.ndarray, vocal: np.ndarray | None, media_rate: int,
                   takes: list[MixTake], *, keep_actor_elsewhere: bool = True,
                   actor_duck_db: float = -math.inf, loudness_match: bool = True,
                   margin: float = MIX_MARGIN, fade: float = 0.03, max_gain_db: float = 20.0,
                   ceiling_dbfs: float = -1.0) -> np.ndarray:
    """The learner's dub of `token`: mono float32 at `media_rate`, as long as `bgvoice`.

    `bgvoice` and `vocal` are clip-relative (sample 0 = token.start_time). `actor_duck_db` is how
    far the actor goes down under a take (−inf removes it). Without `keep_actor_elsewhere` the
    actor is left out everywhere. Raises ValueError for a take of a line the token does not have,
    or two takes of one line."""
    scripts = {script.id: script for script in token.scripts}
    seen: set[int] = set()
    for take in takes:
        if take.script_id not in scripts:
            raise ValueError(f"take for line {take.script_id}, which is not in this scene")
        if take.script_id in seen:
            raise ValueError(f"two takes for line {take.script_id}; pick one per line")
        seen.add(take.script_id)

    background = to_mono(bgvoice)
    n = len(background)
    mix = background.astype(np.float32, copy=True)
    actor = _fit_length(vocal, n) if vocal is not None else None
    actor_gain = np.full(n, 1.0 if keep_actor_elsewhere else 0.0, dtype=np.float32)
    if actor_duck_db > 0:
        raise ValueError("actor_duck_db lowers the actor: use a value <= 0 (or -inf to remove)")
    duck = 10 ** (actor_duck_db / 20)  # -inf gives exactly 0
    fade_samples = max(0, int(round(fade * media_rate)))

    for take in takes:
        script = scripts[take.script_id]
        audio = resample(to_mono(take.audio), take.sample_rate, media_rate)
        placed_at = int(round(token.clip_offset(take.window_start) * media_rate))
        use_from = int(round((token.clip_offset(script.start_time) - margin) * media_rate))
        use_to = int(round((token.clip_offset(script.end_time) + margin) * media_rate))
        first = max(use_from, placed_at, 0)
        last = min(use_to, placed_at + len(audio), n)
        if last <= first:
            continue  # the take does not reach its line inside the clip
        part = audio[first - placed_at: last - placed_at]
        if loudness_match and actor is not None:
            part = part * np.float32(10 ** (matching_gain_db(part, actor[first:last], media_rate,
                                                              max_gain_db) / 20))
        envelope = _fade_envelope(last - first, fade_samples)
        mix[first:last] += part * envelope
        # The actor crossfades against the take: where the take is fully in, the actor is at
        # `duck` (0 when removed), and the two ramps sum to a constant.
        actor_gain[first:last] *= 1.0 - (1.0 - duck) * envelope

    if actor is not None:
        mix += actor * actor_gain
    return limit_peaks(mix, media_rate, ceiling_dbfs)


# --- files ---------------------------------------------------------------------------------------

def _container(path: Path) -> tuple[str, str]:
    try:
        return WRITE_SUBTYPES[path.suffix.lower()]
    except KeyError:
        raise ValueError(f"{path.name}: write a mix as .wav or .flac") from None


def write_mix(path: Path, audio: np.ndarray, rate: int) -> Path:
    """Write the mix as 16-bit WAV or FLAC (by the extension), atomically: a half-written file
    never sits at `path`. The limiter's −1 dBFS ceiling leaves 16-bit nothing to clip."""
    path = Path(path)
    container, subtype = _container(path)
    handle, temporary = tempfile.mkstemp(suffix=path.suffix, dir=path.parent)
    os.close(handle)
    try:
        soundfile.write(sndfile_name(temporary), np.asarray(audio, dtype=np.float32), rate,
                        format=container, subtype=subtype)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


_ROUNDING_GUARD = 0.01  # read a little more than used, so rounding to samples never trims a fade


def mixed_span(script: Script, margin: float = MIX_MARGIN) -> tuple[float, float]:
    """The absolute times of a take that a mix uses for its line (see "extent" above)."""
    return script.start_time - margin, script.end_time + margin


def render_dub_mix_files(token: Token, bgvoice_path: Path | None, vocal_path: Path | None,
                         takes: list[tuple[int, Path, float]],
                         **options) -> tuple[np.ndarray, int]:
    """`render_dub_mix` from files: `takes` are (script id, audio file, window start) triples.
    The mix is at the background track's rate (the vocal's, or 48 kHz, when there is none)."""
    if bgvoice_path is not None:
        background, rate = load_mono(bgvoice_path)
    else:
        rate = (soundfile.info(sndfile_name(vocal_path)).samplerate if vocal_path is not None
                else 48_000)
        background = np.zeros(int(round(token.duration * rate)), dtype=np.float32)
    vocal = load_mono(vocal_path, rate)[0] if vocal_path is not None else None
    scripts = {script.id: script for script in token.scripts}
    margin = options.get("margin", MIX_MARGIN)
    mix_takes = []
    for script_id, audio_path, window_start in takes:
        # Only the part the mix uses is read: a take may be far longer than its line.
        skip, length = 0.0, None
        if script_id in scripts:
            used_from, used_to = mixed_span(scripts[script_id], margin + _ROUNDING_GUARD)
            skip = max(0.0, used_from - window_start)
            length = max(0.0, used_to - window_start - skip)
        audio, take_rate = load_mono(audio_path, start=skip, duration=length)
        mix_takes.append(MixTake(script_id, audio, take_rate, window_start + skip))
    return render_dub_mix(token, background, vocal, rate, mix_takes, **options), rate


def mix_scene_to_file(token: Token, bgvoice_path: Path | None, vocal_path: Path | None,
                      takes: list[tuple[int, Path, float]], out_path: Path, **options) -> Path:
    """Render the learner's dub from files and write it to `out_path` (.wav or .flac). Options
    are `render_dub_mix`'s keywords."""
    _container(Path(out_path))  # refuse a format we cannot write before the work, not after
    audio, rate = render_dub_mix_files(token, bgvoice_path, vocal_path, takes, **options)
    return write_mix(out_path, audio, rate)


__all__ = ["MIX_MARGIN", "MixTake", "limit_peaks", "matching_gain_db", "mix_scene_to_file",
           "mixed_span", "render_dub_mix",
           "render_dub_mix_files", "segment_loudness", "write_mix"]
