"""Pronunciation per word: does the take have the actor's sound *structure*?

Within each recording, the distances from a word's frames to every other speech frame of the line
form a pattern (which sounds repeat, which contrast); the same words give the same pattern
whatever the voice, because each pattern compares a voice only with itself. The score is the
correlation of the two patterns (the take's read through the alignment), mapped to 0–1. A bass
and a soprano saying the same words match; other words don't."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from yousync_desktop.analysis.alignment import Alignment
from yousync_desktop.analysis.scoring.alignment_features import DTW_LOUDNESS_WEIGHT
from yousync_desktop.analysis.scoring.frames import HOP, ramp

if TYPE_CHECKING:
    from yousync_desktop.analysis.scoring.reference import ReferenceLine

# Per word, on the demo lines in 7 eSpeak voices (the benchmark's main and extra sets): different
# words median 0.28 (95th percentile 0.51); the same words in another voice median 0.82 (5th
# percentile 0.65).
SIMILARITY_ZERO = 0.35
SIMILARITY_FULL = 0.75
PASS_SIMILARITY = 0.5          # a word "passes" (text_status) from here: said, by its sound
STRUCTURE_DIMS = 9             # loudness + the first 8 cepstra: the envelope, less pitch ripple
STRUCTURE_LOUDNESS_WEIGHT = 3.0  # in the patterns, rhythm counts even more


def word_similarities(alignment: Alignment, take_features: np.ndarray,
                      line: ReferenceLine) -> list[float]:
    """Per word of `alignment`, the take's pattern against the actor's (see the module's
    docstring), mapped from [SIMILARITY_ZERO, SIMILARITY_FULL] to [0, 1]. `take_features` are the
    take's alignment features (alignment_features.dtw_features)."""
    frames = line.structure_frames
    if frames.size < 3:
        return [0.0] * len(alignment.words)
    times = frames * HOP + line.origin            # seconds from the window start
    take_frames = np.clip(np.round((alignment.take_time(times) - line.origin) / HOP).astype(int),
                          0, len(take_features) - 1)
    take_structure = self_distances(structure_features(take_features[take_frames]))
    out = []
    for word in alignment.words:
        rows = np.nonzero((times >= word.ref_start) & (times < word.ref_end))[0]
        if rows.size < 3:
            middle = (word.ref_start + word.ref_end) / 2
            rows = np.sort(np.argsort(np.abs(times - middle))[:3])
        a = line.structure[rows].ravel()
        b = take_structure[rows].ravel()
        correlation = float(np.corrcoef(a, b)[0, 1]) if a.std() > 0 and b.std() > 0 else 0.0
        out.append(ramp(correlation, SIMILARITY_ZERO, SIMILARITY_FULL))
    return out


def structure_features(dtw_features: np.ndarray) -> np.ndarray:
    """The part of the alignment features the patterns are made of, loudness weighted up."""
    weights = np.ones(STRUCTURE_DIMS)
    weights[0] = STRUCTURE_LOUDNESS_WEIGHT / DTW_LOUDNESS_WEIGHT
    return dtw_features[:, :STRUCTURE_DIMS] * weights


def self_distances(points: np.ndarray) -> np.ndarray:
    """Euclidean distance between every two rows of `points`."""
    squared = (points ** 2).sum(1)
    return np.sqrt(np.maximum(squared[:, None] + squared[None, :] - 2.0 * points @ points.T, 0.0))
