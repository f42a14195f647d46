"""The one bridge from core change notices (yousync_desktop/events.py) to Qt: every event a core
service publishes, on whatever thread, arrives on the GUI thread as `changed(event)`.

Views connect to `changed` (or subscribe with `on(EventType, slot, owner)`) and refresh
themselves from the library; nobody calls "refresh" on another widget.
"""

from __future__ import annotations

from typing import Callable

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot

from yousync_desktop.events import ChangeEvent, EventBus


class EventBridge(QObject):
    changed = Signal(object)   # a ChangeEvent, on the GUI thread
    _incoming = Signal(object)

    def __init__(self, bus: EventBus, parent: QObject | None = None):
        super().__init__(parent)
        self._bus = bus
        self._incoming.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = bus.subscribe(self._incoming.emit)

    @Slot(object)
    def _deliver(self, event: ChangeEvent) -> None:
        self.changed.emit(event)

    def on(self, kinds: type | tuple[type, ...], slot: Callable[[ChangeEvent], None],
           owner: QObject | None = None) -> None:
        """Call `slot(event)` for events of `kinds`; stops once `owner` is destroyed."""

        def deliver(event: ChangeEvent) -> None:
            if isinstance(event, kinds) and (owner is None or shiboken6.isValid(owner)):
                slot(event)

        self.changed.connect(deliver)
        if owner is not None:
            owner.destroyed.connect(lambda *_: _disconnect(self.changed, deliver))

    def close(self) -> None:
        self._unsubscribe()


def _disconnect(signal, slot) -> None:
    try:
        signal.disconnect(slot)
    except (RuntimeError, TypeError):  # already gone with its sender
        pass
