"""Start-up repair of the takes (library/reconcile.py) on real files and a real SQLite: every state
a crash or a lost file can leave ends as a listed take, a hidden one that comes back with its
file, or a file kept aside — and the report says so in the sentences the learner reads."""

from __future__ import annotations

import os
from datetime import datetime

import numpy as np
import pytest
from sqlalchemy import text

from yousync_desktop.audio.take_writer import TakeWriter
from yousync_desktop.domain import Script, Token
from yousync_desktop.events import RecordingBus, TakeAdded, TakeRemoved
from yousync_desktop.library import Library, take_saving
from yousync_desktop.library.reconcile import SET_ASIDE_DIR, reconcile_takes
from yousync_desktop.library.schema import TakeRow

RATE = 48000


def _token() -> Token:
    return Token(id=3, token_name="Scene", actor_name="Actor", start_time=5.0, end_time=9.0,
                 scripts=[Script(id=10, token_id=3, start_time=5.5, end_time=6.5, script="Hi"),
                          Script(id=11, token_id=3, start_time=7.0, end_time=8.0, script="Bye")])


@pytest.fixture
def bus():
    return RecordingBus()


@pytest.fixture
def lib(app_paths, bus):
    with Library(app_paths, events=bus) as library:
        yield library


@pytest.fixture
def scene(lib) -> int:
    staging = lib.new_staging_dir()
    (staging / "video.mp4").write_bytes(b"video")
    return lib.add_scene(_token(), pack_id="p", content_hash="h",
                         staged_media={"video": staging / "video.mp4"})


@pytest.fixture
def incoming(app_paths):
    folder = app_paths.data_dir / "incoming"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_take(path, frames=RATE, *, close=True, **header):
    """A take as the recorder writes it: samples, and its scene and line in the header."""
    writer = TakeWriter(path, RATE, {"latency_ms": 4.0, "recorded_at": "2024-05-01T10:00:00+00:00",
                                     **header})
    writer.write(np.linspace(-0.5, 0.5, frames, dtype=np.float32))
    if close:
        writer.close()
    else:
        writer.flush()  # its periodic flush ran; then the process "died"
    return path


def statuses(lib) -> dict[int, str]:
    with lib.engine.connect() as connection:
        return dict(connection.execute(text("SELECT id, status FROM takes")).all())


def english(report) -> list[str]:
    return [str(notice) for notice in report.notices()]


def test_nothing_to_repair_says_nothing(lib, scene, incoming):
    report = reconcile_takes(lib, incoming)
    assert not report.repaired and english(report) == [] and report.details() == ""


def test_a_take_left_in_incoming_by_a_crash_is_recovered(lib, scene, incoming, bus):
    write_take(incoming / "crashed.wav", close=False, token_key=scene, script_id=11, pack_id="p")
    report = reconcile_takes(lib, incoming)
    [take] = report.recovered
    assert lib.takes(scene, 11) == [take]
    assert take.metadata["status"] == "recovered" and take.duration == pytest.approx(1.0)
    assert take.latency_ms == 4.0
    assert list(incoming.iterdir()) == []
    assert english(report) == ["A take was recovered after a crash."]
    assert TakeAdded(scene, 11, take.id) in bus.published
    assert not reconcile_takes(lib, incoming).repaired, "nothing twice"


def test_interrupted_saves_are_finished_whichever_step_they_reached(lib, scene, incoming):
    # After step 1: the pending row names the file still in incoming/.
    waiting = write_take(incoming / "a.wav", token_key=scene, script_id=10)
    # After step 2: the file is in place, its row still pending.
    moved = write_take(incoming / "b.wav", token_key=scene, script_id=10)
    with lib.transaction() as session:
        for name, relative in (("a.wav", "takes/1/a.wav"), ("b.wav", "takes/1/b.wav")):
            session.add(TakeRow(token_key=scene, script_id=10, audio_file=relative,
                                sample_rate=RATE, duration=1.0, starred=False,
                                created_at=datetime(2024, 5, 1), meta={}, status="pending",
                                incoming_file=f"incoming/{name}"))
    (lib.media_dir / "takes/1").mkdir(parents=True)
    os.replace(moved, lib.media_dir / "takes/1/b.wav")

    report = reconcile_takes(lib, incoming)
    assert sorted(t.audio_path for t in report.completed) == ["takes/1/a.wav", "takes/1/b.wav"]
    assert set(statuses(lib).values()) == {"complete"}
    assert not waiting.exists() and (lib.media_dir / "takes/1/a.wav").is_file()
    assert len(lib.takes(scene)) == 2 and report.recovered == []
    assert english(report) == ["2 takes were recovered after a crash."]


def test_a_take_whose_file_is_gone_is_hidden_and_comes_back_with_it(lib, scene, incoming, bus,
                                                                   tmp_path):
    take = lib.add_take(scene, 10, write_take(incoming / "t.wav", token_key=scene, script_id=10),
                        sample_rate=RATE, duration=1.0)
    path = lib.take_audio_path(take)
    aside = tmp_path / "on-a-drive-not-connected.wav"
    os.replace(path, aside)

    report = reconcile_takes(lib, incoming)
    assert report.missing == [take.audio_path] and lib.takes(scene) == []
    assert statuses(lib) == {take.id: "missing"}, "hidden, not deleted"
    assert TakeRemoved(scene, 10, take.id) in bus.published
    assert english(report) == ["A take's recording is missing from the library folder; the take "
                               "is hidden until the file is back."]
    assert english(reconcile_takes(lib, incoming)) == [], "said once"

    os.replace(aside, path)
    report = reconcile_takes(lib, incoming)
    assert [t.id for t in report.back] == [take.id] and lib.takes(scene) == [take]
    assert english(report) == ["A take whose recording had gone missing is back."]


def test_a_file_in_the_library_without_a_row_is_adopted_from_its_header(lib, scene, incoming,
                                                                        bus):
    folder = lib.media_dir / "takes" / str(scene)
    orphan = write_take(folder / "orphan.wav", frames=RATE // 2, token_key=scene, script_id=11,
                        pack_id="p")
    report = reconcile_takes(lib, incoming)
    assert report.adopted == 1
    [take] = lib.takes(scene, 11)
    assert lib.take_audio_path(take) == orphan and take.metadata["rebuilt"]
    assert take.duration == pytest.approx(0.5)
    assert take.created_at.isoformat().startswith("2024-05-01T10:00:00")
    assert TakeAdded(scene, 11, take.id) in bus.published
    assert english(report) == ["A take was recovered after a crash."]


def test_files_that_cannot_be_takes_are_moved_aside_never_deleted(lib, scene, incoming,
                                                                  app_paths):
    folder = lib.media_dir / "takes" / str(scene)
    write_take(folder / "other-scene.wav", token_key=999, script_id=10, pack_id="gone")
    write_take(folder / "no-header.wav")
    (folder / "garbage.wav").write_bytes(b"not a recording")
    write_take(incoming / "no-line.wav", token_key=scene, script_id=77)
    write_take(incoming / "empty.wav", frames=0, token_key=scene, script_id=10)

    report = reconcile_takes(lib, incoming)
    aside = app_paths.data_dir / SET_ASIDE_DIR
    assert sorted(p.name for p in aside.iterdir()) == [
        "garbage.wav", "no-header.wav", "no-line.wav", "other-scene.wav"]
    assert sorted(p.name for p in report.set_aside) == sorted(p.name for p in aside.iterdir())
    assert list(incoming.iterdir()) == [], "the empty take (no sample recorded) is removed"
    assert lib.takes(scene) == [] and list(folder.iterdir()) == []
    assert english(report) == [f"4 recordings that could not be added as takes were moved to "
                               f"{aside}."]
    assert "the scene it was recorded for is not in the library" in report.details()


def test_a_take_being_made_is_left_alone(lib, scene, incoming):
    live = write_take(incoming / "live.wav", close=False, token_key=scene, script_id=10)
    take_saving.claim(live)
    try:
        report = reconcile_takes(lib, incoming)
    finally:
        take_saving.release(live)
    assert not report.repaired and live.exists() and lib.takes(scene) == []
