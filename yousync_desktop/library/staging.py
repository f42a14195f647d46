"""Staging folders: where an import puts files before one transaction adds them to the library.

Each folder `media/.staging/<id>/` has an owner: the process making it holds `<id>.owner` locked
(library/locks.py) from before the folder exists until the folder has been moved into the library
or removed. A folder whose owner lock can be taken has no live owner — its import crashed or was
killed — and only such folders are removed when a library opens. A second process opening the
same library therefore never wipes an import in progress.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import threading
import uuid
from pathlib import Path

from yousync_desktop.library.locks import ExclusiveFileLock

log = logging.getLogger(__name__)

OWNER_SUFFIX = ".owner"


class StagingArea:
    def __init__(self, root: Path):
        self.root = Path(root)
        self._owned: dict[Path, ExclusiveFileLock] = {}
        self._guard = threading.Lock()  # imports on several worker threads share one area

    def new_folder(self) -> Path:
        """A fresh folder owned by this process until `release` or `discard`."""
        self.root.mkdir(parents=True, exist_ok=True)
        name = uuid.uuid4().hex
        owner = ExclusiveFileLock(self.root / f"{name}{OWNER_SUFFIX}")
        if not owner.try_acquire():  # a fresh name: nobody else can hold it
            raise RuntimeError(f"staging owner {owner.path} is held by another process")
        owner.write_note({"pid": os.getpid()})
        folder = self.root / name
        try:
            folder.mkdir()
        except BaseException:
            self._drop_owner(owner)
            raise
        with self._guard:
            self._owned[folder] = owner
        return folder

    def owns(self, folder: Path) -> bool:
        with self._guard:
            return Path(folder) in self._owned

    def release(self, folder: Path) -> None:
        """The folder left the staging area (moved into the library): let go of it."""
        with self._guard:
            owner = self._owned.pop(Path(folder), None)
        if owner is not None:
            self._drop_owner(owner)

    def discard(self, folder: Path) -> None:
        """Remove a folder this process staged, and let go of it."""
        shutil.rmtree(folder, ignore_errors=True)
        self.release(folder)

    def release_all(self) -> None:
        with self._guard:
            folders = list(self._owned)
        for folder in folders:
            self.discard(folder)

    def discard_unowned(self) -> list[str]:
        """Remove the staging folders (and stray owner files) no live process owns; returns
        their names. Folders this or another process is still filling are left alone."""
        if not self.root.is_dir():
            return []
        removed = []
        for entry in sorted(self.root.iterdir()):
            if entry.name.endswith(OWNER_SUFFIX):
                folder = entry.with_name(entry.name[:-len(OWNER_SUFFIX)])
                if folder.exists():
                    continue  # judged with its folder below
            else:
                folder = entry
            if self.owns(folder):
                continue
            owner = ExclusiveFileLock(self.root / f"{folder.name}{OWNER_SUFFIX}")
            try:
                free = owner.try_acquire()
            except OSError as exc:
                log.warning("cannot check the owner of staging folder %s: %s", folder.name, exc)
                continue
            if not free:
                continue  # a live import
            try:
                if folder.is_dir():
                    shutil.rmtree(folder, ignore_errors=True)
                else:
                    folder.unlink(missing_ok=True)
                removed.append(folder.name)
            finally:
                self._drop_owner(owner)
        if removed:
            log.info("removed %d staging folder(s) left by imports that did not finish",
                     len(removed))
        return removed

    @staticmethod
    def _drop_owner(owner: ExclusiveFileLock) -> None:
        # Unlink while still holding it, so nobody can take a lock on a file about to vanish
        # (Windows cannot remove an open file: there it goes after the release).
        try:
            owner.path.unlink(missing_ok=True)
        except OSError:
            owner.release()
            with contextlib.suppress(OSError):
                owner.path.unlink(missing_ok=True)
        finally:
            owner.release()
