"""The task manager with the Qt end (ui/tasks.py): the op runs off the GUI thread, its outcome and
progress come back on the GUI thread, and a callback never reaches a widget that is gone."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QWidget

from yousync_desktop.ui.tasks import gui_task_manager


def _manager(request):
    manager = gui_task_manager()
    request.addfinalizer(manager.shutdown)
    return manager


def test_success_and_progress_are_delivered_on_the_gui_thread(qtbot, request):
    tasks = _manager(request)
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: dict = {"progress": []}

    def op(task):
        seen["op_thread"] = threading.current_thread()
        task.progress(0.5, "half")
        return 42

    def on_success(result):
        seen["result"] = result
        seen["callback_thread"] = threading.current_thread()

    def on_progress(fraction, label):
        seen["progress"].append((fraction, label, threading.current_thread()))

    handle = tasks.run(op, on_success=on_success, on_progress=on_progress, owner=parent)
    qtbot.waitUntil(lambda: "result" in seen)
    assert seen["result"] == 42
    assert seen["op_thread"] is not threading.main_thread()
    assert seen["callback_thread"] is threading.main_thread()
    assert all(thread is threading.main_thread() for _f, _l, thread in seen["progress"])
    assert [(f, label) for f, label, _t in seen["progress"]] in ([(0.5, "half")], [])
    assert handle.done and tasks.pending() == 0


def test_failure_receives_the_exception(qtbot, request):
    tasks = _manager(request)
    failures = []

    def op(_task):
        raise ValueError("broken pack")

    tasks.run(op, on_success=lambda _result: failures.append("success called"),
              on_failure=failures.append)
    qtbot.waitUntil(lambda: bool(failures))
    assert len(failures) == 1 and isinstance(failures[0], ValueError)
    assert str(failures[0]) == "broken pack"


def test_no_callback_after_the_owner_is_destroyed(qtbot, request):
    tasks = _manager(request)
    parent = QWidget()
    release = threading.Event()
    calls = []
    tasks.run(lambda _task: release.wait(10), on_success=calls.append,
              on_failure=calls.append, owner=parent)
    parent.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(parent))
    release.set()
    qtbot.waitUntil(lambda: tasks.pending() == 0)
    assert calls == []
