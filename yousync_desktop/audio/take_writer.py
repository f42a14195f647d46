"""Writing a take to disk as it is recorded, so a crash or a lost device keeps what was captured.

Takes are WAV, 24-bit PCM mono: lossless for every microphone that delivers 16 or 24 bits, read by
everything (the server, `wave`, browsers). libsndfile rewrites the WAV header on every `flush()`,
so the file on disk is a valid WAV up to the last flush, whatever happens to the process; FLAC was
ruled out because a FLAC killed mid-write has no length in its header and libsndfile refuses it.

The take's metadata known at the start (devices, rate, latency, window) is stored as JSON in the
WAV's comment (LIST/INFO), so even an interrupted take describes itself; `read_take_metadata`
gets it back. The complete metadata (with over/underflow counts) is returned to the caller, which
stores it with the take in the library.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np
import soundfile

from yousync_desktop import __version__

TAKE_FORMAT = "WAV"
TAKE_SUBTYPE = "PCM_24"
FLUSH_INTERVAL_S = 0.25  # each flush is a header rewrite and an fsync: a few ms of disk time


class TakeWriter:
    def __init__(self, path: Path, sample_rate: int, metadata: dict | None = None):
        self.path = Path(path)
        self.sample_rate = sample_rate
        self.frames = 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = soundfile.SoundFile(str(self.path), "w", samplerate=sample_rate, channels=1,
                                         format=TAKE_FORMAT, subtype=TAKE_SUBTYPE)
        # Strings must be set before the first sample for libsndfile to put them in the header.
        self._file.software = f"YouSync Desktop {__version__}"
        if metadata:
            self._file.comment = json.dumps(metadata, ensure_ascii=False, sort_keys=True)
        self._pending: list[np.ndarray] = []  # written at the next flush (see write)
        self._last_flush = time.monotonic()
        self._file.flush()

    @property
    def closed(self) -> bool:
        return self._file.closed

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate

    def write(self, samples: np.ndarray) -> None:
        """Queue `samples`; they reach the file at the next flush (at most FLUSH_INTERVAL_S
        later, or at close). Only a flush makes them readable after a crash anyway (it writes
        the header), and one write per flush instead of per block of a few ms saves CPU."""
        if not samples.size:
            return
        self._pending.append(np.asarray(samples, dtype=np.float32))
        self.frames += samples.shape[0]
        if time.monotonic() - self._last_flush >= FLUSH_INTERVAL_S:
            self.flush()

    def flush(self) -> None:
        """Put what was queued in the file and rewrite the header: from here on a crash keeps
        it (`write` does this every FLUSH_INTERVAL_S)."""
        self._write_pending()
        self._file.flush()
        self._last_flush = time.monotonic()

    def _write_pending(self) -> None:
        if self._pending:
            block = np.concatenate(self._pending)
            self._pending = []
            # Values beyond full scale would wrap around in integer PCM; clip like a converter.
            self._file.write(np.clip(block, -1.0, 1.0, out=block))

    def close(self) -> None:
        if not self._file.closed:
            self._write_pending()
            self._file.close()


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
