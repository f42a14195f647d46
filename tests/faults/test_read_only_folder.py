"""A read-only data folder (chmod for a normal user; a read-only bind mount as root, where chmod
does not stop writes): said so, opened read-only on request, nothing written."""

from __future__ import annotations

import hashlib

import pytest

from tests.faults.conftest import library_content, read_only, run_start_up, startup_screen
from yousync_desktop.library import Library, LibraryError, LibraryOpenError
from yousync_desktop.library.recovery import StartupAction
from yousync_desktop.services import AppServices


def files_of(folder) -> dict:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_read_only_data_folder(app_paths, populated, qapp):
    before = files_of(app_paths.data_dir)
    with read_only(app_paths.data_dir):
        with pytest.raises(LibraryOpenError) as raised:
            AppServices.build(app_paths)
        error = raised.value
        assert error.code == "library.read_only_folder"
        assert str(error) == (f"The library folder {app_paths.data_dir} is read-only: nothing "
                              "can be saved there.")
        problem, text = startup_screen(qapp, app_paths, error)
        assert problem.actions == (StartupAction.OPEN_READ_ONLY, StartupAction.RETRY,
                                   StartupAction.QUIT)
        assert "Open read-only" in text and "Make it writable" in text

        services, _, shown = run_start_up(qapp, app_paths, [StartupAction.OPEN_READ_ONLY])
        try:
            assert services.read_only and shown[0][0].code == "library.read_only_folder"
            services.start()  # no backup, no tidying, no recovery: nothing may be written
            assert [s.pack_id for s in services.library.list_scenes()] == ["fault-scene"]
            with pytest.raises(LibraryError) as refused:
                services.library.new_staging_dir()
            assert refused.value.code == "library.opened_read_only"
        finally:
            services.close()
        assert library_content(app_paths) == populated
    assert files_of(app_paths.data_dir) == before


def test_a_read_only_library_file(app_paths, populated, qapp):
    """A read-only file in a writable folder."""
    before = app_paths.database.read_bytes()
    with read_only(app_paths.database):
        with pytest.raises(LibraryOpenError) as raised:
            Library(app_paths)
        assert raised.value.code == "library.read_only_file"
        assert str(raised.value) == (f"The library file {app_paths.database} is read-only: "
                                     "nothing can be saved in it.")
        problem, _ = startup_screen(qapp, app_paths, raised.value)
        assert StartupAction.OPEN_READ_ONLY in problem.actions
        assert library_content(app_paths) == populated
    assert app_paths.database.read_bytes() == before
