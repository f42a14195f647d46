"""The current line, large, with its words lit as they are heard (karaoke), the translation under
it, and the count-in ("3, 2, 1") beside it. After a score, each word takes its score's colour."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from yousync_desktop.domain import Score, Script
from yousync_desktop.ui.practice.palette import LEARNER, MUTED, score_color


class KaraokeLine(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._script: Script | None = None
        self._score: Score | None = None
        self._lit = -1          # index of the word being heard; len(words) once all are past
        self.text_label = QLabel(self)
        self.text_label.setObjectName("karaokeText")
        self.text_label.setWordWrap(True)
        self.text_label.setTextFormat(Qt.TextFormat.RichText)
        self.translation_label = QLabel(self)
        self.translation_label.setObjectName("karaokeTranslation")
        self.translation_label.setWordWrap(True)
        self.count_in_label = QLabel(self)
        self.count_in_label.setObjectName("countIn")
        self.count_in_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count_in_label.setFixedWidth(84)

        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.text_label)
        text.addWidget(self.translation_label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addLayout(text, 1)
        layout.addWidget(self.count_in_label)
        self.retranslate_ui()

    def words(self) -> list[str]:
        if self._script is None:
            return []
        return [w.word or "" for w in self._script.words] or self._script.script.split()

    def set_line(self, script: Script | None, score: Score | None = None) -> None:
        self._script, self._score, self._lit = script, score, -1
        self.translation_label.setText(script.translation or "" if script else "")
        self.set_count_in(0)
        self._render()

    def set_score(self, score: Score | None) -> None:
        self._score = score
        self._render()

    def set_time(self, absolute_time: float | None) -> None:
        """Light the word heard at `absolute_time` (None: nothing is playing)."""
        lit = -1
        if absolute_time is not None and self._script is not None and self._script.words:
            lit = 0
            for i, word in enumerate(self._script.words):
                if word.start_time is not None and absolute_time >= word.start_time:
                    lit = i
            last = self._script.words[-1]
            if absolute_time < self._script.start_time:
                lit = -1
            elif last.end_time is not None and absolute_time >= last.end_time:
                lit = len(self._script.words)
        if lit != self._lit:
            self._lit = lit
            self._render()

    @property
    def lit_word(self) -> int:
        return self._lit

    def set_count_in(self, beats: int) -> None:
        self.count_in_label.setText(str(beats) if beats > 0 else "")
        self.count_in_label.setVisible(beats > 0)

    def _render(self) -> None:
        parts = []
        scored = self._score.words if self._score is not None else []
        for i, word in enumerate(self.words()):
            text = html.escape(word)
            if self._lit >= 0:
                if i == self._lit:
                    parts.append(f'<span style="color:{LEARNER.name()}; '
                                 f'text-decoration: underline">{text}</span>')
                elif i < self._lit:
                    parts.append(text)
                else:
                    parts.append(f'<span style="color:{MUTED.name()}">{text}</span>')
            elif i < len(scored):
                parts.append(f'<span style="color:{score_color(scored[i].word_score).name()}">'
                             f'{text}</span>')
            else:
                parts.append(text)
        self.text_label.setText(" ".join(parts))

    def retranslate_ui(self) -> None:
        self.text_label.setAccessibleName(self.tr("Current line"))
        self.translation_label.setAccessibleName(self.tr("Translation of the current line"))
        self.count_in_label.setAccessibleName(self.tr("Count-in"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
