"""Timing: the words' starts on the take (mapped by the alignment) against the actor's, the
line's start and end, and the tempo (ratio of the line's durations)."""

from __future__ import annotations

import math

import numpy as np

from yousync_desktop.analysis.alignment import Alignment
from yousync_desktop.analysis.scoring.frames import ramp
from yousync_desktop.analysis.take_quality import issue
from yousync_desktop.domain import ScoreIssue

TIME_MATCH_MS = 150.0          # a word's start this close to the actor's is "on time"
TIMING_TOLERANCE = 0.05        # seconds of error nobody hears
TIMING_ZERO = 0.60             # seconds of error that score 0
TEMPO_FULL = 0.10              # |log2 duration ratio| nobody minds (≈ 7 % faster or slower) …
TEMPO_ZERO = 0.35              # … and the one that is out of sync however it starts (≈ 27 %)
TEMPO_MENTION = 0.15           # an issue names the tempo from ≈ 11 % on


def timing(alignment: Alignment, issues: list[ScoreIssue]) -> tuple[float, list[float]]:
    """Score from the words' start offsets (median), the line's start and end, and the tempo.
    Returns the score and each word's start offset in ms (take minus actor); appends an issue
    for a start off by more than TIME_MATCH_MS and for a tempo off by more than TEMPO_MENTION."""
    words = alignment.words
    if not words:
        return 1.0, []
    starts = np.array([w.take_start - w.ref_start for w in words])
    start_offset = starts[0]
    end_offset = words[-1].take_end - words[-1].ref_end
    ref_length = words[-1].ref_end - words[0].ref_start
    take_length = words[-1].take_end - words[0].take_start
    tempo = (math.log2(max(take_length, 1e-3) / ref_length) if ref_length > 0.2 else 0.0)
    error = (0.5 * float(np.median(np.abs(starts))) + 0.25 * abs(start_offset)
             + 0.25 * abs(end_offset))
    score = timing_score(error) * ramp(abs(tempo), TEMPO_ZERO, TEMPO_FULL)
    if abs(start_offset) > TIME_MATCH_MS / 1000:
        issues.append(issue("started_late", "You started {seconds:.2f} s late.",
                             seconds=abs(start_offset)) if start_offset > 0 else
                      issue("started_early", "You started {seconds:.2f} s early.",
                             seconds=abs(start_offset)))
    if abs(tempo) > TEMPO_MENTION:
        percent = 100 * (2 ** abs(tempo) - 1)
        issues.append(issue("slower", "You spoke about {percent:.0f} % slower than the actor.",
                             percent=percent) if tempo > 0 else
                      issue("faster", "You spoke about {percent:.0f} % faster than the actor.",
                             percent=percent))
    return score, [float(s * 1000.0) for s in starts]


def timing_score(error_seconds: float) -> float:
    """0–1 for a timing error: full within TIMING_TOLERANCE, 0 from TIMING_ZERO."""
    return ramp(error_seconds, TIMING_ZERO, TIMING_TOLERANCE)


def overlap(a_start: float, a_end: float, b_start: float, b_end: float) -> float:
    """Intersection over union of two intervals (0 when either is empty)."""
    union = max(a_end, b_end) - min(a_start, b_start)
    inter = min(a_end, b_end) - max(a_start, b_start)
    return max(0.0, inter) / union if union > 0 else 0.0
