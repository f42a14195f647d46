"""What the practice screen shows as the audio runs: the live trace of the take being recorded,
and on each of the window's ticks the input level, the take's count-in and state, and the
position being heard, which the video, the karaoke line and the plot's playhead follow.

The live trace is drawn as soon as the feed says new points are there (`live_points_ready`,
emitted on the audio consumer thread), on each tick, and on a single-shot timer that defers a
redraw coming sooner than LIVE_DRAW_MIN_MS after the last.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from yousync_desktop.practice import PracticeSession, Recording
from yousync_desktop.practice.live_feed import LivePitchFeed
from yousync_desktop.practice.playback import ScenePlayback
from yousync_desktop.ui.practice.karaoke_line import KaraokeLine
from yousync_desktop.ui.practice.level_meter import LevelMeter
from yousync_desktop.ui.practice.pitch_plot import PitchPlot
from yousync_desktop.ui.practice.video_view import VideoView

# At most one redraw of the live trace per this many ms. The feed says when a pitch frame is new
# (every 10 ms) and the live layer draws only what changed, so a redraw costs little; this only
# bunches points that come in a burst (after a stall) into one redraw, on a single-shot timer.
LIVE_DRAW_MIN_MS = 4


class LivePresenter(QObject):
    # Emitted on the audio consumer thread when live points are queued; delivered queued, so the
    # trace is drawn as soon as a block is analysed rather than on the next timer tick.
    live_points_ready = Signal()

    def __init__(self, session: PracticeSession, plot: PitchPlot, karaoke: KaraokeLine,
                 meter: LevelMeter, clip_warning: QLabel, state_label: QLabel, video: VideoView,
                 parent: QWidget):
        super().__init__(parent)
        self._session = session
        self._plot = plot
        self._karaoke = karaoke
        self._meter = meter
        self._clip_warning = clip_warning
        self._state_label = state_label
        self._video = video
        self._feed: LivePitchFeed | None = None
        self._last_live_draw = 0.0
        self._live_draw = QTimer(self)  # a redraw deferred by LIVE_DRAW_MIN_MS
        self._live_draw.setSingleShot(True)
        self._live_draw.setTimerType(Qt.TimerType.PreciseTimer)
        self._live_draw.timeout.connect(self._draw_live_points)
        self.live_points_ready.connect(self._draw_live_points, Qt.ConnectionType.QueuedConnection)
        self.tick_intervals: list[float] = []   # benchmark: the window's ticks while recording
        self._last_tick: float | None = None

    # --- the take being recorded ---------------------------------------------------------------

    def begin_take(self, recording: Recording) -> None:
        self._plot.clear_take()
        self._plot.begin_live()
        self._last_tick = None
        self._feed = recording.feed
        if self._feed is not None:
            self._feed.on_points = self.live_points_ready.emit

    def _draw_live_points(self) -> None:
        feed = self._feed
        if feed is None:
            return
        wait_ms = (self._last_live_draw - time.monotonic()) * 1000 + LIVE_DRAW_MIN_MS
        if wait_ms > 0:
            if not self._live_draw.isActive():
                self._live_draw.start(max(1, round(wait_ms)))
            return
        points, peaks = feed.drain()
        if points or peaks:
            self._last_live_draw = time.monotonic()
            self._plot.add_live(points, peaks)

    def show_take_progress(self, recording: Recording) -> None:
        """On each tick while a take is being made: the count-in and what the take is doing."""
        now = time.monotonic()
        if self._last_tick is not None:
            self.tick_intervals.append(now - self._last_tick)
        self._last_tick = now
        self._draw_live_points()
        self._karaoke.set_count_in(recording.beats_left())
        state = recording.state
        if state == "count_in":
            text = QCoreApplication.translate("PracticeWindow", "Get ready…")
        elif state == "recording":
            text = QCoreApplication.translate("PracticeWindow", "● Recording {percent}%").format(
                percent=round(recording.progress * 100))
        elif state == "scoring":
            text = QCoreApplication.translate("PracticeWindow", "Scoring…")
        else:
            return
        self._state_label.setText(text)

    def end_take(self) -> None:
        """The take is finished (kept, discarded or lost): the plot has it whole again."""
        self._feed = None
        self._plot.end_live()
        self._karaoke.set_count_in(0)
        self._state_label.setText("")

    # --- on every tick -------------------------------------------------------------------------

    def show_playback(self, playback: ScenePlayback) -> None:
        """The input level, and the position being heard (None when nothing plays)."""
        meter = self._session.meter
        if meter is not None:
            reading = meter.take_reading()
            self._meter.show_reading(reading.rms_dbfs, reading.peak_dbfs, reading.clipping)
            self._clip_warning.setVisible(reading.clipping)
        clip = playback.clip_position()
        self._video.follow(clip)
        absolute = None if clip is None else clip + self._session.token.start_time
        self._karaoke.set_time(absolute)
        self._plot.set_playhead(absolute)
