"""A real small disk for fault tests: a tmpfs mounted on a folder (as root, which CI is), filled so
that only a known number of bytes are left. A test that cannot mount one is skipped, saying why.

    with small_disk(tmp_path / "disk", size=8 << 20) as disk:
        ... put the data folder in `disk` ...
        leave_free(disk, 200_000)   # a filler file takes the rest
"""

from __future__ import annotations

import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

FILLER = ".filler"


@contextmanager
def small_disk(folder: Path, size: int) -> Iterator[Path]:
    """Mount a tmpfs of `size` bytes on `folder` for the block; unmounted afterwards, whatever
    happened. Skips the test when it cannot be mounted."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("a full disk needs a small tmpfs, and mounting one needs root (CI runs as "
                    "root)")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs",
                              str(folder)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs on {folder}: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        unmount(folder)


def unmount(folder: Path) -> None:
    result = subprocess.run(["umount", str(folder)], capture_output=True, text=True)
    if result.returncode != 0:  # something still has a file open there: detach it lazily
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, text=True)


def free_bytes(folder: Path) -> int:
    return shutil.disk_usage(folder).free


def leave_free(folder: Path, free: int) -> Path:
    """Fill the disk holding `folder` with one file so that `free` bytes (rounded down to whole
    4 KiB pages, as tmpfs counts) are left. Returns the filler, to delete for "space freed"."""
    filler = Path(folder) / FILLER
    fill = free_bytes(folder) - free
    if fill <= 0:
        raise ValueError(f"only {free_bytes(folder)} bytes are free, fewer than {free}")
    with open(filler, "ab") as out:
        out.write(b"\0" * fill)
        out.flush()
        os.fsync(out.fileno())
    return filler
