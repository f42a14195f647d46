"""The status bar's busy indicator: what the latest running task is doing, with its progress when
it reports one (an indeterminate bar until then). Runs tasks through the task manager, so the
window that owns it never sees a callback after it is gone."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from yousync_desktop.tasks import TaskHandle, TaskManager


@dataclass(eq=False)
class _Running:
    describe: Callable[[], str]         # re-evaluated on a language change
    fraction: float | None = None
    label: str = ""
    handle: TaskHandle | None = field(default=None, repr=False)


class BusyIndicator:
    def __init__(self, owner: QWidget, status_bar: QStatusBar, tasks: TaskManager):
        self._owner = owner
        self._tasks = tasks
        self._running: list[_Running] = []
        self.label = QLabel(owner)
        self.bar = QProgressBar(owner)
        self.bar.setRange(0, 0)
        self.bar.setMaximumWidth(140)
        self.bar.setTextVisible(False)
        status_bar.addPermanentWidget(self.label)
        status_bar.addPermanentWidget(self.bar)
        self.show_state()

    def run(self, describe: Callable[[], str], op: Callable[[Any], Any],
            on_success: Callable[[Any], None],
            on_failure: Callable[[BaseException], None]) -> TaskHandle:
        """Run `op(task)` as a background task; `describe()` is shown until it finishes."""
        running = _Running(describe)
        self._running.append(running)
        self.show_state()

        def finish() -> None:
            self._running.remove(running)
            self.show_state()

        def progress(fraction: float | None, label: str) -> None:
            running.fraction, running.label = fraction, label
            self.show_state()

        running.handle = self._tasks.run(
            op, on_success=lambda result: (finish(), on_success(result)),
            on_failure=lambda error: (finish(), on_failure(error)),
            on_cancelled=finish, on_progress=progress, owner=self._owner)
        return running.handle

    def is_busy(self) -> bool:
        return bool(self._running)

    def show_state(self) -> None:
        latest = self._running[-1] if self._running else None
        self.label.setText(latest.describe() if latest else "")
        # The step ("demo-rainy-promise") is detail: on hover, so the sentence stays steady.
        self.label.setToolTip(latest.label if latest else "")
        self.label.setVisible(latest is not None)
        self.bar.setVisible(latest is not None)
        if latest is None or latest.fraction is None:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, 1000)
            self.bar.setValue(round(latest.fraction * 1000))
