"""Bytes written into the database file: the app names it, keeps the damaged file aside byte for
byte, and brings everything back — from the automatic backup plus the media folders, or from the
media folders alone."""

from __future__ import annotations

import pytest

from tests.faults.conftest import library_content, run_start_up, startup_screen
from yousync_desktop.library import Library, LibraryOpenError
from yousync_desktop.library.recovery import StartupAction

PAGE = 4096


def spoil(database, offset: int, length: int = 512) -> bytes:
    with open(database, "r+b") as file:
        file.seek(offset)
        file.write(b"\xa5\x5a" * (length // 2))
    return database.read_bytes()


def damaged_error(paths) -> LibraryOpenError:
    with pytest.raises(LibraryOpenError) as raised:
        Library(paths)
    return raised.value


def test_bytes_over_the_header_are_named_and_the_backup_brings_everything_back(
        app_paths, populated, qapp):
    damaged = spoil(app_paths.database, 0)

    error = damaged_error(app_paths)
    assert error.code == "library.damaged"
    assert str(error) == f"The library file {app_paths.database} is damaged and cannot be opened."
    problem, text = startup_screen(qapp, app_paths, error)
    assert problem.actions == (StartupAction.RESTORE_BACKUP, StartupAction.START_NEW,
                               StartupAction.QUIT)  # nothing readable: no read-only
    assert text.startswith(str(error))
    assert "Restore the backup of" in text
    assert "Start a new library from the scenes and takes on disk" in text
    _, korean = startup_screen(qapp, app_paths, error, language="ko")
    assert "손상되어 열 수 없습니다" in korean and "백업 복원" in korean

    services, outcome, shown = run_start_up(qapp, app_paths, [StartupAction.RESTORE_BACKUP])
    try:
        assert [p.code for p, _ in shown] == ["library.damaged"]
        assert outcome.restored is not None and outcome.set_aside.read_bytes() == damaged
        assert not services.read_only
    finally:
        services.close()
    assert library_content(app_paths) == populated


def test_a_damaged_page_is_found_at_start_and_a_new_library_is_rebuilt_from_the_files(
        app_paths, populated, qapp):
    damaged = spoil(app_paths.database, 2 * PAGE, PAGE)  # a b-tree page, not the header

    assert damaged_error(app_paths).code == "library.damaged"
    services, outcome, _ = run_start_up(qapp, app_paths, [StartupAction.START_NEW])
    try:
        assert outcome.set_aside.read_bytes() == damaged
        assert outcome.rebuilt.problems == []
        assert outcome.rebuilt.takes == len(populated["takes"])
        takes = services.library.takes(services.library.list_scenes()[0].key)
        assert all(t.score is None and not t.starred and t.metadata["rebuilt"] for t in takes)
    finally:
        services.close()
    # Every scene and every take's audio is back (scores and stars live only in the database).
    assert library_content(app_paths) == populated
