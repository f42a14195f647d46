"""One take against a prepared reference line: the take's analysis, the alignment, the three
dimensions and the words, put together into a `Score`.

Each dimension is 0–1, then multiplied by the recording's quality factor (take_quality.py);
`overall_score` is their mean, the sync rate, so `Score.rank` and the headline number agree.
Per word (`WordScore`): `mfcc_similarity` is the pronunciation pattern score; `word_score` the mean
of that, the word's timing and its intonation; `text_status` is "pass" when the similarity
reaches PASS_SIMILARITY (an acoustic estimate that the word was said, not speech recognition);
`overlap_ratio` is the intersection over union of the word's interval on the take and on the
reference; `timing_offset_ms` is the take's word start minus the actor's (positive = late)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from yousync_desktop.analysis import features as fx
from yousync_desktop.analysis.alignment import Alignment, banded_dtw
from yousync_desktop.analysis.pitch_track import PitchTrack
from yousync_desktop.analysis.scoring.alignment_features import choose_warp, dtw_features
from yousync_desktop.analysis.scoring.blas import single_threaded_blas
from yousync_desktop.analysis.scoring.frames import HOP, on_grid, reported, track_pitch
from yousync_desktop.analysis.scoring.intonation import (Contour, intonation, semitones,
                                                         word_pitch_score)
from yousync_desktop.analysis.scoring.pronunciation import PASS_SIMILARITY, word_similarities
from yousync_desktop.analysis.scoring.reference import (SHARED_REFERENCES, ReferenceCache,
                                                        ReferenceLine, reference_problem)
from yousync_desktop.analysis.scoring.timing import (TIME_MATCH_MS, overlap, timing,
                                                     timing_score)
from yousync_desktop.analysis.take_quality import duration_quality, issue, sanitise
from yousync_desktop.domain import Score, ScoreIssue, Script, Word, WordScore

MIN_SPEECH_SECONDS = 0.15      # less voice than this in the take: nothing to score
VOICING_REACH_FRAMES = 31      # voice activity this close to a voiced frame counts as speech


@dataclass(frozen=True, eq=False)
class QuickScoreResult:
    score: Score                # source="quick"
    learner_pitch: PitchTrack   # the take's contour, absolute times, latency removed
    alignment: Alignment | None  # None when there was nothing to align (no voice)


def quick_score(take: np.ndarray, take_rate: int, reference: np.ndarray, reference_rate: int,
                script: Script, *, window_start: float, latency_ms: float = 0.0,
                reference_pitch: PitchTrack | None = None,
                references: ReferenceCache | None = None) -> QuickScoreResult:
    """Score `take` against `reference` for `script`. Both arrays start at absolute time
    `window_start`; `latency_ms` is the measured round-trip latency to remove from the take.
    The prepared reference comes from `references` (default: the shared cache).
    Never raises on bad audio content: degenerate takes get low scores and `issues`."""
    problem = reference_problem(reference, reference_rate, window_start)
    if problem:
        return failed(script.words, [problem])
    cache = SHARED_REFERENCES if references is None else references
    with single_threaded_blas():
        line = cache.line(reference, reference_rate, script, window_start=window_start,
                          reference_pitch=reference_pitch)
        return _score_take(take, take_rate, line, latency_ms)


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
        return failed(line.words, issues)

    if line.speech_seconds <= 0:
        issues.append(issue("no_reference", "The actor's reference has no voice for this line, "
                             "so the take can't be compared with it."))
        return failed(line.words, issues)

    features = fx.frame_features(audio, fx.ANALYSIS_RATE)
    pitch = track_pitch(audio, fx.ANALYSIS_RATE)
    learner_pitch = PitchTrack(pitch.times + line.window_start + line.origin, pitch.hz,
                               pitch.confidence)
    hz = on_grid(pitch, features.n_frames)
    speech = _speech_frames(features, hz)
    speech_seconds = float(speech.sum() * HOP)

    if speech_seconds < MIN_SPEECH_SECONDS:
        loud = np.percentile(features.loudness_db, 90) > fx.ABSOLUTE_VOICE_DB + 10
        issues.append(issue("noise_only", "Only noise was recorded: no voice was found in the "
                             "take.") if loud else
                      issue("silent", "No voice was recorded: the take is silent. Check the "
                             "microphone."))
        return failed(line.words, issues, learner_pitch)

    quality *= duration_quality(speech_seconds, line.speech_seconds, issues)

    take_features = dtw_features(features, line.feature_scale,
                                 choose_warp(features, line.feature_scale, line.dtw_features))
    alignment = banded_dtw(take_features, line.dtw_features, hop=HOP, origin=line.origin)
    alignment = alignment.with_words(line.words, line.window_start)

    similarities = word_similarities(alignment, take_features, line)
    contour = intonation(alignment, semitones(hz), line.semitones)
    timing_value, offsets = timing(alignment, issues)
    pronunciation = float(np.mean(similarities)) if similarities else 0.0

    words = []
    for index, aligned in enumerate(alignment.words):
        similarity = similarities[index] if similarities else 0.0
        offset = offsets[index]
        pitch_error = contour.word_errors[index]
        timing_part = timing_score(abs(offset) / 1000.0)
        word_score = quality * (similarity + timing_part + word_pitch_score(pitch_error)) / 3.0
        words.append(WordScore(
            word=aligned.word, word_score=reported(word_score),
            text_status="pass" if similarity >= PASS_SIMILARITY else "fail",
            time_match=abs(offset) <= TIME_MATCH_MS,
            overlap_ratio=reported(overlap(aligned.take_start, aligned.take_end,
                                           aligned.ref_start, aligned.ref_end)),
            mfcc_similarity=reported(similarity), timing_offset_ms=round(offset, 1),
            pitch_error_semitones=None if pitch_error is None else round(pitch_error, 2)))

    _explain(words, pronunciation, contour, issues)
    dimensions = [quality * pronunciation, quality * contour.score, quality * timing_value]
    score = Score(overall_score=reported(float(np.mean(dimensions))),
                  pronunciation=reported(dimensions[0]), intonation=reported(dimensions[1]),
                  timing=reported(dimensions[2]), words=words, issues=[i.text for i in issues],
                  issue_details=issues, source="quick")
    return QuickScoreResult(score=score, learner_pitch=learner_pitch, alignment=alignment)


def _speech_frames(features: fx.FrameFeatures, hz: np.ndarray) -> np.ndarray:
    """Voice-active frames that belong to a stretch with some voicing: a voice, not a noise."""
    voiced = np.isfinite(hz) & features.active
    near_voicing = ndimage.binary_dilation(voiced, structure=np.ones(VOICING_REACH_FRAMES, bool))
    return features.active & near_voicing


def _explain(words: list[WordScore], pronunciation: float, contour: Contour,
             issues: list[ScoreIssue]) -> None:
    """Issues that name what the words and the melody got wrong."""
    failed_words = [w.word for w in words if w.text_status == "fail"]
    if failed_words and len(failed_words) == len(words):
        issues.append(issue("words_unlike_line", "The words don't sound like the line's words."))
    elif failed_words:
        issues.append(issue("words_unlike_actor", "These words didn't sound like the actor's: "
                             "{words}.", words=", ".join(failed_words)))
    if contour.correlation is not None and contour.correlation < 0.2:
        issues.append(issue("intonation_flat", "Your intonation doesn't follow the actor's "
                             "melody (it sounds flat).")
                      if contour.mean_error and contour.mean_error > 1.5 else
                      issue("intonation_off", "Your intonation doesn't follow the actor's "
                             "melody."))
    elif contour.mean_error is None and pronunciation > 0:
        issues.append(issue("too_little_voice", "Too little of the take was voiced to compare "
                             "the melody."))


def failed(words: list[Word], issues: list[ScoreIssue],
           learner_pitch: PitchTrack | None = None) -> QuickScoreResult:
    """A zero score for a take (or reference) that can't be compared; `issues` say why."""
    words = [WordScore(word=w.word, word_score=0.0, text_status="fail", time_match=False,
                       overlap_ratio=0.0, mfcc_similarity=0.0) for w in words]
    empty = np.zeros(0)
    score = Score(overall_score=0.0, pronunciation=0.0, intonation=0.0, timing=0.0, words=words,
                  issues=[i.text for i in issues], issue_details=issues, source="quick")
    return QuickScoreResult(score=score,
                            learner_pitch=learner_pitch or PitchTrack(empty, empty, empty),
                            alignment=None)
