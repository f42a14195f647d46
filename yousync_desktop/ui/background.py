"""The one way the UI runs slow work (file import, export, deletion) off the GUI thread.

In the spirit of Anki's ``QueryOp``::

    BackgroundOp(parent, lambda: import_pack(library, path)) \\
        .success(self._on_imported) \\
        .failure(self._on_import_failed) \\
        .run_in_background()

``op`` runs on ``QThreadPool.globalInstance()``; ``success(result)`` or ``failure(exception)`` is
then called on the GUI thread. If ``parent`` has been destroyed by then, neither is called, so a
callback never touches a deleted widget. Without a ``failure`` callback the exception goes to
``sys.excepthook`` (logged, never silently lost).
"""

from __future__ import annotations

import sys
from typing import Any, Callable, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Qt, Signal, Slot

T = TypeVar("T")

# Ops in flight, kept alive here until their callbacks have run (nothing else may hold them).
_running: set["BackgroundOp"] = set()


class _Relay(QObject):
    """Lives on the GUI thread; a signal emitted from the worker reaches it as a queued call."""

    finished = Signal(bool, object)  # (succeeded, result or exception)


class _Job(QRunnable):
    def __init__(self, op: Callable[[], Any], relay: _Relay):
        super().__init__()
        self._op = op
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._op()
        except BaseException as error:  # noqa: BLE001 - handed to the failure callback
            self._relay.finished.emit(False, error)
        else:
            self._relay.finished.emit(True, result)


class BackgroundOp(Generic[T]):
    def __init__(self, parent: QObject, op: Callable[[], T]):
        self._parent = parent
        self._op = op
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._relay: _Relay | None = None

    def success(self, callback: Callable[[T], None]) -> "BackgroundOp[T]":
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> "BackgroundOp[T]":
        self._on_failure = callback
        return self

    def run_in_background(self) -> None:
        self._relay = _Relay()
        self._relay.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        _running.add(self)
        QThreadPool.globalInstance().start(_Job(self._op, self._relay))

    @Slot(bool, object)
    def _deliver(self, succeeded: bool, payload: object) -> None:
        _running.discard(self)
        if not shiboken6.isValid(self._parent):
            return
        if succeeded:
            if self._on_success is not None:
                self._on_success(payload)  # type: ignore[arg-type]
        elif self._on_failure is not None:
            self._on_failure(payload)  # type: ignore[arg-type]
        else:
            sys.excepthook(type(payload), payload, payload.__traceback__)  # type: ignore[union-attr]


def background_ops_running() -> int:
    """How many ops have not delivered their result yet (for waiting in tests and screenshots)."""
    return len(_running)
