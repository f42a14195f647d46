"""Adding a take is one recoverable unit (library/take_saving.py): the row goes in as pending, the
file moves, the row is completed. A real SQLite refuses each step here (a trigger raising, as a
full or failing disk would), and the file is always where the next start finds it: never in the
library without a row."""

from __future__ import annotations

import errno
import sqlite3

import numpy as np
import pytest
import soundfile
from sqlalchemy import text

from yousync_desktop.domain import Script, Token
from yousync_desktop.events import RecordingBus, TakeAdded
from yousync_desktop.library import Library, LibraryError, db, take_saving
from yousync_desktop.settings import AppPaths


def _token() -> Token:
    return Token(id=3, token_name="Scene", actor_name="Actor", start_time=5.0, end_time=9.0,
                 scripts=[Script(id=10, token_id=3, start_time=5.5, end_time=6.5, script="Hi")])


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
def recorded(app_paths):
    incoming = app_paths.data_dir / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    path = incoming / "take.wav"
    soundfile.write(path, np.full(4800, 0.25, np.float32), 48000, subtype="PCM_24")
    return path


def refuse(lib, statement: str) -> None:
    """Make SQLite refuse a change to the takes table, as a failing disk would."""
    with lib.engine.begin() as connection:
        connection.execute(text(f"CREATE TRIGGER refuse BEFORE {statement} ON takes "
                                "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"))


def allow(lib) -> None:
    with lib.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER refuse"))


def rows(lib) -> list[tuple]:
    with lib.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(
            text("SELECT id, status, audio_file, incoming_file FROM takes ORDER BY id"))]


def library_files(lib) -> list[str]:
    return sorted(p.relative_to(lib.media_dir).as_posix()
                  for p in (lib.media_dir / "takes").rglob("*") if p.is_file())


def add(lib, scene, path):
    return lib.add_take(scene, 10, path, sample_rate=48000, duration=0.1, latency_ms=3.0,
                        metadata={"status": "complete"})


def test_a_saved_take_is_complete_in_place_and_announced(lib, scene, recorded, bus):
    take = add(lib, scene, recorded)
    assert rows(lib) == [(take.id, "complete", take.audio_path, None)]
    assert library_files(lib) == [take.audio_path] and not recorded.exists()
    assert lib.takes(scene) == [take] and lib.take(take.id) == take
    assert bus.published[-1] == TakeAdded(scene, 10, take.id)
    assert not take_saving.in_use(recorded)


def test_a_row_that_cannot_be_committed_leaves_the_file_in_incoming(lib, scene, recorded, bus):
    refuse(lib, "INSERT")
    before = recorded.read_bytes()
    with pytest.raises(Exception, match="disk I/O error"):
        add(lib, scene, recorded)
    assert rows(lib) == [] and library_files(lib) == []
    assert recorded.read_bytes() == before, "the take waits, untouched, for the next start"
    assert not [e for e in bus.published if isinstance(e, TakeAdded)]


def test_a_file_that_cannot_be_moved_stays_and_its_row_is_taken_back(lib, scene, recorded,
                                                                     monkeypatch):
    def no_room(_source, _destination):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(take_saving.os, "replace", no_room)
    with pytest.raises(OSError):
        add(lib, scene, recorded)
    assert rows(lib) == [] and library_files(lib) == [] and recorded.exists()


def test_a_row_that_cannot_be_completed_is_pending_until_the_next_start(lib, scene, recorded):
    refuse(lib, "UPDATE")
    with pytest.raises(Exception, match="disk I/O error"):
        add(lib, scene, recorded)
    [(take_id, status, audio_file, incoming_file)] = rows(lib)
    assert (status, incoming_file) == ("pending", "incoming/take.wav")
    assert library_files(lib) == [audio_file], "moved, and named by its row"
    assert lib.takes(scene) == [], "a pending take is not listed"
    allow(lib)

    from yousync_desktop.library.reconcile import reconcile_takes

    report = reconcile_takes(lib, recorded.parent)
    assert [t.id for t in report.completed] == [take_id]
    assert rows(lib) == [(take_id, "complete", audio_file, None)]
    assert [t.id for t in lib.takes(scene)] == [take_id]


def test_a_take_for_a_line_that_is_not_there_is_refused_and_left_alone(lib, scene, recorded):
    with pytest.raises(LibraryError) as refused:
        lib.add_take(scene, 99, recorded, sample_rate=48000, duration=0.1)
    assert refused.value.code == "library.no_line"
    assert rows(lib) == [] and recorded.exists()


def test_a_library_from_before_take_status_is_upgraded_with_its_takes_complete(tmp_path):
    paths = AppPaths(tmp_path / "data", tmp_path / "config")
    engine = db.create_sqlite_engine(paths.database)
    config = db._alembic_config()
    from alembic import command

    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    engine.dispose()
    with sqlite3.connect(paths.database) as connection:
        connection.execute("INSERT INTO tokens VALUES (1, 'p', 'h', 3, 'S', 'A', NULL, 0, 1, "
                           "NULL, NULL, 0, NULL, 'scenes/x', NULL, NULL, NULL, NULL, "
                           "'2024-01-01 00:00:00')")
        connection.execute("INSERT INTO takes VALUES (1, 1, 10, 'takes/1/a.wav', 48000, 1.0, "
                           "NULL, 0, '2024-01-01 00:00:00', '{}')")
    with Library(paths) as library:
        assert rows(library) == [(1, "complete", "takes/1/a.wav", None)]
        assert [t.id for t in library.takes(1)] == [1]
