"""Opening the largest scene a pack may hold (every limit of PackLimits reached at once): the
window shows the scene's card at once and every one of its lines once read, reads it off the GUI
thread, and measures the height of the rows on screen only. How long the GUI thread stalls is
measured by `python -m benchmarks.scene_open`, not asserted here."""

from __future__ import annotations

import shutil
import threading

import pytest

from benchmarks.corpus.maximum_scene import maximum_token
from yousync_desktop.domain import Token

WAIT_MS = 60_000


@pytest.fixture(scope="module")
def largest_token() -> dict:
    return maximum_token()


@pytest.fixture
def largest_key(window, qtbot, pack_media, largest_token) -> int:
    """The largest scene, added to the window's library as an import would add it (its media
    are the small test pack's: nothing here plays them)."""
    library = window.library
    staging = library.new_staging_dir()
    staged = {}
    for kind in ("video", "bgvoice", "thumbnail"):
        staged[kind] = staging / f"{kind}{pack_media[kind].suffix}"
        shutil.copyfile(pack_media[kind], staged[kind])
    key = library.add_scene(Token.from_api(largest_token), pack_id="largest-scene",
                            content_hash="0" * 64, staged_media=staged)
    qtbot.waitUntil(lambda: window.browser.scene_model.row_for_key(key) is not None,
                    timeout=WAIT_MS)
    return key


def test_the_largest_scene_shows_every_line(window, qtbot, largest_key, largest_token):
    scripts = largest_token["scripts"]
    assert window.browser.select_scene(largest_key)
    # The card's facts show at once, from the scene list.
    assert window.detail.title.text() == largest_token["token_name"]
    assert window.detail.facts.text().endswith(f"{len(scripts)} lines")
    assert window.practise_action.isEnabled()

    qtbot.waitUntil(lambda: window.detail.scene() is not None, timeout=WAIT_MS)
    assert window.detail.scene().key == largest_key
    assert window.export_action.isEnabled() and window.delete_action.isEnabled()
    model = window.detail.lines_model
    assert model.rowCount() == len(scripts) == 500
    assert [model.index(row, 1).data() for row in range(model.rowCount())] == \
        [s["script"] for s in scripts]
    assert [model.index(row, 2).data() for row in range(model.rowCount())] == \
        [s["translation"] for s in scripts]


def test_rows_are_measured_as_they_come_into_view(window, qtbot, largest_key):
    window.browser.select_scene(largest_key)
    qtbot.waitUntil(lambda: window.detail.scene() is not None, timeout=WAIT_MS)
    table = window.detail.lines_table
    one_text_line = table.verticalHeader().defaultSectionSize()
    # The first rows get the height of their wrapped 2,000 characters; the rest wait their turn.
    qtbot.waitUntil(lambda: table.rowHeight(0) > 3 * one_text_line and table.measured_rows() > 0,
                    timeout=WAIT_MS)
    assert table.measured_rows() < 50
    middle = table.model().rowCount() // 2
    assert table.rowHeight(middle) <= one_text_line

    table.scrollTo(table.model().index(middle, 1))
    qtbot.waitUntil(lambda: table.rowHeight(middle) > 3 * one_text_line, timeout=WAIT_MS)
    assert table.measured_rows() < 50


def test_the_last_line_can_be_scrolled_to(window, qtbot, largest_key):
    window.browser.select_scene(largest_key)
    qtbot.waitUntil(lambda: window.detail.scene() is not None, timeout=WAIT_MS)
    table = window.detail.lines_table
    last = table.model().rowCount() - 1
    table.scrollToBottom()

    def last_row_in_view() -> bool:  # measured, and at least partly on screen
        top, height = table.rowViewportPosition(last), table.rowHeight(last)
        return (height > table.verticalHeader().defaultSectionSize()
                and top < table.viewport().height() and top + height > 0)

    qtbot.waitUntil(last_row_in_view, timeout=WAIT_MS)


def test_the_scene_is_read_off_the_gui_thread(window, qtbot, largest_key, monkeypatch):
    library = window.library
    read_on = []
    original = library.get_scene

    def recording_get_scene(key, **options):
        read_on.append(threading.current_thread())
        return original(key, **options)

    monkeypatch.setattr(library, "get_scene", recording_get_scene)
    window.browser.select_scene(largest_key)
    qtbot.waitUntil(lambda: window.detail.scene() is not None, timeout=WAIT_MS)
    assert read_on and threading.main_thread() not in read_on


def test_the_last_selected_scene_is_the_one_shown(window, qtbot, largest_key):
    other = next(s for s in window.browser.scene_model.scenes() if s.key != largest_key)
    window.browser.select_scene(largest_key)
    window.browser.select_scene(other.key)  # before the largest scene has been read
    qtbot.waitUntil(lambda: not window.services.tasks.pending(), timeout=WAIT_MS)
    assert window.detail.scene().key == other.key
    assert window.detail.title.text() == other.token_name
    assert window.detail.lines_model.rowCount() == other.line_count
