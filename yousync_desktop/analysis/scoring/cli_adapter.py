"""The quick score from files, as JSON: what `yousync score` prints."""

from __future__ import annotations

import json
from pathlib import Path

from yousync_desktop.analysis.audio_io import load_mono
from yousync_desktop.analysis.scoring.orchestrate import QuickScoreResult, quick_score
from yousync_desktop.domain import Script

DEFAULT_PRE_ROLL = 0.5         # seconds of window before the line when LINE.json doesn't say


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
    """`Score.to_json()` plus the API's `summary` and `learner_pitch` points."""
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
