"""After the start-up screen: the main window of a read-only library says so and installs
nothing; after a rebuild, the learner is told once what came back."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMessageBox

from tests.faults.conftest import run_start_up
from yousync_desktop.library.locks import LibraryLock
from yousync_desktop.library.recovery import StartupAction


def test_a_read_only_window_wears_a_badge_and_installs_no_demo_scenes(app_paths, populated,
                                                                      qapp, qtbot):
    from yousync_desktop.app import close_main_window, open_main_window

    other_window = LibraryLock(app_paths.data_dir)
    assert other_window.try_acquire()
    try:
        services, _, shown = run_start_up(qapp, app_paths, [StartupAction.OPEN_READ_ONLY])
        assert shown[0][0].code == "library.in_use"
        window = open_main_window(qapp, app_paths, services=services)
        try:
            badge = window.findChild(QLabel, "readOnlyBadge")
            assert badge is not None and badge.text() == "Read-only"
            assert not window.is_busy()  # no demo install on a library it may not change
            assert window.browser.scene_model.rowCount() == 1
        finally:
            close_main_window(window, remember_layout=False)
    finally:
        other_window.release()


def test_the_learner_is_told_what_a_rebuild_brought_back(app_paths, populated, qapp, qtbot):
    from yousync_desktop.app import close_main_window, open_main_window

    app_paths.database.unlink()
    services, outcome, _ = run_start_up(qapp, app_paths, [StartupAction.START_NEW])
    window = open_main_window(qapp, app_paths, services=services, recovered=outcome)
    try:
        qtbot.waitUntil(lambda: window.findChild(QMessageBox, "recoveryReport") is not None)
        report = window.findChild(QMessageBox, "recoveryReport")
        assert report.text().startswith("A new library was started.")
        assert "Put back from the media folders: 1 scene(s) and 2 take(s)." in report.text()
        assert "have no score or ★ yet" in report.text()
        report.close()
    finally:
        close_main_window(window, remember_layout=False)


def test_a_second_instance_can_bring_the_owning_window_to_the_front(app_paths, populated,
                                                                   qapp, qtbot):
    from yousync_desktop.app import close_main_window, open_main_window
    from yousync_desktop.ui.window_summoner import WindowSummoner

    window = open_main_window(qapp, app_paths)  # the first instance, owning the library
    try:
        summoner = WindowSummoner(window, app_paths.data_dir)
        assert summoner.listening
        services, outcome, shown = run_start_up(qapp, app_paths,
                                                [StartupAction.SHOW_OTHER_WINDOW])
        assert services is None and outcome is None  # this instance ends; nothing was opened
        problem, _ = shown[0]
        assert problem.code == "library.in_use"
        assert problem.actions == (StartupAction.SHOW_OTHER_WINDOW, StartupAction.OPEN_READ_ONLY,
                                   StartupAction.RETRY, StartupAction.QUIT)
        qtbot.waitUntil(lambda: summoner.summoned == 1)
        assert window.isVisible()
        summoner.close()
    finally:
        close_main_window(window, remember_layout=False)
