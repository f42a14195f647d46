"""Live pitch for the recording trace: a streaming probabilistic-YIN tracker with a short fixed lag.

Audio arrives in blocks of any size at any common rate (8–192 kHz). `_StreamResampler` brings it
to 16 kHz with a windowed-sinc filter that keeps its state and also low-passes around 1.5 kHz: the
f0 and its first harmonics are all YIN needs, the band above carries mostly breath and noise. Every
10 ms a 40 ms frame (two periods of 60 Hz) goes to `_FrameAnalyser`: YIN's cumulative mean normalised
difference function via one FFT, its troughs with pYIN's threshold probabilities, parabolic
interpolation (vectorised over frames, so a whole file costs a few numpy calls per 128 frames).
`_ContourDecoder` is a fixed-lag Viterbi over each frame's candidates plus "unvoiced": it decides a
frame two frames later, an octave jump costs more than a slightly worse candidate (the octave
guard), and a soft search range follows the speaker's median (median / 2.5 … median × 2.5 within
60–1000 Hz), widening again when a confident voice keeps falling outside it.

Delay (`latency_seconds`, 41.2 ms at 44.1 kHz): half a frame (20 ms) before the frame is complete,
two frames of look-ahead (20 ms), the resampler's half filter (≈ 1.2 ms). Frame times are frame
centres in seconds since the first pushed sample, exactly k × 10 ms. For a trace that must follow
the voice sooner, `tentative()` gives the best path's present guess for the frames still inside
the look-ahead (21.2 ms after their centre sample); the decision may still change them.

`track_pitch` runs the very same code over a whole recording at once (the quick score uses it), so
the live trace and the score agree frame for frame. Parameters were tuned on the development split
of benchmarks/corpus/known_pitch.py; benchmarks/README.pitch.md has the numbers.
"""

from __future__ import annotations

import math
from collections import deque
from typing import NamedTuple

import numpy as np
import scipy.fft
from scipy.special import betainc

from yousync_desktop.analysis.pitch_track import PitchTrack

WORK_RATE = 16000         # Hz
FRAME_SECONDS = 0.040     # two periods of 60 Hz fit (33 ms), short enough for fast intonation
LAG_FRAMES = 2            # Viterbi look-ahead; with half a frame this is most of the delay budget
CANDIDATES_PER_FRAME = 4  # troughs per frame the decoder may choose from
HIGHEST_FMAX = 1500.0     # Hz: the resampler's low-pass is −6 dB here (see _StreamResampler)


class PitchFrame(NamedTuple):
    time: float             # centre of the analysed frame, seconds since the first pushed sample
    hz: float | None        # None when unvoiced
    confidence: float       # 0–1: how likely the frame is voiced


class _StreamResampler:
    """Windowed-sinc resampler to WORK_RATE with kept state, so blocks can be any size.

    Output sample m sits exactly at input time m / WORK_RATE (a symmetric kernel: no phase shift).
    Outputs are made in blocks of BLOCK samples (one hop), each a single matrix product of the input
    span it covers with a precomputed weight matrix; common rates need one to four such matrices.
    A block is ready once its last output has `half_taps` input samples beyond it."""

    BLOCK = 160           # outputs per block: 10 ms, so blocks end exactly where frames end
    # Low-pass −6 dB at 1.5 kHz, flat to 0.75 kHz, 60 dB down from 2.25 kHz: the f0 and its first
    # harmonics are all YIN needs; the band above carries mostly breath and noise (on the
    # benchmark's development split 1.5 kHz beat 2 and 3 kHz, by ~1 point at 10 dB SNR).
    CUTOFF = HIGHEST_FMAX
    TRANSITION = 1500.0   # Hz, centred on the cutoff
    KAISER_BETA = 5.65    # 60 dB stop band
    _shared_weights: dict[int, dict[int, tuple[np.ndarray, int]]] = {}  # rate → phase → weights

    def __init__(self, rate: int):
        self.rate = rate
        divisor = math.gcd(WORK_RATE, rate)
        self.up, self.down = WORK_RATE // divisor, rate // divisor
        # Kaiser's estimate of the kernel length for 60 dB over that transition.
        low_rate = min(rate, WORK_RATE)
        self.cutoff = min(self.CUTOFF, 0.4 * low_rate)
        transition = min(self.TRANSITION, 0.5 * low_rate - self.cutoff)
        self.half_taps = int(math.ceil(52.0 * rate / (14.36 * transition) / 2))
        self._weights = self._shared_weights.setdefault(rate, {})
        self.reset()

    def reset(self) -> None:
        self.buffer = np.zeros(self.half_taps, dtype=np.float32)  # silence before the first sample
        self.buffer_start = -self.half_taps   # input index of buffer[0]
        self.received = 0                     # input samples pushed so far
        self.next_block = 0

    @property
    def delay_seconds(self) -> float:
        return self.half_taps / self.rate

    def _block_weights(self, phase: int) -> tuple[np.ndarray, int]:
        """(weights, span) for a block whose first output lies `phase`/up samples past an input
        sample; weights[r, j] multiplies input sample r (counted from that sample − half_taps + 1)
        into output j."""
        entry = self._weights.get(phase)
        if entry is None:
            if len(self._weights) > 64:  # exotic rate pairs: many phases, keep memory bounded
                self._weights.clear()
            position = phase + np.arange(self.BLOCK) * self.down   # in 1/up input samples
            whole, fraction = position // self.up, (position % self.up) / self.up
            taps = np.arange(2 * self.half_taps)
            offset = fraction[None, :] + self.half_taps - 1 - taps[:, None]    # input samples
            window = np.i0(self.KAISER_BETA * np.sqrt(np.clip(
                1 - (offset / (self.half_taps + 1)) ** 2, 0, 1))) / np.i0(self.KAISER_BETA)
            kernel = np.sinc(2 * self.cutoff / self.rate * offset) * window
            kernel /= kernel.sum(axis=0, keepdims=True)
            span = int(whole[-1]) + 2 * self.half_taps
            weights = np.zeros((span, self.BLOCK), dtype=np.float32)
            weights[whole[None, :] + taps[:, None], np.arange(self.BLOCK)[None, :]] = kernel
            entry = self._weights[phase] = (weights, span)
        return entry

    def input_needed(self) -> int:
        """Input samples still to come before the next block of outputs is ready."""
        base, phase = divmod(self.next_block * self.BLOCK * self.down, self.up)
        return max(0, base - self.half_taps + 1 + self._block_weights(phase)[1] - self.received)

    def push(self, block: np.ndarray) -> np.ndarray:
        self.received += len(block)
        self.buffer = np.concatenate((self.buffer, block))
        ready: list[tuple[int, int]] = []   # (buffer offset, phase) of each complete block
        while True:
            base, phase = divmod((self.next_block + len(ready)) * self.BLOCK * self.down, self.up)
            span = self._block_weights(phase)[1]
            start = base - self.half_taps + 1 - self.buffer_start
            if self.buffer_start + start + span > self.received:
                break  # the block's last output still needs input that has not arrived
            ready.append((start, phase))
        if not ready:
            return np.zeros(0, dtype=np.float32)
        if len(ready) == 1:
            (start, phase), = ready
            weights, span = self._block_weights(phase)
            out = self.buffer[start:start + span] @ weights
        else:  # a long block (a whole file): matrix products over the blocks of each phase
            out = np.empty((len(ready), self.BLOCK), dtype=np.float32)
            starts, phases = np.array(ready).T
            for phase in np.unique(phases):
                weights, span = self._block_weights(int(phase))
                rows = np.flatnonzero(phases == phase)
                inputs = self.buffer[starts[rows, None] + np.arange(span)]
                # Products under ~1 M multiply-adds stay on one BLAS thread; bigger ones wake
                # OpenBLAS's pool, whose spinning costs more CPU than the product itself.
                step = max(1, 600_000 // (span * self.BLOCK))
                for first in range(0, len(rows), step):
                    out[rows[first:first + step]] = inputs[first:first + step] @ weights
            out = out.ravel()
        self.next_block += len(ready)
        keep_from = (self.next_block * self.BLOCK * self.down) // self.up - self.half_taps + 1
        self.buffer = self.buffer[keep_from - self.buffer_start:]
        self.buffer_start = keep_from
        return out


def _beta_cdf_table(a: float, b: float, points: int = 1025) -> np.ndarray:
    """pYIN's prior over YIN thresholds, Beta(a, b), as a CDF lookup on [0, 1]."""
    return betainc(a, b, np.linspace(0.0, 1.0, points))


class _FrameAnalyser:
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


class _ContourDecoder:
    """Fixed-lag Viterbi over each frame's candidates plus "unvoiced", with the speaker's range.

    Costs are negative log-probabilities: a candidate costs −log p, unvoiced −log(1 − p_voiced)
    plus a constant (pYIN's own HMM spreads the unvoiced probability over all its pitch bins, which
    favours voicing just as strongly); moving between voiced frames costs per semitone, so an octave
    jump needs a far better candidate for several frames; switching voicing costs a constant. The
    decision for frame t is the best path's state at t when frame t + LAG_FRAMES arrives.
    The speaker's range only adds a soft cost: a hard limit would turn a real jump into a
    sub-harmonic error until the range widens again."""

    SEMITONE_COST = 0.35        # an octave: 4.2, about e^4 times less likely
    SWITCH_COST = 2.5
    UNVOICED_COST = 4.0
    OUT_OF_RANGE_COST = 1.0
    RANGE_SPAN = 2.5            # adapted range: median / 2.5 … median × 2.5
    RANGE_AFTER = 30            # voiced frames needed before the range narrows
    RANGE_HISTORY = 300         # voiced frames (3 s of voicing) the median is taken over
    DISAGREEMENT_LIMIT = 10     # confident frames outside the range before it widens again

    def __init__(self, fmin: float, fmax: float):
        self.fmin, self.fmax = fmin, fmax
        self.reset()

    def reset(self) -> None:
        self.costs: list[float] = [0.0]        # per state of the newest frame; state 0 = unvoiced
        self.pending: deque = deque()          # (time, f0s, voiced_probability, back pointers)
        self.history: deque = deque(maxlen=self.RANGE_HISTORY)
        self.voiced_count = 0
        self.low, self.high = self.fmin, self.fmax
        self.disagreement = 0

    def push(self, time: float, f0s, probabilities, voiced_probability: float) -> list[PitchFrame]:
        states = [None]
        emission = [self.UNVOICED_COST - math.log(max(1.0 - voiced_probability, 1e-4))]
        strongest, strongest_p = None, 0.0
        for f0, p in zip(f0s, probabilities):
            if not p > 1e-4:
                continue
            if p > strongest_p:
                strongest, strongest_p = f0, p
            cost = -math.log(p)
            if not self.low <= f0 <= self.high:
                cost += self.OUT_OF_RANGE_COST
            states.append(f0)
            emission.append(cost)
        self._watch_range(strongest, strongest_p)

        previous = self.pending[-1][1] if self.pending else [None]
        new_costs, pointers = [], []
        for f0, own in zip(states, emission):
            best_cost, best_from = math.inf, 0
            for j, (before, cost) in enumerate(zip(previous, self.costs)):
                if before is None:
                    cost += 0.0 if f0 is None else self.SWITCH_COST
                elif f0 is None:
                    cost += self.SWITCH_COST
                else:
                    cost += self.SEMITONE_COST * 12.0 * abs(math.log2(f0 / before))
                if cost < best_cost:
                    best_cost, best_from = cost, j
            new_costs.append(best_cost + own)
            pointers.append(best_from)
        floor = min(new_costs)
        self.costs = [c - floor for c in new_costs]
        self.pending.append((time, states, voiced_probability, pointers))
        if len(self.pending) > LAG_FRAMES:
            return [self._emit(self._backtrack(LAG_FRAMES))]
        return []

    def tentative(self) -> list[PitchFrame]:
        """The best path's current guess for each frame still waiting for its look-ahead, oldest
        first; nothing is decided or changed (the live trace shows these until push() decides)."""
        if not self.pending:
            return []
        state = min(range(len(self.costs)), key=self.costs.__getitem__)
        guesses = []
        for time, states, voiced_probability, pointers in reversed(self.pending):
            f0 = states[state]
            guesses.append(PitchFrame(time, None if f0 is None else float(f0),
                                      float(voiced_probability)))
            state = pointers[state]
        return guesses[::-1]

    def finish(self) -> list[PitchFrame]:
        """Decide every frame still waiting for its look-ahead (end of the audio)."""
        out = []
        while self.pending:
            out.append(self._emit(self._backtrack(len(self.pending) - 1)))
        self.costs = [0.0]
        return out

    def _backtrack(self, steps: int) -> int:
        state = min(range(len(self.costs)), key=self.costs.__getitem__)
        for index in range(len(self.pending) - 1, len(self.pending) - 1 - steps, -1):
            state = self.pending[index][3][state]
        return state

    def _emit(self, state: int) -> PitchFrame:
        time, states, voiced_probability, _ = self.pending.popleft()
        f0 = states[state]
        if f0 is not None:
            self.history.append(f0)
            self.voiced_count += 1
            if len(self.history) >= self.RANGE_AFTER and self.voiced_count % 10 == 0:
                median = float(np.median(self.history))
                self.low = max(self.fmin, median / self.RANGE_SPAN)
                self.high = min(self.fmax, median * self.RANGE_SPAN)
        return PitchFrame(time, None if f0 is None else float(f0), float(voiced_probability))

    def _watch_range(self, strongest: float | None, probability: float) -> None:
        """A confident voice outside the adapted range for long enough means a new speaker or
        register: forget the history and search the full range again."""
        if strongest is None or probability < 0.5:
            return
        if self.low <= strongest <= self.high:
            self.disagreement = max(0, self.disagreement - 1)
            return
        self.disagreement += 1
        if self.disagreement >= self.DISAGREEMENT_LIMIT:
            self.history.clear()
            self.low, self.high = self.fmin, self.fmax
            self.disagreement = 0


class StreamingPitchTracker:
    """Push audio blocks as they arrive; get a PitchFrame for every 10 ms (`hop_seconds`) of audio.

    Blocks are float samples in −1…1, mono (1-D) or frames × channels (averaged), of any length.
    `latency_seconds` is the algorithmic delay: the frame centred on a sample comes back from the
    push() that delivers the sample `latency_seconds` later. At the end of a take, `finish()`
    returns the frames still owed (their look-ahead is silence) and starts a new stream."""

    def __init__(self, sample_rate: int, fmin: float = 60.0, fmax: float = 1000.0,
                 hop_seconds: float = 0.01):
        if not 8000 <= sample_rate <= 192000:
            raise ValueError(f"unsupported sample rate {sample_rate} Hz (8–192 kHz)")
        if not 0 < fmin < fmax <= HIGHEST_FMAX:
            raise ValueError(f"pitch range {fmin}–{fmax} Hz must lie within 0–{HIGHEST_FMAX:g} Hz")
        self.sample_rate = sample_rate
        self.hop = int(round(hop_seconds * WORK_RATE))
        self.hop_seconds = self.hop / WORK_RATE
        self._resampler = _StreamResampler(sample_rate)
        self._analyser = _FrameAnalyser(fmin, fmax)
        self._decoder = _ContourDecoder(fmin, fmax)
        self._half = self._analyser.length // 2
        self.reset()

    @property
    def latency_seconds(self) -> float:
        block = _StreamResampler.BLOCK
        # A frame waits for the resampler block holding its last sample (none with a 10 ms hop).
        block_wait = max((-(k * self.hop + self._half)) % block for k in range(block))
        return ((self._half + block_wait) / WORK_RATE + LAG_FRAMES * self.hop_seconds
                + self._resampler.delay_seconds)

    def reset(self) -> None:
        """Start a new stream: time 0 is the next pushed sample."""
        self._resampler.reset()
        self._decoder.reset()
        self._work = np.zeros(self._half, dtype=np.float32)  # silence before the first sample
        self._work_start = -self._half                        # working-rate index of _work[0]
        self._next_frame = 0

    def push(self, block: np.ndarray) -> list[PitchFrame]:
        block = np.asarray(block, dtype=np.float32)
        if block.ndim == 2:
            block = block.mean(axis=1, dtype=np.float32)
        if block.size == 0:
            return []
        resampled = self._resampler.push(block)
        if resampled.size:
            self._work = np.concatenate((self._work, resampled))
        return self._analyse_ready()

    def input_needed(self) -> int:
        """Input samples still to come before push() analyses the next frame: pushing less is
        only buffered, so a live caller can wait for this much and push once per frame."""
        resampler = self._resampler
        # The next frame needs working samples up to next_frame·hop + half (see _analyse_ready);
        # the resampler makes them a block at a time, each block a fixed stretch of input.
        missing = self._next_frame * self.hop + self._half - (self._work_start + len(self._work))
        blocks = max(1, -(-missing // _StreamResampler.BLOCK))
        per_block = _StreamResampler.BLOCK * resampler.down / resampler.up
        return resampler.input_needed() + int(math.ceil((blocks - 1) * per_block))

    def tentative(self) -> list[PitchFrame]:
        """Best guesses for the frames analysed but not yet decided (at most LAG_FRAMES): the live
        trace draws them at once, `tentative_latency_seconds` after their centre sample, and
        replaces them with the decisions one or two hops later."""
        return self._decoder.tentative()

    @property
    def tentative_latency_seconds(self) -> float:
        """The algorithmic delay of the tentative guesses: the decision's without the look-ahead."""
        return self.latency_seconds - LAG_FRAMES * self.hop_seconds

    def finish(self) -> list[PitchFrame]:
        """The remaining frames of the pushed audio (every frame centred before its end); the next
        push() starts a new stream at time 0."""
        received = self._resampler.received
        last_frame = math.ceil(received / self.sample_rate / self.hop_seconds - 1e-9) - 1
        needed = (last_frame * self.hop + self._half) * self.sample_rate / WORK_RATE
        block_input = _StreamResampler.BLOCK * self.sample_rate / WORK_RATE
        padding = int(math.ceil(needed - received + block_input)) + self._resampler.half_taps + 2
        frames = []
        if last_frame >= self._next_frame:
            resampled = self._resampler.push(np.zeros(padding, dtype=np.float32))
            self._work = np.concatenate((self._work, resampled))
            frames = self._analyse_ready(last_frame)
        frames += self._decoder.finish()
        self.reset()
        return frames

    def _analyse_ready(self, last_frame: int | None = None) -> list[PitchFrame]:
        available_end = self._work_start + len(self._work)   # one past the newest working sample
        ready = (available_end - self._half) // self.hop + 1  # one past the last complete frame
        if last_frame is not None:
            ready = min(ready, last_frame + 1)
        count = ready - self._next_frame
        if count <= 0:
            return []
        length = self._analyser.length
        first = self._next_frame * self.hop - self._half - self._work_start
        if count == 1:  # the live case: one frame per hop, no strided view needed
            frames = self._work[None, first:first + length]
        else:
            windows = np.lib.stride_tricks.sliding_window_view(self._work, length)
            frames = windows[first: first + (count - 1) * self.hop + 1: self.hop]
        out = []
        for chunk in range(0, count, 128):  # chunks keep a long recording's temporaries in cache
            f0, probability, voiced = self._analyser.analyse(frames[chunk:chunk + 128])
            for i, (f0s, probabilities, voicing) in enumerate(
                    zip(f0.tolist(), probability.tolist(), voiced.tolist()), start=chunk):
                time = (self._next_frame + i) * self.hop_seconds
                out += self._decoder.push(time, f0s, probabilities, voicing)
        self._next_frame = ready
        keep_from = self._next_frame * self.hop - self._half
        self._work = self._work[keep_from - self._work_start:]
        self._work_start = keep_from
        return out


def track_pitch(audio: np.ndarray, sample_rate: int, fmin: float = 60.0, fmax: float = 1000.0,
                hop_seconds: float = 0.01) -> PitchTrack:
    """The streaming tracker over a whole recording at once (vectorised over frames): the same
    frames, times and decisions as pushing it block by block and calling finish()."""
    tracker = StreamingPitchTracker(sample_rate, fmin, fmax, hop_seconds)
    frames = tracker.push(audio) + tracker.finish()
    return frames_to_track(frames)


def frames_to_track(frames: list[PitchFrame]) -> PitchTrack:
    return PitchTrack(times=np.array([f.time for f in frames], dtype=float),
                      hz=np.array([np.nan if f.hz is None else f.hz for f in frames], dtype=float),
                      confidence=np.array([f.confidence for f in frames], dtype=float))
