"""The Qt end of the task manager (yousync_desktop/tasks.py): callbacks come back on the GUI
thread, and never to a widget that has been destroyed.

`gui_task_manager()` is what `app.py` gives `AppServices`; widgets receive the manager and call
`tasks.run(op, on_success=..., on_failure=..., on_progress=..., owner=self)`.
"""

from __future__ import annotations

from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from yousync_desktop.tasks import ThreadedTaskManager


class GuiPost(QObject):
    """Lives on the GUI thread; a callable emitted from any thread runs there, queued."""

    _posted = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        app = QCoreApplication.instance()
        if app is not None and parent is None:
            self.moveToThread(app.thread())
        self._posted.connect(self._run, Qt.ConnectionType.QueuedConnection)

    def __call__(self, callback: Callable[[], None]) -> None:
        self._posted.emit(callback)

    @Slot(object)
    def _run(self, callback: Callable[[], None]) -> None:
        callback()


def owner_alive(owner: Any) -> bool:
    """A QObject owner must still exist on the C++ side; anything else always does."""
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


def gui_task_manager(max_workers: int = 2) -> ThreadedTaskManager:
    post = GuiPost()
    manager = ThreadedTaskManager(post, owner_alive=owner_alive, max_workers=max_workers)
    manager._gui_post = post  # kept alive as long as the manager
    return manager
