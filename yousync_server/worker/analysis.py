"""`analyze(take, script, token_media) -> result`: the one boundary between the job machinery and
the analysis, in the contract's result shape (docs/yousync-api.md §4.4).

The full analysis (`engine: "full"`): speech recognition and forced alignment of the script on the
take (recognition.py), pronunciation per word and phone (pronunciation.py), joined with the
desktop's quick score of the same take against the token's vocal track and word times for
intonation and timing (full_analysis.py). When the recogniser is not installed, or the take has no
voice to recognise, the result is the quick score alone (`engine: "quick_score"`), honest about
it: `text_status` is then an acoustic estimate and `user_stt` is empty.

The timeline: a take's sample 0 is absolute time `window_start`. The contract asks clients for
takes trimmed to the line, so it defaults to `script.start_time`; a client that records a pre-roll
(the desktop records 0.5 s) passes its own `window_start`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from yousync_desktop.analysis.audio_io import load_mono
from yousync_desktop.domain import PitchPoint, Script, Token
from yousync_server.uploads.formats import NotAudio, load_mono_any
from yousync_server.worker import recognition
from yousync_server.worker.full_analysis import full_result, script_words

MFCC_LOW_QUALITY = 0.5   # below this similarity a word is listed in `mfcc_low_quality`
REFERENCE_TAIL_S = 1.0   # reference audio kept after the line's end (a late take still aligns)
ENGINE = "quick_score"
RECOGNITION_TAIL_S = 2.0  # recognised past the line's end (a late take), beyond that: ignored


class InvalidTake(ValueError):
    """The take is not readable audio (the job fails with reason `invalid_audio`)."""


class MissingReference(LookupError):
    """The token has no vocal track to compare with (reason `analysis_unavailable`)."""


@dataclass
class TokenMedia:
    """What the analysis needs of a token: its timeline, the actor's vocal (a local file whose
    sample 0 is `token.start_time`) and, optionally, the stored pitch contour."""

    token: Token
    vocal_path: Path | None
    pitch: list[PitchPoint] | None = field(default=None)


def analyze(take_path: Path, script: Script, token_media: TokenMedia, *,
            window_start: float | None = None, latency_ms: float = 0.0) -> dict:
    """The §4.4 analysis of the take at `take_path` for `script`. `latency_ms` is the client's
    calibrated round-trip latency (the learner's voice is that late in the take); every time and
    offset in the result is after removing it."""
    try:
        take, rate = load_mono_any(Path(take_path))
    except (NotAudio, OSError) as exc:
        raise InvalidTake(str(exc)) from None
    return analyze_samples(take, rate, script, token_media,
                           window_start=script.start_time if window_start is None
                           else window_start, latency_ms=latency_ms)


def load_engine() -> None:
    """Import the score engine now (a worker about to take jobs): its first job then does not
    wait ~2 s for librosa, and a web process with an embedded worker loads it before it freezes
    its start-up objects out of the garbage collector (app.py)."""
    from yousync_desktop.analysis import pitch_track, quick_score  # noqa: F401


def analyze_samples(take: np.ndarray, rate: int, script: Script, token_media: TokenMedia, *,
                    window_start: float, latency_ms: float = 0.0) -> dict:
    # Imported at the first analysis, not with the server: the score engine brings librosa and
    # scipy (~100 MB), which a web process without a worker never needs (benchmarks.server).
    from yousync_desktop.analysis.pitch_track import PitchTrack
    from yousync_desktop.analysis.quick_score import quick_score

    if take.size == 0 or not np.all(np.isfinite(take)):
        raise InvalidTake("the take has no usable samples")
    reference, reference_rate = _reference(token_media, window_start,
                                           max(len(take) / rate,
                                               script.end_time + REFERENCE_TAIL_S - window_start))
    pitch = (PitchTrack.from_points(token_media.pitch) if token_media.pitch else None)
    outcome = quick_score(take, rate, reference, reference_rate, script,
                          window_start=window_start, reference_pitch=pitch,
                          latency_ms=max(0.0, latency_ms))
    quick = result_json(outcome.score)
    if outcome.alignment is None:   # no voice (silence, noise only): nothing to recognise
        return quick
    try:
        recogniser = recognition.shared()
    except recognition.RecogniserUnavailable as exc:
        quick["engine_note"] = str(exc)
        return quick
    words = script_words(script)
    take = take[min(len(take) - 1, int(round(max(0.0, latency_ms) / 1000 * rate))):]
    # A take far longer than the line (left running) is recognised over the line and a tail.
    keep = script.end_time - window_start + max(RECOGNITION_TAIL_S, script.duration)
    heard = recogniser.recognise(take[: max(1, int(keep * rate))], rate, words)
    if len(take) > keep * rate:
        heard.notes.append(f"The take runs {len(take) / rate:.1f} s, much longer than the line; "
                           f"only its first {keep:.1f} s were checked for the words.")
    return full_result(outcome, heard, script, window_start=window_start, quick_fields=quick)


def _reference(media: TokenMedia, window_start: float, seconds: float) -> tuple[np.ndarray, int]:
    """The actor's vocal over [window_start, window_start + seconds], zero-padded outside the
    clip (a window may start before the clip when a line opens it)."""
    if media.vocal_path is None or not Path(media.vocal_path).is_file():
        raise MissingReference(f"token {media.token.id} has no vocal track")
    offset = media.token.clip_offset(window_start)
    skip = max(0.0, offset)
    audio, rate = load_mono(Path(media.vocal_path), start=skip, duration=seconds - (skip - offset))
    lead = int(round((skip - offset) * rate))
    total = int(round(seconds * rate))
    out = np.zeros(total, dtype=np.float32)
    out[lead:lead + len(audio)] = audio[: max(0, total - lead)]
    return out, rate


def result_json(score) -> dict:
    """A quick-score `Score` in the contract's shape (§4.4), plus the additive fields."""
    words = score.words
    total = len(words)
    word_analysis = [{"word": w.word, "text_status": w.text_status,
                      "time_match": bool(w.time_match), "overlap_ratio": w.overlap_ratio,
                      "mfcc_similarity": w.mfcc_similarity, "word_score": w.word_score} for w in words]
    passed = sum(w.text_status == "pass" for w in words)
    matched = sum(bool(w.time_match) for w in words)
    mfcc_mean = sum(w.mfcc_similarity or 0.0 for w in words) / total if total else 0.0
    return {
        "overall_score": score.overall_score,
        "word_analysis": word_analysis,
        "summary": {"text_accuracy": round(passed / total, 4) if total else 0.0,
                    "time_accuracy": round(matched / total, 4) if total else 0.0,
                    "mfcc_average": round(mfcc_mean, 4),
                    "total_words": total, "passed_words": passed, "time_matched_words": matched},
        "failure_analysis": {
            "stt_failures": [w.word for w in words if w.text_status != "pass"],
            "time_failures": [w.word for w in words if not w.time_match],
            "mfcc_low_quality": [w.word for w in words
                                 if (w.mfcc_similarity or 0.0) < MFCC_LOW_QUALITY]},
        # No recogniser has run: an honest empty transcript (§4.4 allows every field to be empty).
        "user_stt": {"text": "", "word_timestamps": []},
        "pronunciation": score.pronunciation, "intonation": score.intonation,
        "timing": score.timing,
        "issues": [{"code": i.code, "text": i.text} for i in score.issue_details],
        "engine": ENGINE,
    }
