"""Fixtures for the Qt shell: the real main window on a throwaway data folder, opened the way
`run_app` opens it (demo scenes installed on first start by a background operation)."""

from __future__ import annotations

import json
import zipfile

import pytest

from yousync_desktop.settings import demo_scenes_dir

# Importing three demo packs probes their media with ffmpeg-backed decoders; on a busy shared
# machine that can take a while. Waiting long costs nothing when things are fast.
DEMO_INSTALL_TIMEOUT_MS = 120_000


@pytest.fixture(scope="session")
def demo_tokens() -> list[dict]:
    """The `token` objects of the bundled demo packs, read straight from the archives: what the
    window should end up showing, found without going through the code under test."""
    packs = sorted(demo_scenes_dir().glob("*.yspack"))
    assert len(packs) == 3, f"expected 3 demo packs in {demo_scenes_dir()}, found {len(packs)}"
    tokens = []
    for pack in packs:
        with zipfile.ZipFile(pack) as archive:
            tokens.append(json.loads(archive.read("manifest.json"))["token"])
    return tokens


class WindowOpener:
    def __init__(self, qapp, qtbot, app_paths):
        from yousync_desktop.app import create_application

        self._app = create_application([])
        self._qtbot = qtbot
        self._paths = app_paths
        self._open = []

    def open(self, *, wait_until_idle: bool = True):
        from yousync_desktop.app import open_main_window

        window = open_main_window(self._app, self._paths)
        self._open.append(window)
        window.show()
        if wait_until_idle:
            self._qtbot.waitUntil(lambda: not window.is_busy(), timeout=DEMO_INSTALL_TIMEOUT_MS)
        return window

    def close(self, window) -> None:
        from yousync_desktop.app import close_main_window

        self._open.remove(window)
        close_main_window(window)

    def close_all(self) -> None:
        for window in list(self._open):
            self.close(window)


@pytest.fixture
def windows(qapp, qtbot, app_paths):
    opener = WindowOpener(qapp, qtbot, app_paths)
    yield opener
    opener.close_all()


@pytest.fixture
def window(windows):
    """The main window with the demo scenes installed and listed."""
    return windows.open()
