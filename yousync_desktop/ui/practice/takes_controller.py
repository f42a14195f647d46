"""The takes of the current line and the one selected: its score (panel and coloured words), its
contour on the actor's timing, and what the learner does with it — play it alone, A/B with the
actor, hear it fixed, keep it (star), delete it.

The list follows the library: it is reloaded when the library says a take of this line was added,
changed, removed or scored (the change events the window hears through its EventBridge), never
by the code that changed it. A take just recorded is selected as soon as it is listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from yousync_desktop.domain import Score, Take
from yousync_desktop.events import ScoreStored, TakeAdded, TakeChanged, TakeRemoved
from yousync_desktop.practice import PracticeSession
from yousync_desktop.practice.compare import aligned_times
from yousync_desktop.practice.playback import ScenePlayback
from yousync_desktop.practice.screen_state import ScreenState
from yousync_desktop.practice.session import ANALYSIS_LANE
from yousync_desktop.tasks import TaskManager
from yousync_desktop.ui.error_texts import describe_error
from yousync_desktop.ui.practice.background import BusyWork
from yousync_desktop.ui.practice.karaoke_line import KaraokeLine
from yousync_desktop.ui.practice.pitch_plot import PitchPlot
from yousync_desktop.ui.practice.score_panel import ScorePanel
from yousync_desktop.ui.practice.takes_list import TakesList

TAKE_EVENTS = (TakeAdded, TakeChanged, TakeRemoved, ScoreStored)
TakeEvent = TakeAdded | TakeChanged | TakeRemoved | ScoreStored


@dataclass(frozen=True)
class TakeSound:
    """One way of hearing a take: what is prepared off the GUI thread (on `lane`), then how it
    is played, placed on the clip at the take's window start."""
    prepare: Callable[[PracticeSession, Take], object]
    lane: str | None
    play: Callable[[ScenePlayback, object, float, int], object]


TAKE_SOUNDS = {
    "take": TakeSound(PracticeSession.take_at_engine_rate, None,
                      lambda playback, audio, start, script_id:
                      playback.play_voice("take", audio, start, script_id=script_id)),
    "ab": TakeSound(PracticeSession.ab_buffers, None,
                    lambda playback, buffers, start, script_id:
                    playback.play_ab(*buffers, start, script_id=script_id)),
    # The time warp needs the take's alignment: analysis work, on the analysis lane.
    "fixed": TakeSound(PracticeSession.fixed_take, ANALYSIS_LANE,
                       lambda playback, audio, start, script_id:
                       playback.play_voice("fixed", audio, start, script_id=script_id)),
}


class TakesController(QObject):
    def __init__(self, session: PracticeSession, state: Callable[[], ScreenState],
                 tasks: TaskManager, busy_work: BusyWork, takes: TakesList, score: ScorePanel,
                 karaoke: KaraokeLine, plot: PitchPlot, notify: Callable[[str], None],
                 parent: QWidget):
        super().__init__(parent)
        self._session = session
        self._state = state
        self._tasks = tasks
        self._busy_work = busy_work
        self._list = takes
        self._score = score
        self._karaoke = karaoke
        self._plot = plot
        self._notify = notify
        self._window = parent
        self._shown_id: int | None = None       # the take whose score and contour are shown
        self._shown_score: Score | None = None
        self._select_when_listed: int | None = None  # a take just recorded, not listed yet
        takes.selectionModel().currentRowChanged.connect(lambda *_: self.show_selected())

    def selected_take(self) -> Take | None:
        return self._list.selected_take()

    # --- what is listed and shown --------------------------------------------------------------

    def show_line(self) -> None:
        """Another line is current: its takes, the newest selected."""
        self._shown_id = None
        self._select_when_listed = None
        self._list.show_takes(self._session.takes())
        self.show_selected()

    def library_changed(self, event: TakeEvent) -> None:
        """The library added, changed (starred), removed or scored a take of this scene."""
        if event.script_id != self._session.current_script.id:
            return
        # The selection stays on its take (the newest when that one is gone), or moves to the
        # take just recorded once the library lists it.
        takes = self._session.takes()
        pending = self._select_when_listed
        if pending is not None and any(take.id == pending for take in takes):
            self._select_when_listed = None
        else:
            pending = None
        self._list.show_takes(takes, select_id=pending)
        self.show_selected()  # also when the list is now empty (no selection change then)

    def show_selected(self) -> None:
        if self._state().recording:
            return  # the panel says "Recording…"; the take made is shown when it is scored
        take = self.selected_take()
        if take is None:
            self._shown_id = None
            self._show_score(None)
        elif take.id != self._shown_id:
            self._show(take)
        elif take.score is not None and take.score != self._shown_score:
            self._show_score(take.score)  # scored since it was shown

    def show_new_take(self, take: Take) -> None:
        """A take just recorded, saved and (unless that failed) scored: shown at once, selected
        in the list as soon as the library lists it (the notice may still be on its way)."""
        if self._list.select_take(take.id):
            self._select_when_listed = None
            self.show_selected()  # it may have been the selected row already
        else:
            self._select_when_listed = take.id
            self._show(take)

    def _show(self, take: Take) -> None:
        self._shown_id = take.id
        cached = self._session.cached_analysis(take.id)
        score = take.score if take.score is not None else getattr(cached, "score", None)
        self._show_score(score, "" if score else QCoreApplication.translate("PracticeWindow",
                                                                            "Scoring…"))
        if cached is not None:
            self._show_analysis(take, cached)
            return
        # An unscored take (recovered after a crash, or its scoring failed) is scored and the
        # score stored now.
        unscored = take.score is None
        work = self._session.score_and_store if unscored else self._session.analyse
        self._tasks.run(lambda _task: work(take),
                        on_success=lambda result: self._show_analysis(take, result,
                                                                      newly_scored=unscored),
                        on_failure=lambda error: self._notify(describe_error(error)),
                        owner=self, lane=ANALYSIS_LANE, label="analyse take")

    def _show_score(self, score: Score | None, message: str = "") -> None:
        self._shown_score = score
        self._score.show_score(score, message)
        self._karaoke.set_score(score)

    def _show_analysis(self, take: Take, result, *, newly_scored: bool = False) -> None:
        if take.id != self._shown_id or self._state().recording:
            return
        script = self._session.script_for(take)
        self._plot.show_take(result.learner_pitch, aligned_times(result, take.window_start(script)))
        if newly_scored:
            self._show_score(result.score)

    def show_recording(self) -> None:
        self._show_score(None, QCoreApplication.translate(
            "PracticeWindow", "Recording… speak the line when it lights up."))

    def show_message(self, message: str) -> None:
        """A take that was not kept: why, where its score would be."""
        self._score.show_score(None, message)

    # --- what the learner does with the selected take ------------------------------------------

    def play(self, kind: str) -> None:
        """T, B, F: the selected take alone ("take"), after the actor's line ("ab"), or moved
        onto the actor's timing ("fixed")."""
        sound = TAKE_SOUNDS[kind]
        take, playback = self.selected_take(), self._session.playback
        if take is None or playback is None or not self._state().can_play_take:
            return
        script = self._session.script_for(take)
        start = take.window_start(script)
        self._busy_work.run(lambda: sound.prepare(self._session, take),
                       lambda prepared: sound.play(playback, prepared, start, script.id),
                       lane=sound.lane, label=f"play {kind}")

    def toggle_star(self) -> None:
        take = self.selected_take()
        if take is not None and self._state().can_change_take:
            self._session.set_starred(take.id, not take.starred)

    def delete_take(self) -> None:
        take = self.selected_take()
        if take is None or not self._state().can_change_take:
            return
        answer = QMessageBox.question(
            self._window, QCoreApplication.translate("PracticeWindow", "Delete take"),
            QCoreApplication.translate("PracticeWindow",
                                       "Delete this take? This cannot be undone."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_take_now(take)

    def delete_take_now(self, take: Take) -> None:
        self._session.delete_take(take.id)
