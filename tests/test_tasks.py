"""The task manager without Qt: outcomes, progress, cancel, lanes, and the inline one for tests."""

from __future__ import annotations

import threading

import pytest

from yousync_desktop.tasks import InlineTaskManager, TaskCancelled, ThreadedTaskManager


@pytest.fixture
def threaded():
    manager = ThreadedTaskManager()
    yield manager
    manager.shutdown()


def test_inline_runs_at_once_with_progress_then_success():
    tasks = InlineTaskManager()
    seen = []

    def op(task):
        task.progress(0.25, "a quarter")
        task.progress(2.0, "clamped")
        return "done"

    handle = tasks.run(op, on_success=seen.append, on_progress=lambda f, label:
                       seen.append((f, label)), label="work")
    assert seen == [(0.25, "a quarter"), (1.0, "clamped"), "done"]
    assert handle.done and tasks.history == ["work"]


def test_a_failure_goes_to_on_failure_and_an_unheard_one_is_logged(caplog):
    tasks = InlineTaskManager()
    failures = []
    tasks.run(lambda _t: 1 / 0, on_failure=failures.append)
    assert isinstance(failures[0], ZeroDivisionError)
    tasks.run(lambda _t: 1 / 0)
    assert "background task failed" in caplog.text


def test_cancel_stops_an_operation_that_looks(threaded):
    started, outcome = threading.Event(), []

    def op(task):
        started.set()
        while True:
            task.check_cancelled()
            threading.Event().wait(0.001)

    handle = threaded.run(op, on_success=outcome.append, on_failure=outcome.append,
                          on_cancelled=lambda: outcome.append("cancelled"))
    assert started.wait(10)
    handle.cancel()
    assert handle.wait(10)
    assert outcome == ["cancelled"]
    assert threaded.pending() == 0


def test_a_task_cancelled_before_it_starts_never_runs(threaded):
    gate = threading.Event()
    ran = []
    threaded.run(lambda _t: gate.wait(10), lane="one")
    second = threaded.run(lambda _t: ran.append("ran"), lane="one",
                          on_cancelled=lambda: ran.append("cancelled"))
    second.cancel()
    gate.set()
    assert threaded.wait_idle(10)
    assert ran == ["cancelled"]


def test_a_lane_runs_its_work_in_order_on_one_thread(threaded):
    order, threads = [], set()
    gate = threading.Event()

    def step(n):
        def op(_task):
            if n == 0:
                gate.wait(10)  # the others queue up behind it
            order.append(n)
            threads.add(threading.current_thread().name)
        return op

    for n in range(5):
        threaded.run(step(n), lane="analysis")
    gate.set()
    assert threaded.wait_idle(10)
    assert order == [0, 1, 2, 3, 4]
    assert len(threads) == 1 and threads.pop().startswith("task-analysis")


def test_progress_reports_are_coalesced_while_one_waits_for_delivery():
    queued = []
    manager = ThreadedTaskManager(post=queued.append)  # deliveries wait until we run them
    try:
        seen = []

        def op(task):
            for i in range(100):
                task.progress(i / 99, f"step {i}")
            return "ok"

        manager.run(op, on_progress=lambda f, label: seen.append(label), on_success=seen.append)
        assert manager.wait_idle(10)
        assert manager.pending() == 1  # ran, not yet delivered
        for deliver in list(queued):
            deliver()
        assert seen == ["step 99", "ok"]
        assert manager.pending() == 0
    finally:
        manager.shutdown()


def test_callbacks_skip_an_owner_that_is_gone():
    alive = {"yes": True}
    manager = ThreadedTaskManager(owner_alive=lambda owner: alive["yes"])
    try:
        gate, seen = threading.Event(), []
        manager.run(lambda _t: gate.wait(10), on_success=seen.append, owner=object())
        alive["yes"] = False
        gate.set()
        assert manager.wait_idle(10)
        assert seen == [] and manager.pending() == 0
    finally:
        manager.shutdown()


def test_cancelled_is_an_exception_an_operation_may_raise_itself():
    tasks = InlineTaskManager()
    outcome = []

    def op(_task):
        raise TaskCancelled()

    tasks.run(op, on_failure=outcome.append, on_cancelled=lambda: outcome.append("cancelled"))
    assert outcome == ["cancelled"]
