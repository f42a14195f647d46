"""One take being made: count-in, capture with the live trace, then saved and scored.

The phases, as `Recording.state` reports them to the UI (which polls it from its timer):

    count_in → recording → scoring → done          (or cancelled / failed)

The take is written to disk while it is recorded (audio/take_writer.py) into the library's
`incoming/` folder; the moment the capture window is complete it is moved into the library
(`Library.add_take`, on the engine's consumer thread, a few milliseconds), so a take is never
lost after its stop. A crash during a take leaves a valid WAV in `incoming/` whose header names its
scene and line; `recover_incoming_takes` adds it on the next start. Scoring then runs on the
session's worker thread and stores the score.

A disk that refuses the take (full, gone) ends it at once, like a lost device: what reached the
disk is saved and scored like any take and the outcome's error says why it is short
(TakeWriteError); before the line began there is nothing to keep. A take that cannot be added to
the library now stays on disk for the next start, and the outcome says so.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from yousync_desktop.analysis.quick_score import QuickScoreResult
from yousync_desktop.audio.playback_mix import LineMix
from yousync_desktop.audio.take_recorder import TakeResult, TakeSession
from yousync_desktop.audio.take_writer import TakeWriteError
from yousync_desktop.domain import Script, Take
from yousync_desktop.errors import CodedError
from yousync_desktop.library import LibraryError, take_saving
from yousync_desktop.practice.errors import PracticeError
from yousync_desktop.practice.live_feed import LivePitchFeed

log = logging.getLogger(__name__)

ACTIVE_STATES = ("count_in", "recording", "scoring")


@dataclass(frozen=True)
class RecordingOutcome:
    take: Take | None                 # None when cancelled or not saved
    result: QuickScoreResult | None   # None when not scored
    # for the learner (device lost, scoring failed); ui/error_texts.py words it
    error: CodedError | str | None = None


class Recording:
    def __init__(self, session, index: int, script: Script, mix: LineMix, count_in_beats: int,
                 count_in_interval_s: float):
        self._session = session
        self.index = index
        self.script = script
        self.mix = mix
        self.count_in_beats = count_in_beats
        self.count_in_interval_s = count_in_interval_s
        self.take_session: TakeSession | None = None
        self.feed: LivePitchFeed | None = None
        self.outcome: RecordingOutcome | None = None
        self._phase = "capturing"
        self.stopped_at: float | None = None   # time.monotonic() when the take's capture ended
        self._done = threading.Event()

    # --- what the UI polls ---------------------------------------------------------------------

    @property
    def state(self) -> str:
        if self._phase == "capturing":
            return "count_in" if self.seconds_to_line() > 0 else "recording"
        return self._phase

    @property
    def finished(self) -> bool:
        return self._done.is_set()

    @property
    def line_start_output_index(self) -> int:
        return self.take_session.metadata["line_start_output_index"]

    @property
    def window_start(self) -> float:
        return self.take_session.metadata["window_start"]

    @property
    def window_end(self) -> float:
        return self.take_session.metadata["window_end"]

    def seconds_to_line(self) -> float:
        """Seconds until the line's start is heard (negative once it has been)."""
        heard = self._session.playback.heard_index()
        return (self.line_start_output_index - heard) / self.mix.sample_rate

    def beats_left(self) -> int:
        """The count-in number to show (3, 2, 1), 0 when none is due."""
        seconds = self.seconds_to_line()
        if seconds <= 0 or self.count_in_beats <= 0:
            return 0
        beats = math.ceil(seconds / self.count_in_interval_s - 1e-9)
        return beats if beats <= self.count_in_beats else 0

    @property
    def progress(self) -> float:
        return self.take_session.progress if self.take_session else 0.0

    def end_early(self) -> None:
        """The learner is done before the window's end: keep what was recorded and score it
        (during the count-in there is nothing to keep: same as stop())."""
        if self.take_session is None or self.finished:
            return
        if self.state == "count_in":
            self.stop()
            return
        self.take_session.end_early()
        self._session.playback.stop()

    def stop(self) -> None:
        """The learner stopped before the end: the take is discarded."""
        if self.take_session is not None and not self.finished:
            self.take_session.cancel()
        self._session.playback.stop()

    def wait(self, timeout: float | None = None) -> RecordingOutcome | None:
        self._done.wait(timeout)
        return self.outcome

    # --- the pipeline (engine consumer thread, then the session's worker) -----------------------

    def on_take_finished(self, result: TakeResult) -> None:
        try:
            self._save(result)
        finally:  # saved, discarded, or kept for the next start: no longer this take's file
            take_saving.release(Path(result.path))

    def _save(self, result: TakeResult) -> None:
        self.stopped_at = time.monotonic()
        session = self._session
        feed = self.feed
        status = result.metadata.get("status")
        if feed is not None:
            session.engine.remove_listener(feed)
            if status in ("cancelled", "ended_early"):
                feed.finished = True  # the UI thread: leave the tracker to the consumer
            else:
                feed.finish()         # the consumer thread (or the engine has stopped)
        write_error = result.write_error
        if write_error is not None and status != "cancelled":
            session.playback.stop()  # the take ended where the disk did: so does its music
        reached_line = result.metadata.get("frames", 0) > \
            result.metadata.get("pre_roll_s", 0.0) * result.sample_rate
        if status == "cancelled" or not reached_line:
            Path(result.path).unlink(missing_ok=True)
            if write_error is not None and status != "cancelled":
                self._end("failed", RecordingOutcome(None, None, _nothing_kept(write_error)))
            else:
                self._end("cancelled", RecordingOutcome(None, None))
            return
        try:
            take = session.library.add_take(
                session.scene.key, self.script.id, Path(result.path),
                sample_rate=result.sample_rate, duration=result.duration,
                latency_ms=result.latency_ms, metadata=result.metadata)
        except Exception as exc:  # noqa: BLE001 - the file is kept for the next start
            log.exception("saving a take failed")
            self._end("failed", RecordingOutcome(None, None, _not_saved(exc, write_error)))
            return
        # A take the disk cut short is kept and scored; the learner is told why it is short.
        said = write_error or result.error
        self._phase = "scoring"
        try:
            session.submit(lambda: self._score(take, said))
        except RuntimeError:  # the session is closing: the take is safe, the score can wait
            self._end("done", RecordingOutcome(take, None, said))

    def _score(self, take: Take, device_error: CodedError | str | None) -> None:
        try:
            result = self._session.score_and_store(take)
        except Exception as exc:  # noqa: BLE001 - the take is saved; say why there is no score
            log.exception("scoring a take failed")
            self._end("done", RecordingOutcome(take, None, device_error or PracticeError(
                "practice.take_not_scored", reason=exc)))
            return
        self._end("done", RecordingOutcome(take, result, device_error))

    def _end(self, phase: str, outcome: RecordingOutcome) -> None:
        self.outcome = outcome
        self._phase = phase
        self._done.set()
        self._session.on_recording_ended(self)


def _nothing_kept(write_error: TakeWriteError) -> TakeWriteError:
    """The disk refused the take before its line began: there is nothing to keep."""
    if write_error.disk_full:
        return TakeWriteError("take.no_room")
    return TakeWriteError("take.cannot_write", reason=write_error.params.get("reason", ""))


def _not_saved(exc: Exception, write_error: TakeWriteError | None) -> CodedError:
    """Why a recorded take is not among the takes now. Its file is kept (in `incoming/`, or in the
    library with its row not yet complete) and the next start adds it — unless its scene or line
    is gone, which no later start can mend. A database failure is said without its SQL."""
    from yousync_desktop.library.db_errors import database_error

    reason = exc if isinstance(exc, CodedError) else database_error(exc) or exc
    if isinstance(exc, LibraryError) and exc.code in ("library.no_scene", "library.no_line"):
        return PracticeError("practice.take_not_saved", reason=reason)
    if write_error is not None and write_error.disk_full:  # one line for both: the disk is full
        return TakeWriteError("take.disk_full_kept_for_next_start",
                              seconds=write_error.params["seconds"])
    return PracticeError("practice.take_kept_for_next_start", reason=write_error or reason)


def recover_incoming_takes(library, incoming_dir: Path) -> list[Take]:
    """Add takes a crash left in `incoming/` (their WAV header names scene and line); the part of
    start-up repair (library/reconcile.py) that `AppServices.recover_takes` runs on its own."""
    from yousync_desktop.library.reconcile import recover_incoming

    return recover_incoming(library, Path(incoming_dir)).recovered
