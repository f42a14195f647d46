"""The practice window: one scene, recorded line by line against the actor, scored on the spot.

The window owns the widgets and the parts that drive them, each in its own module:

- `AudioController` (audio_controller.py): opening the audio in the background, the banner when
  there is none, the latency, the calibration wizard;
- `Transport` (transport.py): the scene, the line, the loop, the actor's line;
- `RecordingController` (recording_controller.py): making a take, R / R again / Esc;
- `LivePresenter` (live_presenter.py): the live trace while recording, the level, the position
  the video, the karaoke line and the plot's playhead follow;
- `TakesController` (takes_controller.py): the line's takes, the selected one's score and
  contour, playing it (alone, A/B, fixed), star and delete;
- `DubController` (dub_controller.py): the learner's dub, heard or exported;
- `build_layout` (layout.py) places the widgets; `PracticeActions` (actions.py) has every action
  with its key and menu, enabled from the screen's `ScreenState` (practice/screen_state.py).

A 15 ms tick observes the `PracticeSession`: the engine's clock, the take's progress and end, the
level; the live trace has its own timer (live_presenter.py). The line and takes lists follow the
library's change events (through `events`, the app's EventBridge), not the code that changed it.
Slow work runs on the task manager.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton, QWidget

from yousync_desktop.domain import Take
from yousync_desktop.practice import PracticeOptions, PracticeSession, Recording
from yousync_desktop.practice.screen_state import READY, ScreenState
from yousync_desktop.settings import SettingsStore
from yousync_desktop.tasks import TaskManager
from yousync_desktop.ui.events import EventBridge
from yousync_desktop.ui.practice.actions import PracticeActions
from yousync_desktop.ui.practice.audio_controller import AudioController
from yousync_desktop.ui.practice.background import BusyWork
from yousync_desktop.ui.practice.dub_controller import DubController
from yousync_desktop.ui.practice.karaoke_line import KaraokeLine
from yousync_desktop.ui.practice.layout import build_layout
from yousync_desktop.ui.practice.level_meter import LevelMeter
from yousync_desktop.ui.practice.line_list import LineList
from yousync_desktop.ui.practice.live_presenter import LivePresenter
from yousync_desktop.ui.practice.pitch_plot import PitchPlot
from yousync_desktop.ui.practice.recording_controller import RecordingController
from yousync_desktop.ui.practice.score_panel import ScorePanel
from yousync_desktop.ui.practice.takes_controller import (TAKE_EVENTS, TakeEvent,
                                                            TakesController)
from yousync_desktop.ui.practice.takes_list import TakesList
from yousync_desktop.ui.practice.transport import Transport
from yousync_desktop.ui.practice.video_view import VideoView

TICK_MS = 15
STATUS_TIMEOUT_MS = 8000
PLOT_MARGIN_S = 0.3


class PracticeWindow(QMainWindow):
    # A lost device, told by the session on the engine's thread; delivered queued, at once.
    audio_lost = Signal(object)

    def __init__(self, session: PracticeSession, settings: SettingsStore | None,
                 tasks: TaskManager, events: EventBridge,
                 open_preferences: Callable[[], None] | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setObjectName("practiceWindow")
        self.session = session
        self.settings = settings
        self.tasks = tasks
        self.events = events
        self._open_preferences = open_preferences
        token = session.token
        # Owns this window's subscriptions to change events: deleted when the window closes, so
        # a notice still on its way then (the session saves a take as it closes) finds nobody.
        self._listening = QObject(self)

        self.banner = QLabel(self)
        self.banner.setObjectName("practiceBanner")
        self.banner.setWordWrap(True)
        self.retry_button = QPushButton(self)
        self.video = VideoView(session.scene.media.video, self)
        self.lines = LineList(token, self)
        self.karaoke = KaraokeLine(self)
        self.plot = PitchPlot(token, self)
        if settings is not None:
            self.plot.set_units(settings.current.practice_pitch_units)
        self.meter = LevelMeter(self)
        self.score = ScorePanel(self)
        self.takes = TakesList(self)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("practiceState")
        self.clip_warning = QLabel(self)
        self.clip_warning.setObjectName("clipWarning")
        self.clip_warning.hide()
        self.latency_label = QLabel(self)
        self.latency_label.setObjectName("latencyLabel")

        self.audio = AudioController(session, tasks, self.banner, self.retry_button,
                                     self.latency_label, self)
        self.busy_work = BusyWork(tasks, self, self.show_status)
        self.transport = Transport(session, self.state, self)
        self.live = LivePresenter(session, self.plot, self.karaoke, self.meter, self.clip_warning,
                                  self.state_label, self.video, self)
        self.takes_controller = TakesController(session, self.state, tasks, self.busy_work,
                                                self.takes, self.score, self.karaoke, self.plot,
                                                self.show_status, self)
        self.recorder = RecordingController(session, self.state, self.live,
                                            self.takes_controller, self.show_status,
                                            self.audio.failed, self._update_actions, self)
        self.dub = DubController(session, self.state, self.busy_work, self.show_status, self)
        self.actions = PracticeActions(self)
        self.takes_heading = build_layout(self)
        self.actions.build_menus(self.menuBar())

        self.lines.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.select_line(current.row()))
        self.audio.state_changed.connect(self._audio_state_changed)
        # The line list and the takes follow the library's notices about this scene's takes.
        events.on(TAKE_EVENTS, self._library_changed, owner=self._listening)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self.audio_lost.connect(self._audio_lost, Qt.ConnectionType.QueuedConnection)
        session.on_audio_error(self._emit_audio_lost)

        self.retranslate_ui()
        self.resize(1280, 860)
        self.refresh_lines()
        self.select_line(session.current_index, force=True)
        self._update_actions()

    # --- what tests, tools and the benchmark read ----------------------------------------------

    @property
    def audio_state(self) -> str:
        """"starting", "ready" or "failed" (practice/screen_state.py)."""
        return self.audio.state

    @property
    def recording(self) -> Recording | None:
        return self.recorder.recording

    @property
    def calibration_dialog(self):
        return self.audio.calibration_dialog

    @property
    def stop_to_score_s(self) -> list[float]:
        return self.recorder.stop_to_score_s

    @property
    def tick_intervals(self) -> list[float]:
        return self.live.tick_intervals

    def state(self) -> ScreenState:
        session, playback = self.session, self.session.playback
        return ScreenState(
            audio=self.audio.state, line=session.current_index, line_count=len(session.scripts),
            recording=self.recorder.recording is not None,
            playing=playback is not None and playback.is_playing(),
            looping=bool(playback and playback.current and playback.current.loop),
            has_take=self.takes_controller.selected_take() is not None)

    def is_busy(self) -> bool:
        return self.busy_work.is_busy()

    def show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, STATUS_TIMEOUT_MS)

    # --- the tick ------------------------------------------------------------------------------

    def _emit_audio_lost(self, error: Exception) -> None:
        if shiboken6.isValid(self):  # the window may be gone while the engine stops
            self.audio_lost.emit(error)

    def _audio_lost(self, error: Exception) -> None:
        if self.audio.state == READY:
            self.audio.failed(error)

    def _tick(self) -> None:
        session = self.session
        playback = session.playback
        running = playback is not None and self.audio.state == READY
        if running:
            playback.tick()
        # Also when the audio failed: a take cut short by a lost device is still kept and shown.
        self.recorder.poll(audio_running=running)
        if running:
            self.live.show_playback(playback)
            self._update_actions()

    def _audio_state_changed(self, state: str) -> None:
        if state == READY:
            self._timer.start()  # and it keeps running: a failed audio may leave a take to show
        self._update_actions()

    def _update_actions(self) -> None:
        self.actions.update(self.state())

    # --- lines ---------------------------------------------------------------------------------

    def refresh_lines(self) -> None:
        self.lines.line_model.set_lines(self.session.lines())
        self.lines.select_line(self.session.current_index)

    def _library_changed(self, event: TakeEvent) -> None:
        if event.token_key == self.session.scene.key:
            self.refresh_lines()  # the lines' states and best scores
            self.takes_controller.library_changed(event)

    def select_line(self, index: int, *, force: bool = False) -> None:
        session = self.session
        if index < 0 or (index == session.current_index and not force):
            return
        if not self.state().can_change_line:
            self.lines.select_line(session.current_index)  # not while a take is being made
            return
        self.transport.line_changed()
        script = session.select_line(index)
        self.lines.select_line(index)
        self.karaoke.set_line(script)
        options = session.options
        self.plot.show_line(script, (script.start_time - options.pre_roll_s - PLOT_MARGIN_S,
                                     script.end_time + options.post_roll_s + PLOT_MARGIN_S))
        self.video.show_still(session.token.clip_offset(script.start_time))
        self.takes_controller.show_line()
        self._update_actions()

    def previous_line(self) -> None:
        self.select_line(max(self.session.current_index - 1, 0))

    def next_line(self) -> None:
        self.select_line(min(self.session.current_index + 1, len(self.session.scripts) - 1))

    # --- the actions (actions.py calls these by key and menu) ----------------------------------

    def start_audio(self) -> None:
        self.audio.start()

    def toggle_play(self) -> None:
        self.transport.toggle_play()

    def play_line(self) -> None:
        self.transport.play_line()

    def play_actor_line(self) -> None:
        self.transport.play_actor_line()

    def toggle_loop(self) -> None:
        self.transport.toggle_loop()

    def record(self) -> None:
        self.recorder.record()

    def stop(self) -> None:
        """Esc: stop whatever plays; a take being recorded is discarded."""
        if not self.recorder.discard():
            self.transport.stop()

    def selected_take(self) -> Take | None:
        return self.takes_controller.selected_take()

    def play_take(self) -> None:
        self.takes_controller.play("take")

    def play_ab(self) -> None:
        self.takes_controller.play("ab")

    def play_fixed(self) -> None:
        self.takes_controller.play("fixed")

    def toggle_star(self) -> None:
        self.takes_controller.toggle_star()

    def delete_take(self) -> None:
        self.takes_controller.delete_take()

    def delete_take_now(self, take: Take) -> None:
        self.takes_controller.delete_take_now(take)

    def listen_to_dub(self) -> None:
        self.dub.listen()

    def choose_and_export_dub(self) -> None:
        self.dub.choose_file_and_export()

    def export_dub(self, path: Path) -> None:
        self.dub.export(path)

    def calibrate(self) -> None:
        """The calibration wizard, measuring on this window's running stream."""
        if self.state().idle:
            self.audio.calibrate(self)

    def open_preferences(self) -> None:
        if self._open_preferences is not None:
            self._open_preferences()

    def apply_settings(self, *, devices_changed: bool = False) -> None:
        """Settings changed: units, count-in and rolls from the next take; other devices now."""
        if self.settings is None:
            return
        self.plot.set_units(self.settings.current.practice_pitch_units)
        self.session.options = PracticeOptions.from_settings(self.settings.current)
        if devices_changed and self.state().can_reopen_audio:
            self.audio.switch_devices()

    # --- Qt ------------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Practise: {title}").format(
            title=self.session.token.token_name))
        self.retry_button.setText(self.tr("Try again"))
        self.takes_heading.setText(self.tr("Takes of this line"))
        self.clip_warning.setText(self.tr("Clipping! Lower the input level"))
        self.video.setAccessibleName(self.tr("Scene video"))
        self.lines.setAccessibleName(self.tr("Lines of the scene"))
        self.takes.setAccessibleName(self.tr("Takes of this line"))
        self.lines.line_model.retranslate()
        self.takes.takes_model.retranslate()
        self.actions.retranslate()
        self.audio.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if shiboken6.isValid(self._listening):
            shiboken6.delete(self._listening)
        self._timer.stop()
        self.video.release()
        self.session.close()  # keeps a take that reached its line, waits for its score
        super().closeEvent(event)
