"""The library tells what changed, after the commit, as typed events; a failed change tells
nothing."""

from __future__ import annotations

import pytest

from tests.library.test_repository import _add_scene, _take_file
from yousync_desktop.domain import Score
from yousync_desktop.events import (RecordingBus, ScoreStored, TakeAdded, TakeChanged,
                                    TakeRemoved, TokenAdded, TokenRemoved)
from yousync_desktop.library import Library, LibraryError


@pytest.fixture
def bus():
    return RecordingBus()


def test_each_change_is_published_once_with_its_keys(app_paths, tmp_path, bus):
    with Library(app_paths, events=bus) as library:
        key = _add_scene(library)
        take = library.add_take(key, 10, _take_file(tmp_path), sample_rate=48000, duration=0.1)
        library.set_starred(take.id, True)
        library.add_score(take.id, Score(source="quick", overall_score=0.8))
        library.delete_take(take.id)
        library.delete_scene(key)
    assert bus.published == [
        TokenAdded(key), TakeAdded(key, 10, take.id), TakeChanged(key, 10, take.id),
        ScoreStored(key, 10, take.id, "quick"), TakeRemoved(key, 10, take.id),
        TokenRemoved(key)]


def test_a_refused_change_publishes_nothing(app_paths, tmp_path, bus):
    with Library(app_paths, events=bus) as library:
        key = _add_scene(library)
        bus.published.clear()
        with pytest.raises(LibraryError):
            library.add_take(key, 999, _take_file(tmp_path), sample_rate=48000, duration=0.1)
        with pytest.raises(LibraryError):
            library.add_score(12345, Score(source="quick", overall_score=0.5))
        library.delete_take(12345)  # already gone: nothing to say
    assert bus.published == []


def test_a_subscriber_that_fails_does_not_silence_the_others(app_paths, bus, caplog):
    heard = []

    def broken(_event):
        raise RuntimeError("a view that broke")

    bus.subscribe(broken)
    bus.subscribe(heard.append)
    with Library(app_paths, events=bus) as library:
        key = _add_scene(library)
    assert heard == [TokenAdded(key)]
    assert "a view that broke" in caplog.text
