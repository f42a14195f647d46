"""The scene browser: a search box, a category filter and a list of scene cards.

Model → proxy → view: `SceneListModel` holds the library's `SceneSummary` rows, `SceneFilterProxy`
hides the ones that don't match the search text or category, `SceneCardDelegate` paints each row as
a card (thumbnail, title, actor, category, length, number of lines). The browser only reports which
scene is selected; loading it is the main window's business.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel, QCoreApplication, QEvent, QItemSelectionModel, QModelIndex, QObject, QPersistentModelIndex,
    QRect, QRectF, QSignalBlocker, QSize, QSortFilterProxyModel, Qt, Signal,
)
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QLineEdit, QListView, QStackedWidget,
    QStyle, QStyledItemDelegate, QStyleOptionViewItem, QVBoxLayout, QWidget,
)

from yousync_desktop.library import SceneSummary
from yousync_desktop.ui.formatting import format_duration, search_key
from yousync_desktop.ui.style import ACCENT_COLOR

SCENE_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's SceneSummary
KEY_ROLE = Qt.ItemDataRole.UserRole + 2    # the row's library key (int)

THUMBNAIL_SIZE = QSize(128, 72)  # 16:9, like the clips
CARD_PADDING = 8
CARD_MARGIN = 4


def line_count_text(count: int) -> str:
    # Spelled out rather than "%n line(s)" so English reads right without an English catalogue.
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


class SceneCardDelegate(QStyledItemDelegate):
    """Paints a row as a card: thumbnail on the left, title / actor / details on the right."""

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        return QSize(320, THUMBNAIL_SIZE.height() + 2 * (CARD_PADDING + CARD_MARGIN))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        scene: SceneSummary | None = index.data(SCENE_ROLE)
        if scene is None:
            return super().paint(painter, option, index)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = option.palette
        card = QRectF(option.rect.adjusted(CARD_MARGIN, CARD_MARGIN, -CARD_MARGIN, -CARD_MARGIN))
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)

        background = palette.color(QPalette.ColorRole.Base)
        border = palette.color(QPalette.ColorRole.Mid)
        if selected:
            background = QColor(ACCENT_COLOR)
            background.setAlpha(40)
            border = QColor(ACCENT_COLOR)
        elif hovered:
            background = palette.color(QPalette.ColorRole.AlternateBase)
        painter.setPen(border)
        painter.setBrush(background)
        painter.drawRoundedRect(card, 8, 8)

        thumb_rect = QRectF(card.left() + CARD_PADDING, card.top() + CARD_PADDING,
                            THUMBNAIL_SIZE.width(), THUMBNAIL_SIZE.height())
        self._paint_thumbnail(painter, thumb_rect, index.data(Qt.ItemDataRole.DecorationRole),
                              scene.token_name)

        text_left = int(thumb_rect.right()) + 12
        text_width = int(card.right()) - CARD_PADDING - text_left
        top = int(card.top()) + CARD_PADDING
        text_color = palette.color(QPalette.ColorRole.Text)
        muted = QColor(text_color)
        muted.setAlpha(170)

        title_font = _scaled_font(option.font, 1.1)
        title_font.setBold(True)
        top = self._draw_line(painter, title_font, text_color, text_left, top, text_width,
                              scene.token_name)
        top = self._draw_line(painter, option.font, text_color, text_left, top + 2, text_width,
                              scene.actor_name)

        details = f"{format_duration(scene.duration)} · {line_count_text(scene.line_count)}"
        small_font = _scaled_font(option.font, 0.95)
        left = text_left
        if scene.category:
            left = self._draw_chip(painter, small_font, left, top + 4, scene.category) + 8
        self._draw_line(painter, small_font, muted, left, top + 4 + 2,
                        text_left + text_width - left, details)
        painter.restore()

    @staticmethod
    def _draw_line(painter: QPainter, font: QFont, color: QColor, left: int, top: int, width: int,
                   text: str) -> int:
        painter.setFont(font)
        painter.setPen(color)
        metrics = painter.fontMetrics()
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(0, width))
        painter.drawText(QRect(left, top, max(0, width), metrics.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)
        return top + metrics.height()

    @staticmethod
    def _draw_chip(painter: QPainter, font: QFont, left: int, top: int, text: str) -> int:
        painter.setFont(font)
        metrics = painter.fontMetrics()
        rect = QRectF(left, top, metrics.horizontalAdvance(text) + 14, metrics.height() + 4)
        fill = QColor(ACCENT_COLOR)
        fill.setAlpha(30)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        painter.setPen(QColor(ACCENT_COLOR).darker(130))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        return int(rect.right())

    @staticmethod
    def _paint_thumbnail(painter: QPainter, rect: QRectF, pixmap: QPixmap | None, title: str) -> None:
        clip = QPainterPath()
        clip.addRoundedRect(rect, 6, 6)
        painter.save()
        painter.setClipPath(clip)
        if pixmap is not None:
            # Fill the 16:9 box, cropping the centre of thumbnails with another shape.
            source = QRectF(pixmap.rect())
            scale = max(rect.width() / source.width(), rect.height() / source.height())
            crop_w, crop_h = rect.width() / scale, rect.height() / scale
            source = QRectF(source.center().x() - crop_w / 2, source.center().y() - crop_h / 2,
                            crop_w, crop_h)
            painter.drawPixmap(rect, pixmap, source)
        else:
            painter.fillRect(rect, QColor(ACCENT_COLOR).lighter(160))
            font = _scaled_font(painter.font(), 2)
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(QColor("white"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, title[:1])
        painter.restore()


def _scaled_font(font: QFont, factor: float) -> QFont:
    scaled = QFont(font)
    if font.pointSizeF() > 0:
        scaled.setPointSizeF(font.pointSizeF() * factor)
    else:  # a font sized in pixels reports no point size
        scaled.setPixelSize(max(1, round(font.pixelSize() * factor)))
    return scaled


class SceneBrowser(QWidget):
    """Emits `scene_selected(key)` with the selected scene's library key, or None."""

    scene_selected = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.scene_model = SceneListModel(self)
        self.filter_model = SceneFilterProxy(self)
        self.filter_model.setSourceModel(self.scene_model)

        self.search_box = QLineEdit(self)
        self.search_box.setClearButtonEnabled(True)
        self.search_box.textChanged.connect(self._on_search_changed)

        self.category_box = QComboBox(self)
        self.category_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.category_box.addItem("", None)  # "All categories", named in retranslate_ui
        self.category_box.currentIndexChanged.connect(self._on_category_changed)

        self.list_view = QListView(self)
        self.list_view.setModel(self.filter_model)
        self.list_view.setItemDelegate(SceneCardDelegate(self.list_view))
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setUniformItemSizes(True)
        self.list_view.setMouseTracking(True)  # hover highlight on the cards
        self.list_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list_view.setObjectName("sceneList")
        self.list_view.selectionModel().selectionChanged.connect(self._on_selection_changed)

        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)

        self._stack = QStackedWidget(self)
        self._stack.addWidget(self.list_view)
        self._stack.addWidget(self.empty_label)

        filters = QHBoxLayout()
        filters.addWidget(self.search_box, 1)
        filters.addWidget(self.category_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self._stack, 1)

        self.filter_model.rowsInserted.connect(self._update_empty_state)
        self.filter_model.rowsRemoved.connect(self._update_empty_state)
        self.filter_model.modelReset.connect(self._update_empty_state)
        self.filter_model.layoutChanged.connect(self._update_empty_state)
        self.retranslate_ui()
        self._update_empty_state()

    # --- what the main window uses ---------------------------------------------------------------

    def set_scenes(self, scenes: list[SceneSummary], categories: list[str]) -> None:
        """Show the library's scenes; the selection stays on the same scene when it still exists."""
        previous = self.selected_key()
        self._set_categories(categories)
        with QSignalBlocker(self.list_view.selectionModel()):
            self.scene_model.set_scenes(scenes)
        if previous is None or not self.select_scene(previous):
            self._keep_a_visible_selection()
        self._update_empty_state()

    def select_scene(self, key: int) -> bool:
        """Select a scene by key (clearing filters that hide it). False if it is not listed."""
        source_row = self.scene_model.row_for_key(key)
        if source_row is None:
            return False
        proxy_index = self.filter_model.mapFromSource(self.scene_model.index(source_row))
        if not proxy_index.isValid():
            self.search_box.clear()
            self.category_box.setCurrentIndex(0)
            proxy_index = self.filter_model.mapFromSource(self.scene_model.index(source_row))
        self.list_view.selectionModel().setCurrentIndex(
            proxy_index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.list_view.scrollTo(proxy_index)
        return True

    def select_row(self, row: int) -> int | None:
        """Select the n-th visible scene; returns its key."""
        index = self.filter_model.index(row, 0)
        if not index.isValid():
            return None
        self.list_view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        return index.data(KEY_ROLE)

    def selected_key(self) -> int | None:
        rows = self.list_view.selectionModel().selectedRows()
        return rows[0].data(KEY_ROLE) if rows else None

    def visible_scenes(self) -> list[SceneSummary]:
        return [self.filter_model.index(row, 0).data(SCENE_ROLE)
                for row in range(self.filter_model.rowCount())]

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    # --- reacting ------------------------------------------------------------------------------

    def _set_categories(self, categories: list[str]) -> None:
        current = self.category_box.currentData()
        with QSignalBlocker(self.category_box):
            while self.category_box.count() > 1:
                self.category_box.removeItem(1)
            for category in categories:
                self.category_box.addItem(category, category)
            index = self.category_box.findData(current) if current is not None else 0
        # A category that vanished (its last scene deleted) falls back to "All categories".
        self.category_box.setCurrentIndex(max(0, index))
        self._on_category_changed()

    def _on_search_changed(self, text: str) -> None:
        self.filter_model.set_search_text(text)
        self._keep_a_visible_selection()

    def _on_category_changed(self, *_args) -> None:
        self.filter_model.set_category(self.category_box.currentData())
        self._keep_a_visible_selection()

    def _keep_a_visible_selection(self) -> None:
        # The detail pane always shows a scene the learner can see in the list.
        if self.selected_key() is None:
            if self.select_row(0) is None:
                self.scene_selected.emit(None)

    def _on_selection_changed(self, *_args) -> None:
        self.scene_selected.emit(self.selected_key())

    def _update_empty_state(self, *_args) -> None:
        if self.filter_model.rowCount() > 0:
            self._stack.setCurrentWidget(self.list_view)
            return
        if self.scene_model.rowCount() == 0:
            self.empty_label.setText(self.tr("No scenes yet — File ▸ Import scene pack…"))
        else:
            self.empty_label.setText(self.tr("No scene matches"))
        self._stack.setCurrentWidget(self.empty_label)

    def retranslate_ui(self) -> None:
        self.search_box.setPlaceholderText(self.tr("Search title or actor"))
        self.search_box.setAccessibleName(self.tr("Search scenes by title or actor"))
        self.category_box.setItemText(0, self.tr("All categories"))
        self.category_box.setAccessibleName(self.tr("Category filter"))
        self.list_view.setAccessibleName(self.tr("Scenes"))
        self._update_empty_state()
        self.list_view.viewport().update()  # the cards' "lines" text is translated when painted

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

