"""A library saved by a newer YouSync (an Alembic revision this version does not know): said so,
never migrated down, never changed at all; it can still be read."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from tests.faults.conftest import REPO, library_content, run_start_up, startup_screen
from yousync_desktop.library import Library, LibraryError, LibraryOpenError
from yousync_desktop.library.recovery import StartupAction

FUTURE = "9f3e_from_the_future"


def stamp_future_revision(database) -> bytes:
    connection = sqlite3.connect(database)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (FUTURE,))
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return database.read_bytes()


def test_a_newer_library_is_never_changed_and_opens_read_only(app_paths, populated, qapp):
    before = stamp_future_revision(app_paths.database)

    with pytest.raises(LibraryOpenError) as raised:
        Library(app_paths)
    error = raised.value
    assert error.code == "library.newer_version"
    assert str(error) == (f"This library was saved by a newer version of YouSync (format "
                          f"{FUTURE}). This version cannot change it: update YouSync to keep "
                          "working with it.")
    problem, text = startup_screen(qapp, app_paths, error)
    assert problem.actions == (StartupAction.OPEN_READ_ONLY, StartupAction.QUIT)
    assert "never changes a library saved by a newer one" in text
    _, korean = startup_screen(qapp, app_paths, error, language="ko")
    assert "더 새 버전의 YouSync가 저장했습니다" in korean

    services, _, _ = run_start_up(qapp, app_paths, [StartupAction.OPEN_READ_ONLY])
    try:
        assert services.read_only and services.recover_takes() == []
        key = services.library.list_scenes()[0].key
        with pytest.raises(LibraryError) as refused:
            services.library.delete_scene(key)
        assert str(refused.value) == "The library is open read-only: nothing can be changed."
    finally:
        services.close()
    assert library_content(app_paths) == populated
    assert app_paths.database.read_bytes() == before  # not migrated down, not touched


def test_the_command_line_says_it_in_one_line(app_paths, populated):
    before = stamp_future_revision(app_paths.database)
    result = subprocess.run([sys.executable, "-m", "yousync_desktop", "delete", "fault-scene"],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("yousync: error: This library was saved by a newer version")
    listing = subprocess.run([sys.executable, "-m", "yousync_desktop", "list"], cwd=REPO,
                             capture_output=True, text=True, timeout=120)
    assert listing.returncode == 0 and "fault-scene" in listing.stdout  # reading still works
    assert app_paths.database.read_bytes() == before
