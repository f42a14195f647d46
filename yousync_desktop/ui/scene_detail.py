"""The detail pane: the selected scene's thumbnail, title, actor, category, length and its lines.

Selecting a scene shows its card's facts at once (`show_summary`, from the scene list) and its
lines once the main window has read them off the GUI thread (`show_scene`): a scene of hundreds
of long lines takes a moment to read, and the window stays responsive meanwhile. The lines table
measures the height of the rows it shows, never of all of them.

Line times are shown relative to the clip (what the learner hears: 0:00 is where the clip starts);
the library keeps absolute source-video times, converted by `Token.clip_offset` only.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QAbstractItemModel, QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex,
    QSize, Qt, QTimer, Signal,
)
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSizePolicy, QStackedWidget,
    QTableView, QVBoxLayout, QWidget,
)

from yousync_desktop.domain import Script, Token
from yousync_desktop.library import SceneSummary, StoredScene
from yousync_desktop.ui.formatting import format_clip_time, format_duration
from yousync_desktop.ui.scene_browser import line_count_text

DETAIL_THUMBNAIL_SIZE = QSize(384, 216)  # 16:9


class ScriptLinesModel(QAbstractTableModel):
    TIME, TEXT, TRANSLATION = range(3)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._token: Token | None = None

    def set_token(self, token: Token | None) -> None:
        self.beginResetModel()
        self._token = token
        self.endResetModel()

    def script(self, row: int) -> Script | None:
        scripts = self._token.scripts if self._token else []
        return scripts[row] if 0 <= row < len(scripts) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() or self._token is None else len(self._token.scripts)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 3

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        script = self.script(index.row()) if index.isValid() else None
        if script is None or self._token is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.TIME:
                return format_clip_time(self._token.clip_offset(script.start_time))
            if column == self.TEXT:
                return script.script
            return script.translation or ""
        if role == Qt.ItemDataRole.ToolTipRole and column == self.TIME:
            start = format_clip_time(self._token.clip_offset(script.start_time))
            end = format_clip_time(self._token.clip_offset(script.end_time))
            return f"{start} – {end}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {self.TIME: self.tr("Time"), self.TEXT: self.tr("English"),
                self.TRANSLATION: self.tr("Korean")}.get(section)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)


class LinesTable(QTableView):
    """Rows as tall as their wrapped text, measured only where they are seen. Qt's
    ResizeToContents measures every row whenever a column changes width: for a scene of hundreds
    of long lines that stalls the window for seconds, on opening the scene and again on every
    resize. Here a row is measured when it comes into view, and again after the columns change.
    Scrolling goes row by row (ScrollPerItem), so measuring a row above the view never moves it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._measured: set[int] = set()
        self._fit_scheduled = False
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Column widths from the visible rows only (the time column is the one sized to fit).
        self.horizontalHeader().setResizeContentsPrecision(0)
        self.horizontalHeader().sectionResized.connect(self._forget_row_heights)
        self.verticalScrollBar().valueChanged.connect(self._schedule_fit)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        if model is not None:
            model.modelReset.connect(self._forget_row_heights)

    def measured_rows(self) -> int:
        return len(self._measured)

    def fit_visible_rows(self) -> None:
        """Give each row in view, and each row of the last page, the height of its wrapped text.
        (With ScrollPerItem the scroll range comes from the rows that fit at the bottom: were
        they left at the default height, the last lines could never be scrolled to.)"""
        self._fit_scheduled = False
        model = self.model()
        rows = model.rowCount() if model is not None else 0
        page = self.viewport().height()
        last_page = 0
        for row in range(rows - 1, -1, -1):
            if last_page >= page:
                break
            self._measure(row)
            last_page += self.rowHeight(row)
        # ScrollPerItem: the scroll bar's value is the top row (rowAt(0) can be stale while a
        # resize is being laid out, and start the walk far above the view).
        for row in range(min(self.verticalScrollBar().value(), max(rows - 1, 0)), rows):
            self._measure(row)
            if self.rowViewportPosition(row) + self.rowHeight(row) >= page:
                break

    def _measure(self, row: int) -> None:
        if row not in self._measured:
            self.resizeRowToContents(row)
            self._measured.add(row)

    def _forget_row_heights(self, *_args) -> None:
        self._measured.clear()
        self._schedule_fit()

    def _schedule_fit(self, *_args) -> None:
        # Once per burst of scroll, resize and reset signals, after Qt has laid the view out.
        if not self._fit_scheduled:
            self._fit_scheduled = True
            QTimer.singleShot(0, self, self.fit_visible_rows)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._schedule_fit()


class SceneDetail(QWidget):
    practise_requested = Signal(int)  # the scene's library key

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._summary: SceneSummary | None = None  # the selected scene, known at once
        self._scene: StoredScene | None = None      # the same scene, once read with its lines

        self.placeholder = QLabel(self)
        self.placeholder.setObjectName("emptyState")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)

        self.thumbnail = QLabel(self)
        self.thumbnail.setObjectName("detailThumbnail")
        self.thumbnail.setFixedSize(DETAIL_THUMBNAIL_SIZE)
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel(self)
        self.title.setObjectName("detailTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.actor = QLabel(self)
        self.actor.setObjectName("detailActor")
        self.actor.setWordWrap(True)  # a long name wraps rather than widen the window
        self.category = QLabel(self)
        self.category.setObjectName("categoryChip")
        self.category.setWordWrap(True)
        self.category.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.facts = QLabel(self)
        self.facts.setObjectName("detailFacts")
        self.lines_heading = QLabel(self)
        self.lines_heading.setObjectName("sectionHeading")
        self.practise_button = QPushButton(self)
        self.practise_button.setObjectName("practiseButton")
        self.practise_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.practise_button.clicked.connect(
            lambda: self.scene_key() is not None and self.practise_requested.emit(self.scene_key()))

        self.lines_model = ScriptLinesModel(self)
        self.lines_table = LinesTable(self)
        self.lines_table.setObjectName("linesTable")
        self.lines_table.setModel(self.lines_model)
        self.lines_table.setWordWrap(True)
        self.lines_table.setAlternatingRowColors(True)
        self.lines_table.setShowGrid(False)
        self.lines_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.lines_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.lines_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines_table.verticalHeader().hide()
        header = self.lines_table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(ScriptLinesModel.TIME, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ScriptLinesModel.TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ScriptLinesModel.TRANSLATION, QHeaderView.ResizeMode.Stretch)

        info = QVBoxLayout()
        info.setSpacing(6)
        info.addWidget(self.title)
        info.addWidget(self.actor)
        info.addWidget(self.category)
        info.addWidget(self.facts)
        info.addStretch(1)

        content = QWidget(self)
        grid = QGridLayout(content)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(10)
        grid.addWidget(self.thumbnail, 0, 0)
        grid.addLayout(info, 0, 1)
        heading = QHBoxLayout()
        heading.addWidget(self.lines_heading)
        heading.addStretch(1)
        heading.addWidget(self.practise_button)
        grid.addLayout(heading, 1, 0, 1, 2)
        grid.addWidget(self.lines_table, 2, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(2, 1)

        self._stack = QStackedWidget(self)
        self._stack.addWidget(self.placeholder)
        self._stack.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self._stack)
        self.retranslate_ui()
        self.show_scene(None)

    def scene(self) -> StoredScene | None:
        """The selected scene with its lines (as the main window reads it: without its pitch
        contour, which this pane does not show); None while it is being read."""
        return self._scene

    def scene_key(self) -> int | None:
        """The selected scene's library key, known as soon as it is selected."""
        return self._summary.key if self._summary is not None else None

    def is_loading(self) -> bool:
        return self._summary is not None and self._scene is None

    def show_summary(self, summary: SceneSummary | None) -> None:
        """Show a newly selected scene's card facts; its lines follow with `show_scene`."""
        self._summary = summary
        self._scene = None
        self.lines_model.set_token(None)
        if summary is None:
            self._stack.setCurrentIndex(0)
            return
        self.title.setText(summary.token_name)
        self.actor.setText(summary.actor_name)
        self.category.setText(summary.category or "")
        self.category.setVisible(bool(summary.category))
        self._show_facts()
        self.thumbnail.setPixmap(self._thumbnail_pixmap(summary.thumbnail))
        self._stack.setCurrentIndex(1)

    def show_scene(self, scene: StoredScene | None) -> None:
        """Show a scene with its lines (its card facts too, unless `show_summary` just did)."""
        if scene is None:
            self.show_summary(None)
            return
        if self.scene_key() != scene.key:
            token = scene.token
            self.show_summary(SceneSummary(
                key=scene.key, pack_id=scene.pack_id, token_name=token.token_name,
                actor_name=token.actor_name, category=token.category, duration=token.duration,
                line_count=len(token.scripts), thumbnail=scene.media.thumbnail))
        self._scene = scene
        self.lines_model.set_token(scene.token)  # one reset; rows are measured as they show
        self.lines_table.fit_visible_rows()

    def _show_facts(self) -> None:
        if self._summary is not None:
            self.facts.setText(f"{format_duration(self._summary.duration)} · "
                               f"{line_count_text(self._summary.line_count)}")

    def _thumbnail_pixmap(self, path: Path | None) -> QPixmap:
        image = QImage(str(path)) if path else QImage()
        if image.isNull():
            return QPixmap()
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap.fromImage(image.scaled(
            DETAIL_THUMBNAIL_SIZE * ratio, Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation))
        pixmap.setDevicePixelRatio(ratio)
        return pixmap

    def retranslate_ui(self) -> None:
        self.placeholder.setText(self.tr("Select a scene to see its lines"))
        self.lines_heading.setText(self.tr("Lines"))
        self.practise_button.setText(self.tr("Practise this scene"))
        self.practise_button.setToolTip(self.tr("Record your dub line by line (Ctrl+P)"))
        self.thumbnail.setAccessibleName(self.tr("Scene thumbnail"))
        self.lines_table.setAccessibleName(self.tr("Lines of the selected scene"))
        self.lines_model.retranslate()
        self._show_facts()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
