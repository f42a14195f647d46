"""Pitch candidates of 40 ms frames at the working rate (the second stage of streaming_pitch.py):
YIN's difference function via one FFT, its troughs weighted with pYIN's threshold probabilities."""

from __future__ import annotations

import math

import numpy as np
import scipy.fft
from scipy.special import betainc

from yousync_desktop.analysis.stream_resampler import WORK_RATE

FRAME_SECONDS = 0.040     # two periods of 60 Hz fit (33 ms), short enough for fast intonation
CANDIDATES_PER_FRAME = 4  # troughs per frame the decoder may choose from


def _beta_cdf_table(a: float, b: float, points: int = 1025) -> np.ndarray:
    """pYIN's prior over YIN thresholds, Beta(a, b), as a CDF lookup on [0, 1]."""
    return betainc(a, b, np.linspace(0.0, 1.0, points))


class FrameAnalyser:
    """Pitch candidates of whole frames, vectorised over frames (one row per frame).

    The difference function uses the whole frame for every lag, d(k) = Σ_{m<N−k} (x_m − x_{m+k})²
    divided by the N − k compared samples, so it is centred on the frame centre for every lag (the
    textbook form, a fixed window compared with a shifted one, is not)."""

    # pYIN's Beta prior over YIN thresholds; pYIN's own (2, 18) (mean 0.1) leaves too many
    # voiced frames of breathy or noisy speech unvoiced, (2, 8) has mean 0.2.
    THRESHOLD_PRIOR = (2.0, 8.0)
    # As in pYIN's Boltzmann prior, a trough under a threshold that an earlier trough also
    # passes keeps a small share: the decoder can then hold the true period through a few
    # frames where its octave above (half the lag) dips lower — the octave guard needs that.
    LATER_TROUGH_SHARE = math.exp(-2.0)
    # A trough counts only if it is the deepest within ±7 % of its lag: formant ripple splits the
    # dip at the true period into several local minima, and the first of them is often off by a
    # few samples (50–100 cents).
    TROUGH_NEIGHBOURHOOD = 0.07
    SILENCE_DBFS = -60.0  # frames quieter than this (RMS) are never voiced

    def __init__(self, fmin: float, fmax: float):
        self.length = int(round(FRAME_SECONDS * WORK_RATE))
        self.min_lag = max(2, int(math.floor(WORK_RATE / fmax)))
        self.max_lag = int(math.ceil(WORK_RATE / fmin))
        if self.max_lag + 2 > self.length // 2 + self.length // 4:
            raise ValueError(f"fmin={fmin} Hz needs a longer frame than {FRAME_SECONDS} s")
        self.fft_size = 1 << int(math.ceil(math.log2(self.length + self.max_lag + 2)))
        self.lags = np.arange(1, self.max_lag + 2, dtype=np.float32)  # cmndf index i ↔ lag i + 1
        # Mean squared difference per compared sample: the overlap shrinks as the lag grows.
        self.per_sample = (1.0 / (self.length - self.lags)).astype(np.float32)
        self.cdf_grid = np.linspace(0.0, 1.0, 1025)
        self.cdf = _beta_cdf_table(*self.THRESHOLD_PRIOR, points=len(self.cdf_grid))
        self._neighbourhood_queries()
        self.silence_energy = self.length * 10 ** (self.SILENCE_DBFS / 10)

    def _neighbourhood_queries(self) -> None:
        """Index pairs for a sparse-table minimum over each lag's neighbourhood (two overlapping
        power-of-two blocks cover any range)."""
        lags = np.arange(self.min_lag, self.max_lag + 1)
        first = np.maximum(1, np.floor(lags / (1 + self.TROUGH_NEIGHBOURHOOD))).astype(int)
        last = np.minimum(self.max_lag + 1, np.ceil(lags * (1 + self.TROUGH_NEIGHBOURHOOD))).astype(int)
        self.levels = int(np.floor(np.log2((last - first + 1).max()))) + 1
        self.query_level = np.floor(np.log2(last - first + 1)).astype(int)
        self.query_left = first - 1                                     # cmndf index of lag `first`
        self.query_right = last - 1 - (1 << self.query_level) + 1

    def _neighbourhood_minimum(self, cmndf: np.ndarray) -> np.ndarray:
        width = cmndf.shape[1]
        table = np.empty((self.levels, cmndf.shape[0], width), dtype=cmndf.dtype)  # read where written
        table[0] = cmndf
        for level in range(1, self.levels):
            half = 1 << (level - 1)
            np.minimum(table[level - 1, :, :width - half], table[level - 1, :, half:],
                       out=table[level, :, :width - half])
        return np.minimum(table[self.query_level, :, self.query_left],
                          table[self.query_level, :, self.query_right]).T

    def analyse(self, frames: np.ndarray):
        """Per frame: candidate f0s (Hz, NaN = none), their probabilities, and the probability of
        being voiced at all. Shapes (n, CANDIDATES_PER_FRAME), (n, CANDIDATES_PER_FRAME), (n,)."""
        n, length = frames.shape
        top = self.max_lag + 2
        # float32 throughout: ample for a difference function, and scipy's FFT runs it several
        # times faster than float64 (it vectorises across frames).
        x = np.asarray(frames, dtype=np.float32)
        spectrum = scipy.fft.rfft(x, self.fft_size, axis=1)
        acf = scipy.fft.irfft((spectrum * spectrum.conj()).real, self.fft_size, axis=1)
        energy = np.zeros((n, length + 1), dtype=np.float32)
        np.cumsum(x * x, axis=1, out=energy[:, 1:])
        # d(k) per compared sample = energy of the first N−k samples + of the last N−k − 2·acf(k).
        diff = energy[:, length - 1:length - top:-1] - energy[:, 1:top]
        diff += energy[:, length:]
        diff -= 2.0 * acf[:, 1:top]
        diff *= self.per_sample
        np.maximum(diff, 0.0, out=diff)
        cumulative = np.cumsum(diff, axis=1)
        cmndf = np.divide(diff * self.lags, cumulative, out=np.ones_like(diff), where=cumulative > 1e-12)

        lo, hi = self.min_lag - 1, self.max_lag - 1                  # lags min_lag..max_lag
        centre = cmndf[:, lo:hi + 1]
        left, right = cmndf[:, lo - 1:hi], cmndf[:, lo + 1:hi + 2]
        trough = (centre < left) & (centre <= right) & (centre <= self._neighbourhood_minimum(cmndf))
        heights = np.where(trough, centre, np.inf)
        # pYIN: over a Beta prior of thresholds, each threshold votes for the first trough under
        # it, so a trough gets the prior mass between its height and the lowest earlier trough.
        earlier = np.empty_like(heights)
        earlier[:, 0] = np.inf
        np.minimum.accumulate(heights[:, :-1], axis=1, out=earlier[:, 1:])
        cdf_height = np.interp(heights, self.cdf_grid, self.cdf)
        cdf_earlier = np.interp(earlier, self.cdf_grid, self.cdf)
        probability = cdf_earlier - cdf_height
        np.maximum(probability, 0.0, out=probability)
        probability += self.LATER_TROUGH_SHARE * (1.0 - np.maximum(cdf_height, cdf_earlier))
        probability[energy[:, length] < self.silence_energy] = 0.0

        k = CANDIDATES_PER_FRAME
        best = np.argpartition(-probability, k - 1, axis=1)[:, :k]
        rows = np.arange(n)[:, None]
        chosen = probability[rows, best]
        # Parabolic interpolation of the trough for a sub-sample period.
        a, b, c = left[rows, best], centre[rows, best], right[rows, best]
        curvature = a + c - 2 * b
        shift = np.where(curvature > 0, 0.5 * (a - c) / np.where(curvature > 0, curvature, 1.0), 0.0)
        period = best + self.min_lag + np.clip(shift, -1.0, 1.0)
        f0 = np.where(chosen > 0, WORK_RATE / period, np.nan)
        voiced = np.minimum(probability.sum(axis=1), 1.0)
        return f0, chosen, voiced

