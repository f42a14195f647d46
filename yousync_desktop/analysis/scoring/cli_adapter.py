"""The quick score from files, as JSON: what `yousync score` prints."""

from __future__ import annotations

import json
import math
from pathlib import Path

from yousync_desktop.analysis.audio_io import load_mono
from yousync_desktop.analysis.scoring.orchestrate import QuickScoreResult, quick_score
from yousync_desktop.domain import DomainError, Script

DEFAULT_PRE_ROLL = 0.5         # seconds of window before the line when LINE.json doesn't say


def read_line(line_json: Path, pre_roll: float | None = None) -> tuple[Script, float]:
    """The line of LINE.json and the absolute time of sample 0 of both audio files: the JSON's
    `"window_start"`, unless `pre_roll` is given, else `pre_roll` (default 0.5 s) before the
    line's start. Raises DomainError for a malformed line or one that ends before it starts,
    ValueError for a file that is not JSON."""
    data = json.loads(Path(line_json).read_text(encoding="utf-8"))
    script = Script.from_api(data, "line")
    if not script.start_time < script.end_time:
        raise DomainError("domain.ends_before_start", where="line", start=script.start_time,
                          end=script.end_time)
    if pre_roll is not None:
        return script, script.start_time - pre_roll
    if data.get("window_start") is not None:  # `NaN` is valid to Python's JSON reader
        window_start = data["window_start"]
        if (isinstance(window_start, bool) or not isinstance(window_start, (int, float))
                or not math.isfinite(window_start)):
            raise DomainError("domain.not_number", where="line.window_start", value=window_start)
        return script, float(window_start)
    return script, script.start_time - DEFAULT_PRE_ROLL


def score_take_files(line_json: Path, reference_wav: Path, take_wav: Path, latency_ms: float = 0.0,
                     pre_roll: float | None = None, window_seconds: float | None = None) -> dict:
    """The quick score of `take_wav` as JSON: `Score.to_json()` (scores, rank, `word_analysis`,
    issues) plus the API's `summary` and the learner's contour as `learner_pitch` points.

    LINE.json is a Script in the API's shape, optionally with `"window_start"` (see `read_line`).
    `window_seconds` reads only that much of both audio files (a take far longer than its line
    costs nothing past it). Unreadable files raise `AudioFileError`, a malformed line
    `DomainError` / `ValueError`; bad audio content does not."""
    script, window_start = read_line(line_json, pre_roll)
    reference, reference_rate = load_mono(Path(reference_wav), duration=window_seconds)
    take, take_rate = load_mono(Path(take_wav), duration=window_seconds)
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
