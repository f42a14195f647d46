"""Measuring the round trip: how many samples after it is played a sound comes back in the capture.

The engine plays a test signal of several logarithmic sine sweeps ("chirps") and records; the
chirps are found in the capture by cross-correlation (FFT). A chirp's autocorrelation is one sharp
peak, so the lag of the correlation peak is the round trip, to a fraction of a sample (parabolic
interpolation around the peak). Each chirp is one repeat; the result is their median, with their
spread and a confidence.

The chirps are spaced irregularly on purpose: with equal spacing, the whole signal correlates
almost as well one spacing early or late as at the true lag, and a noisy acoustic measurement could
lock onto the wrong one; with irregular spacing every wrong lag lines up at most one chirp.

Works with a loopback (a cable from output to input, or a sound server's monitor) and acoustically
(speakers into the microphone; use `mode="acoustic"`: a band the smallest speakers reproduce).
Results are stored per input/output pair in Settings (`store_calibration`); they stay true while the
engine's stream keeps running without glitches (see clock.py). Through PulseAudio a newly
opened stream can start with another block alignment, so the practice screen should prefer a
calibration made in the running session and fall back to the saved one.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

import numpy as np
from scipy.signal import fftconvolve

from yousync_desktop.audio.devices import DeviceChoice, pair_key
from yousync_desktop.audio.engine_interface import AudioEngine
from yousync_desktop.audio.errors import CalibrationError
from yousync_desktop.audio.stream_host import ENGINE_VERSION
from yousync_desktop.audio.take_recorder import AppliedLatency

UNSTABLE_SPREAD_MS = 2.0
LOW_CONFIDENCE = 0.6
_FOUND_CORRELATION = 0.1  # below this a repeat's chirp is considered not heard


@dataclass(frozen=True)
class CalibrationSignal:
    samples: np.ndarray   # the whole test signal, mono
    chirp: np.ndarray     # one sweep
    offsets: tuple[int, ...]  # where each sweep starts in `samples`
    sample_rate: int


def make_calibration_signal(sample_rate: int, repeats: int = 6, *, mode: str = "loopback",
                            level_db: float = -6.0) -> CalibrationSignal:
    # Acoustic: a band small speakers reproduce, and gaps long enough for a room's echoes to die.
    if mode == "acoustic":
        low, high, seconds, gap = 300.0, min(8000.0, 0.45 * sample_rate), 0.4, 0.25
    else:
        low, high, seconds, gap = 100.0, min(16000.0, 0.45 * sample_rate), 0.25, 0.1
    length = int(seconds * sample_rate)
    t = np.arange(length) / sample_rate
    rate_k = np.log(high / low)
    phase = 2 * np.pi * low * seconds / rate_k * (np.exp(t / seconds * rate_k) - 1)
    fade = int(0.005 * sample_rate)
    window = np.ones(length)
    window[:fade] = 0.5 - 0.5 * np.cos(np.pi * np.arange(fade) / fade)
    window[-fade:] = window[:fade][::-1]
    chirp = (np.sin(phase) * window * 10 ** (level_db / 20)).astype(np.float32)
    offsets, at = [], int(0.25 * sample_rate)
    for k in range(repeats):
        offsets.append(at)
        at += length + int((gap + 0.031 * k) * sample_rate)  # irregular gaps: see module doc
    samples = np.zeros(at + int(0.25 * sample_rate), dtype=np.float32)
    for offset in offsets:
        samples[offset:offset + length] = chirp
    return CalibrationSignal(samples, chirp, tuple(offsets), sample_rate)


@dataclass(frozen=True)
class CalibrationResult:
    latency_ms: float          # the round trip to subtract from takes
    latency_samples: float
    spread_ms: float           # max − min of the repeats that found the signal
    std_ms: float
    confidence: float          # 0..1, see `estimate_round_trip`
    repeats_ms: tuple[float, ...]
    correlation: float         # median normalised correlation of the repeats (1 = clean loopback)
    peak_to_sidelobe: float    # main peak over the largest other peak of the whole signal
    sample_rate: int
    mode: str
    warnings: tuple[str, ...] = ()
    measured_at: str = field(default_factory=lambda: datetime.now(timezone.utc)
                             .isoformat(timespec="seconds"))

    @property
    def stable(self) -> bool:
        return not self.warnings

    def to_json(self) -> dict:
        data = asdict(self)
        data["repeats_ms"] = list(self.repeats_ms)
        data["warnings"] = list(self.warnings)
        return data

    @classmethod
    def from_json(cls, data: dict) -> "CalibrationResult":
        data = dict(data)
        data["repeats_ms"] = tuple(data.get("repeats_ms", ()))
        data["warnings"] = tuple(data.get("warnings", ()))
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})

    def applied(self, source: str = "calibrated") -> AppliedLatency:
        return AppliedLatency(int(round(self.latency_samples)), self.latency_ms, source)

    def summary(self) -> str:
        return (f"Round trip {self.latency_ms:.1f} ms (spread {self.spread_ms:.2f} ms over "
                f"{len(self.repeats_ms)} repeats, confidence {self.confidence:.2f})")


def _peak(values: np.ndarray) -> tuple[int, float]:
    """Index of the largest |value| and its sub-sample offset (parabola through three points)."""
    magnitude = np.abs(values)
    i = int(np.argmax(magnitude))
    if 0 < i < magnitude.size - 1:
        a, b, c = magnitude[i - 1], magnitude[i], magnitude[i + 1]
        denominator = a - 2 * b + c
        if denominator < 0:
            return i, float(0.5 * (a - c) / denominator)
    return i, 0.0


def estimate_round_trip(signal: CalibrationSignal, captured: np.ndarray, max_lag: int, *,
                        mode: str = "loopback", dropouts: int = 0) -> CalibrationResult:
    """Find `signal` in `captured`, which holds capture indexes [S − max_lag, S + len + max_lag)
    when the signal was played from output index S. Raises CalibrationError when it is not there.

    confidence = (share of repeats within 0.5 ms of the median) × (repeats that found the chirp
    / repeats) × min(1, median correlation / 0.5): 1.0 for a clean loopback, lower when repeats
    disagree, chirps were missed, or the signal was faint against noise and echoes.
    """
    rate = signal.sample_rate
    played = signal.samples.astype(np.float64)
    captured = np.asarray(captured, dtype=np.float64)
    if captured.size < played.size + 2 * max_lag:
        raise CalibrationError("audio.calibration.too_short")
    coarse = fftconvolve(captured, played[::-1], mode="valid")
    index, _ = _peak(coarse)
    lag0 = index - max_lag
    guard = int(0.002 * rate)
    sidelobes = np.abs(np.concatenate([coarse[:max(index - guard, 0)], coarse[index + guard + 1:]]))
    main = abs(coarse[index])
    peak_to_sidelobe = float(main / sidelobes.max()) if sidelobes.size and sidelobes.max() > 0 \
        else float("inf")

    chirp = signal.chirp.astype(np.float64)
    chirp_norm = np.linalg.norm(chirp)
    search = int(0.010 * rate)
    lags, correlations = [], []
    for offset in signal.offsets:
        begin = max_lag + offset + lag0 - search
        segment = captured[max(begin, 0):begin + chirp.size + 2 * search]
        if begin < 0 or segment.size < chirp.size + 2 * search:
            continue
        fine = fftconvolve(segment, chirp[::-1], mode="valid")
        j, fraction = _peak(fine)
        heard = np.linalg.norm(segment[j:j + chirp.size])
        correlation = float(abs(fine[j]) / (chirp_norm * heard)) if heard > 0 else 0.0
        correlations.append(correlation)
        if correlation >= _FOUND_CORRELATION:
            lags.append(lag0 - search + j + fraction)
    repeats = len(signal.offsets)
    if len(lags) < max(2, (repeats + 1) // 2):
        raise CalibrationError("audio.calibration.not_heard")
    lags_ms = np.array(lags) * 1000 / rate
    median_ms = float(np.median(lags_ms))
    spread_ms = float(lags_ms.max() - lags_ms.min())
    agreement = float(np.mean(np.abs(lags_ms - median_ms) <= 0.5))
    correlation = float(np.median(correlations))
    confidence = agreement * (len(lags) / repeats) * min(1.0, correlation / 0.5)
    warnings = []
    if spread_ms > UNSTABLE_SPREAD_MS:
        warnings.append(f"The measurement is unstable: repeats differ by {spread_ms:.1f} ms "
                        f"(should be under {UNSTABLE_SPREAD_MS:.0f} ms). Close other programs "
                        "that use audio, keep the room quiet, and calibrate again.")
    if confidence < LOW_CONFIDENCE:
        warnings.append(f"Low confidence ({confidence:.2f}): the test signal was faint or "
                        "noisy. Raise the volume or move the microphone closer to the speaker.")
    if dropouts:
        warnings.append(f"{dropouts} audio dropout(s) during calibration may have moved the "
                        "timing; calibrate again.")
    return CalibrationResult(
        latency_ms=median_ms, latency_samples=median_ms * rate / 1000, spread_ms=spread_ms,
        std_ms=float(lags_ms.std()), confidence=round(confidence, 3),
        repeats_ms=tuple(round(float(v), 4) for v in lags_ms), correlation=round(correlation, 4),
        peak_to_sidelobe=round(peak_to_sidelobe, 2), sample_rate=rate, mode=mode,
        warnings=tuple(warnings))


class LatencyCalibrator:
    """Runs the measurement on a running engine (so it holds for that stream's clock).

    `max_lag_s` bounds the round trip it can find. On ALSA the engine's own part is about two
    output buffers (0.24 s; stream_host.automatic_stream_latency), and a Bluetooth headset can
    add 0.3 s and more, so 1.5 s leaves room for slow devices."""

    def __init__(self, engine: AudioEngine, *, repeats: int = 6, mode: str = "loopback",
                 level_db: float | None = None, max_lag_s: float = 1.5):
        self.engine = engine
        self.repeats = repeats
        self.mode = mode
        self.level_db = level_db if level_db is not None else (-6.0 if mode == "loopback"
                                                                else -12.0)
        self.max_lag_s = max_lag_s

    def measure(self, timeout_s: float = 30.0) -> CalibrationResult:
        engine = self.engine
        rate = engine.sample_rate
        signal = make_calibration_signal(rate, self.repeats, mode=self.mode,
                                         level_db=self.level_db)
        max_lag = int(self.max_lag_s * rate)
        breaks_before = engine.stats.alignment_breaks
        scheduled = engine.play(signal.samples)
        first_needed = scheduled.start - max_lag
        last_needed = scheduled.end + max_lag
        deadline = time.monotonic() + timeout_s + signal.samples.size / rate
        if not engine.wait_for_capture(last_needed, max(0.0, deadline - time.monotonic())):
            if engine.error is not None:
                raise engine.error
            raise CalibrationError("audio.calibration.timed_out")
        first, captured = engine.read_capture(first_needed, last_needed)
        if first > first_needed:  # the capture began after the signal did (engine just started)
            captured = np.concatenate([np.zeros(first - first_needed, np.float32), captured])
        dropouts = engine.stats.alignment_breaks - breaks_before
        return estimate_round_trip(signal, captured, max_lag, mode=self.mode, dropouts=dropouts)


# --- storage in Settings -------------------------------------------------------------------------

def store_calibration(settings, choice: DeviceChoice, result: CalibrationResult,
                      stream_latency_ms: int = 0) -> None:
    """Remember the result for this device pair (the caller saves the settings file)."""
    entry = result.to_json()
    entry["stream_latency_ms"] = stream_latency_ms
    entry["engine"] = ENGINE_VERSION
    table = dict(settings.audio_latency_calibrations)
    table[choice.pair_key] = entry
    settings.audio_latency_calibrations = table


def saved_calibration(settings, choice: DeviceChoice) -> CalibrationResult | None:
    entry = settings.audio_latency_calibrations.get(choice.pair_key)
    if not isinstance(entry, dict) or entry.get("engine", ENGINE_VERSION) != ENGINE_VERSION:
        return None  # none, or measured with other stream settings: the round trip differs
    try:
        return CalibrationResult.from_json(entry)
    except (TypeError, ValueError):
        return None  # written by another version; calibrating again is cheap


def saved_latency(settings, choice: DeviceChoice, sample_rate: int) -> AppliedLatency:
    """The latency to apply for this pair: the saved calibration, or none (0 ms)."""
    result = saved_calibration(settings, choice)
    if result is None:
        return AppliedLatency.none()
    return AppliedLatency.from_ms(result.latency_ms, sample_rate, "saved")


__all__ = ["CalibrationResult", "CalibrationSignal", "LatencyCalibrator", "estimate_round_trip",
           "make_calibration_signal", "pair_key", "saved_calibration", "saved_latency",
           "store_calibration"]
