"""BackgroundOp: the op runs off the GUI thread, its outcome comes back on the GUI thread, and a
callback never reaches a widget that is gone."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QWidget

from yousync_desktop.ui.background import BackgroundOp, background_ops_running


def test_success_is_delivered_on_the_gui_thread(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    seen = {}

    def op():
        seen["op_thread"] = threading.current_thread()
        return 42

    def on_success(result):
        seen["result"] = result
        seen["callback_thread"] = threading.current_thread()

    BackgroundOp(parent, op).success(on_success).run_in_background()
    qtbot.waitUntil(lambda: "result" in seen)
    assert seen["result"] == 42
    assert seen["op_thread"] is not threading.main_thread()
    assert seen["callback_thread"] is threading.main_thread()
    assert background_ops_running() == 0


def test_failure_receives_the_exception(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    failures = []

    def op():
        raise ValueError("broken pack")

    (BackgroundOp(parent, op)
     .success(lambda _result: failures.append("success called"))
     .failure(failures.append)
     .run_in_background())
    qtbot.waitUntil(lambda: bool(failures))
    assert len(failures) == 1 and isinstance(failures[0], ValueError)
    assert str(failures[0]) == "broken pack"


def test_no_callback_after_the_parent_is_destroyed(qtbot):
    parent = QWidget()
    release = threading.Event()
    calls = []
    BackgroundOp(parent, lambda: release.wait(10)).success(calls.append).run_in_background()
    parent.deleteLater()
    qtbot.waitUntil(lambda: not _is_alive(parent))
    release.set()
    qtbot.waitUntil(lambda: background_ops_running() == 0)
    assert calls == []


def _is_alive(widget) -> bool:
    import shiboken6
    return shiboken6.isValid(widget)
