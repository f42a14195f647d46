"""`AppServices`: the composition root's object — the long-lived services of one running app.

`app.py` builds it once and hands each window what it needs; the CLI and the tests build the same
object (with an inline task manager and, for tests, a fake audio engine). No widget constructs a
service. No Qt here: how task callbacks reach the GUI thread is the task manager's dispatcher,
which `app.py` supplies.

Owned here: the change-event bus, the settings store, the library, the task manager, the audio
engine factory and the practice-session factory; at start, the takes a crash left behind are
recovered once (not per scene opened). Later: the sync client and the upload outbox.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable

from yousync_desktop.domain import Take
from yousync_desktop.events import EventBus
from yousync_desktop.library import Library
from yousync_desktop.settings import AppPaths, SettingsStore
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
    recovered_takes: list[Take] = field(default_factory=list)

    @classmethod
    def build(cls, paths: AppPaths, *, tasks: TaskManager | None = None,
              engine_factory: EngineFactory | None = None,
              events: EventBus | None = None) -> "AppServices":
        """Load the settings, open (and migrate) the library. `tasks` defaults to inline (the
        CLI); the desktop app passes a threaded one with a Qt dispatcher."""
        events = events if events is not None else EventBus()
        settings = SettingsStore.load(paths, events=events)
        library = Library(paths, events=events)
        return cls(paths=paths, events=events, settings=settings, library=library,
                   tasks=tasks if tasks is not None else InlineTaskManager(),
                   engine_factory=engine_factory or real_engine_factory(settings))

    # --- start-up ------------------------------------------------------------------------------

    @property
    def incoming_dir(self):
        """Where takes are written while they are recorded (moved into the library when done)."""
        return self.paths.data_dir / "incoming"

    def recover_takes(self) -> list[Take]:
        """Add the takes a crash left in `incoming/` (once, at start; each becomes a TakeAdded)."""
        from yousync_desktop.practice.recording import recover_incoming_takes

        self.incoming_dir.mkdir(parents=True, exist_ok=True)
        recovered = recover_incoming_takes(self.library, self.incoming_dir)
        self.recovered_takes.extend(recovered)
        if recovered:
            log.info("recovered %d take(s) a crash left behind", len(recovered))
        return recovered

    def start(self, *, on_recovered: Callable[[list[Take]], None] | None = None) -> TaskHandle:
        """What runs once when the app starts, in the background: crash recovery of takes."""
        return self.tasks.run(lambda _task: self.recover_takes(), on_success=on_recovered,
                              label="recover takes")

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
        close the library."""
        self.tasks.wait_idle()
        self.tasks.shutdown()
        self.library.close()
