"""Making a take on the practice screen: R starts it (count-in over the background track, then the
line), R again ends it there and scores what was recorded, Esc discards it. The window's tick
polls it (`poll`); once the take is saved and scored, the takes controller shows it.

While a take is made, `recording` is the session's Recording; the live presenter draws it.
"""

from __future__ import annotations

import gc
import time
from typing import Callable

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QWidget

from yousync_desktop.audio.take_writer import TakeWriteError
from yousync_desktop.library import LibraryError
from yousync_desktop.practice import PracticeError, PracticeSession, Recording
from yousync_desktop.practice.screen_state import ScreenState
from yousync_desktop.ui.error_texts import describe_error
from yousync_desktop.ui.practice.live_presenter import LivePresenter
from yousync_desktop.ui.practice.takes_controller import TakesController


class RecordingController(QObject):
    def __init__(self, session: PracticeSession, state: Callable[[], ScreenState],
                 live: LivePresenter, takes: TakesController, notify: Callable[[str], None],
                 audio_failed: Callable[[BaseException], None], changed: Callable[[], None],
                 parent: QWidget):
        super().__init__(parent)
        self._session = session
        self._state = state
        self._live = live
        self._takes = takes
        self._notify = notify
        self._audio_failed = audio_failed
        self._changed = changed    # the screen's state moved: the window updates its actions
        self.recording: Recording | None = None
        self.stop_to_score_s: list[float] = []  # benchmark: take stopped → score on screen

    def record(self) -> None:
        """R: record the current line; R again while recording ends the take there and scores
        what was recorded (Esc discards it instead)."""
        if self.recording is not None:
            self.recording.end_early()
            return
        if not self._state().audio_ready:
            return
        try:
            recording = self._session.record()
        except (PracticeError, TakeWriteError, LibraryError, OSError) as error:
            # e.g. no room for a take, or a library opened read-only
            self._notify(describe_error(error))
            return
        except Exception as error:  # noqa: BLE001 - e.g. the device vanished just now
            self._audio_failed(error)
            return
        self.recording = recording
        # Python's full garbage collection walks every object alive: 120 ms with this window
        # open, holding the GIL, so the audio pump stalled and the output ran dry mid-take
        # (benchmarks.live). What is alive now stays alive for the take: leave it out of them.
        gc.freeze()
        self._live.begin_take(recording)
        self._takes.show_recording()
        self._changed()

    def discard(self) -> bool:
        """Esc while a take is made: it is discarded. False when there was none."""
        if self.recording is None:
            return False
        self.recording.stop()
        return True

    def poll(self, *, audio_running: bool) -> None:
        """On each tick: the take's progress (while the audio runs), and its end. A take cut
        short by a lost device ends with the audio failed; it is still kept and shown."""
        recording = self.recording
        if recording is None:
            return
        if audio_running:
            self._live.show_take_progress(recording)
        if recording.finished:
            self._finished(recording)

    def _finished(self, recording: Recording) -> None:
        self.recording = None
        self._live.end_take()
        outcome = recording.outcome
        if outcome is None or outcome.take is None:
            message = (describe_error(outcome.error) if outcome and outcome.error
                       else QCoreApplication.translate("PracticeWindow", "Take discarded."))
            self._takes.show_message(message)
            self._notify(message)
            self._changed()
            return
        self._takes.show_new_take(outcome.take)
        if outcome.result is not None and recording.stopped_at is not None:
            self.stop_to_score_s.append(time.monotonic() - recording.stopped_at)
        if outcome.error:
            self._notify(describe_error(outcome.error))
        elif outcome.take.metadata.get("alignment_breaks"):
            self._notify(QCoreApplication.translate(
                "PracticeWindow", "An audio glitch during this take may have moved its timing; "
                "calibrate the latency again."))
        self._changed()
