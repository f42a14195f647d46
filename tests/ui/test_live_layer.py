"""The live trace while recording: drawn by the live layer over a picture of the plot, where the
plot itself would draw it, and handed back to the plot when the take ends."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QColor

from yousync_desktop.domain import Token
from yousync_desktop.practice.live_feed import LivePoint, WavePeak
from yousync_desktop.ui.practice.palette import LEARNER
from yousync_desktop.ui.practice.pitch_plot import PitchPlot


@pytest.fixture
def plot(qtbot, demo_tokens):
    token = Token.from_api(demo_tokens[0])
    plot = PitchPlot(token)
    qtbot.addWidget(plot)
    plot.resize(900, 420)
    plot.show()
    qtbot.waitExposed(plot)
    script = token.scripts[0]
    plot.show_line(script, (script.start_time - 0.3, script.end_time + 0.3))
    return plot, script


def learner_pixels(image, area) -> int:
    """Pixels of the learner's colour (give or take antialiasing) inside `area`."""
    target = QColor(LEARNER)
    return sum(_near(image.pixelColor(x, y), target) for y in range(area.top(), area.bottom(), 2)
               for x in range(area.left(), area.right(), 2))


def steps(script, *levels: tuple[float, float | None]) -> list[LivePoint]:
    """10 ms frames: (seconds, Hz or None for unvoiced) one after the other from the line's
    start."""
    points, at = [], script.start_time
    for seconds, hz in levels:
        for t in at + np.arange(0.0, seconds - 1e-9, 0.01):
            points.append(LivePoint(float(t), hz, 0.9, 0.0, 0.0, 0.0))
        at += seconds
    return points


def test_the_layer_draws_the_trace_where_the_plot_draws_it(plot, qtbot):
    plot, script = plot
    # Mostly 200 Hz, so the learner's median (the semitone scale's zero) is the same whether the
    # layer or the plot draws; a part 4 semitones up after a break checks the scale.
    points = steps(script, (0.5, 200.0), (0.05, None), (0.2, 252.0))
    peaks = [WavePeak(p.time, -0.5, 0.5) for p in points]
    plot.begin_live()
    assert plot.live_layer.isVisible()
    for k in range(0, len(points), 4):  # in pieces, as the feed hands them over
        plot.add_live(points[k:k + 4], peaks[k:k + 4])
    qtbot.wait(50)
    live_image = plot.grab().toImage()
    plot.end_live()
    assert not plot.live_layer.isVisible()
    qtbot.wait(50)
    plot_image = plot.grab().toImage()

    area = plot.graphics.geometry()
    drawn_live, drawn_plot = learner_pixels(live_image, area), learner_pixels(plot_image, area)
    assert drawn_plot > 50, "the plot shows the take once it ends"
    assert drawn_live == pytest.approx(drawn_plot, rel=0.25)
    # Where: the same pixels are the learner's colour in both pictures, nearly all of them.
    target = QColor(LEARNER)
    both = only_live = 0
    for y in range(area.top(), area.bottom(), 2):
        for x in range(area.left(), area.right(), 2):
            in_live = _near(live_image.pixelColor(x, y), target)
            in_plot = _near(plot_image.pixelColor(x, y), target)
            both += in_live and in_plot
            only_live += in_live and not in_plot
    assert both > 0.6 * drawn_plot and only_live < 0.25 * drawn_live


def test_a_new_take_starts_from_a_clean_picture(plot, qtbot):
    plot, script = plot
    plot.begin_live()
    plot.add_live(steps(script, (0.5, 200.0)), [])
    plot.end_live()
    plot.clear_take()
    plot.begin_live()  # the next take: the picture must not hold the last one
    qtbot.wait(50)
    image = plot.grab().toImage()
    plot.end_live()
    assert learner_pixels(image, plot.graphics.geometry()) < 5


def _near(pixel: QColor, target: QColor) -> bool:
    return (abs(pixel.red() - target.red()) < 30 and abs(pixel.green() - target.green()) < 30
            and abs(pixel.blue() - target.blue()) < 30)
