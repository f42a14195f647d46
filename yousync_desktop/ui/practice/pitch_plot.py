"""The actor's pitch contour and the learner's, on one time axis (seconds of the clip), with the
learner's live waveform underneath.

While recording, the window hands each drained batch of live points to `add_live`: decided points
extend the trace, and the newest tentative guesses are drawn after them until decided; after
the score, `show_analysis` adds the learner's contour moved onto the actor's timing by the score's
alignment. Pitch reads in semitones from each speaker's own median (so a low and a high voice can
be compared) or in Hz.

While a take is recorded (`begin_live` … `end_live`) the trace is drawn by `LiveLayer` over a
picture of this plot, not by pyqtgraph (live_layer.py says why); the plot gets the whole take when
it ends. The learner's median, which places the trace in semitones, is then followed in steps of
REFERENCE_STEP_ST, as each step draws the whole trace again.
"""

from __future__ import annotations

import time
from collections import deque

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QPen, QResizeEvent
from PySide6.QtWidgets import QGraphicsItem, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from yousync_desktop.analysis.pitch_track import PitchTrack
from yousync_desktop.domain import Script, Token
from yousync_desktop.practice.live_feed import LivePoint, WavePeak
from yousync_desktop.ui.practice.live_layer import AxisMap, LiveLayer
from yousync_desktop.ui.practice.palette import ACTOR, LEARNER, LEARNER_ALIGNED, PLAYHEAD

UNITS = ("semitones", "hz")
SEMITONE_RANGE = (-13.0, 13.0)
REFERENCE_STEP_ST = 0.5   # while recording, the trace follows the learner's median in these steps


def _pen(color, width: float, style=Qt.PenStyle.SolidLine, alpha: int = 255) -> QPen:
    color = pg.mkColor(color)
    color.setAlpha(alpha)
    pen = pg.mkPen(color=color, width=width)
    pen.setStyle(style)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


def _without_leaps(y: np.ndarray, units: str) -> np.ndarray:
    """Break the line at jumps no voice makes between 10 ms frames (a tracker's octave slip), so
    they don't draw as tall spikes. Display only: the score has its own repair."""
    y = np.array(y, dtype=float)
    if y.size < 2:
        return y
    if units == "hz":
        with np.errstate(invalid="ignore", divide="ignore"):
            steps = np.abs(np.diff(12.0 * np.log2(y)))
    else:
        steps = np.abs(np.diff(y))
    leaps = np.nonzero(steps > 7.0)[0] + 1
    y[leaps] = np.nan
    return y


class PitchPlot(QWidget):
    def __init__(self, token: Token, parent: QWidget | None = None):
        super().__init__(parent)
        self.token = token
        self.units = "semitones"
        # For the benchmark, seconds: sample captured → first drawn (tentative or decided), frame
        # computable → first drawn, and sample captured → its decided point drawn.
        self.latencies: deque[float] = deque(maxlen=20000)
        self.path_latencies: deque[float] = deque(maxlen=20000)
        self.decided_latencies: deque[float] = deque(maxlen=20000)
        self._actor = PitchTrack(np.zeros(0), np.zeros(0), np.zeros(0))
        self._actor_median = 200.0
        self._learner_median: float | None = None
        self._median_of = 0  # how many points the learner's median was computed from
        self._live_t: list[float] = []
        self._live_hz: list[float] = []
        self._tentative: list[tuple[float, float]] = []  # (time, hz) drawn after the decided
        self._peaks: list[WavePeak] = []
        self._aligned: tuple[np.ndarray, np.ndarray] | None = None
        self._live = False               # a take is being recorded: the layer draws the trace
        self._live_reference = 200.0     # the median the layer's trace is drawn against
        self._layer_points = 0           # decided points (and peaks) the layer has drawn
        self._layer_peaks = 0

        self.graphics = pg.GraphicsLayoutWidget(self)
        self.graphics.setBackground(None)
        self.pitch_plot = self.graphics.addPlot(row=0, col=0)
        self.wave_plot = self.graphics.addPlot(row=1, col=0)
        self.graphics.ci.layout.setRowStretchFactor(0, 4)
        self.graphics.ci.layout.setRowStretchFactor(1, 1)
        self.wave_plot.setXLink(self.pitch_plot)
        for plot in (self.pitch_plot, self.wave_plot):
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.showGrid(x=True, y=True, alpha=0.15)
        self.wave_plot.hideAxis("bottom")
        self.wave_plot.setYRange(-1, 1, padding=0)
        wave_axis = self.wave_plot.getAxis("left")
        wave_axis.setStyle(showValues=False, tickLength=0)
        wave_axis.setPen(pg.mkPen(None))
        for plot in (self.pitch_plot, self.wave_plot):  # same width: the time axes line up
            plot.getAxis("left").setWidth(56)
            # The axes draw the grid, so they lie under every curve and were redrawn (ticks,
            # labels, grid) with each live update: most of the app's CPU while recording. Kept
            # as pixmaps, they are redrawn only when their range or size changes.
            for name in ("left", "bottom"):
                plot.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.line_region = pg.LinearRegionItem(movable=False, brush=pg.mkBrush(91, 75, 219, 22),
                                               pen=pg.mkPen(None))
        self.pitch_plot.addItem(self.line_region)
        self.actor_curve = self.pitch_plot.plot(pen=_pen(ACTOR, 4, alpha=200), connect="finite")
        self.live_curve = self.pitch_plot.plot(pen=_pen(LEARNER, 3), connect="finite")
        self.aligned_curve = self.pitch_plot.plot(pen=_pen(LEARNER_ALIGNED, 3), connect="finite")
        self.playhead = pg.InfiniteLine(angle=90, pen=_pen(PLAYHEAD, 2))
        self.playhead.setVisible(False)
        self.pitch_plot.addItem(self.playhead)
        self.wave_curve = self.wave_plot.plot(pen=_pen(LEARNER, 1, alpha=200), connect="pairs")
        # What stays put while the playhead moves is kept as pixmaps too (see the axes above).
        # A PlotDataItem paints nothing itself: its curve child does, so that is what is cached.
        for still in (self.line_region, *self.line_region.lines, self.actor_curve.curve):
            still.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

        self.legend_actor, self.legend_live, self.legend_aligned = (QLabel(self) for _ in range(3))
        for label, color in ((self.legend_actor, ACTOR), (self.legend_live, LEARNER),
                             (self.legend_aligned, LEARNER_ALIGNED)):
            label.setStyleSheet(f"color: {color.name()}; font-weight: 600;")
        legend = QHBoxLayout()
        legend.setSpacing(18)
        legend.setContentsMargins(8, 0, 0, 0)
        legend.addWidget(self.legend_actor)
        legend.addWidget(self.legend_live)
        legend.addWidget(self.legend_aligned)
        legend.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(legend)
        layout.addWidget(self.graphics, 1)
        self.live_layer = LiveLayer(LEARNER, self.wave_curve.opts["pen"].color(), PLAYHEAD, self)
        self.retranslate_ui()

    # --- what is shown -------------------------------------------------------------------------

    def set_units(self, units: str) -> None:
        live = self._live
        self.end_live()
        self.units = units if units in UNITS else "semitones"
        self._redraw_all()
        self.retranslate_ui()
        if live:
            self.begin_live()

    def show_line(self, script: Script, window: tuple[float, float]) -> None:
        """The actor's contour over `window` (absolute seconds) with the line's span shaded."""
        start, end = window
        self.line_region.setRegion((self.token.clip_offset(script.start_time),
                                    self.token.clip_offset(script.end_time)))
        self.pitch_plot.setXRange(self.token.clip_offset(start), self.token.clip_offset(end),
                                  padding=0.01)
        points = [p for p in (self.token.pitch or []) if start - 0.2 <= p.time <= end + 0.2]
        self._actor = PitchTrack.from_points(points)
        voiced = [p.hz for p in (self.token.pitch or []) if p.hz]
        self._actor_median = float(np.median(voiced)) if voiced else 200.0
        self.clear_take()

    def clear_take(self) -> None:
        self._live_t, self._live_hz, self._peaks = [], [], []
        self._tentative = []
        self._aligned = None
        self._median_of = 0
        self._redraw_all()

    def begin_live(self) -> None:
        """A take starts: from now on the live layer draws the trace (and the playhead)."""
        if self._live:
            self.end_live()
        self.live_curve.setData([], [])  # the picture shows the plot without the take
        self.wave_curve.setData([], [])
        self.playhead.setVisible(False)
        if self.units == "hz":  # the layer's picture has fixed axes
            self.pitch_plot.disableAutoRange(axis="y")
        picture = self.graphics.grab()
        self.live_layer.setGeometry(self.graphics.geometry())
        self.live_layer.setAccessibleName(self.graphics.accessibleName())
        self.live_layer.start(picture, self._axis_map(self.pitch_plot),
                              self._axis_map(self.wave_plot))
        self.graphics.setUpdatesEnabled(False)  # hidden under the layer: nothing to paint
        self._live = True
        self._draw_layer(whole=True)

    def end_live(self) -> None:
        """The take ended: the plot shows it again (until `show_take` replaces it)."""
        if not self._live:
            return
        self._live = False
        self.live_layer.stop()
        self.graphics.setUpdatesEnabled(True)
        self._redraw_all()

    def add_live(self, points: list[LivePoint], peaks: list[WavePeak]) -> None:
        if points:
            guesses: dict[float, float] = {}
            for point in points:
                hz = point.hz if point.hz is not None else np.nan
                if point.final:
                    self._live_t.append(point.time)
                    self._live_hz.append(hz)
                else:
                    guesses[point.time] = hz  # a later guess for the same frame wins
            if guesses:  # the newest guesses replace the older ones
                self._tentative = sorted(guesses.items())
            decided_until = self._live_t[-1] if self._live_t else -np.inf
            self._tentative = [(t, hz) for t, hz in self._tentative if t > decided_until]
            self._update_learner_median(every=10)
        if peaks:
            self._peaks.extend(peaks)
        if self._live:
            self._draw_layer()
        else:
            if points:
                self._draw_live()
            if peaks:
                self._draw_wave()
        if points:
            drawn = time.monotonic()
            for p in points:
                if p.first:
                    self.latencies.append(drawn - p.captured_at)
                    self.path_latencies.append(drawn - p.available_at)
                if p.final:
                    self.decided_latencies.append(drawn - p.captured_at)

    def show_take(self, pitch: PitchTrack, aligned_times: np.ndarray | None,
                  peaks: list[WavePeak] | None = None) -> None:
        """A finished take: its contour as recorded and (if aligned) on the actor's timing."""
        self._live_t = [float(t) for t in pitch.times]
        self._live_hz = [float(h) for h in pitch.hz]
        self._tentative = []
        self._aligned = None if aligned_times is None else (np.asarray(aligned_times),
                                                            np.asarray(pitch.hz))
        if peaks is not None:
            self._peaks = list(peaks)
        self._median_of = 0
        self._update_learner_median()
        self._redraw_all()

    def set_playhead(self, absolute_time: float | None) -> None:
        if self._live:
            self.live_layer.set_playhead(None if absolute_time is None
                                         else self.token.clip_offset(absolute_time))
            return
        if absolute_time is None:
            self.playhead.setVisible(False)
            return
        self.playhead.setValue(self.token.clip_offset(absolute_time))
        self.playhead.setVisible(True)

    def live_point_count(self) -> int:
        return len(self._live_t)

    def voiced_live_points(self) -> int:
        return int(np.isfinite(np.asarray(self._live_hz, dtype=float)).sum())

    def aligned_point_count(self) -> int:
        return 0 if self._aligned is None else int(np.isfinite(self._aligned[1]).sum())

    # --- drawing -------------------------------------------------------------------------------

    def _y(self, hz: np.ndarray, median: float) -> np.ndarray:
        hz = np.asarray(hz, dtype=float)
        if self.units == "hz":
            return hz
        with np.errstate(invalid="ignore", divide="ignore"):
            return 12.0 * np.log2(hz / median)

    def _x(self, times) -> np.ndarray:
        return np.asarray(times, dtype=float) - self.token.start_time

    def _update_learner_median(self, *, every: int = 1) -> None:
        """`every`: while recording, only each `every`-th new point is worth a new median."""
        if len(self._live_hz) - self._median_of < every:
            return
        self._median_of = len(self._live_hz)
        voiced = np.asarray(self._live_hz, dtype=float)
        voiced = voiced[np.isfinite(voiced)]
        if voiced.size >= 5:
            self._learner_median = float(np.median(voiced))

    def _learner_reference(self) -> float:
        return self._learner_median or self._actor_median

    def _draw_live(self) -> None:
        self.live_curve.setData(*self._live_segment(0, self._tentative,
                                                    self._learner_reference()))

    def _draw_layer(self, *, whole: bool = False) -> None:
        """Hand the layer what is new since its last update."""
        layer = self.live_layer
        reference = self._learner_reference()
        if whole or abs(12.0 * np.log2(reference / self._live_reference)) >= REFERENCE_STEP_ST:
            self._live_reference = reference
            self._layer_points = self._layer_peaks = 0
            layer.clear()
        count = len(self._live_t)
        if count > self._layer_points:
            layer.add_trace(*self._live_segment(self._layer_points, []))
            self._layer_points = count
        layer.set_tentative(*self._live_segment(count, self._tentative))
        if len(self._peaks) > self._layer_peaks:
            new = self._peaks[self._layer_peaks:]
            layer.add_wave(self._x([p.time for p in new]), np.array([p.low for p in new]),
                           np.array([p.high for p in new]))
            self._layer_peaks = len(self._peaks)

    def _live_segment(self, start: int, then: list[tuple[float, float]],
                      reference: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Decided points from `start`, then `then`, led by the last point already drawn (the
        line runs on from it); a leap into that point is judged with the one before it, as when
        the whole trace is drawn. Semitones from `reference` (default: the live layer's)."""
        begin = max(start - 1, 0)
        context = max(begin - 1, 0)
        times = self._live_t[context:] + [t for t, _ in then]
        hz = self._live_hz[context:] + [h for _, h in then]
        ys = _without_leaps(self._y(hz, reference or self._live_reference), self.units)
        return self._x(times)[begin - context:], ys[begin - context:]

    def _axis_map(self, plot) -> AxisMap:
        """How the layer places plot units: through the same transforms pyqtgraph paints with."""
        box = plot.getViewBox()
        (x0, x1), (y0, y1) = box.viewRange()
        to_view = self.graphics.viewportTransform()
        offset = QPointF(self.graphics.viewport().mapTo(self.graphics,
                                                        self.graphics.viewport().rect().topLeft()))
        a = to_view.map(box.mapViewToScene(QPointF(x0, y0))) + offset
        b = to_view.map(box.mapViewToScene(QPointF(x1, y1))) + offset
        sx = (b.x() - a.x()) / (x1 - x0) if x1 != x0 else 1.0
        sy = (b.y() - a.y()) / (y1 - y0) if y1 != y0 else 1.0
        clip = to_view.mapRect(box.sceneBoundingRect()).translated(offset)
        return AxisMap(sx, a.x() - x0 * sx, sy, a.y() - y0 * sy, QRectF(clip))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._live:  # the picture no longer fits: take it again once the layout has settled
            QTimer.singleShot(0, self._retake_picture)

    def _retake_picture(self) -> None:
        if self._live:
            self.end_live()
            self.begin_live()

    def _draw_wave(self) -> None:
        if not self._peaks:
            self.wave_curve.setData([], [])
            return
        times = np.repeat(self._x([p.time for p in self._peaks]), 2)
        values = np.empty(times.size)
        values[0::2] = [p.low for p in self._peaks]
        values[1::2] = [p.high for p in self._peaks]
        self.wave_curve.setData(times, values)

    def _redraw_all(self) -> None:
        self.actor_curve.setData(self._x(self._actor.times),
                                 self._y(self._actor.hz, self._actor_median))
        self._draw_live()
        self._draw_wave()
        if self._aligned is None:
            self.aligned_curve.setData([], [])
        else:
            times, hz = self._aligned
            self.aligned_curve.setData(self._x(times), _without_leaps(
                self._y(hz, self._learner_reference()), self.units))
        self.legend_aligned.setVisible(self._aligned is not None)
        if self.units == "hz":
            self.pitch_plot.enableAutoRange(axis="y")
        else:
            self.pitch_plot.setYRange(*SEMITONE_RANGE, padding=0)

    def retranslate_ui(self) -> None:
        self.legend_actor.setText(self.tr("● Actor"))
        self.legend_live.setText(self.tr("● You"))
        self.legend_aligned.setText(self.tr("● You, on the actor's timing"))
        self.pitch_plot.setLabel("left", self.tr("Hz") if self.units == "hz"
                                 else self.tr("semitones"))
        self.pitch_plot.setLabel("bottom", self.tr("seconds"))
        self.graphics.setAccessibleName(self.tr("Pitch of the actor and of your voice"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
