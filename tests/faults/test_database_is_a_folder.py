"""A folder where the library file should be: said as such (not "unable to open database file"),
and a new library can start with the folder kept aside untouched."""

from __future__ import annotations

import shutil

import pytest

from tests.faults.conftest import library_content, run_start_up, startup_screen
from yousync_desktop.library import Library, LibraryOpenError
from yousync_desktop.library.recovery import StartupAction


def test_a_folder_in_place_of_the_database(app_paths, populated, qapp):
    for side in ("", "-wal", "-shm"):
        (app_paths.data_dir / f"library.sqlite3{side}").unlink(missing_ok=True)
    app_paths.database.mkdir()
    (app_paths.database / "someone's notes.txt").write_text("keep me")

    with pytest.raises(LibraryOpenError) as raised:
        Library(app_paths)
    error = raised.value
    assert error.code == "library.database_is_folder"
    assert str(error) == f"The library file {app_paths.database} is a folder, not a file."
    problem, text = startup_screen(qapp, app_paths, error)
    assert problem.actions == (StartupAction.RESTORE_BACKUP, StartupAction.START_NEW,
                               StartupAction.QUIT)
    assert "is a folder, not a file" in text

    services, outcome, _ = run_start_up(qapp, app_paths, [StartupAction.START_NEW])
    services.close()
    assert (outcome.set_aside / "someone's notes.txt").read_text() == "keep me"
    assert library_content(app_paths) == populated


def test_the_folder_can_also_give_way_to_the_latest_backup(app_paths, populated, qapp):
    shutil.move(app_paths.database, app_paths.data_dir / "elsewhere.sqlite3")
    app_paths.database.mkdir()
    services, outcome, shown = run_start_up(qapp, app_paths, [StartupAction.RESTORE_BACKUP])
    services.close()
    assert shown[0][0].code == "library.database_is_folder" and outcome.set_aside.is_dir()
    assert library_content(app_paths) == populated
