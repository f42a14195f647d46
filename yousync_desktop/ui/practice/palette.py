"""Colours the practice screen gives meaning to (the same scale as the ranks: S/A ≥ 0.85 good,
B ≥ 0.70 fair, C below)."""

from __future__ import annotations

from PySide6.QtGui import QColor

ACTOR = QColor("#8C86B8")        # the actor's contour: quiet, it is the reference
LEARNER = QColor("#5B4BDB")      # the accent: the learner's voice
LEARNER_ALIGNED = QColor("#E0592A")
PLAYHEAD = QColor("#E0592A")
GOOD = QColor("#2E9E5B")
FAIR = QColor("#D9A21B")
POOR = QColor("#D64545")
MUTED = QColor("#9A98A8")


def score_color(value: float | None) -> QColor:
    if value is None:
        return MUTED
    if value >= 0.85:
        return GOOD
    if value >= 0.70:
        return FAIR
    return POOR


def percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}"
