"""Fixtures for the practice service: the real audio stack through the virtual sound server, a
library with a demo scene, and a voice for each of its lines."""

from __future__ import annotations

import pytest

from tests.audio.conftest import virtual_audio  # noqa: F401 - the fixture, shared
from tests.practice.helpers import (DEMO_PACK, VirtualLearner, copy_library, make_template_library,
                                    make_voice_lines)


@pytest.fixture(scope="session")
def template_library(tmp_path_factory):
    return make_template_library(tmp_path_factory.mktemp("practice-template"))


@pytest.fixture
def practice_paths(template_library, tmp_path, monkeypatch):
    paths = copy_library(template_library, tmp_path)
    monkeypatch.setenv("YOUSYNC_DATA_DIR", str(paths.data_dir))
    monkeypatch.setenv("YOUSYNC_CONFIG_DIR", str(paths.config_dir))
    return paths


@pytest.fixture(scope="session")
def demo_scripts(template_library):
    from yousync_desktop.library import Library

    with Library(template_library) as library:
        key = library.key_for_pack(DEMO_PACK)
        return library.get_scene(key).token.scripts


@pytest.fixture(scope="session")
def voice_lines(tmp_path_factory, demo_scripts):
    return make_voice_lines(tmp_path_factory.mktemp("voices"), [s.script for s in demo_scripts])


@pytest.fixture
def learner(tmp_path):
    speaker = VirtualLearner(tmp_path)
    yield speaker
    speaker.close()
