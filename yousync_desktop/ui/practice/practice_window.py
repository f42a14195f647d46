"""The practice window: one scene, recorded line by line against the actor, scored on the spot.

The window observes a `PracticeSession` (yousync_desktop/practice): a 15 ms timer polls it — the
live pitch points and waveform of the take being recorded, the input level, the position being
heard (which the video, the karaoke line and the plot's playhead follow) and the take's progress
through count-in, recording and scoring. Slow work (starting the audio, analysing a take, the
dub) runs as a background task; analysis on the session's analysis lane. Every action is in a
menu with its key (actions.py).
"""

from __future__ import annotations

import gc
import time
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QEvent, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFileDialog, QFrame, QHBoxLayout, QLabel, QMainWindow, QMessageBox, QPushButton,
    QSplitter, QToolBar, QVBoxLayout, QWidget,
)

from yousync_desktop.analysis.audio_io import resample
from yousync_desktop.domain import Take
from yousync_desktop.practice import PracticeError, PracticeSession, Recording
from yousync_desktop.practice.session import ANALYSIS_LANE
from yousync_desktop.practice.compare import aligned_times
from yousync_desktop.practice.dub import export_dub, export_formats, render_dub
from yousync_desktop.settings import SettingsStore
from yousync_desktop.tasks import TaskManager
from yousync_desktop.ui.error_texts import describe_error
from yousync_desktop.ui.events import EventBridge
from yousync_desktop.ui.practice.actions import PracticeActions
from yousync_desktop.ui.practice.karaoke_line import KaraokeLine
from yousync_desktop.ui.practice.level_meter import LevelMeter
from yousync_desktop.ui.practice.line_list import LineList
from yousync_desktop.ui.practice.pitch_plot import PitchPlot
from yousync_desktop.ui.practice.score_panel import ScorePanel
from yousync_desktop.ui.practice.takes_list import TakesList
from yousync_desktop.ui.practice.video_view import VideoView

TICK_MS = 15
# At most one redraw of the live trace per this many ms. The feed says when a pitch frame is new
# (every 10 ms) and the live layer draws only what changed, so a redraw costs little; this only
# bunches points that come in a burst (after a stall) into one redraw, on a single-shot timer.
LIVE_DRAW_MIN_MS = 4
STATUS_TIMEOUT_MS = 8000
PLOT_MARGIN_S = 0.3


class PracticeWindow(QMainWindow):
    # Emitted on the audio consumer thread when live points are queued; delivered queued, so the
    # trace is drawn as soon as a block is analysed rather than on the next timer tick.
    live_points_ready = Signal()

    def __init__(self, session: PracticeSession, settings: SettingsStore | None,
                 tasks: TaskManager, events: EventBridge | None = None,
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
        self.recording: Recording | None = None
        self.audio_state = "starting"      # "starting", "ready", "failed"
        self.stop_to_score_s: list[float] = []  # benchmark: take stopped → score on screen
        self.tick_intervals: list[float] = []   # benchmark: GUI timer intervals while recording
        self._last_tick: float | None = None
        self._last_live_draw = 0.0
        self._live_draw = QTimer(self)  # a redraw deferred by LIVE_DRAW_MIN_MS
        self._live_draw.setSingleShot(True)
        self._live_draw.setTimerType(Qt.TimerType.PreciseTimer)
        self._live_draw.timeout.connect(self._draw_live_points)
        self._resume_clip: float | None = None
        self._shown_take_id: int | None = None
        self._busy = 0
        token = session.token

        self.banner = QLabel(self)
        self.banner.setObjectName("practiceBanner")
        self.banner.setWordWrap(True)
        self.retry_button = QPushButton(self)
        self.retry_button.clicked.connect(self.start_audio)
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
        self.actions = PracticeActions(self)
        self._build_layout()
        self.actions.build_menus(self.menuBar())

        self.lines.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.select_line(current.row()))
        self.takes.selectionModel().currentRowChanged.connect(
            lambda *_: self._show_selected_take())
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self.live_points_ready.connect(self._draw_live_points, Qt.ConnectionType.QueuedConnection)

        self.retranslate_ui()
        self.resize(1280, 860)
        self.refresh_lines()
        self.select_line(session.current_index, force=True)
        self._update_actions()

    # --- layout --------------------------------------------------------------------------------

    def _build_layout(self) -> None:
        banner = QHBoxLayout()
        banner.addWidget(self.banner, 1)
        banner.addWidget(self.retry_button)

        top = QSplitter(Qt.Orientation.Horizontal, self)
        top.addWidget(self.video)
        top.addWidget(self.lines)
        top.setSizes([500, 760])
        top.setChildrenCollapsible(False)

        transport = QToolBar(self)
        transport.setObjectName("transportBar")
        transport.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in self.actions.transport():
            if action is None:
                transport.addSeparator()
            else:
                transport.addAction(action)
        for button in transport.findChildren(QWidget):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space must stay "play/pause"
        status = QHBoxLayout()
        status.addWidget(transport)
        status.addStretch(1)
        status.addWidget(self.clip_warning)
        status.addWidget(self.state_label)
        status.addWidget(self.latency_label)

        plot_row = QHBoxLayout()
        plot_row.addWidget(self.plot, 1)
        plot_row.addWidget(self.meter)

        takes_buttons = QToolBar(self)
        takes_buttons.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in self.actions.take_actions():
            takes_buttons.addAction(action)
        takes_box = QVBoxLayout()
        self.takes_heading = QLabel(self)
        self.takes_heading.setObjectName("sectionHeading")
        takes_box.addWidget(self.takes_heading)
        takes_box.addWidget(self.takes, 1)
        takes_box.addWidget(takes_buttons)
        score_frame = QFrame(self)
        score_frame.setObjectName("scoreFrame")
        score_layout = QVBoxLayout(score_frame)
        score_layout.setContentsMargins(0, 0, 0, 0)
        score_layout.addWidget(self.score)
        score_frame.setFixedWidth(420)
        bottom = QHBoxLayout()
        bottom.addWidget(score_frame)
        bottom.addLayout(takes_box, 1)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(6)
        layout.addLayout(banner)
        top.setMaximumHeight(300)
        layout.addWidget(top, 4)
        layout.addWidget(self.karaoke)
        layout.addLayout(status)
        layout.addLayout(plot_row, 6)
        layout.addLayout(bottom, 3)
        self.setCentralWidget(central)

    # --- audio ---------------------------------------------------------------------------------

    def start_audio(self) -> None:
        """Decode the scene's tracks and open the devices, off the GUI thread."""
        self._open_audio(self.session.start_audio, self.tr("Starting the audio…"))

    def _open_audio(self, work: Callable[[], object], banner: str) -> None:
        self.audio_state = "starting"
        self._show_banner(banner, retry=False)
        self._update_actions()
        self.tasks.run(lambda _task: work(), on_success=lambda _result: self._audio_started(),
                       on_failure=self._audio_failed, owner=self, label="start audio")

    def _audio_started(self) -> None:
        self.audio_state = "ready"
        self._show_banner("", retry=False)
        self._show_latency()
        self._timer.start()
        self._update_actions()

    def _audio_failed(self, error: BaseException | str) -> None:
        # A take in progress is finished by the engine with what was captured; the timer keeps
        # running so that take still shows up (with its score) once it is saved.
        self.audio_state = "failed"
        self._show_banner(self.tr("No audio: {reason}").format(reason=_message(error)),
                          retry=True)
        self._update_actions()

    def _show_banner(self, text: str, *, retry: bool) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        self.retry_button.setVisible(retry)

    def _show_latency(self) -> None:
        latency = self.session.latency
        if latency.source == "none":
            self.latency_label.setText(self.tr("Latency not calibrated"))
        else:
            self.latency_label.setText(self.tr("Latency {ms:.0f} ms").format(ms=latency.ms))

    # --- the timer -----------------------------------------------------------------------------

    def _tick(self) -> None:
        session = self.session
        if session.audio_error and self.audio_state == "ready":
            self._audio_failed(session.audio_error)
            return
        playback = session.playback
        if playback is None or self.audio_state != "ready":
            recording = self.recording
            if recording is not None and recording.finished:
                self._recording_finished(recording)
            return
        playback.tick()
        recording = self.recording
        if recording is not None:
            now = time.monotonic()
            if self._last_tick is not None:
                self.tick_intervals.append(now - self._last_tick)
            self._last_tick = now
            self._draw_live_points()
            self.karaoke.set_count_in(recording.beats_left())
            if recording.finished:
                self._recording_finished(recording)
            else:
                self._show_recording_state(recording)
        if session.meter is not None:
            reading = session.meter.take_reading()
            self.meter.show_reading(reading.rms_dbfs, reading.peak_dbfs, reading.clipping)
            self.clip_warning.setVisible(reading.clipping)
        clip = playback.clip_position()
        self.video.follow(clip)
        absolute = None if clip is None else clip + session.token.start_time
        self.karaoke.set_time(absolute)
        self.plot.set_playhead(absolute)
        self._update_actions()

    def _draw_live_points(self) -> None:
        recording = self.recording
        if recording is None or recording.feed is None:
            return
        wait_ms = (self._last_live_draw - time.monotonic()) * 1000 + LIVE_DRAW_MIN_MS
        if wait_ms > 0:
            if not self._live_draw.isActive():
                self._live_draw.start(max(1, round(wait_ms)))
            return
        points, peaks = recording.feed.drain()
        if points or peaks:
            self._last_live_draw = time.monotonic()
            self.plot.add_live(points, peaks)

    def _show_recording_state(self, recording: Recording) -> None:
        state = recording.state
        if state == "count_in":
            self.state_label.setText(self.tr("Get ready…"))
        elif state == "recording":
            self.state_label.setText(self.tr("● Recording {percent}%").format(
                percent=round(recording.progress * 100)))
        elif state == "scoring":
            self.state_label.setText(self.tr("Scoring…"))

    # --- lines ---------------------------------------------------------------------------------

    def refresh_lines(self) -> None:
        self.lines.line_model.set_lines(self.session.lines())
        self.lines.select_line(self.session.current_index)

    def select_line(self, index: int, *, force: bool = False) -> None:
        session = self.session
        if index < 0 or (index == session.current_index and not force):
            return
        if self.recording is not None:
            self.lines.select_line(session.current_index)  # not while a take is being made
            return
        if session.playback is not None and session.playback.current is not None \
                and session.playback.current.kind != "scene":
            session.playback.stop()
        script = session.select_line(index)
        self.lines.select_line(index)
        self.karaoke.set_line(script)
        options = session.options
        self.plot.show_line(script, (script.start_time - options.pre_roll_s - PLOT_MARGIN_S,
                                     script.end_time + options.post_roll_s + PLOT_MARGIN_S))
        self.video.show_still(session.token.clip_offset(script.start_time))
        self._resume_clip = None
        self._shown_take_id = None
        self.takes.show_takes(session.takes())
        self._show_selected_take()
        self._update_actions()

    def previous_line(self) -> None:
        self.select_line(max(self.session.current_index - 1, 0))

    def next_line(self) -> None:
        self.select_line(min(self.session.current_index + 1, len(self.session.scripts) - 1))

    # --- transport -----------------------------------------------------------------------------

    def _playback(self):
        if self.audio_state != "ready" or self.session.playback is None:
            return None
        return self.session.playback

    def toggle_play(self) -> None:
        """Space: play the scene from where it was paused (or a second before the line), or
        pause it."""
        playback = self._playback()
        if playback is None or self.recording is not None:
            return
        if playback.is_playing():
            self._resume_clip = playback.clip_position() if playback.current.kind == "scene" \
                else None
            playback.stop()
            return
        script = self.session.current_script
        start = self._resume_clip if self._resume_clip is not None else max(
            0.0, self.session.token.clip_offset(script.start_time) - 1.0)
        playback.play_scene(start)

    def play_line(self) -> None:
        self._play_line(actor=False, loop=False)

    def play_actor_line(self) -> None:
        self._play_line(actor=True, loop=False)

    def toggle_loop(self) -> None:
        playback = self._playback()
        if playback is None or self.recording is not None:
            return
        if playback.current is not None and playback.current.loop:
            playback.stop()
        else:
            self._play_line(actor=False, loop=True)

    def _play_line(self, *, actor: bool, loop: bool) -> None:
        playback = self._playback()
        if playback is None or self.recording is not None:
            return
        playback.play_line(self.session.current_script, actor=actor, loop=loop)

    def stop(self) -> None:
        """Esc: stop whatever plays; a take being recorded is discarded."""
        if self.recording is not None:
            self.recording.stop()
            return
        playback = self._playback()
        if playback is not None:
            playback.stop()

    def record(self) -> None:
        """R: record the current line; R again while recording ends the take there and scores
        what was recorded (Esc discards it instead)."""
        if self.recording is not None:
            self.recording.end_early()
            return
        if self._playback() is None:
            return
        try:
            self.recording = self.session.record()
        except (PracticeError, OSError) as error:
            self.statusBar().showMessage(_message(error), STATUS_TIMEOUT_MS)
            return
        except Exception as error:  # noqa: BLE001 - e.g. the device vanished just now
            self._audio_failed(error)
            return
        self._last_tick = None
        # Python's full garbage collection walks every object alive: 120 ms with this window
        # open, holding the GIL, so the audio pump stalled and the output ran dry mid-take
        # (benchmarks.live). What is alive now stays alive for the take: leave it out of them.
        gc.freeze()
        self.plot.clear_take()
        self.plot.begin_live()
        if self.recording.feed is not None:
            self.recording.feed.on_points = self.live_points_ready.emit
        self.karaoke.set_score(None)
        self.score.show_score(None, self.tr("Recording… speak the line when it lights up."))
        self._update_actions()

    def _recording_finished(self, recording: Recording) -> None:
        self.recording = None
        self.plot.end_live()
        self.karaoke.set_count_in(0)
        self.state_label.setText("")
        outcome = recording.outcome
        if outcome is None or outcome.take is None:
            message = (_message(outcome.error) if outcome and outcome.error
                       else self.tr("Take discarded."))
            self.score.show_score(None, message)
            self.statusBar().showMessage(message, STATUS_TIMEOUT_MS)
            self._update_actions()
            return
        self.refresh_lines()
        self.takes.show_takes(self.session.takes(), select_id=outcome.take.id)
        self._show_selected_take()
        if outcome.result is not None and recording.stopped_at is not None:
            self.stop_to_score_s.append(time.monotonic() - recording.stopped_at)
        if outcome.error:
            self.statusBar().showMessage(_message(outcome.error), STATUS_TIMEOUT_MS)
        elif outcome.take.metadata.get("alignment_breaks"):
            self.statusBar().showMessage(self.tr(
                "An audio glitch during this take may have moved its timing; calibrate the "
                "latency again."), STATUS_TIMEOUT_MS)
        self._update_actions()

    # --- takes ---------------------------------------------------------------------------------

    def selected_take(self) -> Take | None:
        return self.takes.selected_take()

    def _show_selected_take(self) -> None:
        take = self.selected_take()
        if take is None:
            self._shown_take_id = None
            self.score.show_score(None)
            self.karaoke.set_score(None)
            return
        if take.id == self._shown_take_id:
            return
        self._shown_take_id = take.id
        self.score.show_score(take.score, "" if take.score else self.tr("Scoring…"))
        self.karaoke.set_score(take.score)
        cached = self.session.cached_analysis(take.id)
        if cached is not None:
            self._show_analysis(take, cached)
            return
        # An unscored take (recovered after a crash) gets its score stored now.
        unscored = take.score is None
        work = self.session.score_and_store if unscored else self.session.analyse
        self.tasks.run(lambda _task: work(take),
                       on_success=lambda result: self._show_analysis(take, result,
                                                                     newly_scored=unscored),
                       on_failure=lambda error: self.statusBar().showMessage(
                           _message(error), STATUS_TIMEOUT_MS),
                       owner=self, lane=ANALYSIS_LANE, label="analyse take")

    def _show_analysis(self, take: Take, result, *, newly_scored: bool = False) -> None:
        if take.id != self._shown_take_id or self.recording is not None:
            return
        script = self.session.script_for(take)
        window_start = take.window_start(script)
        self.plot.show_take(result.learner_pitch, aligned_times(result, window_start))
        if newly_scored:
            self.score.show_score(result.score)
            self.karaoke.set_score(result.score)
            self.takes.show_takes(self.session.takes(), select_id=take.id)
            self.refresh_lines()

    def play_take(self) -> None:
        take, playback = self.selected_take(), self._playback()
        if take is None or playback is None or self.recording is not None:
            return
        script = self.session.script_for(take)
        self._run(lambda: self.session.take_at_engine_rate(take),
                  lambda audio: playback.play_voice("take", audio, take.window_start(script),
                                                    script_id=script.id))

    def play_ab(self) -> None:
        take, playback = self.selected_take(), self._playback()
        if take is None or playback is None or self.recording is not None:
            return
        script = self.session.script_for(take)
        self._run(lambda: self.session.ab_buffers(take),
                  lambda buffers: playback.play_ab(*buffers, take.window_start(script),
                                                   script_id=script.id))

    def play_fixed(self) -> None:
        take, playback = self.selected_take(), self._playback()
        if take is None or playback is None or self.recording is not None:
            return
        script = self.session.script_for(take)
        self._run(lambda: self.session.fixed_take(take), lane=ANALYSIS_LANE,
                  done=lambda audio: playback.play_voice("fixed", audio, take.window_start(script),
                                                    script_id=script.id))

    def toggle_star(self) -> None:
        take = self.selected_take()
        if take is None:
            return
        self.session.set_starred(take.id, not take.starred)
        self.takes.show_takes(self.session.takes(), select_id=take.id)
        self.refresh_lines()

    def delete_take(self) -> None:
        take = self.selected_take()
        if take is None or self.recording is not None:
            return
        answer = QMessageBox.question(
            self, self.tr("Delete take"), self.tr("Delete this take? This cannot be undone."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_take_now(take)

    def delete_take_now(self, take: Take) -> None:
        self.session.delete_take(take.id)
        self._shown_take_id = None
        self.takes.show_takes(self.session.takes())
        self._show_selected_take()
        self.refresh_lines()

    # --- the learner's dub ---------------------------------------------------------------------

    def listen_to_dub(self) -> None:
        playback = self._playback()
        if playback is None or self.recording is not None:
            return

        def render():
            audio, rate, _count = render_dub(self.session)
            return resample(audio, rate, playback.rate)

        self._run(render, lambda audio: playback.play_clip_buffer("dub", audio, 0.0))

    def choose_and_export_dub(self) -> None:
        formats = export_formats()
        filters = ";;".join(self.tr("{kind} audio (*{suffix})").format(
            kind=suffix[1:].upper(), suffix=suffix) for suffix in formats)
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.MusicLocation)
        suggested = str(Path(folder) / f"{self.session.scene.pack_id}-my-dub.wav")
        file_name, _chosen = QFileDialog.getSaveFileName(self, self.tr("Export my dub"),
                                                         suggested, filters)
        if file_name:
            path = Path(file_name)
            if path.suffix.lower() not in formats:
                path = path.with_name(path.name + ".wav")
            self.export_dub(path)

    def export_dub(self, path: Path) -> None:
        self._run(lambda: export_dub(self.session, path),
                  lambda out: self.statusBar().showMessage(
                      self.tr("Saved {name}").format(name=Path(out).name), STATUS_TIMEOUT_MS))

    # --- settings ------------------------------------------------------------------------------

    def calibrate(self) -> None:
        """The calibration wizard, measuring on this window's running stream."""
        from yousync_desktop.ui.calibration_dialog import CalibrationDialog

        if self._playback() is None or self.recording is not None:
            return
        self.session.playback.stop()
        dialog = CalibrationDialog(lambda acoustic: self.session.calibrate(acoustic=acoustic),
                                   self.tasks, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _code: self._show_latency())
        self.calibration_dialog = dialog
        dialog.open()

    def open_preferences(self) -> None:
        if self._open_preferences is not None:
            self._open_preferences()

    def apply_settings(self, *, devices_changed: bool = False) -> None:
        """Settings changed: units, count-in and rolls from the next take; other devices now."""
        from yousync_desktop.practice import PracticeOptions

        if self.settings is None:
            return
        self.plot.set_units(self.settings.current.practice_pitch_units)
        self.session.options = PracticeOptions.from_settings(self.settings.current)
        if devices_changed and self.recording is None and self.audio_state != "starting":
            self._open_audio(self.session.restart_audio, self.tr("Switching audio devices…"))

    # --- helpers -------------------------------------------------------------------------------

    def is_busy(self) -> bool:
        return self._busy > 0

    def _run(self, work: Callable[[], object], done: Callable[[object], None], *,
             lane: str | None = None) -> None:
        self._busy += 1

        def finish(callback, value) -> None:
            self._busy -= 1
            callback(value)

        self.tasks.run(lambda _task: work(), on_success=lambda result: finish(done, result),
                       on_failure=lambda error: finish(lambda e: self.statusBar().showMessage(
                           _message(e), STATUS_TIMEOUT_MS), error),
                       owner=self, lane=lane)

    def _update_actions(self) -> None:
        playback = self.session.playback
        self.actions.update(audio_ready=self.audio_state == "ready",
                            recording=self.recording is not None,
                            playing=playback is not None and playback.is_playing(),
                            looping=bool(playback and playback.current and playback.current.loop),
                            has_take=self.selected_take() is not None,
                            index=self.session.current_index,
                            line_count=len(self.session.scripts))

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
        if self.audio_state == "ready":
            self._show_latency()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._timer.stop()
        self.video.release()
        self.session.close()  # keeps a take that reached its line, waits for its score
        super().closeEvent(event)


def _message(error: BaseException | str) -> str:
    return describe_error(error)
