"""What the practice screen shows as the audio runs: the live trace of the take being recorded,
and on each of the window's ticks the input level, the take's count-in and state, and the
position being heard, which the video, the karaoke line and the plot's playhead follow.

The live trace has one trigger: a precise timer that drains the feed every LIVE_DRAW_MIN_MS
while a take is being made (see LIVE_DRAW_MIN_MS for why this one).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from yousync_desktop.practice import PracticeSession, Recording
from yousync_desktop.practice.live_feed import LivePitchFeed
from yousync_desktop.practice.playback import ScenePlayback
from yousync_desktop.ui.practice.karaoke_line import KaraokeLine
from yousync_desktop.ui.practice.level_meter import LevelMeter
from yousync_desktop.ui.practice.pitch_plot import PitchPlot
from yousync_desktop.ui.practice.video_view import VideoView

# The live trace is drained, and redrawn if anything came, every this many ms while a take is
# made: the one way it reaches the screen. The feed publishes a pitch frame every 10 ms, when
# the capture completing it has been analysed on the engine's consumer thread; polling at 4 ms
# puts it on screen at most 4 ms (2 ms on average) later — inside one audio block (~5 ms) beyond
# the tracker's own delay, which is what benchmarks.live holds the trace to — and caps redraws
# at one per 4 ms by construction, bursts after a stall included. It replaced three triggers (a
# queued signal emitted by the consumer thread per frame, a single-shot timer deferring redraws
# that came too soon, and the 15 ms tick): the signal got points there sooner, but could not
# keep the redraw limit alone, and had the consumer thread call into Qt. Measured back to back
# with benchmarks.live (8 takes each): data path p95 4.8 ms instead of 2.9 ms, captured → plot
# p95 30.8 ms instead of 29.1 ms, CPU 26.8 % instead of 28.5 % (the same, on this shared VM).
LIVE_DRAW_MIN_MS = 4


class LivePresenter(QObject):
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
        self._drain_timer = QTimer(self)
        self._drain_timer.setInterval(LIVE_DRAW_MIN_MS)
        self._drain_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._drain_timer.timeout.connect(self._drain)
        self.tick_intervals: list[float] = []   # benchmark: the window's ticks while recording
        self._last_tick: float | None = None

    # --- the take being recorded ---------------------------------------------------------------

    def begin_take(self, recording: Recording) -> None:
        self._plot.clear_take()
        self._plot.begin_live()
        self._last_tick = None
        self._feed = recording.feed
        if self._feed is not None:
            self._drain_timer.start()

    def _drain(self) -> None:
        points, peaks = self._feed.drain()
        if points or peaks:
            self._plot.add_live(points, peaks)

    def show_take_progress(self, recording: Recording) -> None:
        """On each tick while a take is being made: the count-in and what the take is doing."""
        now = time.monotonic()
        if self._last_tick is not None:
            self.tick_intervals.append(now - self._last_tick)
        self._last_tick = now
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
        """The take is finished (kept, discarded or lost): the plot has it whole again. Points the
        feed still holds are not drawn: the take's analysis replaces the trace."""
        self._drain_timer.stop()
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
