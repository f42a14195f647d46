"""A vanished or 0-byte database while the media folders still hold scenes and takes: reported
(never silently a new empty library), and rebuilt from the media folders or restored from the
backup and completed from them — with a report of what came back and what could not."""

from __future__ import annotations

import shutil

import pytest

from tests.faults.conftest import library_content, record_take, run_start_up, startup_screen
from yousync_desktop.library import Library, LibraryOpenError
from yousync_desktop.library.recovery import StartupAction


def remove_database(paths, *, leave_empty: bool) -> None:
    for side in ("", "-wal", "-shm"):
        (paths.data_dir / f"library.sqlite3{side}").unlink(missing_ok=True)
    if leave_empty:
        paths.database.write_bytes(b"")


@pytest.mark.parametrize("leave_empty", [False, True], ids=["missing", "zero-bytes"])
def test_a_lost_database_is_reported_and_rebuilt_from_the_media(app_paths, populated, qapp,
                                                                leave_empty):
    remove_database(app_paths, leave_empty=leave_empty)
    shutil.rmtree(app_paths.data_dir / "backups")  # the worst day: no backup either

    with pytest.raises(LibraryOpenError) as raised:
        Library(app_paths)
    error = raised.value
    kind = "empty" if leave_empty else "missing"
    assert error.code == f"library.{kind}_database"
    assert str(error) == (f"The library file {app_paths.database} is {kind}, but the media "
                          "folder still holds scenes (1) and takes (2).")
    problem, text = startup_screen(qapp, app_paths, error)
    assert problem.actions == (StartupAction.START_NEW, StartupAction.QUIT)
    assert "Rebuild the library from the media folders" in text

    services, outcome, _ = run_start_up(qapp, app_paths, [StartupAction.START_NEW])
    try:
        assert (outcome.rebuilt.scenes, outcome.rebuilt.takes) == (["테스트 장면 Test scene"], 2)
        from yousync_desktop.ui.startup_problem_dialog import recovery_report

        summary, not_put_back = recovery_report(outcome)
        assert "Put back from the media folders: 1 scene(s) and 2 take(s)." in summary
        assert not_put_back == []
    finally:
        services.close()
    assert library_content(app_paths) == populated


def test_restoring_the_backup_also_brings_back_what_was_recorded_after_it(
        app_paths, populated, qapp, tmp_path):
    with Library(app_paths) as library:  # a take recorded after the daily backup
        key = library.list_scenes()[0].key
        script = library.get_scene(key).token.scripts[1]
        (tmp_path / "later").mkdir()
        record_take(library, key, script, "fault-scene", tmp_path / "later", 0.7)
        # and a file in the take folder that is not a recording at all
        (app_paths.media_dir / "takes" / str(key) / "notes.wav").write_bytes(b"not audio")
    after = library_content(app_paths)
    remove_database(app_paths, leave_empty=False)

    services, outcome, shown = run_start_up(qapp, app_paths, [StartupAction.RESTORE_BACKUP])
    try:
        assert shown[0][0].actions[0] is StartupAction.RESTORE_BACKUP
        assert outcome.restored is not None and outcome.rebuilt.takes == 1
        [problem] = outcome.rebuilt.problems
        assert str(problem) == f"Take takes/{key}/notes.wav: it cannot be read as a recording."
        # the takes from before the backup keep their star
        assert any(t.starred for t in services.library.takes(key))
    finally:
        services.close()
    assert library_content(app_paths) == after
    assert (app_paths.media_dir / "takes" / str(key) / "notes.wav").exists()  # left in place


def test_an_empty_media_folder_is_just_a_first_start(app_paths):
    with Library(app_paths) as library:
        assert library.list_scenes() == []
    remove_database(app_paths, leave_empty=True)
    with Library(app_paths) as library:  # nothing to lose: no question asked
        assert library.list_scenes() == []
