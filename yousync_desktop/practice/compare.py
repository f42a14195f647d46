"""The learner's contour on the actor's timing, for the comparison plot after a score."""

from __future__ import annotations

import numpy as np

from yousync_desktop.analysis.quick_score import QuickScoreResult


def aligned_times(result: QuickScoreResult, window_start: float) -> np.ndarray | None:
    """Absolute times at which each frame of `result.learner_pitch` falls on the actor's
    timeline (through the score's alignment); None when the take could not be aligned."""
    if result.alignment is None or len(result.learner_pitch.times) == 0:
        return None
    take_times = result.learner_pitch.times - window_start
    return window_start + np.asarray(result.alignment.ref_time(take_times), dtype=float)
