"""The scene browser: a search box, a category filter and a list of scene cards.

Model → proxy → view: `SceneListModel` holds the library's `SceneSummary` rows, `SceneFilterProxy`
hides the ones that don't match the search text or category (both in scene_list_model.py),
`SceneCardDelegate` (scene_card_delegate.py) paints each row as a card (thumbnail, title, actor,
category, length, number of lines). The browser only reports which scene is selected; loading it
is the main window's business.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QLineEdit, QListView, QStackedWidget,
    QVBoxLayout, QWidget,
)

from yousync_desktop.library import SceneSummary
from yousync_desktop.ui.scene_card_delegate import SceneCardDelegate
from yousync_desktop.ui.scene_list_model import (
    KEY_ROLE, SCENE_ROLE, SceneFilterProxy, SceneListModel, line_count_text, scene_matches,
)

# The model, filter and card moved to their own modules; they stay importable from here.
__all__ = ["KEY_ROLE", "SCENE_ROLE", "SceneBrowser", "SceneCardDelegate", "SceneFilterProxy",
           "SceneListModel", "line_count_text", "scene_matches"]


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

