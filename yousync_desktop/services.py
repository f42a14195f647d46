"""`AppServices`: the composition root's object — the long-lived services of one running app.

`app.py` builds it once and hands each window what it needs; the CLI and the tests build the same
object (with an inline task manager and, for tests, a fake audio engine). No widget constructs a
service. No Qt here: how task callbacks reach the GUI thread is the task manager's dispatcher,
which `app.py` supplies.

Owned here: the change-event bus, the settings store, the library, the task manager, the audio
engine factory and the practice-session factory; at start, the takes' rows and files are
reconciled once (not per scene opened): a crash's takes recovered, the learner told; and the sync
layer (`sync`: server profiles, sessions, the upload outbox and its passes — sync/service.py).

One writer per library: `build` takes the data folder's LibraryLock and holds it until `close`,
so a second instance gets LibraryOpenError("library.in_use") (the app then offers to open the
library read-only). Everything that writes on its own at start — the daily backup, finishing
scene folders a crash left half done, start-up repair of the takes — runs only under that lock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable

from yousync_desktop.domain import Take
from yousync_desktop.events import EventBus
from yousync_desktop.library import Library
from yousync_desktop.library.locks import LibraryLock, take_library_lock
from yousync_desktop.library.opening import WaitCallback
from yousync_desktop.settings import AppPaths, SettingsStore
from yousync_desktop.sync.service import SyncService
from yousync_desktop.tasks import InlineTaskManager, Task, TaskHandle, TaskManager

log = logging.getLogger(__name__)

EngineFactory = Callable[[], object]


def real_engine_factory(settings: SettingsStore) -> EngineFactory:
    """Opens the devices the settings name at the moment the engine is made."""

    def make_engine():
        from yousync_desktop.audio.duplex_engine import DuplexEngine, EngineConfig

        return DuplexEngine(EngineConfig.from_settings(settings.snapshot()))

    return make_engine


@dataclass
class AppServices:
    paths: AppPaths
    events: EventBus
    settings: SettingsStore
    library: Library
    tasks: TaskManager
    engine_factory: EngineFactory
    lock: LibraryLock | None = None  # held for the life of these services; None when read-only
    recovered_takes: list[Take] = field(default_factory=list)
    sync: "SyncService | None" = None  # None when the library is open read-only

    @classmethod
    def build(cls, paths: AppPaths, *, tasks: TaskManager | None = None,
              engine_factory: EngineFactory | None = None,
              events: EventBus | None = None, read_only: bool = False,
              on_wait: WaitCallback | None = None) -> "AppServices":
        """Load the settings, take the library's lock, open (and migrate) the library. `tasks`
        defaults to inline (the CLI); the desktop app passes a threaded one with a Qt
        dispatcher. Raises LibraryOpenError when the library cannot be opened (for changes, or
        at all with `read_only`); `on_wait` hears while another program holds a write
        transaction (see Library)."""
        events = events if events is not None else EventBus()
        settings = SettingsStore.load(paths, events=events)
        lock = None if read_only else take_library_lock(paths.data_dir)
        try:
            library = Library(paths, events=events, read_only=read_only, on_wait=on_wait)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        tasks = tasks if tasks is not None else InlineTaskManager()
        sync = None if read_only else SyncService(settings, library, tasks)
        return cls(paths=paths, events=events, settings=settings, library=library, tasks=tasks,
                   engine_factory=engine_factory or real_engine_factory(settings), lock=lock,
                   sync=sync)

    @property
    def read_only(self) -> bool:
        return self.library.read_only

    @property
    def owns_library(self) -> bool:
        """Whether this process is the library's one writer (crash recovery needs that)."""
        return self.lock is not None and self.lock.held and not self.library.read_only

    # --- start-up ------------------------------------------------------------------------------

    @property
    def incoming_dir(self):
        """Where takes are written while they are recorded (moved into the library when done)."""
        return self.paths.data_dir / "incoming"

    def recover_takes(self) -> list[Take]:
        """Add the takes a crash left in `incoming/` (once, at start; each becomes a TakeAdded).
        Only the library's owner does it: a read-only window must never adopt a take another
        process may still be writing."""
        from yousync_desktop.practice.recording import recover_incoming_takes

        if not self.owns_library:
            log.info("library open read-only: crash recovery is left to the window that owns it")
            return []
        self.incoming_dir.mkdir(parents=True, exist_ok=True)
        recovered = recover_incoming_takes(self.library, self.incoming_dir)
        self.recovered_takes.extend(recovered)
        if recovered:
            log.info("recovered %d take(s) a crash left behind", len(recovered))
        return recovered

    def look_after_library(self) -> None:
        """The daily backup and finishing scene folders a crash left half done (once, at start,
        under the lock). A failure here is logged: it must not stop the learner's session."""
        from yousync_desktop.library.backups import back_up_if_due
        from yousync_desktop.library.rebuild import tidy_scene_folders

        if not self.owns_library:
            return
        try:
            back_up_if_due(self.paths)
        except Exception:  # noqa: BLE001 - a missed backup is retried at the next start
            log.exception("the daily backup of the library failed")
        try:
            tidy_scene_folders(self.library)
        except Exception:  # noqa: BLE001 - the same tidying is tried at the next start
            log.exception("tidying the scene folders failed")

    def reconcile_takes(self):
        """Make the takes' rows and files agree (once, at start, under the lock, before any take
        is recorded; library/reconcile.py): finish saves a crash interrupted, hide takes whose
        file is gone, adopt or set aside files without a row, and recover the takes left in
        `incoming/` (what `recover_takes` does on its own). Returns the TakeRepairReport the main
        window words (an empty one when this process does not own the library)."""
        from yousync_desktop.library.reconcile import TakeRepairReport, reconcile_takes

        if not self.owns_library:
            log.info("library open read-only: take repair is left to the window that owns it")
            return TakeRepairReport()
        self.incoming_dir.mkdir(parents=True, exist_ok=True)
        report = reconcile_takes(self.library, self.incoming_dir)
        self.recovered_takes.extend(report.recovered)
        if report.repaired:
            log.info("takes repaired at start:\n%s", report.details())
        return report

    def start(self, *, on_recovered: Callable[[object], None] | None = None) -> TaskHandle:
        """What runs once when the app starts, in the background: the daily backup, tidying
        after a crash, start-up repair of the takes (`on_recovered` gets its
        TakeRepairReport)."""

        def start_up(_task):
            self.look_after_library()
            return self.reconcile_takes()

        return self.tasks.run(start_up, on_success=on_recovered, label="recover takes")

    def install_demo_scenes(self, task: Task | None = None):
        """The bundled demo scenes (first start), with progress per pack when run as a task;
        remembered so deleted demos stay deleted."""
        from yousync_desktop.library.demo import install_demo_scenes

        results = install_demo_scenes(self.library,
                                      progress=task.progress if task is not None else None)
        self.settings.update(demo_scenes_installed=True)
        return results

    # --- practice ------------------------------------------------------------------------------

    def open_practice_session(self, scene_key: int):
        """A practice session for one scene, on the app's engine factory, settings and tasks."""
        from yousync_desktop.practice import PracticeSession

        return PracticeSession(self.library, scene_key, self.engine_factory, self.settings,
                               tasks=self.tasks)

    def calibrate_devices(self, *, acoustic: bool = False):
        """Measure the round trip on freshly opened devices (seconds: run it as a task)."""
        from yousync_desktop.practice.calibration import calibrate_devices

        return calibrate_devices(self.settings, self.engine_factory, acoustic=acoustic)

    # --- closing -------------------------------------------------------------------------------

    def close(self) -> None:
        """Let background work finish (an import half-done must not lose its database), then
        close the library and let go of it."""
        self.tasks.wait_idle()
        self.tasks.shutdown()
        if self.sync is not None:
            self.sync.close()
        try:
            self.library.close()
        finally:
            if self.lock is not None:
                self.lock.release()
