"""Composition root: builds the Qt application and the app's services (`AppServices`, with a task
manager whose callbacks come back on the GUI thread and the one bridge for change events), and
hands them to the main window. `run_app` also starts the log file (logs.py) and sends uncaught
exceptions there; what loading the settings found is said once the window is open.

`run_app` is what `python main.py` runs; `render_screenshot` builds the same window offscreen for
the docs; `open_main_window` / `close_main_window` are the part both share (and what the UI tests
open, optionally with a fake audio engine).
"""

from __future__ import annotations

import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from yousync_desktop import APP_NAME, __version__
from yousync_desktop.logs import install_excepthooks, setup_logging
from yousync_desktop.services import AppServices
from yousync_desktop.settings import AppPaths
from yousync_desktop.ui.error_texts import describe_error
from yousync_desktop.ui.events import EventBridge
from yousync_desktop.ui.i18n import UiLanguage
from yousync_desktop.ui.main_window import MainWindow
from yousync_desktop.ui.settings_notice import show_settings_notices
from yousync_desktop.ui.style import app_icon, apply_style
from yousync_desktop.ui.tasks import gui_task_manager


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
                   engine_factory: Callable[[], object] | None = None) -> AppServices:
    """The app's services with a task manager that calls back on the GUI thread."""
    return AppServices.build(paths, tasks=gui_task_manager(), engine_factory=engine_factory)


def open_main_window(app: QApplication, paths: AppPaths, *, language: str | None = None,
                     engine_factory: Callable[[], object] | None = None) -> MainWindow:
    """Services, translator and the main window; takes a crash left behind are recovered and,
    on first start, the demo scenes installed, both in the background. `language` overrides the
    saved setting for this run only (screenshots). Hand the window to `close_main_window`."""
    services = build_services(paths, engine_factory=engine_factory)
    ui_language = UiLanguage(app)
    ui_language.apply(language or services.settings.current.language)
    window = MainWindow(services, ui_language, EventBridge(services.events))
    # Once the window is up (the event loop runs): a notice needs a visible window to sit on.
    QTimer.singleShot(0, window,
                      lambda: show_settings_notices(window, services.settings.load_report))
    services.start()
    if not services.settings.current.demo_scenes_installed:
        window.install_demo_scenes()
    return window


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


def run_app(argv: list[str]) -> int:
    paths = AppPaths.from_environment()
    setup_logging(paths.log_dir)
    app = create_application(argv)
    window = open_main_window(app, paths)
    # An exception nobody caught (PySide6 hands those raised in slots to sys.excepthook): the
    # traceback to the log, one line to the learner, and the app carries on.
    install_excepthooks(on_unexpected=lambda error: window.statusBar().showMessage(
        describe_error(error), 0))
    window.show()
    _quit_on_ctrl_c(app)
    exit_code = app.exec()
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
        while window.is_busy() or background_work_pending(window):
            if time.monotonic() > deadline:
                raise TimeoutError("the demo scenes were not installed in time")
            app.processEvents()
            time.sleep(0.02)
        window.browser.select_row(scene_index)
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
