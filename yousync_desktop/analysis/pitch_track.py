"""A pitch contour as arrays: the common currency of the pitch trackers, the quick score and plots."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from yousync_desktop.domain import PitchPoint


@dataclass(frozen=True)
class PitchTrack:
    """`times` in seconds (relative to the audio's first sample unless `offset` says otherwise),
    `hz` with NaN where unvoiced, `confidence` 0–1 per frame."""

    times: np.ndarray
    hz: np.ndarray
    confidence: np.ndarray

    def __post_init__(self):
        if not (len(self.times) == len(self.hz) == len(self.confidence)):
            raise ValueError("times, hz and confidence must have the same length")

    @property
    def voiced(self) -> np.ndarray:
        return np.isfinite(self.hz)

    def semitones_from_median(self) -> np.ndarray:
        """Register-free contour: semitones relative to this speaker's own median voiced pitch."""
        voiced = self.hz[self.voiced]
        if voiced.size == 0:
            return np.full_like(self.hz, np.nan)
        return 12.0 * np.log2(self.hz / np.median(voiced))

    def to_points(self, offset: float = 0.0, decimals: int = 3) -> list[PitchPoint]:
        """As API pitch points on an absolute timeline (`offset` = absolute time of sample 0)."""
        return [PitchPoint(time=round(float(t) + offset, decimals),
                           hz=None if not np.isfinite(f) else round(float(f), 1))
                for t, f in zip(self.times, self.hz)]

    @classmethod
    def from_points(cls, points: list[PitchPoint], offset: float = 0.0) -> "PitchTrack":
        times = np.array([p.time - offset for p in points], dtype=float)
        hz = np.array([np.nan if p.hz is None else p.hz for p in points], dtype=float)
        return cls(times=times, hz=hz, confidence=np.where(np.isfinite(hz), 1.0, 0.0))
