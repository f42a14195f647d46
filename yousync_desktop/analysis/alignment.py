"""Aligning a take with the actor's reference for the same line: banded DTW on frame features.

Both recordings share one timeline (sample 0 of each is the same absolute time), so the warping
path stays near the identity: the Sakoe–Chiba band is a radius in seconds around `take frame ==
reference frame`, wide enough for a learner who is a second early or late or a quarter slower.

The DTW is plain numpy, with no JIT to warm up. Each row of the accumulated cost is one
vectorised min-plus scan (the horizontal steps of a row form a recurrence
`D[j] = C[j] + min(B[j], D[j-1])`, whose closed form is a running minimum of `B - cumsum(C)`),
so a 7 s window (700 frames, ±1.5 s band) costs about 10 ms. `dtw_distances` runs the same
recurrence for several candidate feature sets of one take at once (for choosing among them).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from yousync_desktop.domain import Word

DEFAULT_BAND_SECONDS = 1.5


@dataclass(frozen=True)
class AlignedWord:
    """A script word on both recordings; seconds from sample 0 of the window."""

    word: str
    ref_start: float
    ref_end: float
    take_start: float
    take_end: float


@dataclass(frozen=True, eq=False)
class Alignment:
    """A monotone warping path between take frames and reference frames.

    `path` is a (K, 2) int array of (take frame, reference frame) pairs from (0, 0) to the last
    frames; `step_cost` is the local feature distance at each pair. Frame k is at time
    `origin + k * hop`; every time in and out of this class is in seconds from the window's sample
    0 (the analysis may start later than the window, when the pre-roll is long). `words` are the
    script's words mapped onto the take (empty until `with_words`)."""

    path: np.ndarray
    step_cost: np.ndarray
    hop: float
    words: tuple[AlignedWord, ...] = ()
    origin: float = 0.0   # seconds from the window's sample 0 to frame 0 of both sequences

    def time_pairs(self) -> np.ndarray:
        """The path as (take seconds, reference seconds) pairs from the window's sample 0."""
        return self.path.astype(float) * self.hop + self.origin

    @property
    def mean_cost(self) -> float:
        return float(self.step_cost.mean()) if len(self.step_cost) else float("inf")

    def take_time(self, ref_time: float | np.ndarray, edge: str = "mid") -> float | np.ndarray:
        """Where a reference time (seconds) lands on the take. A reference frame the take lingers
        on maps to several take frames: `edge="start"` takes the first (where a word begins),
        `"end"` the last (where it ends), `"mid"` their middle. Monotone in `ref_time`."""
        first, last = self._take_frames_per_ref_frame
        table = {"start": first, "end": last, "mid": (first + last) / 2}[edge]
        # Interpolating between frame centres keeps sub-frame times smooth and monotone.
        frames = (np.asarray(ref_time, dtype=float) - self.origin) / self.hop
        return self._seconds(np.interp(frames, np.arange(len(table)), table))

    def ref_time(self, take_time: float | np.ndarray) -> float | np.ndarray:
        """The inverse direction: where a take time (seconds) lands on the reference (middle of
        the reference frames it is paired with)."""
        take_frames = self.path[:, 0]
        n_take = take_frames[-1] + 1
        total = np.bincount(take_frames, weights=self.path[:, 1].astype(float), minlength=n_take)
        count = np.bincount(take_frames, minlength=n_take)
        frames = (np.asarray(take_time, dtype=float) - self.origin) / self.hop
        return self._seconds(np.interp(frames, np.arange(n_take), total / count))

    def _seconds(self, frames):
        seconds = frames * self.hop + self.origin
        return seconds if np.ndim(seconds) else float(seconds)

    @cached_property
    def _take_frames_per_ref_frame(self) -> tuple[np.ndarray, np.ndarray]:
        # The path is sorted by both indices, so each reference frame's take frames are a run.
        ref_frames = self.path[:, 1]
        take_frames = self.path[:, 0].astype(float)
        n_ref = ref_frames[-1] + 1
        first = np.full(n_ref, np.inf)
        last = np.full(n_ref, -np.inf)
        np.minimum.at(first, ref_frames, take_frames)
        np.maximum.at(last, ref_frames, take_frames)
        return first, last

    def with_words(self, words: list[Word], window_start: float) -> "Alignment":
        """This alignment with `words` (absolute times) mapped onto the take. Words without times
        get the neighbouring words' edges so that every script word has an entry."""
        timed = _fill_missing_times(words, window_start)
        mapped = tuple(
            AlignedWord(word=w.word or "", ref_start=s, ref_end=e,
                        take_start=self.take_time(s, "start"), take_end=self.take_time(e, "end"))
            for w, (s, e) in zip(words, timed))
        return Alignment(self.path, self.step_cost, self.hop, mapped, self.origin)


def banded_dtw(take_features: np.ndarray, ref_features: np.ndarray, *, hop: float,
               band_seconds: float = DEFAULT_BAND_SECONDS, origin: float = 0.0) -> Alignment:
    """DTW between (frames × dims) feature arrays with Euclidean local cost, steps (1,1), (1,0),
    (0,1) of equal weight, restricted to |take frame - ref frame| ≤ band. The band grows if needed
    so that the two last frames can meet. `origin` is the time of frame 0 (see `Alignment`).

    Only the band is stored: row i keeps columns j = i - radius … i + radius at c = j - i + radius,
    so memory and time grow with the length times the band, never with the length squared."""
    take_features = np.asarray(take_features, dtype=np.float64)
    ref_features = np.asarray(ref_features, dtype=np.float64)
    n_take, n_ref = len(take_features), len(ref_features)
    if n_take == 0 or n_ref == 0:
        raise ValueError("cannot align an empty feature sequence")
    radius = max(int(round(band_seconds / hop)), abs(n_take - n_ref), 1)
    width = 2 * radius + 1

    local = _band_costs(take_features, ref_features, radius)
    accumulated = _accumulate(local, radius, n_ref)
    path = _backtrack(accumulated, radius, n_ref)
    columns = path[:, 1] - path[:, 0] + radius
    return Alignment(path=path, step_cost=local[path[:, 0], columns], hop=hop, origin=origin)


def dtw_distances(takes: np.ndarray, ref_features: np.ndarray, *, hop: float,
                  band_seconds: float = DEFAULT_BAND_SECONDS) -> np.ndarray:
    """The same DTW's total cost divided by (take frames + reference frames), for a batch of
    candidate feature sets (candidates × frames × dims) of one take against one reference, in a
    single pass over the rows: choosing among candidates costs little more than one alignment."""
    takes = np.asarray(takes, dtype=np.float64)
    ref_features = np.asarray(ref_features, dtype=np.float64)
    n_take, n_ref = takes.shape[1], len(ref_features)
    if n_take == 0 or n_ref == 0:
        raise ValueError("cannot align an empty feature sequence")
    radius = max(int(round(band_seconds / hop)), abs(n_take - n_ref), 1)
    local = np.stack([_band_costs(take, ref_features, radius) for take in takes])
    accumulated = _accumulate(local, radius, n_ref)
    return accumulated[:, -1, n_ref - 1 - (n_take - 1) + radius] / (n_take + n_ref)


def _accumulate(local: np.ndarray, radius: int, n_ref: int) -> np.ndarray:
    """Accumulated cost over the band (rows × band columns, optionally with leading batch axes):
    D(i, j) = C(i, j) + min(D(i-1, j-1), D(i-1, j), D(i, j-1)), one vectorised scan per row."""
    n_take, width = local.shape[-2], local.shape[-1]
    # One spare column of inf on the right: "from above" of the band's last column is outside it.
    accumulated = np.full(local.shape[:-1] + (width + 1,), np.inf)
    for i in range(n_take):
        lo, hi = max(0, i - radius), min(n_ref, i + radius + 1)
        first, last = lo - i + radius, hi - i + radius        # band columns of lo … hi-1
        cost = local[..., i, first:last]
        running = np.cumsum(cost, axis=-1)
        if i == 0:
            accumulated[..., 0, first:last] = running
            continue
        previous = accumulated[..., i - 1, :]
        # B[j]: best way into (i, j) from the row above: diagonally (i-1, j-1) sits in the same
        # band column, vertically (i-1, j) one column to the right.
        from_above = np.minimum(previous[..., first:last], previous[..., first + 1:last + 1])
        # D[j] = C[j] + min(B[j], D[j-1])  ==  S[j] + min_{k≤j}(B[k] - S[k-1]),  S = cumsum(C)
        from_above -= running - cost
        accumulated[..., i, first:last] = running + np.minimum.accumulate(from_above, axis=-1)
    return accumulated


def _band_costs(take: np.ndarray, ref: np.ndarray, radius: int, block: int = 256) -> np.ndarray:
    """Euclidean distances inside the band, (take frames × band width), inf outside the ref.
    Computed a block of rows at a time as |a|² + |b|² - 2ab (one matrix product per block)."""
    n_take, n_ref = len(take), len(ref)
    width = 2 * radius + 1
    out = np.full((n_take, width), np.inf)
    take_sq, ref_sq = (take ** 2).sum(1), (ref ** 2).sum(1)
    offsets = np.arange(width) - radius
    for start in range(0, n_take, block):
        rows = np.arange(start, min(start + block, n_take))
        lo, hi = max(0, start - radius), min(n_ref, rows[-1] + radius + 1)
        squared = take_sq[rows, None] + ref_sq[None, lo:hi] - 2.0 * take[rows] @ ref[lo:hi].T
        columns = rows[:, None] + offsets[None, :]                 # ref frame of each band cell
        inside = (columns >= 0) & (columns < n_ref)
        picked = np.take_along_axis(squared, np.clip(columns - lo, 0, hi - lo - 1), axis=1)
        out[rows] = np.where(inside, np.sqrt(np.maximum(picked, 0.0)), np.inf)
    return out


def _backtrack(accumulated: np.ndarray, radius: int, n_ref: int) -> np.ndarray:
    i, j = accumulated.shape[0] - 1, n_ref - 1
    steps = [(i, j)]
    while i > 0 or j > 0:
        c = j - i + radius
        if i == 0:
            j -= 1
        elif j == 0:
            i -= 1
        else:
            diagonal, up = accumulated[i - 1, c], accumulated[i - 1, c + 1]
            left = accumulated[i, c - 1] if c > 0 else np.inf
            if diagonal <= up and diagonal <= left:
                i, j = i - 1, j - 1
            elif up <= left:
                i -= 1
            else:
                j -= 1
        steps.append((i, j))
    return np.array(steps[::-1], dtype=np.int64)


def _fill_missing_times(words: list[Word], window_start: float) -> list[tuple[float, float]]:
    """(start, end) of each word in seconds from the window start; a word with a missing time
    borrows its neighbours' edges (a zero-length word at the boundary, still mapped)."""
    starts = [w.start_time for w in words]
    ends = [w.end_time for w in words]
    known = [t for t in starts + ends if t is not None]
    fallback = min(known) if known else window_start
    out: list[tuple[float, float]] = []
    previous_end = fallback
    for index, (start, end) in enumerate(zip(starts, ends)):
        if start is None:
            start = previous_end
        if end is None:
            later = [s for s in starts[index + 1:] if s is not None]
            end = later[0] if later else start
        end = max(end, start)
        out.append((start - window_start, end - window_start))
        previous_end = end
    return out
