"""What every part of the quick score shares: the 10 ms frame grid, the pitch on that grid, and
the ramps that map each measurement onto 0–1."""

from __future__ import annotations

import math

import numpy as np

from yousync_desktop.analysis import features as fx
from yousync_desktop.analysis.pitch_track import PitchTrack

HOP = fx.HOP_SECONDS


LOW_VOICE_HZ = 90.0          # a voice this low may sit partly under the tracker's 60 Hz floor
LOW_VOICING_SHARE = 0.3      # … as may a take with this few voiced frames (a good take: ~0.45)
LOW_TRACK_GAIN = 1.25        # the low-register track must find this many times more voicing
LOW_TRACK_FMAX = 250.0       # Hz (real) searched by the low-register track: a voice under the
                             # floor has no business above this, and a wider search let it grab
                             # spurious candidates at 5× the voice (measured on octave-down takes)


def track_pitch(audio: np.ndarray, rate: int) -> PitchTrack:
    """The take's pitch: the same tracker as the live trace, so score and trace agree — except
    for voices below the tracker's 60 Hz floor (an octave under a male voice, vocal fry), which
    it would find unvoiced, so their melody scored near 0. For a low or barely voiced take the
    samples are read again as if at twice the rate: every frequency doubles (the floor becomes
    30 Hz) and every time halves, which is undone on the result. That track replaces the first
    when it finds clearly more voicing. Register-invariant intonation needs both."""
    from yousync_desktop.analysis.streaming_pitch import track_pitch as streaming_track_pitch

    track = streaming_track_pitch(audio, rate)
    voiced = np.isfinite(track.hz)
    if len(voiced) == 0 or (voiced.mean() >= LOW_VOICING_SHARE
                            and np.median(track.hz[voiced]) >= LOW_VOICE_HZ):
        return track
    doubled = streaming_track_pitch(audio, 2 * rate, fmax=2 * LOW_TRACK_FMAX, hop_seconds=HOP / 2)
    if np.isfinite(doubled.hz).sum() < LOW_TRACK_GAIN * voiced.sum():
        return track
    return PitchTrack(doubled.times * 2.0, doubled.hz / 2.0, doubled.confidence)


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
