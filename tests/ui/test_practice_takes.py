"""The practice window's lists follow the library, not the code that changed it: a take added,
scored, starred or removed by anyone — here straight through the library, as crash recovery or a
sync would — shows up in the takes of its line and in the line's state. No audio: the window is
never asked to start it, and background work is held rather than run (these tests are about the
lists, not the analysis)."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile

from tests.practice.helpers import DEMO_PACK, copy_library, make_template_library
from yousync_desktop.domain import Score
from yousync_desktop.library import Library
from yousync_desktop.practice import LineStatus, PracticeSession
from yousync_desktop.tasks import Task, TaskHandle
from yousync_desktop.ui.events import EventBridge
from yousync_desktop.ui.practice.practice_window import PracticeWindow

WAIT_MS = 5_000


class HeldTasks:
    """A task manager that keeps what it is given without running it."""

    def __init__(self):
        self.held: list[str] = []

    def run(self, op, *, label: str = "", **_callbacks) -> TaskHandle:
        self.held.append(label)
        return TaskHandle(Task(label))


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return make_template_library(tmp_path_factory.mktemp("takes-template"))


@pytest.fixture
def library(template, tmp_path):
    library = Library(copy_library(template, tmp_path))
    yield library
    library.close()


@pytest.fixture
def practice(library, qtbot):
    def no_audio():
        raise AssertionError("these tests never open the audio")

    session = PracticeSession(library, library.key_for_pack(DEMO_PACK), no_audio)
    events = EventBridge(library.events)
    window = PracticeWindow(session, None, HeldTasks(), events)
    qtbot.addWidget(window)
    yield window
    window.close()
    events.close()


def add_take(practice, tmp_path, line: int):
    session = practice.session
    script = session.scripts[line]
    path = tmp_path / f"take-{line}-{len(session.takes(line))}.wav"
    soundfile.write(path, np.zeros(24000, np.float32), 48000)
    return session.library.add_take(session.scene.key, script.id, path, sample_rate=48000,
                                    duration=0.5,
                                    metadata={"window_start": script.start_time - 0.5})


def listed(practice) -> list[int]:
    model = practice.takes.takes_model
    return [model.take(row).id for row in range(model.rowCount())]


def test_a_take_added_elsewhere_is_listed_scored_starred_and_removed(practice, qtbot, tmp_path):
    lines = practice.lines.line_model
    assert listed(practice) == [] and lines.line(0).status is LineStatus.NOT_RECORDED

    take = add_take(practice, tmp_path, 0)
    qtbot.waitUntil(lambda: listed(practice) == [take.id], timeout=WAIT_MS)
    assert lines.line(0).status is LineStatus.RECORDED
    assert practice.selected_take().id == take.id

    practice.session.library.add_score(take.id, Score(0.8, pronunciation=0.8, intonation=0.7,
                                                      timing=0.9))
    qtbot.waitUntil(lambda: lines.line(0).status is LineStatus.SCORED, timeout=WAIT_MS)
    assert practice.selected_take().score is not None
    assert practice.score.score() is not None, "the selected take's new score is shown"

    practice.session.library.set_starred(take.id, True)
    model = practice.takes.takes_model
    qtbot.waitUntil(lambda: model.data(model.index(0, model.STAR)) == "★", timeout=WAIT_MS)

    practice.session.library.delete_take(take.id)
    qtbot.waitUntil(lambda: listed(practice) == [], timeout=WAIT_MS)
    assert lines.line(0).status is LineStatus.NOT_RECORDED
    assert practice.selected_take() is None and practice.score.score() is None


def test_a_take_of_another_line_changes_that_line_only(practice, qtbot, tmp_path):
    take = add_take(practice, tmp_path, 1)
    lines = practice.lines.line_model
    qtbot.waitUntil(lambda: lines.line(1).status is LineStatus.RECORDED, timeout=WAIT_MS)
    assert listed(practice) == [], "the takes listed are the current line's"
    practice.select_line(1)
    assert listed(practice) == [take.id]


def test_the_window_actions_change_the_library_and_the_lists_follow(practice, qtbot, tmp_path):
    first = add_take(practice, tmp_path, 0)
    second = add_take(practice, tmp_path, 0)
    qtbot.waitUntil(lambda: listed(practice) == [second.id, first.id], timeout=WAIT_MS)
    kept = practice.selected_take()
    practice.toggle_star()
    assert [t.id for t in practice.session.takes(0) if t.starred] == [kept.id]
    qtbot.waitUntil(lambda: practice.selected_take().starred, timeout=WAIT_MS)
    assert practice.selected_take().id == kept.id, "the selection stays on its take"

    practice.delete_take_now(kept)
    [other] = [take_id for take_id in (first.id, second.id) if take_id != kept.id]
    qtbot.waitUntil(lambda: listed(practice) == [other], timeout=WAIT_MS)
    assert practice.selected_take().id == other


def test_a_closed_window_hears_no_more(practice, qapp, tmp_path):
    practice.close()
    add_take(practice, tmp_path, 2)
    qapp.processEvents()  # delivers the notice (queued by the bridge) to whoever still listens
    assert practice.lines.line_model.line(2).status is LineStatus.NOT_RECORDED
