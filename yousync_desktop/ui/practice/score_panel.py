"""The quick score right after a take: the sync rate and rank, the three dimensions as bars, and
what to work on (the score's issues)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from yousync_desktop.domain import Score
from yousync_desktop.ui.practice.issue_texts import IssueTexts
from yousync_desktop.ui.practice.palette import percent, score_color


class ScorePanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._score: Score | None = None
        self._message = ""
        self._issue_texts = IssueTexts(self)
        self.overall = QLabel(self)
        self.overall.setObjectName("scoreOverall")
        self.overall.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.rank = QLabel(self)
        self.rank.setObjectName("scoreRank")
        self.rank.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = QLabel(self)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setObjectName("scoreCaption")
        self.bars: dict[str, QProgressBar] = {}
        self.bar_labels: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setVerticalSpacing(4)
        for row, name in enumerate(("pronunciation", "intonation", "timing")):
            label, bar = QLabel(self), QProgressBar(self)
            bar.setRange(0, 100)
            bar.setTextVisible(True)
            bar.setFormat("%v")
            bar.setFixedHeight(16)
            self.bars[name], self.bar_labels[name] = bar, label
            grid.addWidget(label, row, 0)
            grid.addWidget(bar, row, 1)
        self.issues = QLabel(self)
        self.issues.setObjectName("scoreIssues")
        self.issues.setWordWrap(True)
        self.issues.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        self.rank.setFixedWidth(64)
        headline = QGridLayout()
        headline.setColumnStretch(0, 1)
        headline.setColumnStretch(3, 1)
        headline.addWidget(self.overall, 0, 1)
        headline.addWidget(self.rank, 0, 2, Qt.AlignmentFlag.AlignVCenter)
        headline.addWidget(self.caption, 1, 1, 1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(headline)
        layout.addLayout(grid)
        layout.addWidget(self.issues, 1)
        self.retranslate_ui()
        self.show_score(None)

    def score(self) -> Score | None:
        return self._score

    def show_score(self, score: Score | None, message: str = "") -> None:
        """`message` replaces the score (e.g. "Scoring…", or why there is none)."""
        self._score, self._message = score, message
        self.overall.setText(percent(score.sync_rate) if score else "–")
        self.rank.setText(score.rank if score else "")
        color = score_color(score.sync_rate if score else None).name()
        self.overall.setStyleSheet(f"color: {color}")
        self.rank.setStyleSheet(f"color: white; background: {color}; border-radius: 6px;")
        self.rank.setVisible(score is not None)
        for name, bar in self.bars.items():
            value = getattr(score, name) if score else None
            bar.setValue(round((value or 0.0) * 100))
            bar.setStyleSheet(f"QProgressBar::chunk {{ background: {score_color(value).name()}; "
                              "border-radius: 3px; }")
        if message:
            self.issues.setText(message)
        elif score is not None:
            self.issues.setText("\n".join(f"• {issue}" for issue in self._issue_texts.texts(score))
                                or self.tr("Nothing to fix: well done!"))
        else:
            self.issues.setText(self.tr("Record the line to get a score."))
        self.setAccessibleDescription(self.issues.text())

    def retranslate_ui(self) -> None:
        self.caption.setText(self.tr("Sync rate"))
        names = {"pronunciation": self.tr("Pronunciation"), "intonation": self.tr("Intonation"),
                 "timing": self.tr("Timing")}
        for name, label in self.bar_labels.items():
            label.setText(names[name])
            self.bars[name].setAccessibleName(names[name])
        self.setAccessibleName(self.tr("Score of the take"))
        self.overall.setAccessibleName(self.tr("Sync rate"))
        self.rank.setAccessibleName(self.tr("Rank"))
        self.show_score(self._score, self._message)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
