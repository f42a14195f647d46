"""What File ▸ Import / Export / Delete and dropping pack files on the window do: ask (file
dialogs, confirmation), run the work as a background task with the busy indicator, and say how it
went (status bar, or a warning with the error's one-line reason in the learner's language and a
"Copy details" button)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, QStandardPaths
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from yousync_desktop.library import Library
from yousync_desktop.library.scene_pack import export_pack, import_pack
from yousync_desktop.ui.busy_indicator import BusyIndicator
from yousync_desktop.ui.error_dialog import ErrorDialog, show_error

PACK_SUFFIXES = (".yspack", ".zip")
STATUS_TIMEOUT_MS = 8000


def dropped_packs(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    return [Path(url.toLocalFile()) for url in urls
            if url.isLocalFile() and Path(url.toLocalFile()).suffix.lower() in PACK_SUFFIXES]


class ScenePackActions(QObject):
    """`select_scene(key)` shows a scene in the window once it is in the library;
    `before_delete(key)` lets the window let go of a scene about to be deleted."""

    def __init__(self, window: QMainWindow, library: Library, busy: BusyIndicator, *,
                 select_scene: Callable[[int | None], None],
                 before_delete: Callable[[int], None]):
        super().__init__(window)
        self._window = window
        self._library = library
        self._busy = busy
        self._select_scene = select_scene
        self._before_delete = before_delete
        self._last_pack_folder: Path | None = None

    def _status(self, text: str) -> None:
        self._window.statusBar().showMessage(text, STATUS_TIMEOUT_MS)

    # --- import ----------------------------------------------------------------------------------

    def choose_and_import(self) -> None:
        file_name, _ = QFileDialog.getOpenFileName(
            self._window, self.tr("Import scene pack"), self._last_folder(),
            self.tr("Scene packs (*.yspack *.zip);;All files (*)"))
        if file_name:
            self.import_pack(Path(file_name))

    def import_pack(self, path: Path) -> None:
        self._last_pack_folder = path.parent
        self._busy.run(lambda: self.tr("Importing {name}…").format(name=path.name),
                       lambda task: import_pack(self._library, path),
                       self._imported,
                       lambda error: self.warn(
                           self.tr("Import failed"),
                           self.tr("Could not import {name}.").format(name=path.name), error))

    def _imported(self, result) -> None:
        self._select_scene(result.key)  # the change event may not have arrived yet
        if result.status == "unchanged":
            message = self.tr("“{title}” is already in the library")
        else:
            message = self.tr("Imported “{title}”")
        self._status(message.format(title=result.token_name))

    # --- export ----------------------------------------------------------------------------------

    def choose_and_export(self, scene) -> None:
        suggested = str(Path(self._last_folder()) / f"{scene.pack_id}.yspack")
        file_name, _ = QFileDialog.getSaveFileName(
            self._window, self.tr("Export scene pack"), suggested,
            self.tr("Scene packs (*.yspack)"))
        if not file_name:
            return
        out_path = Path(file_name)
        if out_path.suffix.lower() not in PACK_SUFFIXES:
            out_path = out_path.with_name(out_path.name + ".yspack")
        self.export_scene(scene.key, scene.token.token_name, out_path)

    def export_scene(self, key: int, title: str, out_path: Path) -> None:
        self._last_pack_folder = out_path.parent
        self._busy.run(lambda: self.tr("Exporting “{title}”…").format(title=title),
                       lambda task: export_pack(self._library, key, out_path),
                       lambda _result: self._status(
                           self.tr("Saved {name}").format(name=out_path.name)),
                       lambda error: self.warn(
                           self.tr("Export failed"),
                           self.tr("Could not save {name}.").format(name=out_path.name), error))

    # --- delete ----------------------------------------------------------------------------------

    def confirm_and_delete(self, scene) -> None:
        answer = QMessageBox.question(
            self._window, self.tr("Delete scene"),
            self.tr("Delete “{title}” and all your takes of it? This cannot be undone.").format(
                title=scene.token.token_name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            self._before_delete(scene.key)
            self.delete_scene(scene.key, scene.token.token_name)

    def delete_scene(self, key: int, title: str) -> None:
        self._busy.run(lambda: self.tr("Deleting “{title}”…").format(title=title),
                       lambda task: self._library.delete_scene(key),
                       lambda _result: self._status(
                           self.tr("Deleted “{title}”").format(title=title)),
                       lambda error: self.warn(
                           self.tr("Delete failed"),
                           self.tr("Could not delete “{title}”.").format(title=title), error))

    # --- helpers ---------------------------------------------------------------------------------

    def warn(self, title: str, text: str, error: BaseException) -> ErrorDialog:
        """A window-modal warning with the error's one-line reason in the learner's language and
        "Copy details" for the rest (ui/error_dialog.py)."""
        return show_error(self._window, title, text, error)

    def _last_folder(self) -> str:
        if self._last_pack_folder is not None and self._last_pack_folder.is_dir():
            return str(self._last_pack_folder)
        return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
