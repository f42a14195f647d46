"""The scene's lines: number, time in the clip, text and translation, state and best score."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from yousync_desktop.domain import Token, rank_for
from yousync_desktop.practice import LineStatus, LineSummary
from yousync_desktop.ui.formatting import format_clip_time
from yousync_desktop.ui.practice.palette import percent, score_color


class LineListModel(QAbstractTableModel):
    NUMBER, TIME, TEXT, STATE, BEST = range(5)

    def __init__(self, token: Token, parent: QObject | None = None):
        super().__init__(parent)
        self._token = token
        self._lines: list[LineSummary] = []

    def set_lines(self, lines: list[LineSummary]) -> None:
        if len(lines) == len(self._lines):
            self._lines = lines
            self.dataChanged.emit(self.index(0, 0), self.index(len(lines) - 1, self.BEST))
            return
        self.beginResetModel()
        self._lines = lines
        self.endResetModel()

    def line(self, row: int) -> LineSummary | None:
        return self._lines[row] if 0 <= row < len(self._lines) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 5

    def status_text(self, status: LineStatus) -> str:
        return {LineStatus.NOT_RECORDED: self.tr("Not recorded"),
                LineStatus.RECORDED: self.tr("Recorded"),
                LineStatus.SCORED: self.tr("Scored"),
                LineStatus.SYNCED: self.tr("Synced")}[status]

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        line = self.line(index.row()) if index.isValid() else None
        if line is None:
            return None
        column, script = index.column(), line.script
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NUMBER:
                return str(line.index + 1)
            if column == self.TIME:
                return format_clip_time(self._token.clip_offset(script.start_time))
            if column == self.TEXT:
                return script.script + (f"\n{script.translation}" if script.translation else "")
            if column == self.STATE:
                return self.status_text(line.status)
            if line.best_score is not None:
                return f"{percent(line.best_score)} · {rank_for(line.best_score)}"
            return ""
        if role == Qt.ItemDataRole.ForegroundRole and column == self.BEST:
            return score_color(line.best_score)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.STATE:
            return self.tr("{count} take(s)").format(count=line.take_count)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {self.NUMBER: "#", self.TIME: self.tr("Time"), self.TEXT: self.tr("Line"),
                self.STATE: self.tr("State"), self.BEST: self.tr("Best")}.get(section)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
        if self._lines:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._lines) - 1, self.BEST))


class LineList(QTableView):
    def __init__(self, token: Token, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("practiceLines")
        self.line_model = LineListModel(token, self)
        self.setModel(self.line_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(True)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column in (LineListModel.NUMBER, LineListModel.TIME, LineListModel.STATE,
                       LineListModel.BEST):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(LineListModel.TEXT, QHeaderView.ResizeMode.Stretch)

    def select_line(self, row: int) -> None:
        if self.currentIndex().row() != row:
            self.selectRow(row)
