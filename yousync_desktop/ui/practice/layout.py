"""Where the practice window's widgets sit (top to bottom):

    banner ("No audio: …"  [Try again])
    video | lines of the scene
    the current line, large (karaoke)
    transport buttons ……… clipping light · take state · latency
    pitch plot | level meter
    score | takes of the line, with their buttons
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QLabel, QMainWindow, QSplitter, QToolBar, QVBoxLayout, QWidget,
)

SCORE_PANEL_WIDTH = 420


def build_layout(window: QMainWindow) -> QLabel:
    """Lay out the practice window's widgets (made by the window) as its central widget; returns
    the heading over the takes, whose text the window sets with the others."""
    w = window
    banner = QHBoxLayout()
    banner.addWidget(w.banner, 1)
    banner.addWidget(w.retry_button)

    top = QSplitter(Qt.Orientation.Horizontal, w)
    top.addWidget(w.video)
    top.addWidget(w.lines)
    top.setSizes([500, 760])
    top.setChildrenCollapsible(False)
    top.setMaximumHeight(300)

    transport = _toolbar(w, w.actions.transport())
    transport.setObjectName("transportBar")
    for button in transport.findChildren(QWidget):
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space must stay "play/pause"
    status = QHBoxLayout()
    status.addWidget(transport)
    status.addStretch(1)
    status.addWidget(w.clip_warning)
    status.addWidget(w.state_label)
    status.addWidget(w.latency_label)

    plot_row = QHBoxLayout()
    plot_row.addWidget(w.plot, 1)
    plot_row.addWidget(w.meter)

    takes_heading = QLabel(w)
    takes_heading.setObjectName("sectionHeading")
    takes_box = QVBoxLayout()
    takes_box.addWidget(takes_heading)
    takes_box.addWidget(w.takes, 1)
    takes_box.addWidget(_toolbar(w, w.actions.take_actions()))
    score_frame = QFrame(w)
    score_frame.setObjectName("scoreFrame")
    score_layout = QVBoxLayout(score_frame)
    score_layout.setContentsMargins(0, 0, 0, 0)
    score_layout.addWidget(w.score)
    score_frame.setFixedWidth(SCORE_PANEL_WIDTH)
    bottom = QHBoxLayout()
    bottom.addWidget(score_frame)
    bottom.addLayout(takes_box, 1)

    central = QWidget(w)
    layout = QVBoxLayout(central)
    layout.setContentsMargins(10, 6, 10, 6)
    layout.setSpacing(6)
    layout.addLayout(banner)
    layout.addWidget(top, 4)
    layout.addWidget(w.karaoke)
    layout.addLayout(status)
    layout.addLayout(plot_row, 6)
    layout.addLayout(bottom, 3)
    w.setCentralWidget(central)
    return takes_heading


def _toolbar(parent: QWidget, actions) -> QToolBar:
    """Text buttons for `actions` (None: a separator)."""
    bar = QToolBar(parent)
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    for action in actions:
        if action is None:
            bar.addSeparator()
        else:
            bar.addAction(action)
    return bar
