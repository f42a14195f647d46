"""The one way app work runs in the background: `TaskManager.run(op, ...)`.

In the spirit of Anki's `taskman` / `CollectionOp`: an operation runs off the GUI thread and its
outcome comes back on the GUI thread as `on_success(result)` or `on_failure(error)`; while it runs
it may report progress (a fraction and a short label) and look whether it was cancelled::

    def work(task: Task) -> ImportResult:
        return import_pack(library, path, progress=task.progress)

    tasks.run(work, on_success=show_imported, on_failure=show_error,
              on_progress=show_progress, owner=window)

`ThreadedTaskManager` runs operations on a small thread pool; operations given the same `lane`
run one after another on that lane's own thread (the practice session's scoring lane: scores
never compete with each other, and nothing waits on another executor). How a callback reaches the
GUI thread is not this module's business: the manager hands it to `post` — `ui/tasks.py` gives a
Qt one (a queued call) and says whether a callback's `owner` still exists (a destroyed window is
never called back); the CLI calls callbacks where they are. `InlineTaskManager` runs everything at
once on the caller's thread, for tests (Picard's `FakeThreadPool`). No Qt here.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any, Callable, Generic, Protocol, TypeVar

from yousync_desktop.errors import CodedError

log = logging.getLogger(__name__)

T = TypeVar("T")
Operation = Callable[["Task"], T]
# Runs `callback()` where callbacks belong (on the GUI thread, later) from any thread.
Post = Callable[[Callable[[], None]], None]
# Whether a callback's owner still exists (a QObject in the UI; None always does).
OwnerAlive = Callable[[Any], bool]


class TaskCancelled(Exception):
    """Raised inside an operation (by `Task.check_cancelled`) once it was asked to stop."""


class Task:
    """What an operation sees of itself: report progress, notice a cancel."""

    def __init__(self, label: str = ""):
        self.label = label
        self._cancel = threading.Event()
        self._progress_sink: Callable[[float | None, str], None] | None = None

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def check_cancelled(self) -> None:
        if self._cancel.is_set():
            raise TaskCancelled()

    def progress(self, fraction: float | None, label: str = "") -> None:
        """`fraction` 0–1 (None: not known), `label` a few words on the step. Cheap to call
        often: only the latest report waiting for the GUI thread is delivered."""
        sink = self._progress_sink
        if sink is not None:
            sink(None if fraction is None else min(max(float(fraction), 0.0), 1.0), label)


class TaskHandle(Generic[T]):
    """What the caller keeps: cancel it, or see whether it is done."""

    def __init__(self, task: Task):
        self.task = task
        self._done = threading.Event()

    def cancel(self) -> None:
        self.task.cancel()

    @property
    def done(self) -> bool:
        """True once the outcome has been handed to the callbacks."""
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)


class TaskManager(Protocol):
    def run(self, op: Operation[T], *, on_success: Callable[[T], None] | None = None,
            on_failure: Callable[[BaseException], None] | None = None,
            on_progress: Callable[[float | None, str], None] | None = None,
            on_cancelled: Callable[[], None] | None = None,
            owner: Any = None, lane: str | None = None, label: str = "") -> TaskHandle[T]: ...

    def pending(self) -> int: ...

    def wait_idle(self, timeout: float | None = None) -> bool: ...

    def shutdown(self) -> None: ...


def call_direct(callback: Callable[[], None]) -> None:
    callback()


def always_alive(_owner: Any) -> bool:
    return True


def _report_unhandled(error: BaseException) -> None:
    # Nobody asked to hear about it: log it with its traceback rather than lose it.
    log.error("background task failed", exc_info=(type(error), error, error.__traceback__))


def _log_failure(error: BaseException, label: str) -> None:
    """A failure about to be shown: the learner reads one line, so the log keeps the detail. A
    coded error is an expected refusal (its traceback only when it wraps another exception); any
    other exception is a bug or a surprise, kept with its traceback."""
    if isinstance(error, CodedError):
        log.info("task %r: %s", label, error,
                 exc_info=(type(error), error, error.__traceback__) if error.__cause__ else None)
    else:
        log.error("task %r failed", label, exc_info=(type(error), error, error.__traceback__))


class _Outcome:
    """Delivers one task's progress and outcome through `post`; `ran` is told when the operation
    has returned, `delivered` when its outcome has been handed over (or dropped with its owner)."""

    def __init__(self, post: Post, owner_alive: OwnerAlive, owner: Any, handle: TaskHandle,
                 on_success, on_failure, on_progress, on_cancelled,
                 ran: Callable[[], None], delivered: Callable[[], None]):
        self._post = post
        self._owner_alive = owner_alive
        self._owner = owner
        self._handle = handle
        self._on_success = on_success
        self._on_failure = on_failure
        self._on_progress = on_progress
        self._on_cancelled = on_cancelled
        self._ran = ran
        self._delivered = delivered
        self._progress_lock = threading.Lock()
        self._latest_progress: tuple[float | None, str] | None = None
        if on_progress is not None:
            handle.task._progress_sink = self._progress

    def _progress(self, fraction: float | None, label: str) -> None:
        with self._progress_lock:
            already_queued = self._latest_progress is not None
            self._latest_progress = (fraction, label)
        if not already_queued:
            self._post(self._deliver_progress)

    def _deliver_progress(self) -> None:
        with self._progress_lock:
            latest, self._latest_progress = self._latest_progress, None
        if latest is not None and not self._handle.done and self._owner_alive(self._owner):
            self._on_progress(*latest)

    def execute(self, op: Operation) -> None:
        task = self._handle.task
        try:
            task.check_cancelled()  # cancelled while it waited for a thread
            result = op(task)
        except TaskCancelled:
            deliver = self._deliver_cancelled
        except BaseException as error:  # noqa: BLE001 - handed to the failure callback
            deliver = partial(self._deliver_failure, error)  # `error` is unbound after except
        else:
            deliver = partial(self._deliver_success, result)
        self._ran()
        self._post(lambda: self._deliver(deliver))

    def _deliver(self, deliver: Callable[[], None]) -> None:
        self._handle._done.set()
        try:
            if self._owner_alive(self._owner):
                deliver()
        finally:
            self._delivered()

    def _deliver_success(self, result: Any) -> None:
        if self._on_success is not None:
            self._on_success(result)

    def _deliver_failure(self, error: BaseException) -> None:
        if self._on_failure is not None:
            _log_failure(error, self._handle.task.label)
            self._on_failure(error)
        else:
            _report_unhandled(error)

    def _deliver_cancelled(self) -> None:
        if self._on_cancelled is not None:
            self._on_cancelled()


class ThreadedTaskManager:
    """Runs operations on `max_workers` threads (lanes on one thread each); hands outcomes to
    `post` (the Qt one in the app; by default a direct call on the task's thread)."""

    def __init__(self, post: Post = call_direct, *, owner_alive: OwnerAlive = always_alive,
                 max_workers: int = 2):
        self._post = post
        self._owner_alive = owner_alive
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="task")
        self._lanes: dict[str, ThreadPoolExecutor] = {}
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._running = 0      # queued or executing
        self._undelivered = 0  # not yet handed to their callbacks
        self._closed = False

    def run(self, op: Operation[T], *, on_success: Callable[[T], None] | None = None,
            on_failure: Callable[[BaseException], None] | None = None,
            on_progress: Callable[[float | None, str], None] | None = None,
            on_cancelled: Callable[[], None] | None = None,
            owner: Any = None, lane: str | None = None, label: str = "") -> TaskHandle[T]:
        handle: TaskHandle[T] = TaskHandle(Task(label))
        outcome = _Outcome(self._post, self._owner_alive, owner, handle, on_success, on_failure,
                           on_progress, on_cancelled, self._one_ran, self._one_delivered)
        with self._lock:
            if self._closed:
                raise RuntimeError("the task manager is shut down")
            self._running += 1
            self._undelivered += 1
            executor = self._pool if lane is None else self._lane(lane)
        future: Future = executor.submit(outcome.execute, op)
        del future  # the outcome goes through the callbacks, never through the future
        return handle

    def _lane(self, name: str) -> ThreadPoolExecutor:
        executor = self._lanes.get(name)
        if executor is None:
            executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"task-{name}")
            self._lanes[name] = executor
        return executor

    def _one_ran(self) -> None:
        with self._lock:
            self._running -= 1
            if self._running == 0:
                self._idle.notify_all()

    def _one_delivered(self) -> None:
        with self._lock:
            self._undelivered -= 1

    def pending(self) -> int:
        """Operations whose outcome has not reached its callbacks yet (for waiting in tests and
        screenshots while the event loop runs)."""
        with self._lock:
            return self._undelivered

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until no operation is queued or running. Their callbacks may still wait for the
        GUI thread: call this from the GUI thread, then let the event loop deliver them."""
        with self._lock:
            return self._idle.wait_for(lambda: self._running == 0, timeout)

    def shutdown(self) -> None:
        """Let what was started finish, then stop the threads."""
        with self._lock:
            self._closed = True
            executors = [self._pool, *self._lanes.values()]
        for executor in executors:
            executor.shutdown(wait=True)


class InlineTaskManager:
    """Runs each operation at once on the caller's thread and calls its callbacks before `run`
    returns: deterministic background work for tests and for one-shot command-line use."""

    def __init__(self):
        self.history: list[str] = []  # labels of what ran, in order (tests look at it)

    def run(self, op: Operation[T], *, on_success: Callable[[T], None] | None = None,
            on_failure: Callable[[BaseException], None] | None = None,
            on_progress: Callable[[float | None, str], None] | None = None,
            on_cancelled: Callable[[], None] | None = None,
            owner: Any = None, lane: str | None = None, label: str = "") -> TaskHandle[T]:
        handle: TaskHandle[T] = TaskHandle(Task(label))
        self.history.append(label)
        _Outcome(call_direct, always_alive, owner, handle, on_success, on_failure, on_progress,
                 on_cancelled, lambda: None, lambda: None).execute(op)
        return handle

    def pending(self) -> int:
        return 0

    def wait_idle(self, timeout: float | None = None) -> bool:
        return True

    def shutdown(self) -> None:
        pass
