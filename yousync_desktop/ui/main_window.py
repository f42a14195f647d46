"""The main window: scene browser on the left, the selected scene on the right, and the menus that
import, export and delete scene packs.

It is handed the app's services (`AppServices`) and builds none. The scene list (a few rows of
SQLite) is read on the GUI thread; a selected scene's lines, which can run to hundreds, are read
as a background task (without the pitch contour, which the pane does not show) while its card's
facts show at once; anything that copies or decodes files (import, export, delete, installing
the demo scenes) runs as a background task, with a busy indicator (and its progress, when the
task reports one) in the status bar. The scene list refreshes itself when the library says a
scene came or went (change events), not when an operation remembers to ask.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QByteArray, QEvent, Qt
from PySide6.QtGui import (
    QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QShowEvent,
)
from PySide6.QtWidgets import QMainWindow, QMessageBox, QSplitter, QWidget

from yousync_desktop import __version__
from yousync_desktop.errors import CodedError
from yousync_desktop.events import TokenAdded, TokenRemoved
from yousync_desktop.library import Library, LibraryError
from yousync_desktop.services import AppServices
from yousync_desktop.ui.error_texts import describe_error
from yousync_desktop.ui.busy_indicator import BusyIndicator
from yousync_desktop.ui.events import EventBridge
from yousync_desktop.ui.i18n import UiLanguage
from yousync_desktop.ui.scene_browser import SceneBrowser
from yousync_desktop.ui.scene_detail import SceneDetail
from yousync_desktop.ui.scene_pack_actions import ScenePackActions, dropped_packs
from yousync_desktop.ui.settings_dialog import SettingsDialog

STATUS_TIMEOUT_MS = 8000


class MainWindow(QMainWindow):
    def __init__(self, services: AppServices, ui_language: UiLanguage, events: EventBridge,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.events = events
        self.practice_window = None
        self._library = services.library
        self._settings = services.settings
        self._tasks = services.tasks
        self._scene_read = None  # the TaskHandle reading the selected scene, if any
        self._ui_language = ui_language
        self.preferences_dialog: SettingsDialog | None = None

        self.browser = SceneBrowser(self)
        self.detail = SceneDetail(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.browser)
        self.splitter.addWidget(self.detail)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([430, 770])
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setContentsMargins(10, 10, 10, 4)
        self.setCentralWidget(self.splitter)

        self.busy = BusyIndicator(self, self.statusBar(), self._tasks)
        self.busy_label, self.busy_bar = self.busy.label, self.busy.bar
        self.packs = ScenePackActions(
            self, self._library, self.busy,
            select_scene=lambda key: self.refresh_library(select_key=key),
            before_delete=self._let_go_of_scene)

        self._create_actions()
        self._create_menus()
        self.browser.scene_selected.connect(self._show_scene)
        self.browser.list_view.activated.connect(lambda _index: self.open_practice())
        self.detail.practise_requested.connect(self.open_practice)
        self.setAcceptDrops(True)
        self.setObjectName("mainWindow")
        events.on((TokenAdded, TokenRemoved),
                  lambda _event: self.refresh_library(select_key=self.browser.selected_key()),
                  owner=self)

        self.retranslate_ui()
        self._restore_window_layout()
        self.refresh_library()

    @property
    def library(self) -> Library:
        return self._library

    @property
    def ui_language(self) -> UiLanguage:
        return self._ui_language

    # --- actions and menus -----------------------------------------------------------------------

    def _create_actions(self) -> None:
        def action(slot: Callable[[], Any], shortcut: QKeySequence | str | None = None) -> QAction:
            created = QAction(self)
            if shortcut is not None:
                created.setShortcut(QKeySequence(shortcut))
            created.triggered.connect(slot)
            return created

        self.import_action = action(lambda: self.packs.choose_and_import(), "Ctrl+I")
        self.export_action = action(self._export_selected, "Ctrl+E")
        self.delete_action = action(self.confirm_and_delete_scene, QKeySequence.StandardKey.Delete)
        self.practise_action = action(lambda: self.open_practice(), "Ctrl+P")
        self.quit_action = action(self.close, QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.find_action = action(self.browser.focus_search, QKeySequence.StandardKey.Find)
        self.preferences_action = action(self.open_preferences, "Ctrl+,")
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.about_action = action(self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        # Ctrl+Q is not every platform's Quit key (Windows has none); make it work everywhere.
        if QKeySequence("Ctrl+Q") not in self.quit_action.shortcuts():
            self.quit_action.setShortcuts([*self.quit_action.shortcuts(), QKeySequence("Ctrl+Q")])

    def _create_menus(self) -> None:
        menu_bar = self.menuBar()
        self.file_menu = menu_bar.addMenu("")
        self.file_menu.addAction(self.practise_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.import_action)
        self.file_menu.addAction(self.export_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.delete_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.edit_menu = menu_bar.addMenu("")
        self.edit_menu.addAction(self.find_action)
        self.settings_menu = menu_bar.addMenu("")
        self.settings_menu.addAction(self.preferences_action)
        self.help_menu = menu_bar.addMenu("")
        self.help_menu.addAction(self.about_action)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("YouSync"))
        self.file_menu.setTitle(self.tr("&File"))
        self.edit_menu.setTitle(self.tr("&Edit"))
        self.settings_menu.setTitle(self.tr("&Settings"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.import_action.setText(self.tr("&Import scene pack…"))
        self.import_action.setStatusTip(self.tr("Add a scene from a .yspack file"))
        self.export_action.setText(self.tr("&Export scene pack…"))
        self.export_action.setStatusTip(self.tr("Save the selected scene as a .yspack file"))
        self.delete_action.setText(self.tr("&Delete scene…"))
        self.delete_action.setStatusTip(self.tr("Remove the selected scene and its takes"))
        self.practise_action.setText(self.tr("&Practise scene…"))
        self.practise_action.setStatusTip(self.tr("Record your dub of the selected scene"))
        self.quit_action.setText(self.tr("&Quit"))
        self.find_action.setText(self.tr("&Find"))
        self.preferences_action.setText(self.tr("&Preferences…"))
        self.about_action.setText(self.tr("&About YouSync"))
        self.busy_bar.setAccessibleName(self.tr("Work in progress"))
        self.busy.show_state()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # --- the library -----------------------------------------------------------------------------

    def refresh_library(self, select_key: int | None = None) -> None:
        try:
            scenes, categories = self._library.list_scenes(), self._library.categories()
        except LibraryError as error:
            self.statusBar().showMessage(describe_error(error), STATUS_TIMEOUT_MS)
            return
        self.browser.set_scenes(scenes, categories)
        if select_key is not None:
            self.browser.select_scene(select_key)
        self._update_scene_actions()

    def _show_scene(self, key: int | None) -> None:
        if self._scene_read is not None:
            self._scene_read.cancel()  # a scene selected and left before it was read
            self._scene_read = None
        summary = next((s for s in self.browser.scene_model.scenes() if s.key == key), None)
        self.detail.show_summary(summary)
        self._update_scene_actions()
        if summary is not None:
            key = summary.key
            self._scene_read = self._tasks.run(
                lambda _task: self._library.get_scene(key, with_pitch=False),
                on_success=lambda scene: self._scene_read_done(key, scene),
                on_failure=lambda error: self._scene_read_done(key, None, error),
                owner=self, lane="scene-detail", label="read scene")

    def _scene_read_done(self, key: int, scene, error: BaseException | None = None) -> None:
        if key != self.detail.scene_key():
            return  # another scene was selected meanwhile
        self._scene_read = None
        if error is not None:
            self.statusBar().showMessage(describe_error(error), STATUS_TIMEOUT_MS)
            return
        self.detail.show_scene(scene)
        self._update_scene_actions()

    def _update_scene_actions(self) -> None:
        # Practice opens a scene by its key; export and delete work on the scene as read.
        has_scene = self.detail.scene() is not None
        self.export_action.setEnabled(has_scene)
        self.delete_action.setEnabled(has_scene)
        self.practise_action.setEnabled(self.detail.scene_key() is not None)

    # --- demo scenes -----------------------------------------------------------------------------

    def is_busy(self) -> bool:
        return self.busy.is_busy()

    def install_demo_scenes(self) -> None:
        """Add the bundled demo scenes (first start); the list fills in when they are in."""
        self.busy.run(lambda: self.tr("Installing demo scenes…"),
                       self.services.install_demo_scenes,
                       self._on_demo_scenes_installed, self._on_demo_scenes_failed)

    def _on_demo_scenes_installed(self, results: list) -> None:
        added = sum(1 for r in results if r.status == "added")
        if added:
            self.statusBar().showMessage(
                self.tr("Demo scenes installed ({count})").format(count=added), STATUS_TIMEOUT_MS)

    def show_take_repairs(self, report) -> None:
        """What start-up repair did to the takes (library/reconcile.TakeRepairReport), in one line
        that stays until the next message: "2 takes were recovered after a crash"."""
        notices = report.notices() if report is not None else []
        if notices:
            self.statusBar().showMessage(" ".join(describe_error(n) for n in notices), 0)

    def _on_demo_scenes_failed(self, error: BaseException) -> None:
        # Not worth a dialog: the app is fully usable without them.
        # The core's sentence already says that the demo scenes could not be installed.
        self.statusBar().showMessage(describe_error(error), 0)

    # --- practice -------------------------------------------------------------------------------

    def open_practice(self, key: int | None = None):
        """Open the practice window for scene `key` (default: the selected one); one at a time."""
        from yousync_desktop.ui.practice.practice_window import PracticeWindow

        key = key if key is not None else self.detail.scene_key()
        if key is None:
            return None
        if self.practice_window is not None:
            if self.practice_window.session.scene.key == key:
                self.practice_window.raise_()
                self.practice_window.activateWindow()
                return self.practice_window
            self.practice_window.close()
        try:
            session = self.services.open_practice_session(key)
        except LibraryError as error:
            self.packs.warn(self.tr("Cannot practise"), self.tr("This scene cannot be opened."),
                            error)
            return None
        window = PracticeWindow(session, self._settings, self._tasks, self.events,
                                open_preferences=self.open_preferences, parent=self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda *_: self._practice_closed(window))
        self.practice_window = window
        window.show()
        window.start_audio()
        return window

    def _practice_closed(self, window) -> None:
        if self.practice_window is window:
            self.practice_window = None

    # --- scene packs: menus and dropped files ---------------------------------------------------

    def import_pack(self, path: Path) -> None:
        self.packs.import_pack(path)

    def export_scene(self, key: int, title: str, out_path: Path) -> None:
        self.packs.export_scene(key, title, out_path)

    def _export_selected(self) -> None:
        if self.detail.scene() is not None:
            self.packs.choose_and_export(self.detail.scene())

    def confirm_and_delete_scene(self) -> None:
        if self.detail.scene() is not None:
            self.packs.confirm_and_delete(self.detail.scene())

    def _let_go_of_scene(self, key: int) -> None:
        if self.practice_window is not None and self.practice_window.session.scene.key == key:
            self.practice_window.close()  # its takes are about to go

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_packs(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for path in dropped_packs(event):
            self.packs.import_pack(path)
        event.acceptProposedAction()

    # --- preferences, language, about ------------------------------------------------------------

    def open_preferences(self) -> None:
        # open() rather than exec(): no nested event loop, and tests can drive the dialog.
        from yousync_desktop.audio.devices import list_devices

        dialog = SettingsDialog(self._settings.current, self, tasks=self._tasks,
                                list_devices=list_devices, open_calibration=self.open_calibration)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._apply_preferences(dialog))
        self.preferences_dialog = dialog
        dialog.open()

    def _apply_preferences(self, dialog: SettingsDialog) -> None:
        try:
            with self._settings.edit() as settings:
                devices_changed = dialog.apply_to(settings)
        except CodedError as error:  # could not be saved: kept for this run, said once
            self.statusBar().showMessage(describe_error(error), STATUS_TIMEOUT_MS)
            devices_changed = True
        self.set_language(dialog.selected_language())
        if self.practice_window is not None:
            self.practice_window.apply_settings(devices_changed=devices_changed)

    def open_calibration(self) -> None:
        """The calibration wizard: on the practice window's running stream when one is open (the
        measurement holds for that stream), otherwise on freshly opened devices."""
        from yousync_desktop.ui.calibration_dialog import CalibrationDialog

        practice = self.practice_window
        if practice is not None and practice.audio_state == "ready":
            practice.calibrate()
            return
        dialog = CalibrationDialog(
            lambda acoustic: self.services.calibrate_devices(acoustic=acoustic), self._tasks, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.calibration_dialog = dialog
        dialog.open()

    def set_language(self, language: str) -> None:
        """Switch the UI language now ("system", "en" or "ko") and remember it."""
        self._update_settings(language=language)
        self._ui_language.apply(language)  # every widget then gets a LanguageChange event

    def show_about(self) -> None:
        QMessageBox.about(
            self, self.tr("About YouSync"),
            self.tr("<h3>YouSync Desktop {version}</h3>"
                    "<p>Practise dubbing movie scenes: record each line over the background "
                    "track and see how close you came to the actor.</p>").format(
                version=__version__))

    # --- window layout across runs ---------------------------------------------------------------

    def _restore_window_layout(self) -> None:
        settings = self._settings.current
        geometry = QByteArray.fromBase64(settings.window_geometry.encode("ascii"))
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(1200, 760)
        state = QByteArray.fromBase64(settings.window_state.encode("ascii"))
        if not state.isEmpty():
            self.restoreState(state)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous() and self.browser.list_view.isVisible():
            # Arrow keys browse the scenes from the start; Ctrl+F reaches the search box.
            self.browser.list_view.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.practice_window is not None:
            self.practice_window.close()  # stops the audio, keeps a take in progress
        self._update_settings(
            window_geometry=bytes(self.saveGeometry().toBase64()).decode("ascii"),
            window_state=bytes(self.saveState().toBase64()).decode("ascii"))
        super().closeEvent(event)

    def _update_settings(self, **changes) -> None:
        try:
            self._settings.update(**changes)
        except CodedError as error:
            self.statusBar().showMessage(describe_error(error), STATUS_TIMEOUT_MS)
