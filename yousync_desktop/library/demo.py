"""The demo scenes bundled with the app (resources/demo_scenes/*.yspack, made by
tools/make_demo_scenes.py), installed into the library on first start."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from yousync_desktop.library.repository import Library
from yousync_desktop.library.scene_pack import ImportResult, PackError, import_pack
from yousync_desktop.settings import demo_scenes_dir


class FailureList(tuple):
    """Errors listed in one sentence as "first; second". ui/error_texts.py words a tuple
    parameter the same way, each item in the learner's language."""

    def __format__(self, spec: str) -> str:
        return "; ".join(format(item, spec) for item in self)


def bundled_demo_packs() -> list[Path]:
    return sorted(demo_scenes_dir().glob("*.yspack"))


def install_demo_scenes(library: Library,
                        progress: Callable[[float, str], None] | None = None,
                        ) -> list[ImportResult]:
    """Import every bundled pack (already-present ones come back "unchanged"). The caller records
    in Settings that this happened, on its own thread, so a user who deletes a demo scene does not
    get it back on the next start."""
    results = []
    failures = []
    packs = bundled_demo_packs()
    for done, pack in enumerate(packs):
        if progress is not None:
            progress(done / max(len(packs), 1), pack.stem)
        try:
            results.append(import_pack(library, pack))
        except PackError as exc:
            failures.append(PackError("pack.demo_failed", name=pack.name, reason=exc))
    if failures:
        raise PackError("pack.demo_install_failed", failures=FailureList(failures))
    return results
