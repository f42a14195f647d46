"""Live pitch for the recording trace: a streaming probabilistic-YIN tracker with a short fixed lag.

Audio arrives in blocks of any size at any common rate (8–192 kHz). `StreamResampler`
(stream_resampler.py) brings it to 16 kHz with a windowed-sinc filter that keeps its state and also
low-passes around 1.5 kHz: the f0 and its first harmonics are all YIN needs, the band above carries
mostly breath and noise. Every 10 ms a 40 ms frame (two periods of 60 Hz) goes to `FrameAnalyser`
(pitch_frame_analyser.py): YIN's cumulative mean normalised difference function via one FFT, its
troughs with pYIN's threshold probabilities, parabolic interpolation (vectorised over frames, so a
whole file costs a few numpy calls per 128 frames). `ContourDecoder` (pitch_contour_decoder.py) is
a fixed-lag Viterbi over each frame's candidates plus "unvoiced": it decides a frame two frames
later, an octave jump costs more than a slightly worse candidate (the octave guard), and a soft
search range follows the speaker's median (median / 2.5 … median × 2.5 within 60–1000 Hz), widening
again when a confident voice keeps falling outside it.

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

import numpy as np

from yousync_desktop.analysis.pitch_contour_decoder import LAG_FRAMES, ContourDecoder, PitchFrame
from yousync_desktop.analysis.pitch_frame_analyser import (
    CANDIDATES_PER_FRAME, FRAME_SECONDS, FrameAnalyser,
)
from yousync_desktop.analysis.pitch_track import PitchTrack
from yousync_desktop.analysis.stream_resampler import HIGHEST_FMAX, WORK_RATE, StreamResampler

__all__ = ["CANDIDATES_PER_FRAME", "FRAME_SECONDS", "HIGHEST_FMAX", "LAG_FRAMES", "WORK_RATE",
           "PitchFrame", "StreamingPitchTracker", "frames_to_track", "track_pitch"]


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
        self._resampler = StreamResampler(sample_rate)
        self._analyser = FrameAnalyser(fmin, fmax)
        self._decoder = ContourDecoder(fmin, fmax)
        self._half = self._analyser.length // 2
        self.reset()

    @property
    def latency_seconds(self) -> float:
        block = StreamResampler.BLOCK
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
        blocks = max(1, -(-missing // StreamResampler.BLOCK))
        per_block = StreamResampler.BLOCK * resampler.down / resampler.up
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
        block_input = StreamResampler.BLOCK * self.sample_rate / WORK_RATE
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
