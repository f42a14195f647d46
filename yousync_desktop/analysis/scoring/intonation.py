"""Intonation, register-free: both contours in semitones from the speaker's own median, compared
along the alignment on frames voiced in both — the mean absolute error after removing the overall
offset, and the correlation, so a flat delivery of a lively line scores low."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from yousync_desktop.analysis.alignment import Alignment
from yousync_desktop.analysis.scoring.frames import HOP, ramp

SEMITONE_ERROR_FULL = 1.0      # mean |error| at or below which the melody counts as matched
SEMITONE_ERROR_ZERO = 4.0
MAX_SEMITONE_ERROR = 7.0       # a bigger gap counts as this much (one bad frame can't dominate)
OCTAVE_SLIP = 8.0              # semitones off the local median: a tracker's octave error
SLIP_WINDOW = 51               # frames around each frame for that local median
CORRELATION_FULL = 0.7         # the contours' correlation that earns the shape's half in full
VOICED_COVERAGE_FULL = 0.5     # share of the actor's voiced frames the take must match


@dataclass
class Contour:
    score: float
    mean_error: float | None       # semitones, after removing the register offset
    correlation: float | None
    word_errors: list[float | None] = field(default_factory=list)  # per word, None: too few frames


def intonation(alignment: Alignment, take_semitones: np.ndarray,
               ref_semitones: np.ndarray) -> Contour:
    """The take's contour against the actor's along `alignment` (both from `semitones`)."""
    take_frames, ref_frames = alignment.path[:, 0], alignment.path[:, 1]
    take_st, ref_st = take_semitones[take_frames], ref_semitones[ref_frames]
    both = np.isfinite(take_st) & np.isfinite(ref_st)
    ref_voiced = np.isfinite(ref_st)
    words = alignment.words
    if both.sum() < 10 or ref_voiced.sum() == 0:
        # An actor's line with no voicing at all (whispered) has no melody to miss.
        return Contour(0.0 if ref_voiced.any() else 1.0, None, None, [None] * len(words))
    difference = take_st[both] - ref_st[both]
    offset = float(np.median(difference))           # whatever register remains after the median
    error = np.minimum(np.abs(difference - offset), MAX_SEMITONE_ERROR)
    mean_error = float(error.mean())
    a = np.clip(take_st[both], -MAX_SEMITONE_ERROR, MAX_SEMITONE_ERROR)
    b = np.clip(ref_st[both], -MAX_SEMITONE_ERROR, MAX_SEMITONE_ERROR)
    correlation = float(np.corrcoef(a, b)[0, 1]) if a.std() > 1e-6 and b.std() > 1e-6 else 0.0
    # A melody only counts where the take is voiced while the actor is: full marks need half of
    # the actor's voiced frames matched by voiced take frames (voicing decisions differ a lot).
    coverage = min(1.0, both.sum() / max(1, ref_voiced.sum()) / VOICED_COVERAGE_FULL)
    score = coverage * (0.5 * ramp(mean_error, SEMITONE_ERROR_ZERO, SEMITONE_ERROR_FULL)
                        + 0.5 * ramp(correlation, 0.0, CORRELATION_FULL))

    word_errors: list[float | None] = []
    errors_on_path = np.full(len(take_st), np.nan)
    errors_on_path[both] = error
    for word in words:
        first = (word.ref_start - alignment.origin) / HOP
        last = (word.ref_end - alignment.origin) / HOP
        in_word = (ref_frames >= first) & (ref_frames < max(last, first + 1)) & both
        word_errors.append(float(errors_on_path[in_word].mean()) if in_word.sum() >= 3 else None)
    return Contour(score, mean_error, correlation, word_errors)


def word_pitch_score(pitch_error: float | None) -> float:
    """A word's share of intonation in its word score; a word with too few voiced frames to
    compare loses nothing."""
    if pitch_error is None:
        return 1.0
    return ramp(pitch_error, SEMITONE_ERROR_ZERO, SEMITONE_ERROR_FULL)


def semitones(hz: np.ndarray) -> np.ndarray:
    """Semitones from the contour's own median, with octave slips repaired: speech doesn't leap
    an octave for a syllable, pitch trackers do, so a frame far (OCTAVE_SLIP) from the median of
    its half-second neighbourhood is moved by whole octaves towards it."""
    voiced = np.isfinite(hz) & (hz > 0)
    out = np.full(len(hz), np.nan)
    if not voiced.any():
        return out
    out[voiced] = 12.0 * np.log2(hz[voiced] / np.median(hz[voiced]))
    if len(out) >= SLIP_WINDOW:
        padded = np.pad(out, SLIP_WINDOW // 2, constant_values=np.nan)
        windows = np.lib.stride_tricks.sliding_window_view(padded, SLIP_WINDOW)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN windows: unvoiced anyway
            local = np.nanmedian(windows, axis=1)
        slip = voiced & (np.abs(out - local) > OCTAVE_SLIP)
        out[slip] -= 12.0 * np.round((out[slip] - local[slip]) / 12.0)
        out[voiced] -= np.median(out[voiced])
    return out
