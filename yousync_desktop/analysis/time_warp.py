""""Hear it fixed": a take time-warped onto the actor's timing, at the take's own pitch.

The warp follows a time map — monotone (take seconds, reference seconds) pairs, e.g. the quick
score's DTW path times its hop — and is done with WSOLA (waveform-similarity overlap-add) with a
stretch factor that changes along the line. WSOLA copies short frames of the original waveform
(never resamples them), so pitch and timbre stay as recorded: no chipmunk effect.

How a map becomes a playback plan (`_take_time_on_grid`):
1. Pairs are read as take time as a function of reference time. A DTW path lingers (several take
   frames on one reference frame); those take times are averaged.
2. The local rate d(take)/d(reference) — how many seconds of take play per second of output — is
   smoothed over `SMOOTHING_SECONDS` (a DTW staircase would otherwise jump between 0× and 3×) and
   clamped to [min_rate, max_rate] (0.5–2.0× by default: beyond that WSOLA audibly stutters).
3. The rates are integrated back into a map and shifted by the constant that best fits the
   original pairs (least squares), so a map that needed no clamping is reproduced exactly.
Before the first pair and after the last one the take plays at 1×.

Hand-written because no maintained library does time-VARYING WSOLA on numpy arrays (librosa's
time_stretch is a phase vocoder with one fixed rate; audiotsm is unmaintained).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.ndimage import uniform_filter1d

from yousync_desktop.analysis.audio_io import to_mono

if TYPE_CHECKING:
    from yousync_desktop.analysis.alignment import Alignment

FRAME_SECONDS = 0.040       # three pitch periods of a low (75 Hz) voice; shorter than a syllable
# The search range (±) must span a pitch period to find a waveform match (12 ms: voices down to
# 83 Hz), but every millisecond of it is also how far a sound may land from where the map puts it;
# at ±10 ms onsets in slowed-down passages came out up to 14 ms early, at ±6 ms within 6 ms.
TOLERANCE_SECONDS = 0.006
MAP_GRID_SECONDS = 0.005    # the smoothed map is sampled this finely
SMOOTHING_SECONDS = 0.120   # about half a syllable: removes DTW staircases, keeps word timing
MIN_RATE = 0.5
MAX_RATE = 2.0


def time_map_from_alignment(alignment: "Alignment", latency_ms: float = 0.0) -> np.ndarray:
    """The (take seconds, reference seconds) pairs of a DTW alignment, on the RAW take's clock:
    the quick score aligns a latency-corrected take, so the latency it removed is added back."""
    pairs = np.array(alignment.time_pairs(), dtype=float)
    pairs[:, 0] += latency_ms / 1000.0
    return pairs


def _validated_map(time_map: np.ndarray) -> np.ndarray:
    pairs = np.asarray(time_map, dtype=float)
    if pairs.ndim != 2 or pairs.shape[1] != 2 or len(pairs) < 2:
        raise ValueError("time_map must be an (N, 2) array of (take, reference) seconds, N >= 2")
    if not np.all(np.isfinite(pairs)):
        raise ValueError("time_map holds a non-finite time")
    if np.any(np.diff(pairs[:, 0]) < 0) or np.any(np.diff(pairs[:, 1]) < 0):
        raise ValueError("time_map must be monotone (non-decreasing) in both columns")
    if pairs[-1, 1] <= pairs[0, 1]:
        raise ValueError("time_map must span some reference time")
    return pairs


def _take_time_on_grid(pairs: np.ndarray, min_rate: float,
                       max_rate: float) -> tuple[np.ndarray, np.ndarray]:
    """Reference times on a regular grid and the smoothed, rate-clamped take time for each."""
    ref, first = np.unique(pairs[:, 1], return_inverse=True)
    take = np.bincount(first, weights=pairs[:, 0]) / np.bincount(first)
    # The grid ends exactly on the last pair, so an exact map is reproduced to the sample.
    steps = max(1, int(np.ceil((ref[-1] - ref[0]) / MAP_GRID_SECONDS)))
    grid, step = np.linspace(ref[0], ref[-1], steps + 1, retstep=True)
    target = np.interp(grid, ref, take)
    rate = np.diff(target) / step
    width = max(1, int(round(SMOOTHING_SECONDS / step)))
    rate = np.clip(uniform_filter1d(rate, width, mode="nearest"), min_rate, max_rate)
    planned = np.concatenate([[0.0], np.cumsum(rate) * step])
    planned += np.mean(target - planned)
    return grid, planned


def _take_times(ref_times: np.ndarray, grid: np.ndarray, planned: np.ndarray) -> np.ndarray:
    """The plan at any reference time, continued at 1× outside the grid."""
    inside = np.interp(ref_times, grid, planned)
    before = planned[0] + (ref_times - grid[0])
    after = planned[-1] + (ref_times - grid[-1])
    return np.where(ref_times < grid[0], before, np.where(ref_times > grid[-1], after, inside))


def _reference_time(take_time: float, grid: np.ndarray, planned: np.ndarray) -> float:
    """Where the plan puts a take time (its inverse: rates are >= min_rate > 0, so it rises)."""
    if take_time < planned[0]:
        return float(grid[0] - (planned[0] - take_time))
    if take_time > planned[-1]:
        return float(grid[-1] + (take_time - planned[-1]))
    return float(np.interp(take_time, planned, grid))


def warp_to_reference(take: np.ndarray, sample_rate: int, time_map: np.ndarray, *,
                      output_duration: float | None = None, min_rate: float = MIN_RATE,
                      max_rate: float = MAX_RATE) -> np.ndarray:
    """The take's content on the reference's timeline: output sample i is reference time
    i / sample_rate, and carries what the (smoothed, clamped) map puts there. Same pitch as the
    take. Without `output_duration` the output ends where the take's last sample lands."""
    if not 0 < min_rate <= max_rate:
        raise ValueError("rates must satisfy 0 < min_rate <= max_rate")
    audio = to_mono(take)
    pairs = _validated_map(time_map)
    grid, planned = _take_time_on_grid(pairs, min_rate, max_rate)
    if output_duration is None:
        output_duration = _reference_time(len(audio) / sample_rate, grid, planned)
    n_out = max(0, int(round(output_duration * sample_rate)))
    if n_out == 0 or len(audio) == 0:
        return np.zeros(n_out, dtype=np.float32)

    frame = 2 * max(8, int(round(FRAME_SECONDS * sample_rate / 2)))
    hop = frame // 2
    tolerance = max(1, int(round(TOLERANCE_SECONDS * sample_rate)))
    # Output frame k is centred on output sample k * hop; where should its centre come from?
    n_frames = n_out // hop + 2
    centres = np.arange(n_frames) * hop
    wanted = np.round(_take_times(centres / sample_rate, grid, planned) * sample_rate).astype(int)
    return _wsola(audio, wanted, frame, hop, tolerance, n_out)


def _wsola(audio: np.ndarray, wanted: np.ndarray, frame: int, hop: int, tolerance: int,
           n_out: int) -> np.ndarray:
    """Overlap-add Hann frames of `audio`, frame k centred near `wanted[k]` (± tolerance), each
    chosen to continue the previous frame's waveform best (normalised cross-correlation)."""
    half = frame // 2
    # Zero padding lets frames reach past either end of the take (they then carry silence).
    # Centres are clamped to where every candidate frame is wholly silent, one step past the
    # take's edges, so a map that runs off the take yields silence, never a repeated tail.
    pad = frame + 2 * tolerance + hop + 1
    lo, hi = -(half + tolerance), len(audio) + half + tolerance
    source = np.concatenate([np.zeros(pad, np.float32), audio.astype(np.float32),
                             np.zeros(pad, np.float32)])
    energy = np.concatenate([[0.0], np.cumsum(source.astype(np.float64) ** 2)])
    window = np.hanning(frame + 1)[:frame].astype(np.float32)  # periodic Hann: sums to 1 at 50 %
    search = frame + 2 * tolerance
    fft_size = 1 << int(np.ceil(np.log2(search + frame)))
    out = np.zeros(len(wanted) * hop + frame, dtype=np.float32)
    norm = np.zeros_like(out)
    wanted = np.clip(wanted, lo, hi)
    start = wanted[0] - half + pad                    # index into `source` of the chosen frame
    for k in range(len(wanted)):
        if k > 0:
            # The natural continuation of what was just played, and the region to search.
            template = source[previous + hop: previous + hop + frame]
            first = wanted[k] - half - tolerance + pad
            region = source[first: first + search]
            if not template.any() or not region.any():
                start = first + tolerance
            else:
                spectrum = np.fft.rfft(region, fft_size) * np.conj(np.fft.rfft(template, fft_size))
                correlation = np.fft.irfft(spectrum, fft_size)[: 2 * tolerance + 1]
                offsets = first + np.arange(2 * tolerance + 1)
                local = energy[offsets + frame] - energy[offsets]
                score = correlation / np.sqrt(np.maximum(local, 1e-12))
                start = first + int(np.argmax(score))
        out[k * hop: k * hop + frame] += source[start: start + frame] * window
        norm[k * hop: k * hop + frame] += window
        previous = start
    # Output sample i = reference time i/rate, but frame 0 is centred on sample 0: drop its half.
    out, norm = out[half: half + n_out], norm[half: half + n_out]
    return np.where(norm > 1e-3, out / np.maximum(norm, 1e-3), 0.0).astype(np.float32)


def hear_it_fixed(take: np.ndarray, sample_rate: int, alignment: "Alignment", *,
                  latency_ms: float = 0.0, output_duration: float | None = None) -> np.ndarray:
    """The take warped onto the actor's timing along the quick score's alignment (`latency_ms`:
    what the score subtracted). Like the take and the reference, the result's sample 0 is the
    line's window start."""
    return warp_to_reference(take, sample_rate, time_map_from_alignment(alignment, latency_ms),
                             output_duration=output_duration)


__all__ = ["hear_it_fixed", "time_map_from_alignment", "warp_to_reference"]
