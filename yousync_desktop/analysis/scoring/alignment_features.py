"""What the alignment compares, frame by frame: loudness (the syllable rhythm) and 12 MFCC, the
take's after vocal tract length normalisation.

Both sides are scaled by the actor's spread per MFCC, so the distances compare. The take's mel
filterbank is scaled by the warp that aligns it best with the actor's line (`choose_warp`): a bass
voice dubbing a soprano is compared formant for formant, not through its longer vocal tract."""

from __future__ import annotations

import numpy as np

from yousync_desktop.analysis import features as fx
from yousync_desktop.analysis.alignment import dtw_distances
from yousync_desktop.analysis.scoring.frames import HOP

DTW_LOUDNESS_WEIGHT = 2.0      # rhythm is what two voices share most; it steers the path
VTLN_WARPS = (0.76, 0.82, 0.88, 0.94, 1.0, 1.06, 1.13, 1.2, 1.28)  # mel band scalings tried
WARP_POOL = 3                  # frames averaged for the coarse alignments that choose the warp


def feature_scale(features: fx.FrameFeatures) -> np.ndarray:
    """The reference's spread per MFCC (speech frames): dividing by it keeps c1 from outweighing
    the rest in the distance. The take is scaled by the same numbers, so distances compare."""
    coefficients = features.mfcc[1:, features.active] if features.active.sum() > 10 \
        else features.mfcc[1:]
    return np.maximum(coefficients.std(axis=1), 1e-3)


def dtw_features(features: fx.FrameFeatures, scale: np.ndarray,
                 mfcc: np.ndarray | None = None) -> np.ndarray:
    """Frames × (relative loudness + 12 scaled MFCC). Silent frames carry no spectral shape (their
    MFCC would describe the microphone's noise), only their loudness."""
    mfcc = features.mfcc if mfcc is None else mfcc
    spectral = np.where(features.active[:, None], mfcc[1:].T / scale, 0.0)
    peak = max(float(np.percentile(features.loudness_db, 99)), fx.ABSOLUTE_VOICE_DB + 10)
    level = np.clip((features.loudness_db - peak) / 10.0, -5.0, 0.0)
    return np.column_stack((DTW_LOUDNESS_WEIGHT * level, spectral))


def choose_warp(features: fx.FrameFeatures, scale: np.ndarray,
                reference_dtw_features: np.ndarray) -> np.ndarray:
    """The take's MFCC under the vocal-tract warp that aligns best with the actor's line.
    "Best" is the lowest normalised cost of a coarse alignment (frames pooled by WARP_POOL, all
    candidates in one batched pass); a frame-by-frame nearest-neighbour criterion was tried first
    and kept preferring the narrowest band, whatever the voice."""
    if features.active.sum() < 4:
        return features.mfcc
    candidates = [features.mfcc if warp == 1.0 else features.warped_mfcc(warp)
                  for warp in VTLN_WARPS]
    pooled = np.stack([_pooled(dtw_features(features, scale, mfcc)) for mfcc in candidates])
    costs = dtw_distances(pooled, _pooled(reference_dtw_features), hop=HOP * WARP_POOL)
    return candidates[int(np.argmin(costs))]


def _pooled(frames: np.ndarray) -> np.ndarray:
    usable = len(frames) // WARP_POOL * WARP_POOL
    if usable == 0:
        return frames
    return frames[:usable].reshape(-1, WARP_POOL, frames.shape[1]).mean(axis=1)
