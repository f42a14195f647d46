"""Recording one line: play its mix, cut the take out of the capture by sample index.

With the line's mix scheduled at output index S, the line's start is played at
``p_line = S + mix.line_start``. A sound the learner makes in time with what they hear is captured
L samples later than the output index it answers (L = the calibrated round trip, see
clock.py), so the take is the capture range

    [p_line − pre_roll + L,  p_line + line_length + post_roll + L)

and take sample `pre_roll` is the line's start. Take sample 0 is at absolute time
``script.start_time − pre_roll`` (`window_start` in the metadata).

The take is written while it is recorded (take_writer.py). When the device is lost mid-take the
take ends there: the file holds everything captured, `TakeResult.complete` is False and
`TakeResult.error` carries the engine's message. When the disk refuses the take (full, gone) it
ends there too, at once: status "write_failed", the file holds every sample that reached the disk
and `TakeResult.write_error` says what happened (a TakeWriteError).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import numpy as np

from yousync_desktop import __version__
from yousync_desktop.audio.engine_interface import AudioEngine
from yousync_desktop.audio.engine_stats import (INPUT_OVERFLOW, INPUT_UNDERFLOW, OUTPUT_OVERFLOW,
                                                OUTPUT_UNDERFLOW, STREAM_REOPENED)
from yousync_desktop.audio.errors import AudioDeviceError
from yousync_desktop.audio.playback_mix import LineMix
from yousync_desktop.audio.stream_host import ENGINE_VERSION
from yousync_desktop.audio.take_writer import (TAKE_FORMAT, TAKE_SUBTYPE, WRITE_FAILURES,
                                               TakeWriteError, TakeWriter, truncate_take)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AppliedLatency:
    """The round trip subtracted from takes, and where the number came from."""

    samples: int
    ms: float
    source: str  # "calibrated" (this session), "saved" (settings, an earlier session), "none"

    @classmethod
    def none(cls) -> "AppliedLatency":
        return cls(0, 0.0, "none")

    @classmethod
    def from_ms(cls, ms: float, sample_rate: int, source: str) -> "AppliedLatency":
        return cls(int(round(ms * sample_rate / 1000)), float(ms), source)


@dataclass(frozen=True)
class TakeResult:
    path: Path
    sample_rate: int
    duration: float
    latency_ms: float
    complete: bool          # False: stopped early (device lost, disk refused, engine stopped, ended,
                            # cancelled)
    error: str | None       # the message to show when the device was lost
    metadata: dict          # for Library.add_take(metadata=...)
    write_error: TakeWriteError | None = None  # the disk refused the take (it ended there)


class TakeSession:
    """A take being recorded. Listens to the engine; finishes by itself at the window's end."""

    def __init__(self, engine: AudioEngine, writer: TakeWriter, capture_start: int,
                 capture_end: int, metadata: dict,
                 on_finished: Callable[[TakeResult], None] | None = None):
        self.engine = engine
        self.capture_start = capture_start
        self.capture_end = capture_end
        self.metadata = metadata
        self._writer = writer
        self._next = capture_start
        self._lost = 0
        self._on_finished = on_finished
        self._done = threading.Event()
        self._lock = threading.RLock()  # the consumer writes, the UI may cancel
        self._result: TakeResult | None = None

    # --- CaptureListener ---------------------------------------------------------------------

    def on_capture(self, start_index: int, samples: np.ndarray) -> None:
        with self._lock:
            try:
                self._take(start_index, samples)
            except TakeWriteError as error:  # the disk is full or gone: the take ends here
                self._finish("write_failed", None, error)

    def _take(self, start_index: int, samples: np.ndarray) -> None:
        if self._done.is_set():
            return
        end_index = start_index + samples.shape[0]
        if end_index <= self._next:
            return
        if start_index > self._next:  # samples lost before they reached us: keep time with silence
            gap = min(start_index, self.capture_end) - self._next
            self._writer.write(np.zeros(gap, dtype=np.float32))
            self._lost += gap
            self._next += gap
        lo = self._next - start_index
        hi = min(end_index, self.capture_end) - start_index
        if hi > lo:
            self._writer.write(samples[lo:hi])
            self._next = start_index + hi
        if self._next >= self.capture_end:
            self._finish("complete", None)

    def on_stream_end(self, error: AudioDeviceError | None) -> None:
        self._finish("interrupted" if error else "stopped", error)

    # --- for the practice screen -------------------------------------------------------------

    @property
    def progress(self) -> float:
        span = self.capture_end - self.capture_start
        return min(1.0, max(0.0, (self._next - self.capture_start) / span)) if span else 1.0

    def absolute_time(self, capture_index: int) -> float:
        """Absolute video time (seconds) that capture sample `capture_index` answers: the live trace
        draws the learner's pitch at this time against the actor's contour."""
        return self.metadata["window_start"] + \
            (capture_index - self.capture_start) / self.metadata["sample_rate"]

    def end_early(self) -> None:
        """Stop recording and keep what was captured (the learner finished before the window's
        end); the result's status is "ended_early"."""
        self._finish("ended_early", None)

    def cancel(self) -> None:
        """Stop recording and delete the file (the learner pressed Stop)."""
        self._finish("cancelled", None)
        self._writer.path.unlink(missing_ok=True)

    def wait(self, timeout: float | None = None) -> TakeResult | None:
        """The result once the take is finished, or None on timeout."""
        self._done.wait(timeout)
        return self._result

    @property
    def result(self) -> TakeResult | None:
        return self._result

    # --- finishing ---------------------------------------------------------------------------

    def _finish(self, status: str, error: AudioDeviceError | None,
                write_error: TakeWriteError | None = None) -> None:
        with self._lock:
            if self._done.is_set():
                return
            self.engine.remove_listener(self)
            try:
                self._writer.close()
            except TakeWriteError as refused:  # the last samples did not fit: the take ends short
                write_error = write_error or refused
            if write_error is not None and status != "cancelled":
                status = "write_failed"
            frames = self._writer.frames
            good_until = self.engine.good_until
            if error is not None and good_until is not None and good_until < self._next:
                # Input after the last moment the device was known good may be stale.
                frames = max(0, good_until - self.capture_start)
                try:
                    truncate_take(self._writer.path, frames)
                except WRITE_FAILURES as exc:  # no room for the shorter copy: keep it all
                    log.warning("could not cut the take after the device loss: %s", exc)
                    frames = self._writer.frames
            counts = {"input_overflow": 0, "input_underflow": 0, "output_underflow": 0,
                      "output_overflow": 0}
            reopened = 0
            for flags, _out_index, cap_index in self.engine.stats.events:
                if self.capture_start <= cap_index <= self.capture_end:
                    counts["input_overflow"] += bool(flags & INPUT_OVERFLOW)
                    counts["input_underflow"] += bool(flags & INPUT_UNDERFLOW)
                    counts["output_underflow"] += bool(flags & OUTPUT_UNDERFLOW)
                    counts["output_overflow"] += bool(flags & OUTPUT_OVERFLOW)
                    reopened += bool(flags & STREAM_REOPENED)
            metadata = dict(self.metadata)
            metadata.update({
                "status": status,
                "frames": frames,
                "duration": frames / self._writer.sample_rate,
                "xruns": counts,
                "xrun_total": sum(counts.values()),
                # Gaps played or input dropped during the take may have moved its alignment.
                "alignment_breaks": (counts["input_overflow"] + counts["output_underflow"]
                                     + reopened),
                "stream_reopened": reopened,
                "lost_samples": self._lost,
            })
            if error is not None:
                metadata["error"] = str(error)
            if write_error is not None:
                metadata["write_error"] = write_error.code
            self._result = TakeResult(
                path=self._writer.path, sample_rate=metadata["sample_rate"],
                duration=metadata["duration"], latency_ms=metadata["latency_ms"],
                complete=status == "complete", error=str(error) if error else None,
                metadata=metadata, write_error=write_error)
            self._done.set()
        if self._on_finished is not None:
            self._on_finished(self._result)


def record_line(engine: AudioEngine, mix: LineMix, path: Path, latency: AppliedLatency, *,
                pre_roll_s: float = 0.5, post_roll_s: float = 0.5,
                extra_metadata: dict | None = None,
                on_finished: Callable[[TakeResult], None] | None = None) -> TakeSession:
    """Play `mix` and record the take for its line into `path` (WAV). Returns at once; the session
    finishes by itself when the window has been captured (`wait()` or `on_finished`). Raises
    TakeWriteError when the file cannot be made (a full disk)."""
    rate = engine.sample_rate
    if mix.sample_rate != rate:
        raise ValueError(f"the mix is at {mix.sample_rate} Hz, the engine runs at {rate} Hz")
    pre_roll = int(round(pre_roll_s * rate))
    post_roll = int(round(post_roll_s * rate))
    scheduled = engine.play(mix.samples)
    line_start_out = scheduled.start + mix.line_start
    line_end_out = scheduled.start + mix.line_end
    capture_start = line_start_out - pre_roll + latency.samples
    capture_end = line_end_out + post_roll + latency.samples
    devices = engine.devices
    metadata = {
        "engine": ENGINE_VERSION,
        "app_version": __version__,
        "format": f"{TAKE_FORMAT} {TAKE_SUBTYPE}",
        "sample_rate": rate,
        "channels": 1,
        "input_device": devices.input.label if devices else None,
        "input_device_key": devices.input.key if devices else None,
        "output_device": devices.output.label if devices else None,
        "output_device_key": devices.output.key if devices else None,
        "latency_ms": latency.ms,
        "latency_samples": latency.samples,
        "latency_source": latency.source,
        "pre_roll_s": pre_roll / rate,
        "post_roll_s": post_roll / rate,
        "script_start": mix.script_start,
        "script_end": mix.script_end,
        "window_start": mix.script_start - pre_roll / rate,
        "window_end": mix.script_end + post_roll / rate,
        "line_start_output_index": line_start_out,
        "capture_start_index": capture_start,
        "engine_epoch": engine.epoch,
        "recorded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        **(extra_metadata or {}),
    }
    try:
        writer = TakeWriter(path, rate, metadata)
    except TakeWriteError:
        engine.stop_playback()  # no take: the learner is not to speak to a count-in for nothing
        raise
    session = TakeSession(engine, writer, capture_start, capture_end, metadata, on_finished)
    engine.add_listener(session, start_index=capture_start)
    return session
