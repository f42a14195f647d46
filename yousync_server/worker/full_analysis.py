"""The full analysis's result: the recogniser's words (recognition.py, pronunciation.py) joined
with the shared engine's intonation and timing (the desktop's quick score against the actor's vocal
and word times), in the contract's shape (docs/yousync-api.md §4.4) plus additive fields.

Which witness decides what:
- `text_status`, `user_stt`, `gop`, `phones`, `recognised`: the recogniser (pronunciation.py);
- per-word timing (`offset_ms`, `time_match`, `overlap_ratio`): the forced alignment's word times
  against the actor's word times, both absolute (the take's sample 0 is `window_start`); the
  quick score's DTW estimate only where the aligner could not place the word;
- `mfcc_similarity`, `pitch_error_st`, the learner's contour, `intonation`, `timing`: the quick
  score, so the two engines agree where they measure the same thing;
- `pronunciation`: the mean word score from GOP + recognition, times the take's quality factor.
`overall_score` is the mean of the three, as in the quick score."""

from __future__ import annotations

import math

import numpy as np

from yousync_desktop.analysis.scoring.intonation import word_pitch_score
from yousync_desktop.analysis.scoring.timing import TIME_MATCH_MS, overlap, timing_score
from yousync_desktop.domain import Script
from yousync_server.worker.pronunciation import WordPronunciation, judge, phones_json
from yousync_server.worker.recognition import Recognition

MFCC_LOW_QUALITY = 0.5
CONTOUR_STEP_S = 0.02   # the learner's contour is sent at 50 points per second


def script_words(script: Script) -> list[str]:
    """The words the analysis reports on: the script's timed words, or its text split on spaces
    when it has none."""
    return [w.word or "" for w in script.words] if script.words else script.script.split()


def full_result(quick, recognition: Recognition, script: Script, *, window_start: float,
                quick_fields: dict) -> dict:
    """`quick` is the QuickScoreResult of the same take; `quick_fields` its §4.4 JSON."""
    score = quick.score
    quick_words = score.words if len(score.words) == len(recognition.words) else None
    actor = script.words if len(script.words) == len(recognition.words) else None
    verdicts = judge(recognition)
    quality = _quality(score)

    word_analysis = []
    for index, (result, verdict) in enumerate(zip(recognition.words, verdicts)):
        quick_word = quick_words[index] if quick_words else None
        timing = _word_timing(result, actor[index] if actor else None, quick_word, window_start)
        pitch_error = quick_word.pitch_error_semitones if quick_word else None
        similarity = quick_word.mfcc_similarity if quick_word else 0.0
        offset = timing["offset_ms"]
        timing_part = timing_score(abs(offset) / 1000.0) if offset is not None else 0.0
        word_score = quality * (verdict.score + timing_part + word_pitch_score(pitch_error)) / 3
        word_analysis.append({
            "word": result.word, "text_status": verdict.text_status,
            "time_match": timing["time_match"], "overlap_ratio": timing["overlap_ratio"],
            "mfcc_similarity": similarity, "word_score": round(word_score, 4),
            # additive
            "offset_ms": offset, "pitch_error_st": pitch_error,
            "recognised": verdict.heard, "match": result.status,
            "start": timing["start"], "end": timing["end"],
            "gop": verdict.gop, "pronunciation_score": verdict.score,
            "phones": phones_json(result), "g2p": result.pronounced_by_g2p,
            "reason": verdict.reason})

    total = len(word_analysis)
    passed = sum(w["text_status"] == "pass" for w in word_analysis)
    matched = sum(w["time_match"] for w in word_analysis)
    pronunciation = quality * (float(np.mean([v.score for v in verdicts])) if verdicts else 0.0)
    dimensions = [pronunciation, score.intonation, score.timing]
    explanations = _explain(verdicts, recognition) + [i["text"] for i in quick_fields["issues"]]
    return {
        "overall_score": round(float(np.mean(dimensions)), 4),
        "word_analysis": word_analysis,
        "summary": {"text_accuracy": round(passed / total, 4) if total else 0.0,
                    "time_accuracy": round(matched / total, 4) if total else 0.0,
                    "mfcc_average": round(float(np.mean([w["mfcc_similarity"] or 0.0
                                                         for w in word_analysis])), 4)
                    if total else 0.0,
                    "total_words": total, "passed_words": passed, "time_matched_words": matched},
        "failure_analysis": {
            "stt_failures": [w["word"] for w in word_analysis if w["text_status"] != "pass"],
            "time_failures": [w["word"] for w in word_analysis if not w["time_match"]],
            "mfcc_low_quality": [w["word"] for w in word_analysis
                                 if (w["mfcc_similarity"] or 0.0) < MFCC_LOW_QUALITY],
            # additive: what a coach would say, most important first
            "explanations": explanations,
            "inserted_words": [h.word for h in recognition.inserted]},
        "user_stt": {"text": " ".join(h.word for h in recognition.transcript),
                     "word_timestamps": [{"word": h.word, "start": round(window_start + h.start, 3),
                                          "end": round(window_start + h.end, 3),
                                          "confidence": h.confidence}
                                         for h in recognition.transcript]},
        "script_id": script.id,
        "pronunciation": round(pronunciation, 4), "intonation": score.intonation,
        "timing": score.timing,
        "learner_contour": learner_contour(quick.learner_pitch),
        "alignment_complete": recognition.alignment_complete,
        "issues": quick_fields["issues"],
        "engine": "full", "recogniser": recognition.engine,
        "quick_score": quick_fields["overall_score"],
    }


def _quality(score) -> float:
    """The quick score's recording-quality factor (clipping, too little or too much speech),
    recovered from its pronunciation and the words' similarities it multiplied."""
    similarities = [w.mfcc_similarity or 0.0 for w in score.words]
    mean = float(np.mean(similarities)) if similarities else 0.0
    if mean <= 1e-6:
        return 1.0 if score.overall_score > 0 else 0.0
    return float(min(1.0, max(0.0, score.pronunciation / mean)))


def _word_timing(result, actor_word, quick_word, window_start: float) -> dict:
    aligned = result.aligned
    if aligned is not None and actor_word is not None and actor_word.start_time is not None:
        start, end = window_start + aligned.start, window_start + aligned.end
        offset = (start - actor_word.start_time) * 1000.0
        actor_end = actor_word.end_time if actor_word.end_time is not None else start
        return {"offset_ms": round(offset, 1), "time_match": abs(offset) <= TIME_MATCH_MS,
                "overlap_ratio": round(overlap(start, end, actor_word.start_time, actor_end), 4),
                "start": round(start, 3), "end": round(end, 3)}
    if aligned is not None:
        start, end = round(window_start + aligned.start, 3), round(window_start + aligned.end, 3)
    else:
        start = end = None
    if quick_word is not None:
        return {"offset_ms": quick_word.timing_offset_ms, "time_match": bool(quick_word.time_match),
                "overlap_ratio": quick_word.overlap_ratio, "start": start, "end": end}
    return {"offset_ms": None, "time_match": False, "overlap_ratio": 0.0, "start": start,
            "end": end}


def _explain(verdicts: list[WordPronunciation], recognition: Recognition) -> list[str]:
    failed = [v for v in verdicts if v.text_status == "fail"]
    out = []
    if verdicts and len(failed) == len(verdicts):
        out.append("None of the line's words were recognised: check that you read this line.")
    else:
        for v in failed:
            out.append(f'"{v.word}": {v.reason}')
    if recognition.inserted and len(failed) < len(verdicts):
        out.append("Words not in the line were heard: "
                   f"{', '.join(h.word for h in recognition.inserted)}.")
    return out + recognition.notes


def learner_contour(track) -> list[dict]:
    """The learner's pitch contour, absolute times, voiced points only, every CONTOUR_STEP_S."""
    points = []
    last = -math.inf
    for t, hz in zip(np.asarray(track.times), np.asarray(track.hz)):
        if np.isfinite(hz) and t - last >= CONTOUR_STEP_S - 1e-9:
            points.append({"time": round(float(t), 3), "hz": round(float(hz), 1)})
            last = t
    return points
