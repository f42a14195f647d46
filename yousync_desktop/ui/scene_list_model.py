"""The scene browser's data: `SceneListModel` holds the library's `SceneSummary` rows and
`SceneFilterProxy` hides the ones that don't match the search text or category."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel, QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, QSize,
    QSortFilterProxyModel, Qt,
)
from PySide6.QtGui import QImage, QPixmap

from yousync_desktop.library import SceneSummary
from yousync_desktop.ui.formatting import format_duration, search_key

SCENE_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's SceneSummary
KEY_ROLE = Qt.ItemDataRole.UserRole + 2    # the row's library key (int)

THUMBNAIL_SIZE = QSize(128, 72)  # 16:9, like the clips


def line_count_text(count: int) -> str:
    # Spelled out rather than "%n line(s)" so English reads right without an English catalogue.
    # The context is the browser's, where these strings are translated (the card and detail pane
    # use them too).
    if count == 1:
        return QCoreApplication.translate("SceneBrowser", "1 line")
    return QCoreApplication.translate("SceneBrowser", "{count} lines").format(count=count)


class SceneListModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._scenes: list[SceneSummary] = []
        self._thumbnails: dict[Path, QPixmap] = {}

    def set_scenes(self, scenes: list[SceneSummary]) -> None:
        self.beginResetModel()
        self._scenes = list(scenes)
        self._thumbnails = {p: pm for p, pm in self._thumbnails.items()
                            if any(s.thumbnail == p for s in scenes)}
        self.endResetModel()

    def scenes(self) -> list[SceneSummary]:
        return list(self._scenes)

    def row_for_key(self, key: int) -> int | None:
        for row, scene in enumerate(self._scenes):
            if scene.key == key:
                return row
        return None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._scenes)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._scenes):
            return None
        scene = self._scenes[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return scene.token_name
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            parts = [scene.token_name, scene.actor_name, scene.category or "",
                     format_duration(scene.duration), line_count_text(scene.line_count)]
            return " · ".join(p for p in parts if p)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._thumbnail(scene.thumbnail)
        if role == SCENE_ROLE:
            return scene
        if role == KEY_ROLE:
            return scene.key
        return None

    def _thumbnail(self, path: Path | None) -> QPixmap | None:
        # Thumbnails are small JPEGs; decoding one is far below a frame's time, so it happens here,
        # once per file, scaled to the card's size.
        if path is None:
            return None
        if path not in self._thumbnails:
            image = QImage(str(path))
            self._thumbnails[path] = QPixmap() if image.isNull() else QPixmap.fromImage(
                image.scaled(THUMBNAIL_SIZE * 2, Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                             Qt.TransformationMode.SmoothTransformation))
        pixmap = self._thumbnails[path]
        return None if pixmap.isNull() else pixmap


def scene_matches(scene: SceneSummary, search_text: str, category: str | None) -> bool:
    """The browser's filter: title OR actor contains the search text, and the category fits."""
    if category is not None and scene.category != category:
        return False
    needle = search_key(search_text)
    if not needle:
        return True
    return needle in search_key(scene.token_name) or needle in search_key(scene.actor_name)


class SceneFilterProxy(QSortFilterProxyModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._search_text = ""
        self._category: str | None = None

    def set_search_text(self, text: str) -> None:
        if text != self._search_text:
            self._change_filter(lambda: setattr(self, "_search_text", text))

    def set_category(self, category: str | None) -> None:
        if category != self._category:
            self._change_filter(lambda: setattr(self, "_category", category))

    def _change_filter(self, change) -> None:
        # Qt 6.10 replaced invalidateRowsFilter() by a begin/end pair; older Qt has only the former.
        if hasattr(self, "endFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        scene = self.sourceModel().index(source_row, 0, source_parent).data(SCENE_ROLE)
        return scene is not None and scene_matches(scene, self._search_text, self._category)
