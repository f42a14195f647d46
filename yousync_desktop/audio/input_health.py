"""Is the microphone usable? Levels, clipping, and a noise-floor check before recording.

Levels are in dBFS: 0 dBFS is full scale, a sine at full scale reads 0 dBFS peak and −3 dBFS RMS.
The meter is a capture listener (it runs on the engine's consumer thread) that publishes one small
immutable reading; the UI polls `reading` from its timer, no locks involved.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from yousync_desktop.audio.errors import AudioDeviceError

SILENCE_DBFS = -120.0  # what we report for digital silence instead of −∞
CLIP_LEVEL = 0.999     # samples at or beyond this are treated as clipped
NOISY_ABOVE_DBFS = -50.0
DEAD_BELOW_DBFS = -95.0   # quieter than any real microphone's self-noise: muted or disconnected
VOICE_TOO_QUIET_DBFS = -30.0  # speech should peak above this
VOICE_TOO_LOUD_DBFS = -1.0


def dbfs(value: float) -> float:
    return float(20 * np.log10(value)) if value > 1e-6 else SILENCE_DBFS


def peak_dbfs(samples: np.ndarray) -> float:
    return dbfs(float(np.max(np.abs(samples)))) if samples.size else SILENCE_DBFS


def rms_dbfs(samples: np.ndarray) -> float:
    if not samples.size:
        return SILENCE_DBFS
    return dbfs(float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))))


@dataclass(frozen=True)
class LevelReading:
    peak_dbfs: float        # highest peak since the last reading was taken
    rms_dbfs: float         # over the last `window_s` seconds
    clipping: bool          # a clipped sample in the last `hold_s` seconds (the red light)
    clipped_samples: int    # since the meter started
    capture_index: int      # where this reading ends on the capture clock


class LevelMeter:
    """Peak/RMS meter with a clip indicator. Register with `engine.add_listener(meter)`.

    The RMS window is kept as each block's energy (sum of squares), not as samples: capture comes
    in blocks of a few ms, and shifting and squaring the whole window for each of them touched
    ~170 kB per block, slow on a cold cache (benchmarks.live). The window ends on block edges, so
    it is `window_s` long to within one block."""

    def __init__(self, sample_rate: int, window_s: float = 0.3, hold_s: float = 1.0):
        self.sample_rate = sample_rate
        self._window_size = max(1, int(window_s * sample_rate))
        self._blocks: deque[tuple[int, float]] = deque()  # (samples, sum of squares), oldest first
        self._window_samples = 0
        self._hold = int(hold_s * sample_rate)
        self._last_clip_index = -(1 << 62)
        self._clipped = 0
        self._peak = 0.0
        self.reading = LevelReading(SILENCE_DBFS, SILENCE_DBFS, False, 0, 0)

    def on_capture(self, start_index: int, samples: np.ndarray) -> None:
        n = samples.shape[0]
        if not n:
            return
        tail = samples[-self._window_size:].astype(np.float64)
        self._blocks.append((tail.shape[0], float(np.dot(tail, tail))))
        self._window_samples += tail.shape[0]
        while self._window_samples - self._blocks[0][0] >= self._window_size:
            self._window_samples -= self._blocks.popleft()[0]
        magnitude = np.abs(samples)
        self._peak = max(self._peak, float(magnitude.max()))
        clipped = np.flatnonzero(magnitude >= CLIP_LEVEL)
        if clipped.size:
            self._clipped += int(clipped.size)
            self._last_clip_index = start_index + int(clipped[-1])
        end = start_index + n
        energy = sum(block_energy for _, block_energy in self._blocks)  # no running-sum drift
        self.reading = LevelReading(
            peak_dbfs=dbfs(self._peak),
            rms_dbfs=dbfs(float(np.sqrt(energy / self._window_samples))),
            clipping=end - self._last_clip_index <= self._hold,
            clipped_samples=self._clipped, capture_index=end)

    def take_reading(self) -> LevelReading:
        """The current reading; starts a new peak-hold period (call once per UI refresh)."""
        reading = self.reading
        self._peak = 0.0
        return reading

    def on_stream_end(self, _error) -> None:
        pass


@dataclass(frozen=True)
class InputCheck:
    ok: bool
    level_dbfs: float
    message: str  # one line for the learner; says what was measured and what it should be


def check_noise_floor(samples: np.ndarray, sample_rate: int) -> InputCheck:
    """Judge a few seconds recorded while the learner stays quiet.

    The floor is the 20th percentile of 50 ms RMS frames, so a cough or a door does not count;
    above −50 dBFS the background will muddy the pitch trace and the score, below −95 dBFS there is
    no microphone noise at all, which means the input is muted or not connected."""
    frame = max(1, int(0.05 * sample_rate))
    count = samples.size // frame
    if count == 0:
        return InputCheck(False, SILENCE_DBFS, "Too short: record at least a second of silence.")
    frames = samples[:count * frame].reshape(count, frame).astype(np.float64)
    levels = np.sqrt(np.mean(frames ** 2, axis=1))
    floor = dbfs(float(np.percentile(levels, 20)))
    if floor > NOISY_ABOVE_DBFS:
        return InputCheck(False, floor, f"Too noisy: background is {floor:.0f} dBFS (should be "
                          f"below {NOISY_ABOVE_DBFS:.0f} dBFS). Find a quieter place or turn down "
                          "the input gain.")
    if floor < DEAD_BELOW_DBFS:
        return InputCheck(False, floor, f"Too quiet: background is {floor:.0f} dBFS (a working "
                          f"microphone is above {DEAD_BELOW_DBFS:.0f} dBFS). The microphone may be "
                          "muted or disconnected.")
    return InputCheck(True, floor, f"Background noise is fine: {floor:.0f} dBFS.")


def check_voice_level(samples: np.ndarray) -> InputCheck:
    """Judge a short test phrase: loud enough to analyse, not clipping."""
    peak = peak_dbfs(samples)
    if peak >= VOICE_TOO_LOUD_DBFS or np.any(np.abs(samples) >= CLIP_LEVEL):
        return InputCheck(False, peak, f"Too loud: your voice reaches {peak:.1f} dBFS and clips. "
                          "Turn the input gain down or move back a little.")
    if peak < VOICE_TOO_QUIET_DBFS:
        return InputCheck(False, peak, f"Too quiet: your voice peaks at {peak:.0f} dBFS (should "
                          f"reach at least {VOICE_TOO_QUIET_DBFS:.0f} dBFS). Move closer or raise "
                          "the input gain.")
    return InputCheck(True, peak, f"Voice level is good: peaks at {peak:.0f} dBFS.")


def record_for(engine, seconds: float) -> np.ndarray:
    """Record `seconds` of input from a running engine (for the checks above)."""
    start = engine.capture_end
    stop = start + int(seconds * engine.sample_rate)
    if not engine.wait_for_capture(stop, seconds + 5.0):
        if engine.error is not None:
            raise engine.error
        raise AudioDeviceError("audio.input_stopped")
    _first, samples = engine.read_capture(start, stop)
    return samples


def measure_noise_floor(engine, seconds: float = 2.0) -> InputCheck:
    """Record `seconds` while the learner stays quiet and judge the background."""
    return check_noise_floor(record_for(engine, seconds), engine.sample_rate)
