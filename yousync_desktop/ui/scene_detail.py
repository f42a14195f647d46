"""The detail pane: the selected scene's thumbnail, title, actor, category, length and its lines.

Line times are shown relative to the clip (what the learner hears: 0:00 is where the clip starts);
the library keeps absolute source-video times, converted by `Token.clip_offset` only.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, Signal,
)
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSizePolicy, QStackedWidget,
    QTableView, QVBoxLayout, QWidget,
)

from yousync_desktop.domain import Script, Token
from yousync_desktop.library import StoredScene
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


class SceneDetail(QWidget):
    practise_requested = Signal(int)  # the scene's library key

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._scene: StoredScene | None = None

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
        self.category = QLabel(self)
        self.category.setObjectName("categoryChip")
        self.category.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.facts = QLabel(self)
        self.facts.setObjectName("detailFacts")
        self.lines_heading = QLabel(self)
        self.lines_heading.setObjectName("sectionHeading")
        self.practise_button = QPushButton(self)
        self.practise_button.setObjectName("practiseButton")
        self.practise_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.practise_button.clicked.connect(
            lambda: self._scene is not None and self.practise_requested.emit(self._scene.key))

        self.lines_model = ScriptLinesModel(self)
        self.lines_table = QTableView(self)
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
        # Rows as tall as their wrapped text, re-measured by Qt whenever the columns change width;
        # a scene has a handful of lines, so measuring them all is cheap.
        self.lines_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)

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
        return self._scene

    def show_scene(self, scene: StoredScene | None) -> None:
        self._scene = scene
        self.lines_model.set_token(scene.token if scene else None)
        if scene is None:
            self._stack.setCurrentIndex(0)
            return
        token = scene.token
        self.title.setText(token.token_name)
        self.actor.setText(token.actor_name)
        self.category.setText(token.category or "")
        self.category.setVisible(bool(token.category))
        self._show_facts()
        self.thumbnail.setPixmap(self._thumbnail_pixmap(scene))
        self._stack.setCurrentIndex(1)

    def _show_facts(self) -> None:
        if self._scene is not None:
            token = self._scene.token
            self.facts.setText(f"{format_duration(token.duration)} · "
                               f"{line_count_text(len(token.scripts))}")

    def _thumbnail_pixmap(self, scene: StoredScene) -> QPixmap:
        image = QImage(str(scene.media.thumbnail)) if scene.media.thumbnail else QImage()
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
