"""The live trace while recording, drawn by hand over a picture of the plot.

Why by hand: every repaint of the pyqtgraph plot walks its scene in Python (bounding boxes, item
paints), about a millisecond however little changed, and the trace changes a hundred times a
second. When a take starts, `PitchPlot` paints the plot once into a picture (axes, grid, the
actor's contour, the line's span) and covers it with this layer. Each update draws only the new
line segments onto that picture (the canvas) and asks Qt to repaint the few pixels they touch;
the tentative end of the trace and the playhead are drawn over the canvas at each repaint.

The layer knows nothing of pitch: it gets points in the plot's own units (clip seconds on x;
semitones or Hz on y, NaN where the line breaks) and maps them with `AxisMap`, taken from the
plot's view boxes when the picture was made.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QWidget

TRACE_WIDTH = 3.0
WAVE_WIDTH = 1.0
PLAYHEAD_WIDTH = 2.0


@dataclass(frozen=True)
class AxisMap:
    """Plot units → layer pixels for one view box: px = x·sx + ox, py = y·sy + oy."""
    sx: float
    ox: float
    sy: float
    oy: float
    clip: QRectF  # the view box's area on the layer

    def to_pixels(self, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(xs, float) * self.sx + self.ox, np.asarray(ys, float) * self.sy + self.oy


def _pen(color: QColor, width: float) -> QPen:
    pen = QPen(color, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _runs(px: np.ndarray, py: np.ndarray) -> list[QPolygonF]:
    """Polylines through the finite points; NaN breaks the line (pyqtgraph's connect="finite")."""
    finite = np.isfinite(px) & np.isfinite(py)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], finite.view(np.int8), [0]))))
    return [QPolygonF([QPointF(x, y) for x, y in zip(px[a:b].tolist(), py[a:b].tolist())])
            for a, b in zip(edges[0::2], edges[1::2]) if b - a >= 2]


class LiveLayer(QWidget):
    def __init__(self, trace_color: QColor, wave_color: QColor, playhead_color: QColor,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # the canvas covers it all
        self._trace_pen = _pen(trace_color, TRACE_WIDTH)
        self._wave_pen = _pen(wave_color, WAVE_WIDTH)
        self._playhead_pen = _pen(playhead_color, PLAYHEAD_WIDTH)
        self._picture: QPixmap | None = None
        self._canvas: QPixmap | None = None
        self._pitch: AxisMap | None = None
        self._wave: AxisMap | None = None
        self._tentative: list[QPolygonF] = []
        self._tentative_rect = QRect()
        self._playhead_x: float | None = None
        self.hide()

    def start(self, picture: QPixmap, pitch: AxisMap, wave: AxisMap) -> None:
        """Cover the plot with `picture` (the plot painted without the take)."""
        self._picture, self._pitch, self._wave = picture, pitch, wave
        self.clear()
        self.show()
        self.raise_()

    def stop(self) -> None:
        self.hide()
        self._picture = self._canvas = None

    def clear(self) -> None:
        """Back to the bare picture (the trace is drawn again from its start)."""
        self._canvas = QPixmap(self._picture) if self._picture is not None else None
        self._tentative, self._tentative_rect = [], QRect()
        self.update()

    # --- what changes --------------------------------------------------------------------------

    def add_trace(self, xs: np.ndarray, ys: np.ndarray) -> None:
        """Decided points: drawn onto the canvas for good (start with the last point drawn, so
        the line runs on)."""
        if self._canvas is None or self._pitch is None:
            return
        self._draw_onto_canvas(_runs(*self._pitch.to_pixels(xs, ys)), self._trace_pen,
                               self._pitch.clip)

    def set_tentative(self, xs: np.ndarray, ys: np.ndarray) -> None:
        """The guesses after the decided points (start with the last decided point); replaced at
        each call."""
        if self._pitch is None:
            return
        runs = _runs(*self._pitch.to_pixels(xs, ys))
        rect = self._covering(runs, self._trace_pen, self._pitch.clip)
        self.update(self._tentative_rect.united(rect))
        self._tentative, self._tentative_rect = runs, rect

    def add_wave(self, xs: np.ndarray, lows: np.ndarray, highs: np.ndarray) -> None:
        """Waveform peaks: a vertical line from low to high at each x."""
        if self._canvas is None or self._wave is None:
            return
        px, low = self._wave.to_pixels(xs, lows)
        _, high = self._wave.to_pixels(xs, highs)
        lines = [QPolygonF([QPointF(x, a), QPointF(x, b)])
                 for x, a, b in zip(px.tolist(), low.tolist(), high.tolist())]
        self._draw_onto_canvas(lines, self._wave_pen, self._wave.clip)

    def set_playhead(self, x: float | None) -> None:
        """The playhead at clip second `x` (None: hidden)."""
        if self._pitch is None:
            return
        new = None if x is None else x * self._pitch.sx + self._pitch.ox
        if new is not None and self._playhead_x is not None and \
                abs(new - self._playhead_x) < 0.5:
            return
        for old_or_new in (self._playhead_x, new):
            if old_or_new is not None:
                self.update(self._playhead_rect(old_or_new))
        self._playhead_x = new

    # --- painting ------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._canvas is None:
            return
        painter = QPainter(self)
        area = event.rect()
        ratio = self._canvas.devicePixelRatio()
        source = QRectF(area.x() * ratio, area.y() * ratio, area.width() * ratio,
                        area.height() * ratio)
        painter.drawPixmap(QRectF(area), self._canvas, source)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._tentative and self._pitch is not None:
            painter.setClipRect(self._pitch.clip)
            painter.setPen(self._trace_pen)
            for run in self._tentative:
                painter.drawPolyline(run)
        if self._playhead_x is not None and self._pitch is not None:
            clip = self._pitch.clip
            painter.setClipRect(clip)
            painter.setPen(self._playhead_pen)
            painter.drawLine(QPointF(self._playhead_x, clip.top()),
                             QPointF(self._playhead_x, clip.bottom()))
        painter.end()

    def _draw_onto_canvas(self, lines: list[QPolygonF], pen: QPen, clip: QRectF) -> None:
        if not lines:
            return
        painter = QPainter(self._canvas)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setClipRect(clip)
        painter.setPen(pen)
        for line in lines:
            painter.drawPolyline(line)
        painter.end()
        self.update(self._covering(lines, pen, clip))

    @staticmethod
    def _covering(lines: list[QPolygonF], pen: QPen, clip: QRectF) -> QRect:
        """The pixels `lines` drawn with `pen` can touch (antialiasing included)."""
        if not lines:
            return QRect()
        rect = lines[0].boundingRect()
        for line in lines[1:]:
            rect = rect.united(line.boundingRect())
        margin = pen.widthF() / 2 + 2
        return rect.adjusted(-margin, -margin, margin, margin).intersected(clip).toAlignedRect()

    def _playhead_rect(self, x: float) -> QRect:
        clip = self._pitch.clip
        margin = PLAYHEAD_WIDTH / 2 + 2
        return QRectF(x - margin, clip.top(), 2 * margin, clip.height()).toAlignedRect()
