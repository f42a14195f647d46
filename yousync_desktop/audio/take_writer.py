"""Writing a take to disk as it is recorded, so a crash or a lost device keeps what was captured.

Takes are WAV, 24-bit PCM mono: lossless for every microphone that delivers 16 or 24 bits, read by
everything (the server, `wave`, browsers). libsndfile rewrites the WAV header on every `flush()`,
so the file on disk is a valid WAV up to the last flush, whatever happens to the process; FLAC was
ruled out because a FLAC killed mid-write has no length in its header and libsndfile refuses it.

The take's metadata known at the start (devices, rate, latency, window) is stored as JSON in the
WAV's comment (LIST/INFO), so even an interrupted take describes itself; `read_take_metadata`
gets it back. The complete metadata (with over/underflow counts) is returned to the caller, which
stores it with the take in the library.

A write that fails (the disk is full, the drive is gone) ends the writer at once: the file is
closed — libsndfile rewrites its header in place, which needs no new space — so it is a valid WAV
of every sample that reached the disk, `frames` says how many that is, and `TakeWriteError` says
what happened ("take.disk_full", "take.write_failed"). Nothing is retried: a take with a hole in
it would be worse than a take that ends where the disk did.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import shutil
import time
from pathlib import Path

import numpy as np
import soundfile

from yousync_desktop import __version__
from yousync_desktop.errors import QT_TRANSLATE_NOOP, CodedError

log = logging.getLogger(__name__)

TAKE_FORMAT = "WAV"
TAKE_SUBTYPE = "PCM_24"
FLUSH_INTERVAL_S = 0.25  # each flush is a header rewrite and an fsync: a few ms of disk time
# Less free space than this after a failed write: the write failed because the disk is full
# (libsndfile reports only "System error"; its own text, when it can be had, names the errno).
DISK_FULL_BELOW_BYTES = 256 * 1024
# What the disk may refuse with (a full disk, a quota, a vanished drive...). AssertionError:
# soundfile asserts that a write wrote everything, which a short write without an error code fails.
WRITE_FAILURES = (OSError, RuntimeError, AssertionError)


class TakeWriteError(CodedError):
    """A take could not be written to disk while it was recorded (see TakeWriter). The take
    ends at once; `seconds` is how much of it is in the file (everything written until then)."""

    messages = {
        "take.disk_full": QT_TRANSLATE_NOOP(
            "errors", "The disk is full: the take was stopped at {seconds:.1f} s and what was "
                      "recorded is kept."),
        "take.write_failed": QT_TRANSLATE_NOOP(
            "errors", "The take could not be written to disk ({reason}): it was stopped at "
                      "{seconds:.1f} s and what was recorded is kept."),
        # Nothing worth keeping: the file could not be made, or the disk filled before the line.
        "take.no_room": QT_TRANSLATE_NOOP(
            "errors", "The disk is full: there is no room to record a take. Free some space and "
                      "try again."),
        "take.cannot_write": QT_TRANSLATE_NOOP(
            "errors", "The take could not be written to disk ({reason}); nothing was recorded."),
        # The disk filled, and the library had no room left for the take's row either.
        "take.disk_full_kept_for_next_start": QT_TRANSLATE_NOOP(
            "errors", "The disk is full: the take was stopped at {seconds:.1f} s. What was "
                      "recorded is kept and will be added to your takes the next time the app "
                      "starts."),
    }

    @property
    def disk_full(self) -> bool:
        return self.code in ("take.disk_full", "take.no_room", "take.disk_full_kept_for_next_start")


class TakeWriter:
    """Writes one take. Raises TakeWriteError from the constructor when the file cannot be made
    ("take.no_room", "take.cannot_write"), and from `write`, `flush` or `close` when the disk
    refuses samples (the writer is then closed; `error` keeps what was raised)."""

    def __init__(self, path: Path, sample_rate: int, metadata: dict | None = None):
        self.path = Path(path)
        self.sample_rate = sample_rate
        self.frames = 0
        self.error: TakeWriteError | None = None
        self._file: soundfile.SoundFile | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = soundfile.SoundFile(str(self.path), "w", samplerate=sample_rate,
                                             channels=1, format=TAKE_FORMAT, subtype=TAKE_SUBTYPE)
            # Strings must be set before the first sample for libsndfile to put them in the header.
            self._file.software = f"YouSync Desktop {__version__}"
            if metadata:
                self._file.comment = json.dumps(metadata, ensure_ascii=False, sort_keys=True)
            self._file.flush()
        except WRITE_FAILURES as exc:
            disk_full, reason = _why_writing_failed(self._file, self.path, exc)
            self._close_quietly()
            with contextlib.suppress(OSError):
                self.path.unlink(missing_ok=True)  # a header without samples: nothing to keep
            error = (TakeWriteError("take.no_room") if disk_full
                     else TakeWriteError("take.cannot_write", reason=reason))
            raise error from exc
        self._pending: list[np.ndarray] = []  # written at the next flush (see write)
        self._last_flush = time.monotonic()

    @property
    def closed(self) -> bool:
        return self._file is None or self._file.closed

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate

    def write(self, samples: np.ndarray) -> None:
        """Queue `samples`; they reach the file at the next flush (at most FLUSH_INTERVAL_S
        later, or at close). Only a flush makes them readable after a crash anyway (it writes
        the header), and one write per flush instead of per block of a few ms saves CPU."""
        if self.error is not None:
            raise self.error
        if not samples.size:
            return
        self._pending.append(np.asarray(samples, dtype=np.float32))
        self.frames += samples.shape[0]
        if time.monotonic() - self._last_flush >= FLUSH_INTERVAL_S:
            self.flush()

    def flush(self) -> None:
        """Put what was queued in the file and rewrite the header: from here on a crash keeps
        it (`write` does this every FLUSH_INTERVAL_S)."""
        if self.error is not None:
            raise self.error
        try:
            self._write_pending()
            self._file.flush()
        except WRITE_FAILURES as exc:
            raise self._failed(exc) from exc
        self._last_flush = time.monotonic()

    def _write_pending(self) -> None:
        if self._pending:
            block = np.concatenate(self._pending)
            self._pending = []
            # Values beyond full scale would wrap around in integer PCM; clip like a converter.
            self._file.write(np.clip(block, -1.0, 1.0, out=block))

    def close(self) -> None:
        """Write what is queued and close the file (a no-op once closed, also after a failure)."""
        if self.closed:
            return
        try:
            self._write_pending()
            self._file.close()
        except WRITE_FAILURES as exc:
            raise self._failed(exc) from exc

    def _failed(self, exc: BaseException) -> TakeWriteError:
        """The disk refused samples: close the file (a valid WAV of what reached the disk), count
        what is in it, and say what happened."""
        log.warning("writing the take %s failed: %s", self.path.name, exc)
        disk_full, reason = _why_writing_failed(self._file, self.path, exc)
        self._pending = []
        written = self._file.frames if self._file is not None else 0
        self._close_quietly()
        self.frames = _frames_on_disk(self.path, fallback=written)
        seconds = self.frames / self.sample_rate
        self.error = (TakeWriteError("take.disk_full", seconds=seconds) if disk_full
                      else TakeWriteError("take.write_failed", reason=reason, seconds=seconds))
        return self.error

    def _close_quietly(self) -> None:
        if self._file is None or self._file.closed:
            return
        try:
            self._file.close()
        except WRITE_FAILURES as exc:  # the header may be a flush behind: still a valid WAV
            log.warning("closing the take %s after a failure: %s", self.path.name, exc)


def _why_writing_failed(sound_file: soundfile.SoundFile | None, path: Path,
                        exc: BaseException) -> tuple[bool, str]:
    """(whether the disk is full, the failure in a few words)."""
    reason = str(exc) or type(exc).__name__
    if sound_file is not None and not sound_file.closed:
        try:  # libsndfile's own words name the system error ("No space left on device")
            reason = soundfile._ffi.string(  # noqa: SLF001 - sf_strerror is libsndfile's API
                soundfile._snd.sf_strerror(sound_file._file)).decode("utf-8", "replace")
        except Exception:  # noqa: BLE001 - a soundfile without these: its own message will do
            pass
    reason = reason.removeprefix("System error : ").rstrip(".")
    if getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT):
        return True, reason
    try:
        free = shutil.disk_usage(path.parent).free
    except OSError:
        free = None
    full = (free is not None and free < DISK_FULL_BELOW_BYTES) or "No space left" in reason
    return full, reason


def _frames_on_disk(path: Path, fallback: int) -> int:
    try:
        return soundfile.info(str(path)).frames
    except (RuntimeError, OSError) as exc:
        log.warning("reading back the take %s: %s", path.name, exc)
        return fallback


def read_take_metadata(path: Path) -> dict:
    """The metadata stored in a take's header ({} for a WAV without it)."""
    with soundfile.SoundFile(str(path)) as audio:
        comment = audio.comment
    try:
        found = json.loads(comment) if comment else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def truncate_take(path: Path, frames: int) -> None:
    """Keep only the first `frames` samples of a closed take (its header metadata too); used to
    drop input that arrived after the device was last known to be good."""
    path = Path(path)
    with soundfile.SoundFile(str(path)) as audio:
        if audio.frames <= frames:
            return
        rate, comment, software = audio.samplerate, audio.comment, audio.software
        samples = audio.read(frames, dtype="float32")
    partial = path.with_name(path.name + ".partial")
    with soundfile.SoundFile(str(partial), "w", samplerate=rate, channels=1, format=TAKE_FORMAT,
                             subtype=TAKE_SUBTYPE) as out:
        out.software = software
        if comment:
            out.comment = comment
        out.write(samples)
    os.replace(partial, path)
