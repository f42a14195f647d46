"""Imports cut short: a staging folder whose import died is cleaned at the next open, one whose
import is alive is left alone; an import killed with kill -9 — while staging, or after moving its
folder but before committing — leaves a clean library at the next start, with nothing lost."""

from __future__ import annotations

import pytest

from tests.faults.conftest import PACK_ID, library_content
from tests.library.pack_factory import valid_spec
from yousync_desktop.library import Library
from yousync_desktop.services import AppServices

STAGE_AND_WAIT = """
import sys
from yousync_desktop.library import Library
from yousync_desktop.settings import AppPaths

library = Library(AppPaths.from_environment())
folder = library.new_staging_dir()
(folder / "video.mp4").write_bytes(b"half an import")
print("staged", folder, flush=True)
sys.stdin.read()
"""

# The real `yousync import-pack`, paused at one point of the import so that kill -9 lands there.
IMPORT_PAUSED_AT = """
import pathlib, sys, time
from yousync_desktop import cli
from yousync_desktop.library.repository import Library

where = sys.argv[1]

def pause(what):
    print("paused", what, flush=True)
    time.sleep(600)

if where == "staging":
    real_add_scene = Library.add_scene
    def add_scene(self, *args, **kwargs):
        pause("with its media staged")
        return real_add_scene(self, *args, **kwargs)
    Library.add_scene = add_scene
else:
    real_rename = pathlib.Path.rename
    def rename(self, target):
        moved = real_rename(self, target)
        if pathlib.Path(target).parent.name == "scenes":
            pause("with its folder moved, before the commit")
        return moved
    pathlib.Path.rename = rename

sys.exit(cli.main(["import-pack", sys.argv[2]]))
"""


def staging_entries(paths) -> list[str]:
    root = paths.media_dir / ".staging"
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def test_only_staging_folders_without_a_live_owner_are_cleaned(app_paths, populated,
                                                               second_process):
    dead = second_process(STAGE_AND_WAIT)
    dead_folder = dead.wait_for("staged").split(" ", 1)[1]
    dead.kill()
    live = second_process(STAGE_AND_WAIT)
    live_folder = live.wait_for("staged").split(" ", 1)[1]

    with Library(app_paths):  # a second library start, as another process would do
        pass
    remaining = staging_entries(app_paths)
    assert remaining == sorted([live_folder.rsplit("/", 1)[1],
                                live_folder.rsplit("/", 1)[1] + ".owner"])
    assert (app_paths.media_dir / ".staging" / live_folder.rsplit("/", 1)[1] / "video.mp4") \
        .read_bytes() == b"half an import"
    assert not any(dead_folder.endswith(name) for name in remaining)

    live.kill()
    with Library(app_paths):
        pass
    assert staging_entries(app_paths) == []
    assert library_content(app_paths) == populated


@pytest.mark.parametrize("where", ["staging", "moved"])
def test_kill_9_during_an_import(app_paths, populated, pack_media, tmp_path, second_process,
                                 where):
    pack = valid_spec(pack_media, "killed-scene").write(tmp_path / "killed.yspack")
    importer = second_process(IMPORT_PAUSED_AT, where, str(pack))
    importer.wait_for("paused")
    importer.kill()

    services = AppServices.build(app_paths)  # the next start
    try:
        services.start()
    finally:
        services.close()
    assert staging_entries(app_paths) == []
    content = library_content(app_paths)
    assert content["takes"] == populated["takes"]
    assert content["scenes"][PACK_ID] == populated["scenes"][PACK_ID]
    scene_folders = sorted((app_paths.media_dir / "scenes").iterdir())
    if where == "staging":  # never reached the library: as if it had not happened
        assert set(content["scenes"]) == {PACK_ID} and len(scene_folders) == 1
    else:  # its complete folder was in place: the next start finishes the import
        assert set(content["scenes"]) == {PACK_ID, "killed-scene"} and len(scene_folders) == 2
    with Library(app_paths) as library:  # and a start after that has nothing left to do
        assert len(library.list_scenes()) == len(content["scenes"])
