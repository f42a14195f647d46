"""The library lock and staging owners (real file locks; a second process where it matters),
read-only libraries, and the tidying a start does after a crash."""

from __future__ import annotations

import os

import pytest

from yousync_desktop.library import Library, LibraryError, LibraryOpenError
from yousync_desktop.library.locks import LibraryLock, take_library_lock
from yousync_desktop.library.rebuild import tidy_scene_folders
from yousync_desktop.library.scene_pack import import_pack


def test_one_holder_at_a_time_and_the_holder_is_named(tmp_path):
    first = take_library_lock(tmp_path, "import-pack")
    try:
        second = LibraryLock(tmp_path)
        assert not second.try_acquire()
        holder = second.holder()
        assert (holder.pid, holder.purpose) == (os.getpid(), "import-pack")
        error = second.in_use_error()
        assert error.code == "library.in_use_by_command"
        assert str(error) == (f"The library is being changed by the command `yousync "
                              f"import-pack` (process {os.getpid()}).")
        with pytest.raises(LibraryOpenError):
            second.acquire(0.0)
    finally:
        first.release()
    assert second.try_acquire()
    second.release()


def test_a_read_only_library_reads_and_refuses_every_change(library, app_paths, spec, tmp_path):
    key = import_pack(library, spec.write(tmp_path / "s.yspack")).key
    with Library(app_paths, read_only=True) as reader:
        assert reader.get_scene(key).pack_id == spec.manifest["pack_id"]
        for change in (lambda: reader.delete_scene(key), lambda: reader.new_staging_dir(),
                       lambda: reader.set_starred(1, True)):
            with pytest.raises(LibraryError) as raised:
                change()
            assert raised.value.code == "library.opened_read_only"


def test_a_scene_folder_keeps_what_a_rebuild_needs(library, spec, tmp_path):
    import json

    key = import_pack(library, spec.write(tmp_path / "s.yspack")).key
    folder = library.get_scene(key).media.video.parent
    record = json.loads((folder / "scene.json").read_text())
    assert record["key"] == key and record["pack_id"] == spec.manifest["pack_id"]
    assert json.loads((folder / "manifest.json").read_text()) == spec.manifest


def test_old_scene_folders_get_their_records_at_start(library, spec, tmp_path):
    key = import_pack(library, spec.write(tmp_path / "s.yspack")).key
    folder = library.get_scene(key).media.video.parent
    (folder / "scene.json").unlink()
    (folder / "manifest.json").unlink()
    tidy_scene_folders(library)
    assert (folder / "scene.json").is_file() and (folder / "manifest.json").is_file()


def test_a_delete_cut_short_is_finished_or_undone_at_the_next_start(library, spec, tmp_path):
    key = import_pack(library, spec.write(tmp_path / "s.yspack")).key
    folder = library.get_scene(key).media.video.parent
    doomed = folder.with_name(".deleting-" + folder.name)

    folder.rename(doomed)  # crashed after the rename, before the commit: the row is there
    tidy_scene_folders(library)
    assert folder.is_dir() and not doomed.exists()
    assert library.get_scene(key).media.video.is_file()

    library.delete_scene(key)
    assert not folder.exists() and not doomed.exists()
    doomed.mkdir()  # crashed after the commit, before the files went: finish it
    tidy_scene_folders(library)
    assert not doomed.exists() and library.list_scenes() == []
