"""The actor's side of the quick score: everything about a line that doesn't depend on the take,
prepared once and reused across takes.

A learner retakes a line many times, and the practice session prepares the line's reference
while the learner speaks, so that when the take stops only the take's own analysis is left.
`ReferenceCache` keeps the last few prepared lines for that; `reference_line` uses the process's
shared one (`SHARED_REFERENCES`), which is what `quick_score` uses unless it is handed another.

Only the line and ANALYSIS_MARGIN seconds around it are analysed, however long the window, and
only the line's own speech counts: anything outside its words (a neighbouring line's tail) is
silenced."""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from yousync_desktop.analysis import features as fx
from yousync_desktop.analysis.pitch_track import PitchTrack
from yousync_desktop.analysis.scoring.alignment_features import dtw_features, feature_scale
from yousync_desktop.analysis.scoring.frames import HOP, on_grid, track_pitch
from yousync_desktop.analysis.scoring.intonation import semitones
from yousync_desktop.analysis.scoring.pronunciation import self_distances, structure_features
from yousync_desktop.analysis.take_quality import MAX_RATE, MIN_RATE, issue, region
from yousync_desktop.domain import ScoreIssue, Script, Word

LINE_MARGIN_BEFORE = 0.10      # reference kept this long before the first word …
LINE_MARGIN_AFTER = 0.25       # … and after the last (release, final consonant)
ANALYSIS_MARGIN = 1.5          # seconds analysed around the line (≥ the alignment's band)
MIN_VOICED_FRAMES = 10         # fewer voiced frames in a stored contour: track the pitch here
REFERENCES_KEPT = 8            # lines a ReferenceCache remembers


@dataclass(frozen=True, eq=False)
class ReferenceLine:
    """Everything about the actor's line that doesn't depend on the take; reuse it across takes."""

    script: Script
    words: list[Word]             # the script's words, or the whole line as one if it has none
    window_start: float
    origin: float                 # seconds from window start to the analysed region (frame 0)
    features: fx.FrameFeatures
    dtw_features: np.ndarray      # frames × dims
    feature_scale: np.ndarray     # per-MFCC divisor, shared with the take
    semitones: np.ndarray         # per frame, NaN where unvoiced
    line_span: tuple[float, float]  # seconds from window start: first word start, last word end
    speech_seconds: float
    structure_frames: np.ndarray  # the line's speech frames
    structure: np.ndarray         # their self-distance matrix (pronunciation.word_similarities)

    @classmethod
    def prepare(cls, reference: np.ndarray, reference_rate: int, script: Script, *,
                window_start: float, reference_pitch: PitchTrack | None = None) -> "ReferenceLine":
        """`reference` has sample 0 at `window_start`; `reference_pitch`, if given, has absolute
        times (e.g. `PitchTrack.from_points(token.pitch)`); otherwise it is tracked here."""
        span = line_span(script, window_start)
        # Only the line and ANALYSIS_MARGIN around it are analysed, however long the window:
        # the cost stays that of the line (a long countdown or a whole track costs nothing).
        origin = max(0, math.floor((span[0] - ANALYSIS_MARGIN) / HOP)) * HOP
        length = max(int(math.ceil((span[1] + ANALYSIS_MARGIN - origin) * fx.ANALYSIS_RATE)), 1)
        audio = region(fx.at_analysis_rate(reference, reference_rate), origin, length)
        audio = keep_only(audio, span[0] - origin - LINE_MARGIN_BEFORE,
                          span[1] - origin + LINE_MARGIN_AFTER)
        features = fx.frame_features(audio, fx.ANALYSIS_RATE)
        scale = feature_scale(features)
        in_line = np.zeros(features.n_frames, dtype=bool)
        first, last = (int(round((t - origin) / HOP)) for t in span)
        in_line[max(0, first - 10): last + 25] = True
        hz = np.full(features.n_frames, np.nan)
        if reference_pitch is not None:
            hz = on_grid(PitchTrack(reference_pitch.times - window_start - origin,
                                    reference_pitch.hz, reference_pitch.confidence),
                         features.n_frames)
            hz[~in_line] = np.nan
        # A stored contour can miss a line (its tracker lost the voice); then track it here.
        if np.isfinite(hz).sum() < MIN_VOICED_FRAMES:
            hz = on_grid(track_pitch(audio, fx.ANALYSIS_RATE), features.n_frames)
            hz[~in_line] = np.nan
        aligned = dtw_features(features, scale)
        structure_frames = np.nonzero(features.active & in_line)[0]
        words = script.words or [Word(id=0, script_id=script.id, word=script.script,
                                      start_time=script.start_time, end_time=script.end_time)]
        return cls(script=script, words=words, window_start=window_start, origin=origin,
                   features=features,
                   dtw_features=aligned, feature_scale=scale,
                   semitones=semitones(hz), line_span=span,
                   speech_seconds=float(features.active.sum() * HOP),
                   structure_frames=structure_frames,
                   structure=self_distances(structure_features(aligned[structure_frames])))


class ReferenceCache:
    """Prepared reference lines, the `size` most recently used. A line is found again by its
    script, window, sample rate, pitch contour and a digest of its audio, so a changed reference
    is never stale. Safe to share between threads (two threads asking for the same new line at
    once may both prepare it; the result is the same)."""

    def __init__(self, size: int = REFERENCES_KEPT) -> None:
        self.size = size
        self._lines: OrderedDict[tuple, ReferenceLine] = OrderedDict()
        self._lock = threading.Lock()

    def line(self, reference: np.ndarray, reference_rate: int, script: Script, *,
             window_start: float, reference_pitch: PitchTrack | None = None) -> ReferenceLine:
        """`ReferenceLine.prepare`, or the same line prepared earlier."""
        audio = np.ascontiguousarray(reference, dtype=np.float32)
        key = _line_key(audio, reference_rate, script, window_start, reference_pitch)
        with self._lock:
            if key in self._lines:
                self._lines.move_to_end(key)
                return self._lines[key]
        line = ReferenceLine.prepare(audio, reference_rate, script, window_start=window_start,
                                     reference_pitch=reference_pitch)
        with self._lock:
            self._lines[key] = line
            while len(self._lines) > self.size:
                self._lines.popitem(last=False)
        return line

    def clear(self) -> None:
        with self._lock:
            self._lines.clear()

    def __len__(self) -> int:
        return len(self._lines)


SHARED_REFERENCES = ReferenceCache()


def reference_line(reference: np.ndarray, reference_rate: int, script: Script, *,
                   window_start: float, reference_pitch: PitchTrack | None = None) -> ReferenceLine:
    """`ReferenceLine.prepare`, remembered in SHARED_REFERENCES for the last few lines."""
    return SHARED_REFERENCES.line(reference, reference_rate, script, window_start=window_start,
                                  reference_pitch=reference_pitch)


def _line_key(audio: np.ndarray, reference_rate: int, script: Script, window_start: float,
              reference_pitch: PitchTrack | None) -> tuple:
    pitch_key = None if reference_pitch is None else hashlib.blake2b(
        np.ascontiguousarray(np.r_[reference_pitch.times, reference_pitch.hz]).tobytes(),
        digest_size=8).hexdigest()
    return (script.token_id, script.id, script.start_time, script.end_time, script.script,
            tuple((w.word, w.start_time, w.end_time) for w in script.words),
            round(window_start, 6), int(reference_rate),
            hashlib.blake2b(audio.tobytes(), digest_size=16).hexdigest(), pitch_key)


def reference_problem(reference, reference_rate, window_start) -> ScoreIssue | None:
    """Why the reference can't be used at all (the caller's data, but still no exception)."""
    try:
        rate = int(reference_rate)
        size = np.asarray(reference).size
    except (TypeError, ValueError, OverflowError):
        return issue("reference_unreadable", "The actor's reference could not be read as audio.")
    if not MIN_RATE <= rate <= MAX_RATE or size == 0:
        return issue("reference_unusable", "The actor's reference audio is empty or has an "
                      "unusable sample rate.")
    if not math.isfinite(window_start):
        return issue("window_not_a_number", "The recording window's start time is not a number.")
    return None


def line_span(script: Script, window_start: float) -> tuple[float, float]:
    """The line's first word start and last word end, seconds from the window start."""
    starts = [w.start_time for w in script.words if w.start_time is not None]
    ends = [w.end_time for w in script.words if w.end_time is not None]
    first = min(starts + [script.start_time])
    last = max(ends + [script.end_time])
    return first - window_start, last - window_start


def keep_only(audio: np.ndarray, start: float, end: float) -> np.ndarray:
    """Silence everything outside [start, end] seconds, with 10 ms fades."""
    out = np.zeros_like(audio)
    a = max(0, int(start * fx.ANALYSIS_RATE))
    b = min(len(audio), int(math.ceil(end * fx.ANALYSIS_RATE)))
    if b <= a:
        return out
    out[a:b] = audio[a:b]
    fade = min(int(0.01 * fx.ANALYSIS_RATE), (b - a) // 2)
    if fade:
        out[a:a + fade] *= np.linspace(0.0, 1.0, fade, dtype=np.float32)
        out[b - fade:b] *= np.linspace(1.0, 0.0, fade, dtype=np.float32)
    return out
