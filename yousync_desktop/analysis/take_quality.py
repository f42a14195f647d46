"""What is wrong with a take as a recording, before it is compared with the actor: unreadable,
empty, an unusable or low sample rate, invalid samples, far too short, clipped, a latency that is
not a number, much more or less speech than the line. Each problem becomes a ScoreIssue (a code,
its numbers and the English sentence; ui/practice/issue_texts.py words it for the learner) and,
where the take is still usable, lowers a 0–1 quality factor that scales every dimension."""

from __future__ import annotations

import math

import numpy as np

from yousync_desktop.analysis import features as fx
from yousync_desktop.domain import ScoreIssue

MIN_RATE, RELIABLE_RATE, MAX_RATE = 4000, 16000, 384000
CLIP_LEVEL = 0.99
DURATION_RATIO_LOW, DURATION_RATIO_HIGH = 0.5, 2.0


def issue(code: str, english: str, **params) -> ScoreIssue:
    """An issue: its code, its numbers (rounded as the sentence shows them) and the English
    sentence. ui/practice/issue_texts.py says the same in Korean from the code and numbers."""
    kept = {k: round(v, 2) if isinstance(v, float) else v for k, v in params.items()}
    return ScoreIssue(code, english.format(**params), kept)


def sanitise(take, take_rate, latency_ms, issues: list[ScoreIssue], *, origin: float, length: int,
             line_end: float):
    """The take as 16 kHz mono on the reference's frame grid (`length` samples from `origin`
    seconds into the take, plus the latency), and a 0–1 quality factor for defects that make
    every dimension less trustworthy; (None, 0) if unusable. `line_end`: where the line ends in
    the take, seconds."""
    try:
        rate = int(take_rate)
        samples = np.asarray(take)
        if np.issubdtype(samples.dtype, np.integer):  # PCM straight from a device or a file
            samples = samples / float(np.iinfo(samples.dtype).max)
        samples = samples.astype(np.float64)
    except (TypeError, ValueError, OverflowError):
        issues.append(issue("unreadable", "The take could not be read as audio."))
        return None, 0.0
    if samples.ndim == 2:
        samples = samples.mean(axis=1 if samples.shape[1] <= 8 else 0)
    if samples.ndim != 1:
        issues.append(issue("unreadable", "The take could not be read as audio (not a mono or "
                             "multichannel array)."))
        return None, 0.0
    if samples.size == 0:
        issues.append(issue("empty", "The take is empty."))
        return None, 0.0
    if not MIN_RATE <= rate <= MAX_RATE:
        issues.append(issue("unusable_rate", "The take's sample rate ({rate} Hz) is not a usable "
                             "audio rate.", rate=take_rate))
        return None, 0.0

    quality = 1.0
    finite = np.isfinite(samples)
    if not finite.all():
        bad = int((~finite).sum())
        issues.append(issue("invalid_samples", "The recording contained {count} invalid samples "
                             "(NaN or infinity); they were treated as silence.", count=int(bad)))
        samples = np.where(finite, samples, 0.0)
        quality *= 1.0 - min(0.5, 10.0 * bad / samples.size)
    if rate < RELIABLE_RATE:
        issues.append(issue("low_rate", "The take was recorded at {rate} Hz; use at least "
                             "{reliable} Hz. Without the high frequencies the score is less "
                             "reliable.", rate=rate, reliable=RELIABLE_RATE))
        quality *= 0.8
    duration = samples.size / rate
    needed = line_end
    if duration < 0.5 * needed:
        issues.append(issue("too_short", "The take is far too short ({seconds:.2f} s) to cover "
                             "the line, which ends {needed:.2f} s into the recording window.",
                             seconds=duration, needed=needed))

    peak = float(np.max(np.abs(samples)))
    if peak >= CLIP_LEVEL:
        loud = np.abs(samples) > 0.05
        clipped = float(np.mean(np.abs(samples[loud]) >= CLIP_LEVEL * peak)) if loud.any() else 0.0
        if clipped > 0.001:
            issues.append(issue("clipped", "The recording is clipped ({percent:.1f} % of the "
                                 "voiced samples hit full scale), which distorts the voice: lower "
                                 "the input level.", percent=100 * clipped))
            quality *= max(0.5, 0.8 - 2.0 * clipped)

    try:
        latency_ms = float(latency_ms)
    except (TypeError, ValueError):
        latency_ms = math.nan
    latency = latency_ms / 1000.0 if math.isfinite(latency_ms) else 0.0
    if not math.isfinite(latency_ms):
        issues.append(issue("latency_not_a_number", "The round-trip latency given is not a "
                             "number; none was subtracted."))
    start = origin + latency                 # where the analysed region begins in the take
    # Resample only the region (and a little around it for the filter), however long the take.
    first = max(0, int(math.floor((start - 0.05) * rate)))
    last = int(math.ceil((start + length / fx.ANALYSIS_RATE + 0.05) * rate))
    audio = fx.at_analysis_rate(samples[first:last].astype(np.float32), rate)
    return region(audio, start - first / rate, length), quality


def duration_quality(take_seconds: float, ref_seconds: float, issues: list[ScoreIssue]) -> float:
    if ref_seconds <= 0:
        return 1.0
    ratio = take_seconds / ref_seconds
    if ratio < DURATION_RATIO_LOW:
        issues.append(issue("less_speech", "The take has much less speech than the actor's "
                             "line ({take:.1f} s against {actor:.1f} s).",
                             take=take_seconds, actor=ref_seconds))
        return max(0.3, ratio / DURATION_RATIO_LOW)
    if ratio > DURATION_RATIO_HIGH:
        issues.append(issue("more_speech", "The take has much more speech than the actor's "
                             "line ({take:.1f} s against {actor:.1f} s).",
                             take=take_seconds, actor=ref_seconds))
        return max(0.3, DURATION_RATIO_HIGH / ratio)
    return 1.0


def region(audio: np.ndarray, start: float, length: int) -> np.ndarray:
    """`length` samples of 16 kHz `audio` from `start` seconds on (negative: silence first),
    padded with silence where the audio doesn't reach."""
    first = int(round(start * fx.ANALYSIS_RATE))
    out = np.zeros(length, dtype=np.float32)
    lo, hi = max(first, 0), min(first + length, len(audio))
    if hi > lo:
        out[lo - first:hi - first] = audio[lo:hi]
    return out
