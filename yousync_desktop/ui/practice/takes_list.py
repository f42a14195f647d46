"""The takes of the current line: when, score, the kept (starred) one. The actions on the selected
take (play, A/B, hear it fixed, keep best, delete) live in the window's Takes menu and on the
buttons under the list."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from yousync_desktop.domain import Take
from yousync_desktop.ui.practice.palette import percent, score_color


class TakesModel(QAbstractTableModel):
    STAR, RECORDED, SCORE, LENGTH = range(4)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._takes: list[Take] = []

    def set_takes(self, takes: list[Take]) -> None:
        self.beginResetModel()
        self._takes = list(reversed(takes))  # newest first
        self.endResetModel()

    def take(self, row: int) -> Take | None:
        return self._takes[row] if 0 <= row < len(self._takes) else None

    def row_of(self, take_id: int) -> int | None:
        return next((i for i, t in enumerate(self._takes) if t.id == take_id), None)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._takes)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 4

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        take = self.take(index.row()) if index.isValid() else None
        if take is None:
            return None
        column = index.column()
        score = take.score
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.STAR:
                return "★" if take.starred else ""
            if column == self.RECORDED:
                return take.created_at.astimezone().strftime("%H:%M:%S")
            if column == self.SCORE:
                return f"{percent(score.sync_rate)} · {score.rank}" if score else self.tr("not scored")
            return f"{take.duration:.1f} s"
        if role == Qt.ItemDataRole.ForegroundRole and column in (self.SCORE, self.STAR):
            return score_color(score.sync_rate if score else None)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == self.STAR:
            return self.tr("kept") if take.starred else self.tr("not kept")
        if role == Qt.ItemDataRole.ToolTipRole:
            return take.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {self.STAR: "★", self.RECORDED: self.tr("Recorded"), self.SCORE: self.tr("Score"),
                self.LENGTH: self.tr("Length")}.get(section)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)


class TakesList(QTableView):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("takesList")
        self.takes_model = TakesModel(self)
        self.setModel(self.takes_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def selected_take(self) -> Take | None:
        index = self.currentIndex()
        return self.takes_model.take(index.row()) if index.isValid() else None

    def show_takes(self, takes: list[Take], select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else getattr(self.selected_take(), "id", None)
        self.takes_model.set_takes(takes)
        row = self.takes_model.row_of(keep) if keep is not None else None
        self.selectRow(row if row is not None else 0)

    def select_take(self, take_id: int) -> bool:
        """Select the take if it is listed; False if it is not (yet)."""
        row = self.takes_model.row_of(take_id)
        if row is None:
            return False
        self.selectRow(row)
        return True
