"""Shared fixtures. Qt is forced offscreen before anything can import it, and every test gets its
own data and config folders so nothing touches the user's real library or settings."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from yousync_desktop.settings import AppPaths  # noqa: E402


@pytest.fixture
def app_paths(tmp_path, monkeypatch) -> AppPaths:
    data_dir = tmp_path / "data"
    config_dir = tmp_path / "config"
    monkeypatch.setenv("YOUSYNC_DATA_DIR", str(data_dir))
    monkeypatch.setenv("YOUSYNC_CONFIG_DIR", str(config_dir))
    return AppPaths.from_environment()


@pytest.fixture
def library(app_paths):
    from yousync_desktop.library import Library

    with Library(app_paths) as lib:
        yield lib


@pytest.fixture(scope="session")
def pack_media(tmp_path_factory):
    """Media for a small valid scene pack, made once per run (see tests/library/pack_factory.py)."""
    from tests.library.pack_factory import make_media

    return make_media(tmp_path_factory.mktemp("pack-media"))


def pytest_collection_modifyitems(config, items):
    """Every test that needs the virtual sound server (directly or through another fixture) runs
    in the real-stack lane: `-m audio_stack` selects it, `-m "not audio_stack"` runs the rest
    without PulseAudio or PortAudio devices."""
    for item in items:
        if "virtual_audio" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.audio_stack)


@pytest.fixture(autouse=True)
def _root_logging_restored():
    """A test that runs a command in-process (the server's CLI configures logging on stderr, which
    pytest replaces per test) must not leave a handler on a closed stream for the next test."""
    import logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    for handler in handlers:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)
