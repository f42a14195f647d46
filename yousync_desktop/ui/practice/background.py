"""Work the practice window starts for the learner and then waits on: a take made ready to play,
the dub rendered or exported. It runs on the app's task manager; while any is under way the
window `is_busy()` (tests, screenshots and the benchmark wait for that), and a failure is said in
the status bar."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject

from yousync_desktop.tasks import TaskManager
from yousync_desktop.ui.error_texts import describe_error


class BusyWork:
    def __init__(self, tasks: TaskManager, owner: QObject, notify: Callable[[str], None]):
        self._tasks = tasks
        self._owner = owner      # no callback once it is gone
        self._notify = notify    # one line in the status bar
        self._running = 0

    def is_busy(self) -> bool:
        return self._running > 0

    def run(self, work: Callable[[], object], done: Callable[[object], None], *,
            lane: str | None = None, label: str = "") -> None:
        self._running += 1

        def succeeded(result) -> None:
            self._running -= 1
            done(result)

        def failed(error: BaseException) -> None:
            self._running -= 1
            self._notify(describe_error(error))

        self._tasks.run(lambda _task: work(), on_success=succeeded, on_failure=failed,
                        owner=self._owner, lane=lane, label=label)
