"""The Qt bridge for change events: a notice published on any thread arrives on the GUI thread,
only for the kinds asked for, and never for a view that is gone."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QWidget

from yousync_desktop.events import EventBus, TakeAdded, TokenAdded
from yousync_desktop.ui.events import EventBridge


def test_events_from_a_worker_thread_arrive_on_the_gui_thread(qtbot):
    bus = EventBus()
    bridge = EventBridge(bus)
    view = QWidget()
    qtbot.addWidget(view)
    seen = []
    bridge.on(TakeAdded, lambda event: seen.append((event, threading.current_thread())),
              owner=view)

    worker = threading.Thread(target=lambda: (bus.publish(TokenAdded(1)),
                                              bus.publish(TakeAdded(1, 7, 3))))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [(TakeAdded(1, 7, 3), threading.main_thread())]
    bridge.close()


def test_a_destroyed_view_hears_nothing_more(qtbot):
    bus = EventBus()
    bridge = EventBridge(bus)
    view = QWidget()
    heard, others = [], []
    bridge.on(TokenAdded, heard.append, owner=view)
    bridge.on(TokenAdded, others.append)
    view.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(view))
    bus.publish(TokenAdded(5))
    qtbot.waitUntil(lambda: bool(others))
    assert heard == []
    bridge.close()
