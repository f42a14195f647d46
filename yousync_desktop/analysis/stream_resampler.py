"""Resampling of live audio blocks to the pitch tracker's working rate (the first stage of
streaming_pitch.py): any common rate (8–192 kHz) in, WORK_RATE out, low-passed for YIN."""

from __future__ import annotations

import math

import numpy as np

WORK_RATE = 16000         # Hz
HIGHEST_FMAX = 1500.0     # Hz: the resampler's low-pass is −6 dB here (see StreamResampler)


class StreamResampler:
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
