"""What every part of the quick score shares: the 10 ms frame grid, the pitch on that grid, and
the ramps that map each measurement onto 0–1."""

from __future__ import annotations

import math

import numpy as np

from yousync_desktop.analysis import features as fx
from yousync_desktop.analysis.pitch_track import PitchTrack

HOP = fx.HOP_SECONDS


def track_pitch(audio: np.ndarray, rate: int) -> PitchTrack:
    """The take's pitch: the same tracker as the live trace, so score and trace agree."""
    from yousync_desktop.analysis.streaming_pitch import track_pitch as streaming_track_pitch

    return streaming_track_pitch(audio, rate)


def on_grid(track: PitchTrack, n_frames: int) -> np.ndarray:
    """Hz on the 10 ms frame grid (NaN unvoiced): the nearest pitch frame within half a hop."""
    out = np.full(n_frames, np.nan)
    grid = np.arange(n_frames) * HOP
    if len(track.times) < 2:
        if len(track.times) == 1:
            out[np.abs(grid - track.times[0]) <= HOP / 2 + 1e-9] = track.hz[0]
        return out
    index = np.clip(np.searchsorted(track.times, grid), 1, len(track.times) - 1)
    nearer_left = (grid - track.times[index - 1]) < (track.times[index] - grid)
    index = np.where(nearer_left, index - 1, index)
    close = np.abs(track.times[index] - grid) <= HOP / 2 + 1e-9
    out[close] = track.hz[index[close]]
    return out


def ramp(value: float, zero_at: float, full_at: float) -> float:
    """Linear 0→1 between `zero_at` and `full_at` (either order), clipped."""
    if not math.isfinite(value):
        return 0.0
    return float(np.clip((value - zero_at) / (full_at - zero_at), 0.0, 1.0))


def reported(value: float) -> float:
    """A score as the results carry it: clipped to 0–1, four decimals."""
    return round(float(np.clip(value, 0.0, 1.0)), 4)
