"""The quick score: one take against the actor's reference for one line, offline, in API terms.

The timeline. A take is recorded over a window around the line: its sample 0 is the absolute time
`window_start` (usually `script.start_time - pre_roll`). The reference is the actor's vocal over
the same window (sample 0 = `window_start` too). A take recorded with a round-trip latency of L ms
has the learner's voice L ms late; the score drops the take's first L ms before looking at it, so
every time below is already latency-corrected. Only the line and ANALYSIS_MARGIN seconds around
it are analysed, however long the window, and only the line's own speech counts in the reference:
anything outside its words (a neighbouring line's tail) is silenced. Times in the results
(`Alignment`, `AlignedWord`) are seconds from the window's sample 0; `learner_pitch` has absolute
times (for drawing against the token's pitch contour).

Use: `quick_score(...)` for one call, or `reference_line(...)` once per line (it is also cached)
and `score_take(...)` per take. `score_take_files(...)` is the `yousync score` command's JSON.

The three dimensions, each 0–1, then multiplied by the recording's quality factor (clipping,
invalid samples, a low sample rate, far too little or too much speech; take_quality.py — each also
adds an issue):
- pronunciation: per word, does the take have the actor's sound *structure*? Within each
  recording, the distances from the word's frames to every other speech frame of the line form a
  pattern (which sounds repeat, which contrast); the same words give the same pattern whatever
  the voice, because each pattern compares a voice only with itself. The score is the correlation
  of the two patterns (the take's read through the alignment). The alignment (banded DTW) runs on
  loudness and MFCC after vocal tract length normalisation (the take's mel filterbank is scaled
  by the warp that aligns it best with the actor), so a bass and a soprano align on formants;
- intonation: register-free — both contours in semitones from the speaker's own median, compared
  along the alignment on frames voiced in both (mean absolute error after removing the overall
  offset, and correlation, so a flat delivery of a lively line scores low);
- timing: the words' starts on the take (mapped by the alignment) against the actor's, the line's
  start and end, and the tempo (ratio of the line's durations).
`overall_score` is their mean — the sync rate, so `Score.rank` and the headline number agree.

Per word (`WordScore`): `mfcc_similarity` is the pronunciation pattern score above; `word_score`
the mean of that, the word's timing and its intonation; `text_status` is "pass" when the
similarity reaches PASS_SIMILARITY — an acoustic estimate that the word was said, not speech
recognition. `overlap_ratio` is the intersection over union of the word's interval on the take and
on the reference; `timing_offset_ms` is the take's word start minus the actor's (positive = late).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import warnings
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import ndimage

from yousync_desktop.analysis import features as fx
from yousync_desktop.analysis.alignment import Alignment, banded_dtw, dtw_distances
from yousync_desktop.analysis.audio_io import load_mono
from yousync_desktop.analysis.pitch_track import PitchTrack
from yousync_desktop.analysis.take_quality import (MAX_RATE, MIN_RATE, duration_quality, issue,
                                                   region, sanitise)
from yousync_desktop.domain import Score, ScoreIssue, Script, Word, WordScore

HOP = fx.HOP_SECONDS
LINE_MARGIN_BEFORE = 0.10      # reference kept this long before the first word …
LINE_MARGIN_AFTER = 0.25       # … and after the last (release, final consonant)
DEFAULT_PRE_ROLL = 0.5
ANALYSIS_MARGIN = 1.5          # seconds analysed around the line (≥ the alignment's band)

# Alignment: loudness (syllable rhythm) + 12 MFCC, the take's after a vocal tract warp.
DTW_LOUDNESS_WEIGHT = 2.0      # rhythm is what two voices share most; it steers the path
VTLN_WARPS = (0.76, 0.82, 0.88, 0.94, 1.0, 1.06, 1.13, 1.2, 1.28)  # mel band scalings tried
WARP_POOL = 3                  # frames averaged for the coarse alignments that choose the warp
# Pronunciation: correlation of the two recordings' self-distance patterns, mapped to 0–1.
# Per word, on the demo lines in 7 eSpeak voices: different words median 0.28 (95th percentile
# 0.51); the same words in another voice median 0.82 (5th percentile 0.65).
SIMILARITY_ZERO = 0.35
SIMILARITY_FULL = 0.75
PASS_SIMILARITY = 0.5
STRUCTURE_DIMS = 9             # loudness + the first 8 cepstra: the envelope, less pitch ripple
STRUCTURE_LOUDNESS_WEIGHT = 3.0  # in the patterns, rhythm counts even more
# Intonation.
SEMITONE_ERROR_FULL = 1.0      # mean |error| at or below which the melody counts as matched
SEMITONE_ERROR_ZERO = 4.0
MAX_SEMITONE_ERROR = 7.0       # a bigger gap counts as this much (one bad frame can't dominate)
OCTAVE_SLIP = 8.0              # semitones off the local median: a tracker's octave error
SLIP_WINDOW = 51               # frames around each frame for that local median
# Timing.
TIME_MATCH_MS = 150.0
TIMING_TOLERANCE = 0.05        # seconds of error nobody hears
TIMING_ZERO = 0.60             # seconds of error that score 0
TEMPO_FULL = 0.10              # |log2 duration ratio| nobody minds (≈ 7 % faster or slower) …
TEMPO_ZERO = 0.35              # … and the one that is out of sync however it starts (≈ 27 %)
TEMPO_MENTION = 0.15           # an issue names the tempo from ≈ 11 % on
# Recording quality (the take's own defects: take_quality.py).
MIN_SPEECH_SECONDS = 0.15
MIN_VOICED_FRAMES = 10


@dataclass(frozen=True, eq=False)
class QuickScoreResult:
    score: Score                # source="quick"
    learner_pitch: PitchTrack   # the take's contour, absolute times, latency removed
    alignment: Alignment | None  # None when there was nothing to align (no voice)


# --- the reference, prepared once per line -------------------------------------------------------

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
    structure: np.ndarray         # their self-distance matrix (see _word_similarities)

    @classmethod
    def prepare(cls, reference: np.ndarray, reference_rate: int, script: Script, *,
                window_start: float, reference_pitch: PitchTrack | None = None) -> "ReferenceLine":
        """`reference` has sample 0 at `window_start`; `reference_pitch`, if given, has absolute
        times (e.g. `PitchTrack.from_points(token.pitch)`); otherwise it is tracked here."""
        span = _line_span(script, window_start)
        # Only the line and ANALYSIS_MARGIN around it are analysed, however long the window:
        # the cost stays that of the line (a long countdown or a whole track costs nothing).
        origin = max(0, math.floor((span[0] - ANALYSIS_MARGIN) / HOP)) * HOP
        length = max(int(math.ceil((span[1] + ANALYSIS_MARGIN - origin) * fx.ANALYSIS_RATE)), 1)
        audio = region(fx.at_analysis_rate(reference, reference_rate), origin, length)
        audio = _keep_only(audio, span[0] - origin - LINE_MARGIN_BEFORE,
                           span[1] - origin + LINE_MARGIN_AFTER)
        features = fx.frame_features(audio, fx.ANALYSIS_RATE)
        scale = _feature_scale(features)
        in_line = np.zeros(features.n_frames, dtype=bool)
        first, last = (int(round((t - origin) / HOP)) for t in span)
        in_line[max(0, first - 10): last + 25] = True
        hz = np.full(features.n_frames, np.nan)
        if reference_pitch is not None:
            hz = _on_grid(PitchTrack(reference_pitch.times - window_start - origin,
                                     reference_pitch.hz, reference_pitch.confidence),
                          features.n_frames)
            hz[~in_line] = np.nan
        # A stored contour can miss a line (its tracker lost the voice); then track it here.
        if np.isfinite(hz).sum() < MIN_VOICED_FRAMES:
            hz = _on_grid(_track_pitch(audio, fx.ANALYSIS_RATE), features.n_frames)
            hz[~in_line] = np.nan
        dtw_features = _dtw_features(features, scale)
        structure_frames = np.nonzero(features.active & in_line)[0]
        words = script.words or [Word(id=0, script_id=script.id, word=script.script,
                                      start_time=script.start_time, end_time=script.end_time)]
        return cls(script=script, words=words, window_start=window_start, origin=origin,
                   features=features,
                   dtw_features=dtw_features, feature_scale=scale,
                   semitones=_semitones(hz), line_span=span,
                   speech_seconds=float(features.active.sum() * HOP),
                   structure_frames=structure_frames,
                   structure=_distances(_structure_features(dtw_features[structure_frames])))


_REFERENCE_CACHE: OrderedDict[tuple, ReferenceLine] = OrderedDict()
_REFERENCE_CACHE_SIZE = 8


def reference_line(reference: np.ndarray, reference_rate: int, script: Script, *,
                   window_start: float, reference_pitch: PitchTrack | None = None) -> ReferenceLine:
    """`ReferenceLine.prepare`, remembered for the last few lines (a learner retakes a line many
    times). The key includes a digest of the audio, so a changed reference is never stale."""
    audio = np.ascontiguousarray(reference, dtype=np.float32)
    pitch_key = None if reference_pitch is None else hashlib.blake2b(
        np.ascontiguousarray(np.r_[reference_pitch.times, reference_pitch.hz]).tobytes(),
        digest_size=8).hexdigest()
    key = (script.token_id, script.id, script.start_time, script.end_time, script.script,
           tuple((w.word, w.start_time, w.end_time) for w in script.words), round(window_start, 6),
           int(reference_rate), hashlib.blake2b(audio.tobytes(), digest_size=16).hexdigest(),
           pitch_key)
    if key in _REFERENCE_CACHE:
        _REFERENCE_CACHE.move_to_end(key)
        return _REFERENCE_CACHE[key]
    line = ReferenceLine.prepare(audio, reference_rate, script, window_start=window_start,
                                 reference_pitch=reference_pitch)
    _REFERENCE_CACHE[key] = line
    while len(_REFERENCE_CACHE) > _REFERENCE_CACHE_SIZE:
        _REFERENCE_CACHE.popitem(last=False)
    return line


# --- scoring -------------------------------------------------------------------------------------

def quick_score(take: np.ndarray, take_rate: int, reference: np.ndarray, reference_rate: int,
                script: Script, *, window_start: float, latency_ms: float = 0.0,
                reference_pitch: PitchTrack | None = None) -> QuickScoreResult:
    """Score `take` against `reference` for `script`. Both arrays start at absolute time
    `window_start`; `latency_ms` is the measured round-trip latency to remove from the take.
    Never raises on bad audio content: degenerate takes get low scores and `issues`."""
    problem = _reference_problem(reference, reference_rate, window_start)
    if problem:
        return _failed(script.words, [problem])
    with single_threaded_blas():
        line = reference_line(reference, reference_rate, script, window_start=window_start,
                              reference_pitch=reference_pitch)
        return _score_take(take, take_rate, line, latency_ms)


def _reference_problem(reference, reference_rate, window_start) -> ScoreIssue | None:
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


def score_take(take: np.ndarray, take_rate: int, line: ReferenceLine, *,
               latency_ms: float = 0.0) -> QuickScoreResult:
    """The quick score against a prepared reference line (see `quick_score`)."""
    with single_threaded_blas():
        return _score_take(take, take_rate, line, latency_ms)


def _score_take(take, take_rate: int, line: ReferenceLine, latency_ms: float) -> QuickScoreResult:
    issues: list[ScoreIssue] = []
    audio, quality = sanitise(take, take_rate, latency_ms, issues, origin=line.origin,
                              length=len(line.features.audio), line_end=line.line_span[1])
    if audio is None:
        return _failed(line.words, issues)

    if line.speech_seconds <= 0:
        issues.append(issue("no_reference", "The actor's reference has no voice for this line, "
                             "so the take can't be compared with it."))
        return _failed(line.words, issues)

    features = fx.frame_features(audio, fx.ANALYSIS_RATE)
    pitch = _track_pitch(audio, fx.ANALYSIS_RATE)
    learner_pitch = PitchTrack(pitch.times + line.window_start + line.origin, pitch.hz,
                               pitch.confidence)
    hz = _on_grid(pitch, features.n_frames)
    speech = _speech_frames(features, hz)
    speech_seconds = float(speech.sum() * HOP)

    if speech_seconds < MIN_SPEECH_SECONDS:
        loud = np.percentile(features.loudness_db, 90) > fx.ABSOLUTE_VOICE_DB + 10
        issues.append(issue("noise_only", "Only noise was recorded: no voice was found in the "
                             "take.") if loud else
                      issue("silent", "No voice was recorded: the take is silent. Check the "
                             "microphone."))
        return _failed(line.words, issues, learner_pitch)

    quality *= duration_quality(speech_seconds, line.speech_seconds, issues)

    take_features = _dtw_features(features, line.feature_scale, _choose_warp(features, line))
    alignment = banded_dtw(take_features, line.dtw_features, hop=HOP, origin=line.origin)
    alignment = alignment.with_words(line.words, line.window_start)

    similarities = _word_similarities(alignment, take_features, line)
    contour = _intonation(alignment, _semitones(hz), line.semitones)
    timing, offsets = _timing(alignment, issues)
    pronunciation = float(np.mean(similarities)) if similarities else 0.0

    words = []
    for index, aligned in enumerate(alignment.words):
        similarity = similarities[index] if similarities else 0.0
        offset = offsets[index]
        pitch_error = contour.word_errors[index]
        timing_part = _timing_score(abs(offset) / 1000.0)
        pitch_part = (1.0 if pitch_error is None
                      else _ramp(pitch_error, SEMITONE_ERROR_ZERO, SEMITONE_ERROR_FULL))
        word_score = quality * (similarity + timing_part + pitch_part) / 3.0
        words.append(WordScore(
            word=aligned.word, word_score=_round(word_score),
            text_status="pass" if similarity >= PASS_SIMILARITY else "fail",
            time_match=abs(offset) <= TIME_MATCH_MS,
            overlap_ratio=_round(_overlap(aligned.take_start, aligned.take_end,
                                          aligned.ref_start, aligned.ref_end)),
            mfcc_similarity=_round(similarity), timing_offset_ms=round(offset, 1),
            pitch_error_semitones=None if pitch_error is None else round(pitch_error, 2)))

    _explain(words, pronunciation, contour, issues)
    dimensions = [quality * pronunciation, quality * contour.score, quality * timing]
    score = Score(overall_score=_round(float(np.mean(dimensions))),
                  pronunciation=_round(dimensions[0]), intonation=_round(dimensions[1]),
                  timing=_round(dimensions[2]), words=words, issues=[i.text for i in issues],
                  issue_details=issues, source="quick")
    return QuickScoreResult(score=score, learner_pitch=learner_pitch, alignment=alignment)


# --- files (the `yousync score` command) ---------------------------------------------------------

def score_take_files(line_json: Path, reference_wav: Path, take_wav: Path, latency_ms: float = 0.0,
                     pre_roll: float | None = None) -> dict:
    """The quick score of `take_wav` as JSON: `Score.to_json()` (scores, rank, `word_analysis`,
    issues) plus the API's `summary` and the learner's contour as `learner_pitch` points.

    LINE.json is a Script in the API's shape, optionally with `"window_start"`: the absolute time
    of sample 0 of both audio files. Without it (or when `pre_roll` is given) the window starts
    `pre_roll` seconds (default 0.5) before the line's `start_time`. Unreadable files raise
    `AudioFileError`, a malformed line `DomainError` / `ValueError`; bad audio content does not."""
    data = json.loads(Path(line_json).read_text(encoding="utf-8"))
    script = Script.from_api(data, "line")
    if pre_roll is not None:
        window_start = script.start_time - pre_roll
    elif isinstance(data.get("window_start"), (int, float)):
        window_start = float(data["window_start"])
    else:
        window_start = script.start_time - DEFAULT_PRE_ROLL
    reference, reference_rate = load_mono(Path(reference_wav))
    take, take_rate = load_mono(Path(take_wav))
    result = quick_score(take, take_rate, reference, reference_rate, script,
                         window_start=window_start, latency_ms=latency_ms)
    return result_json(result)


def result_json(result: QuickScoreResult) -> dict:
    out = result.score.to_json()
    words = result.score.words
    total = len(words)
    passed = sum(w.text_status == "pass" for w in words)
    matched = sum(bool(w.time_match) for w in words)
    out["summary"] = {
        "text_accuracy": round(passed / total, 4) if total else 0.0,
        "time_accuracy": round(matched / total, 4) if total else 0.0,
        "mfcc_average": round(sum(w.mfcc_similarity or 0.0 for w in words) / total, 4)
        if total else 0.0,
        "total_words": total, "passed_words": passed, "time_matched_words": matched}
    out["learner_pitch"] = [p.to_api() for p in result.learner_pitch.to_points()]
    return out


def _speech_frames(features: fx.FrameFeatures, hz: np.ndarray) -> np.ndarray:
    """Voice-active frames that belong to a stretch with some voicing: a voice, not a noise."""
    voiced = np.isfinite(hz) & features.active
    near_voicing = ndimage.binary_dilation(voiced, structure=np.ones(31, bool))
    return features.active & near_voicing


def _failed(words: list[Word], issues: list[ScoreIssue],
            learner_pitch: PitchTrack | None = None) -> QuickScoreResult:
    words = [WordScore(word=w.word, word_score=0.0, text_status="fail", time_match=False,
                       overlap_ratio=0.0, mfcc_similarity=0.0) for w in words]
    empty = np.zeros(0)
    score = Score(overall_score=0.0, pronunciation=0.0, intonation=0.0, timing=0.0, words=words,
                  issues=[i.text for i in issues], issue_details=issues, source="quick")
    return QuickScoreResult(score=score,
                            learner_pitch=learner_pitch or PitchTrack(empty, empty, empty),
                            alignment=None)


# --- pronunciation -------------------------------------------------------------------------------

def _choose_warp(features: fx.FrameFeatures, line: ReferenceLine) -> np.ndarray:
    """The take's MFCC under the vocal-tract warp that aligns best with the actor's line: a bass
    voice dubbing a soprano is compared formant for formant, not through its longer vocal tract.
    "Best" is the lowest normalised cost of a coarse alignment (frames pooled by WARP_POOL, all
    candidates in one batched pass); a frame-by-frame nearest-neighbour criterion was tried first
    and kept preferring the narrowest band, whatever the voice."""
    if features.active.sum() < 4:
        return features.mfcc
    candidates = [features.mfcc if warp == 1.0 else features.warped_mfcc(warp)
                  for warp in VTLN_WARPS]
    pooled = np.stack([_pooled(_dtw_features(features, line.feature_scale, mfcc))
                       for mfcc in candidates])
    costs = dtw_distances(pooled, _pooled(line.dtw_features), hop=HOP * WARP_POOL)
    return candidates[int(np.argmin(costs))]


def _pooled(frames: np.ndarray) -> np.ndarray:
    usable = len(frames) // WARP_POOL * WARP_POOL
    if usable == 0:
        return frames
    return frames[:usable].reshape(-1, WARP_POOL, frames.shape[1]).mean(axis=1)


def _word_similarities(alignment: Alignment, take_features: np.ndarray,
                       line: ReferenceLine) -> list[float]:
    """Per word: does the take have the same sound structure as the actor's line?

    Within each recording, the distance from this word's frames to every other speech frame of
    the line forms a pattern (which sounds repeat, which contrast); saying the same words gives
    the same pattern whatever the voice, since each pattern compares a voice only with itself.
    The take's pattern is read through the alignment; the score is the correlation of the two
    patterns, mapped from [SIMILARITY_ZERO, SIMILARITY_FULL] to [0, 1]."""
    frames = line.structure_frames
    if frames.size < 3:
        return [0.0] * len(alignment.words)
    times = frames * HOP + line.origin            # seconds from the window start
    take_frames = np.clip(np.round((alignment.take_time(times) - line.origin) / HOP).astype(int),
                          0, len(take_features) - 1)
    take_structure = _distances(_structure_features(take_features[take_frames]))
    out = []
    for word in alignment.words:
        rows = np.nonzero((times >= word.ref_start) & (times < word.ref_end))[0]
        if rows.size < 3:
            middle = (word.ref_start + word.ref_end) / 2
            rows = np.sort(np.argsort(np.abs(times - middle))[:3])
        a = line.structure[rows].ravel()
        b = take_structure[rows].ravel()
        correlation = float(np.corrcoef(a, b)[0, 1]) if a.std() > 0 and b.std() > 0 else 0.0
        out.append(_ramp(correlation, SIMILARITY_ZERO, SIMILARITY_FULL))
    return out


def _structure_features(dtw_features: np.ndarray) -> np.ndarray:
    weights = np.ones(STRUCTURE_DIMS)
    weights[0] = STRUCTURE_LOUDNESS_WEIGHT / DTW_LOUDNESS_WEIGHT
    return dtw_features[:, :STRUCTURE_DIMS] * weights


def _distances(points: np.ndarray) -> np.ndarray:
    squared = (points ** 2).sum(1)
    return np.sqrt(np.maximum(squared[:, None] + squared[None, :] - 2.0 * points @ points.T, 0.0))


# --- intonation ----------------------------------------------------------------------------------

@dataclass
class _Contour:
    score: float
    mean_error: float | None
    correlation: float | None
    word_errors: list[float | None] = field(default_factory=list)


def _intonation(alignment: Alignment, take_semitones: np.ndarray,
                ref_semitones: np.ndarray) -> _Contour:
    take_frames, ref_frames = alignment.path[:, 0], alignment.path[:, 1]
    take_st, ref_st = take_semitones[take_frames], ref_semitones[ref_frames]
    both = np.isfinite(take_st) & np.isfinite(ref_st)
    ref_voiced = np.isfinite(ref_st)
    words = alignment.words
    if both.sum() < 10 or ref_voiced.sum() == 0:
        # An actor's line with no voicing at all (whispered) has no melody to miss.
        return _Contour(0.0 if ref_voiced.any() else 1.0, None, None, [None] * len(words))
    difference = take_st[both] - ref_st[both]
    offset = float(np.median(difference))           # whatever register remains after the median
    error = np.minimum(np.abs(difference - offset), MAX_SEMITONE_ERROR)
    mean_error = float(error.mean())
    a = np.clip(take_st[both], -MAX_SEMITONE_ERROR, MAX_SEMITONE_ERROR)
    b = np.clip(ref_st[both], -MAX_SEMITONE_ERROR, MAX_SEMITONE_ERROR)
    correlation = float(np.corrcoef(a, b)[0, 1]) if a.std() > 1e-6 and b.std() > 1e-6 else 0.0
    # A melody only counts where the take is voiced while the actor is: full marks need half of
    # the actor's voiced frames matched by voiced take frames (voicing decisions differ a lot).
    coverage = min(1.0, both.sum() / max(1, ref_voiced.sum()) / 0.5)
    score = coverage * (0.5 * _ramp(mean_error, SEMITONE_ERROR_ZERO, SEMITONE_ERROR_FULL)
                        + 0.5 * _ramp(correlation, 0.0, 0.7))

    word_errors: list[float | None] = []
    errors_on_path = np.full(len(take_st), np.nan)
    errors_on_path[both] = error
    for word in words:
        first = (word.ref_start - alignment.origin) / HOP
        last = (word.ref_end - alignment.origin) / HOP
        in_word = (ref_frames >= first) & (ref_frames < max(last, first + 1)) & both
        word_errors.append(float(errors_on_path[in_word].mean()) if in_word.sum() >= 3 else None)
    return _Contour(score, mean_error, correlation, word_errors)


# --- timing --------------------------------------------------------------------------------------

def _timing(alignment: Alignment, issues: list[ScoreIssue]) -> tuple[float, list[float]]:
    """Score from the words' start offsets (median), the line's start and end, and the tempo.
    Returns the score and each word's start offset in ms (take minus actor)."""
    words = alignment.words
    if not words:
        return 1.0, []
    starts = np.array([w.take_start - w.ref_start for w in words])
    start_offset = starts[0]
    end_offset = words[-1].take_end - words[-1].ref_end
    ref_length = words[-1].ref_end - words[0].ref_start
    take_length = words[-1].take_end - words[0].take_start
    tempo = (math.log2(max(take_length, 1e-3) / ref_length) if ref_length > 0.2 else 0.0)
    error = (0.5 * float(np.median(np.abs(starts))) + 0.25 * abs(start_offset)
             + 0.25 * abs(end_offset))
    score = _timing_score(error) * _ramp(abs(tempo), TEMPO_ZERO, TEMPO_FULL)
    if abs(start_offset) > TIME_MATCH_MS / 1000:
        issues.append(issue("started_late", "You started {seconds:.2f} s late.",
                             seconds=abs(start_offset)) if start_offset > 0 else
                      issue("started_early", "You started {seconds:.2f} s early.",
                             seconds=abs(start_offset)))
    if abs(tempo) > TEMPO_MENTION:
        percent = 100 * (2 ** abs(tempo) - 1)
        issues.append(issue("slower", "You spoke about {percent:.0f} % slower than the actor.",
                             percent=percent) if tempo > 0 else
                      issue("faster", "You spoke about {percent:.0f} % faster than the actor.",
                             percent=percent))
    return score, [float(s * 1000.0) for s in starts]


def _timing_score(error_seconds: float) -> float:
    return _ramp(error_seconds, TIMING_ZERO, TIMING_TOLERANCE)


def _overlap(a_start: float, a_end: float, b_start: float, b_end: float) -> float:
    """Intersection over union of two intervals (0 when either is empty)."""
    union = max(a_end, b_end) - min(a_start, b_start)
    inter = min(a_end, b_end) - max(a_start, b_start)
    return max(0.0, inter) / union if union > 0 else 0.0


def _explain(words: list[WordScore], pronunciation: float, contour: _Contour,
             issues: list[ScoreIssue]) -> None:
    failed = [w.word for w in words if w.text_status == "fail"]
    if failed and len(failed) == len(words):
        issues.append(issue("words_unlike_line", "The words don't sound like the line's words."))
    elif failed:
        issues.append(issue("words_unlike_actor", "These words didn't sound like the actor's: "
                             "{words}.", words=", ".join(failed)))
    if contour.correlation is not None and contour.correlation < 0.2:
        issues.append(issue("intonation_flat", "Your intonation doesn't follow the actor's "
                             "melody (it sounds flat).")
                      if contour.mean_error and contour.mean_error > 1.5 else
                      issue("intonation_off", "Your intonation doesn't follow the actor's "
                             "melody."))
    elif contour.mean_error is None and pronunciation > 0:
        issues.append(issue("too_little_voice", "Too little of the take was voiced to compare "
                             "the melody."))


# --- shared helpers ------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _blas_controller():
    try:
        from threadpoolctl import ThreadpoolController  # comes with librosa (via scikit-learn)
    except ImportError:
        return None
    return ThreadpoolController()


def single_threaded_blas():
    """The matrices here are small: BLAS threads only add wake-up stalls, and on a busy 2-core
    machine those stalls (tens of ms) dominated the score's worst-case latency."""
    controller = _blas_controller()
    return contextlib.nullcontext() if controller is None else controller.limit(
        limits=1, user_api="blas")


def _track_pitch(audio: np.ndarray, rate: int) -> PitchTrack:
    """The take's pitch: the same tracker as the live trace, so score and trace agree."""
    from yousync_desktop.analysis.streaming_pitch import track_pitch

    return track_pitch(audio, rate)


def _line_span(script: Script, window_start: float) -> tuple[float, float]:
    starts = [w.start_time for w in script.words if w.start_time is not None]
    ends = [w.end_time for w in script.words if w.end_time is not None]
    first = min(starts + [script.start_time])
    last = max(ends + [script.end_time])
    return first - window_start, last - window_start


def _keep_only(audio: np.ndarray, start: float, end: float) -> np.ndarray:
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


def _feature_scale(features: fx.FrameFeatures) -> np.ndarray:
    """The reference's spread per MFCC (speech frames): dividing by it keeps c1 from outweighing
    the rest in the distance. The take is scaled by the same numbers, so distances compare."""
    coefficients = features.mfcc[1:, features.active] if features.active.sum() > 10 \
        else features.mfcc[1:]
    return np.maximum(coefficients.std(axis=1), 1e-3)


def _dtw_features(features: fx.FrameFeatures, scale: np.ndarray,
                  mfcc: np.ndarray | None = None) -> np.ndarray:
    """Frames × (relative loudness + 12 scaled MFCC). Silent frames carry no spectral shape (their
    MFCC would describe the microphone's noise), only their loudness."""
    mfcc = features.mfcc if mfcc is None else mfcc
    spectral = np.where(features.active[:, None], mfcc[1:].T / scale, 0.0)
    peak = max(float(np.percentile(features.loudness_db, 99)), fx.ABSOLUTE_VOICE_DB + 10)
    level = np.clip((features.loudness_db - peak) / 10.0, -5.0, 0.0)
    return np.column_stack((DTW_LOUDNESS_WEIGHT * level, spectral))


def _on_grid(track: PitchTrack, n_frames: int) -> np.ndarray:
    """Hz on the 10 ms frame grid (NaN unvoiced): the nearest pitch frame within half a hop."""
    out = np.full(n_frames, np.nan)
    grid = np.arange(n_frames) * HOP
    if len(track.times) < 2:
        if len(track.times) == 1:
            out[np.abs(grid - track.times[0]) <= HOP / 2 + 1e-9] = track.hz[0]
        return out
    index = np.clip(np.searchsorted(track.times, grid), 1, len(track.times) - 1)
    nearer_left = (grid - track.times[index - 1]) < (track.times[index] - grid)
    index = np.where(nearer_left, index - 1, index)
    close = np.abs(track.times[index] - grid) <= HOP / 2 + 1e-9
    out[close] = track.hz[index[close]]
    return out


def _semitones(hz: np.ndarray) -> np.ndarray:
    """Semitones from the contour's own median, with octave slips repaired: speech doesn't leap
    an octave for a syllable, pitch trackers do, so a frame far (OCTAVE_SLIP) from the median of
    its half-second neighbourhood is moved by whole octaves towards it."""
    voiced = np.isfinite(hz) & (hz > 0)
    out = np.full(len(hz), np.nan)
    if not voiced.any():
        return out
    out[voiced] = 12.0 * np.log2(hz[voiced] / np.median(hz[voiced]))
    if len(out) >= SLIP_WINDOW:
        padded = np.pad(out, SLIP_WINDOW // 2, constant_values=np.nan)
        windows = np.lib.stride_tricks.sliding_window_view(padded, SLIP_WINDOW)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN windows: unvoiced anyway
            local = np.nanmedian(windows, axis=1)
        slip = voiced & (np.abs(out - local) > OCTAVE_SLIP)
        out[slip] -= 12.0 * np.round((out[slip] - local[slip]) / 12.0)
        out[voiced] -= np.median(out[voiced])
    return out


def _ramp(value: float, zero_at: float, full_at: float) -> float:
    """Linear 0→1 between `zero_at` and `full_at` (either order), clipped."""
    if not math.isfinite(value):
        return 0.0
    return float(np.clip((value - zero_at) / (full_at - zero_at), 0.0, 1.0))


def _round(value: float) -> float:
    return round(float(np.clip(value, 0.0, 1.0)), 4)
