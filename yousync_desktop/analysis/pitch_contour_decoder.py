"""The pitch contour from each frame's candidates (the last stage of streaming_pitch.py): a fixed-lag
Viterbi with an octave guard and a soft range that follows the speaker."""

from __future__ import annotations

import math
from collections import deque
from typing import NamedTuple

import numpy as np

LAG_FRAMES = 2            # Viterbi look-ahead; with half a frame this is most of the delay budget


class PitchFrame(NamedTuple):
    time: float             # centre of the analysed frame, seconds since the first pushed sample
    hz: float | None        # None when unvoiced
    confidence: float       # 0–1: how likely the frame is voiced


class ContourDecoder:
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
