"""The demo scenes bundled with the app (resources/demo_scenes/*.yspack, made by
tools/make_demo_scenes.py), installed into the library on first start."""

from __future__ import annotations

from pathlib import Path

from yousync_desktop.library.repository import Library
from yousync_desktop.library.scene_pack import ImportResult, PackError, import_pack
from yousync_desktop.settings import demo_scenes_dir


def bundled_demo_packs() -> list[Path]:
    return sorted(demo_scenes_dir().glob("*.yspack"))


def install_demo_scenes(library: Library) -> list[ImportResult]:
    """Import every bundled pack (already-present ones come back "unchanged"). The caller records
    in Settings that this happened, on its own thread, so a user who deletes a demo scene does not
    get it back on the next start."""
    results = []
    failures = []
    for pack in bundled_demo_packs():
        try:
            results.append(import_pack(library, pack))
        except PackError as exc:
            failures.append(f"{pack.name}: {exc}")
    if failures:
        raise PackError("could not install demo scenes: " + "; ".join(failures))
    return results
