"""Composition root: builds the Qt application and the app's services (`AppServices`, with a task
manager whose callbacks come back on the GUI thread and the one bridge for change events), and
hands them to the main window. `run_app` also starts the log file (logs.py) and sends uncaught
exceptions there; what loading the settings found is said once the window is open.

`run_app` is what `python main.py` runs; `render_screenshot` builds the same window offscreen for
the docs; `open_main_window` / `close_main_window` are the part both share (and what the UI tests
open, optionally with a fake audio engine).

The app always starts: `start_services` opens the library and, when it does not open (in use by
another window, damaged, read-only, from a newer version, missing while its media are on disk...),
shows the one start-up screen with what is possible — restore the latest backup, start a new
library from the files on disk (the old file kept aside), open read-only, try again — until the
learner has a library or quits. Nothing is ever reset silently.
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from yousync_desktop import APP_NAME, __version__
from yousync_desktop.errors import CodedError, english
from yousync_desktop.library.open_errors import LibraryOpenError
from yousync_desktop.library.recovery import (
    RecoveryOutcome, StartupAction, StartupProblem, diagnose, restore_latest_backup,
    start_new_library,
)
from yousync_desktop.logs import install_excepthooks, setup_logging
from yousync_desktop.services import AppServices
from yousync_desktop.settings import AppPaths, Settings
from yousync_desktop.tasks import TaskManager
from yousync_desktop.ui.error_texts import describe_error
from yousync_desktop.ui.events import EventBridge
from yousync_desktop.ui.i18n import UiLanguage
from yousync_desktop.ui.main_window import MainWindow
from yousync_desktop.ui.settings_notice import show_settings_notices
from yousync_desktop.ui.startup_problem_dialog import (
    ReadOnlyBadge, StartupProblemDialog, Text, WriterWaitDialog, recovery_report, translated,
)
from yousync_desktop.ui.style import app_icon, apply_style
from yousync_desktop.ui.tasks import gui_task_manager
from yousync_desktop.ui.window_summoner import WindowSummoner, owner_listening, summon_owner

log = logging.getLogger(__name__)

# Shows the start-up screen for a problem (and the recovery that just failed) and returns the
# learner's choice; tests pass their own.
AskStartupProblem = Callable[[StartupProblem, "LibraryOpenError | None"], StartupAction]


def create_application(argv: list[str]) -> QApplication:
    """The QApplication, named and styled (or the existing one: tests and screenshots share it)."""
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("YouSync")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("yousync")  # packaging installs yousync.desktop (Wayland taskbar icon)
    app.setWindowIcon(app_icon())
    apply_style(app)
    return app


def build_services(paths: AppPaths, *,
                   engine_factory: Callable[[], object] | None = None,
                   tasks: TaskManager | None = None, read_only: bool = False,
                   on_wait=None) -> AppServices:
    """The app's services with a task manager that calls back on the GUI thread. Raises
    LibraryOpenError when the library does not open (`start_services` handles it)."""
    return AppServices.build(paths, tasks=tasks or gui_task_manager(),
                             engine_factory=engine_factory, read_only=read_only, on_wait=on_wait)


def start_services(app: QApplication, paths: AppPaths, *,
                   engine_factory: Callable[[], object] | None = None,
                   ask: AskStartupProblem | None = None,
                   tasks: TaskManager | None = None
                   ) -> tuple[AppServices | None, RecoveryOutcome | None]:
    """The services, after the start-up screen if the library does not open; (None, None) when
    the learner chose to quit. The second value says what a restore or rebuild did."""
    ask = ask or (lambda problem, failed: StartupProblemDialog.ask(problem, failed))
    tasks = tasks or gui_task_manager()
    read_only, outcome, failed_attempt = False, None, None
    while True:
        waiting = WriterWaitDialog()  # shows itself only if another program holds a write lock
        try:
            return build_services(paths, engine_factory=engine_factory, tasks=tasks,
                                  read_only=read_only, on_wait=waiting), outcome
        except LibraryOpenError as error:
            log.warning("the library did not open: %s", error)
            problem = diagnose(paths, error)
            if problem.code == "library.in_use" and owner_listening(paths.data_dir):
                problem = dataclasses.replace(problem, actions=(
                    StartupAction.SHOW_OTHER_WINDOW, *problem.actions))
        finally:
            waiting.close()
            waiting.deleteLater()
        action = ask(problem, failed_attempt)
        log.info("start-up problem %s: the learner chose %s", problem.code, action.value)
        failed_attempt = None
        if action is StartupAction.SHOW_OTHER_WINDOW:
            summon_owner(paths.data_dir)
        if action in (StartupAction.QUIT, StartupAction.SHOW_OTHER_WINDOW):
            tasks.shutdown()
            return None, None
        read_only = action is StartupAction.OPEN_READ_ONLY
        if action in (StartupAction.RESTORE_BACKUP, StartupAction.START_NEW):
            try:
                outcome = _recover(tasks, paths, action)
            except LibraryOpenError as error:
                log.error("%s did not work: %s", action.value, error)
                failed_attempt = error


def _recover(tasks: TaskManager, paths: AppPaths, action: StartupAction) -> RecoveryOutcome:
    """Restore or rebuild off the GUI thread (it reads every file of the library), with a busy
    dialog; what went wrong comes back as a LibraryOpenError."""
    operation = restore_latest_backup if action is StartupAction.RESTORE_BACKUP \
        else start_new_library
    busy = QProgressDialog(translated(Text.WORKING), "", 0, 0)
    busy.setCancelButton(None)
    busy.setMinimumDuration(0)
    busy.show()
    finished: dict = {}
    loop = QEventLoop()

    def finish(key: str, value) -> None:
        finished[key] = value
        loop.quit()

    tasks.run(lambda _task: operation(paths), on_success=lambda o: finish("outcome", o),
              on_failure=lambda e: finish("error", e), label="recover the library")
    if not finished:  # an inline task manager has called back already
        loop.exec()
    busy.close()
    busy.deleteLater()
    error = finished.get("error")
    if isinstance(error, LibraryOpenError):
        raise error
    if error is not None:  # a bug or an unexpected OS error: said as what it was, and logged
        log.error("recovering the library failed", exc_info=error)
        reason = str(error) if isinstance(error, CodedError) else english(error)
        raise LibraryOpenError("library.cannot_open", path=str(paths.data_dir), reason=reason)
    return finished["outcome"]


def open_main_window(app: QApplication, paths: AppPaths, *, language: str | None = None,
                     engine_factory: Callable[[], object] | None = None,
                     services: AppServices | None = None,
                     recovered: RecoveryOutcome | None = None) -> MainWindow:
    """Services (built here unless given), translator and the main window; takes a crash left
    behind are recovered (the window says so in one line) and, on first start, the demo scenes
    installed, both in the background.
    `language` overrides the saved setting for this run only (screenshots). `recovered` is
    reported once the window is up. Hand the window to `close_main_window`."""
    if services is None:
        services = build_services(paths, engine_factory=engine_factory)
    ui_language = UiLanguage(app)
    ui_language.apply(language or services.settings.current.language)
    window = MainWindow(services, ui_language, EventBridge(services.events))
    # Once the window is up (the event loop runs): a notice needs a visible window to sit on.
    QTimer.singleShot(0, window,
                      lambda: show_settings_notices(window, services.settings.load_report))
    services.start(on_recovered=window.show_take_repairs)
    if services.read_only:
        window.statusBar().addPermanentWidget(ReadOnlyBadge(window))
    elif recovered is not None and not recovered.rebuilt.scenes \
            and recovered.restored is None:
        services.settings.update(demo_scenes_installed=False)  # a new, empty library
    if not services.read_only and not services.settings.current.demo_scenes_installed:
        window.install_demo_scenes()
    if recovered is not None:
        QTimer.singleShot(0, window, lambda: show_recovery_report(window, recovered))
    return window


def show_recovery_report(parent, outcome: RecoveryOutcome) -> QMessageBox:
    """Tell the learner what a restore or rebuild did (once, when the window is up)."""
    summary, not_put_back = recovery_report(outcome)
    box = QMessageBox(QMessageBox.Icon.Information, translated(Text.REPORT_TITLE), summary,
                      parent=parent)
    box.setObjectName("recoveryReport")
    if not_put_back:
        box.setDetailedText("\n".join(not_put_back))
    box.open()
    return box


def background_work_pending(window: MainWindow) -> bool:
    """True while a task has not reached its callbacks (screenshots and tests wait on it)."""
    return window.services.tasks.pending() > 0


def close_main_window(window: MainWindow, *, remember_layout: bool = True) -> None:
    """Close the window (saving its layout unless told not to), let background work finish (an
    import half-done must not lose its database), then close the services."""
    if remember_layout:
        window.close()
    else:
        window.hide()
    services = window.services
    services.tasks.wait_idle()
    QCoreApplication.processEvents()  # deliver the last results while the window still exists
    window.events.close()
    services.close()
    window.ui_language.uninstall()
    window.deleteLater()


def _quit_on_ctrl_c(app: QApplication) -> None:
    """Ctrl+C in the terminal closes the window like File ▸ Quit (so the layout is saved). Python
    runs signal handlers only between bytecodes, so a timer gives it a chance every 200 ms."""
    signal.signal(signal.SIGINT, lambda *_: app.closeAllWindows())
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(200)


def freeze_once_started(window: MainWindow) -> QTimer:
    """Keep Python's full garbage collections short once the app is up. A collection walks every
    tracked object and holds the GIL meanwhile; one set off by background work that allocates a
    lot froze the window for ~100 ms, most of it spent walking the modules and Qt wrappers loaded
    at start-up (the practice stack is imported by the start-up take recovery), which live as
    long as the app. Once that start-up work is done they are moved out of the collector's sight
    (gc.freeze); everything made later is collected as before. The timer returned stops once it
    has frozen them."""
    timer = QTimer(window)
    timer.setInterval(250)

    def freeze_when_idle() -> None:
        if not background_work_pending(window):
            timer.stop()
            # No gc.collect() first: a full collection now would itself hold the window for
            # ~100 ms; the little garbage frozen with the rest is not worth that.
            gc.freeze()

    timer.timeout.connect(freeze_when_idle)
    timer.start()
    return timer


def run_app(argv: list[str]) -> int:
    paths = AppPaths.from_environment()
    setup_logging(paths.log_dir)
    app = create_application(argv)
    # The start-up screen may come before any window: it speaks the learner's language too.
    startup_language = UiLanguage(app)
    startup_language.apply(Settings.load(paths).language)
    services, recovered = start_services(app, paths)
    startup_language.uninstall()
    if services is None:
        return 1  # this instance did not open the library (Quit, or the other window shown)
    window = open_main_window(app, paths, services=services, recovered=recovered)
    # An exception nobody caught (PySide6 hands those raised in slots to sys.excepthook): the
    # traceback to the log, one line to the learner, and the app carries on.
    install_excepthooks(on_unexpected=lambda error: window.statusBar().showMessage(
        describe_error(error), 0))
    # A second instance can bring this window to the front.
    summoner = WindowSummoner(window, paths.data_dir) if services.owns_library else None
    window.show()
    freeze_once_started(window)
    _quit_on_ctrl_c(app)
    exit_code = app.exec()
    if summoner is not None:
        summoner.close()
    close_main_window(window)
    return exit_code


def render_screenshot(out_path: Path, *, language: str = "en", width: int = 1280, height: int = 800,
                      scene_index: int = 0, paths: AppPaths | None = None,
                      timeout: float = 120.0) -> Path:
    """Save a PNG of the main window with the `scene_index`-th scene selected. By default on a fresh
    temporary library with the demo scenes (reproducible, and the user's library and settings are
    never touched); pass `paths` to photograph another one. With no display, set
    QT_QPA_PLATFORM=offscreen before calling."""
    if paths is None:
        with tempfile.TemporaryDirectory(prefix="yousync-screenshot-") as scratch:
            return render_screenshot(out_path, language=language, width=width, height=height,
                                     scene_index=scene_index, timeout=timeout,
                                     paths=AppPaths(Path(scratch) / "data", Path(scratch) / "config"))
    app = create_application(sys.argv[:1])
    window = open_main_window(app, paths, language=language)
    try:
        window.resize(width, height)
        window.show()
        deadline = time.monotonic() + timeout

        def wait_until_idle(what: str) -> None:
            while window.is_busy() or background_work_pending(window):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{what} took too long")
                app.processEvents()
                time.sleep(0.02)

        wait_until_idle("installing the demo scenes")
        window.browser.select_row(scene_index)
        wait_until_idle("reading the selected scene")  # its lines are read in the background
        window.browser.list_view.setFocus()  # as if the learner had clicked the card
        window.statusBar().clearMessage()
        app.processEvents()  # let layouts settle after the selection filled the detail pane
        out_path = Path(out_path)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out_path), "PNG"):
            raise OSError(f"could not write {out_path}")
        return out_path
    finally:
        # A screenshot's window size is not the user's choice: don't remember it.
        close_main_window(window, remember_layout=False)


def render_practice_screenshots(out_dir: Path, speak, *, language: str = "en",
                                pack_id: str = "demo-rainy-promise", width: int = 1280,
                                height: int = 860, timeout: float = 120.0) -> list[Path]:
    """Save `practice-recording.png` (a take in progress: count-in done, live trace half drawn)
    and `practice-scored.png` (right after the score) of a demo scene, on a fresh temporary
    library with the system's default audio devices. `speak(recording)` must make the learner's
    voice reach the microphone at the line (tools/practice_screenshots.py feeds a virtual one)."""
    from yousync_desktop.ui.practice.video_view import grab_with_video

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="yousync-screenshot-") as scratch:
        paths = AppPaths(Path(scratch) / "data", Path(scratch) / "config")
        app = create_application(sys.argv[:1])
        window = open_main_window(app, paths, language=language)

        def wait(condition, what: str, seconds: float = timeout) -> None:
            deadline = time.monotonic() + seconds
            while not condition():
                if time.monotonic() > deadline:
                    raise TimeoutError(f"screenshot: {what} took too long")
                app.processEvents()
                time.sleep(0.005)

        try:
            wait(lambda: not window.is_busy() and not background_work_pending(window),
                 "demo scenes")
            window.browser.select_scene(window.library.key_for_pack(pack_id))
            practice = window.open_practice()
            practice.resize(width, height)
            wait(lambda: practice.audio_state != "starting", "starting the audio")
            if practice.audio_state != "ready":
                raise RuntimeError(practice.banner.text())

            def take(index: int, grab_at: float | None = None) -> None:
                practice.select_line(index)
                practice.record()
                recording = practice.recording
                speak(recording)
                if grab_at is not None:
                    wait(lambda: recording.progress >= grab_at, "recording")
                    app.processEvents()
                    grab_with_video(practice).save(str(out_dir / "practice-recording.png"))
                wait(lambda: practice.recording is None, "the take")
                wait(lambda: not practice.is_busy() and not background_work_pending(window),
                     "analysis")

            take(0)
            take(2)
            take(1)
            take(1, grab_at=0.55)
            best = max(practice.session.takes(1), key=lambda t: t.score.sync_rate if t.score
                       else 0.0)
            practice.takes.show_takes(practice.session.takes(), select_id=best.id)
            practice.toggle_star()
            wait(lambda: practice.plot.aligned_point_count() > 0, "the comparison plot")
            practice.statusBar().clearMessage()
            app.processEvents()
            grab_with_video(practice).save(str(out_dir / "practice-scored.png"))
            practice.close()
        finally:
            close_main_window(window, remember_layout=False)
    return [out_dir / "practice-recording.png", out_dir / "practice-scored.png"]
