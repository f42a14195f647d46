"""Library CRUD, migrations from an empty database, files beside the database."""

import sqlite3

import numpy as np
import pytest
import soundfile
from sqlalchemy import inspect

from yousync_desktop.domain import Score, Script, Token, Word, WordScore
from yousync_desktop.library import Library, LibraryError
from yousync_desktop.library import db
from yousync_desktop.library.schema import Base


def _token() -> Token:
    return Token(id=3, token_name="Scene", actor_name="Actor", start_time=5.0, end_time=9.0,
                 category="코미디",
                 scripts=[Script(id=10, token_id=3, start_time=5.5, end_time=6.5, script="Hi",
                                 words=[Word(1, 10, "Hi", 5.5, 6.0, 0.9)]),
                          Script(id=11, token_id=3, start_time=7.0, end_time=8.0, script="Bye")])


def _add_scene(library, pack_id="p") -> int:
    staging = library.new_staging_dir()
    (staging / "video.mp4").write_bytes(b"video bytes")
    return library.add_scene(_token(), pack_id=pack_id, content_hash="h",
                             staged_media={"video": staging / "video.mp4"})


def _take_file(tmp_path, name="take.wav"):
    path = tmp_path / name
    t = np.arange(4800) / 48000
    soundfile.write(path, 0.3 * np.sin(2 * np.pi * 200 * t), 48000)
    return path


def test_migrations_create_the_schema_on_an_empty_database(app_paths):
    with Library(app_paths) as library:
        assert db.current_revision(library.engine) == db.head_revision()
        tables = set(inspect(library.engine).get_table_names())
    assert {"tokens", "scripts", "takes", "scores", "alembic_version"} <= tables
    with sqlite3.connect(app_paths.database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_migrated_schema_matches_the_models(app_paths):
    """A model change without a migration fails here."""
    with Library(app_paths) as library:
        found = inspect(library.engine)
        for table in Base.metadata.sorted_tables:
            migrated = {c["name"] for c in found.get_columns(table.name)}
            assert migrated == {c.name for c in table.columns}, table.name


def test_reopening_keeps_data_and_does_not_remigrate(app_paths):
    with Library(app_paths) as library:
        key = _add_scene(library)
    with Library(app_paths) as library:
        assert library.get_scene(key).token == _token()


def test_scene_crud(library):
    key = _add_scene(library)
    [summary] = library.list_scenes()
    assert (summary.key, summary.line_count, summary.duration, summary.category) == (key, 2, 4.0, "코미디")
    assert library.categories() == ["코미디"]
    assert library.key_for_pack("p") == key
    scene = library.get_scene(key)
    assert scene.media.video.read_bytes() == b"video bytes"
    assert scene.media.video.parent.parent == library.media_dir / "scenes"
    with pytest.raises(LibraryError, match="already in the library"):
        _add_scene(library)
    library.delete_scene(key)
    assert library.list_scenes() == [] and not scene.media.video.exists()
    with pytest.raises(LibraryError):
        library.get_scene(key)


def test_failed_add_leaves_no_files(library):
    _add_scene(library)
    staging = library.new_staging_dir()
    (staging / "video.mp4").write_bytes(b"x")
    with pytest.raises(LibraryError):
        library.add_scene(_token(), pack_id="p", content_hash="h",
                          staged_media={"video": staging / "video.mp4"})
    assert not staging.exists()
    assert len(list((library.media_dir / "scenes").iterdir())) == 1


def test_takes_scores_and_stars(library, tmp_path):
    key = _add_scene(library)
    first = library.add_take(key, 10, _take_file(tmp_path, "a.wav"), sample_rate=48000,
                             duration=0.1, latency_ms=12.5, metadata={"input": "feedmic"})
    second = library.add_take(key, 10, _take_file(tmp_path, "b.wav"), sample_rate=48000, duration=0.1)
    other_line = library.add_take(key, 11, _take_file(tmp_path, "c.wav"), sample_rate=48000,
                                  duration=0.1)
    audio, rate = soundfile.read(library.take_audio_path(first))
    assert rate == 48000 and len(audio) == 4800
    assert not (tmp_path / "a.wav").exists()  # moved into the library

    score = Score(overall_score=0.8, pronunciation=0.8, intonation=0.75, timing=0.85,
                  words=[WordScore(word="Hi", word_score=0.8)])
    library.add_score(first.id, score)
    library.set_starred(first.id, True)
    library.set_starred(second.id, True)  # only one star per line
    library.set_starred(other_line.id, True)

    takes = library.takes(key, 10)
    assert [t.id for t in takes] == [first.id, second.id]
    assert [t.starred for t in takes] == [False, True]
    assert takes[0].score == score and takes[0].latency_ms == 12.5
    assert takes[0].metadata == {"input": "feedmic"}
    assert library.takes(key, 11)[0].starred
    assert len(library.takes(key)) == 3

    library.delete_take(second.id)
    assert not library.take_audio_path(second).exists()
    assert [t.id for t in library.takes(key, 10)] == [first.id]


def test_take_for_unknown_line_is_refused(library, tmp_path):
    key = _add_scene(library)
    with pytest.raises(LibraryError, match="not part of this scene"):
        library.add_take(key, 999, _take_file(tmp_path), sample_rate=48000, duration=0.1)


def test_deleting_a_scene_deletes_its_takes_and_scores(library, tmp_path):
    key = _add_scene(library)
    take = library.add_take(key, 10, _take_file(tmp_path), sample_rate=48000, duration=0.1)
    library.add_score(take.id, Score(overall_score=0.5))
    path = library.take_audio_path(take)
    library.delete_scene(key)
    assert not path.exists()
    assert library.takes(key) == [] and library.scores(take.id) == []


def test_leftover_staging_from_a_crash_is_discarded(app_paths):
    with Library(app_paths) as library:
        leftover = library.new_staging_dir()
        (leftover / "half.mp4").write_bytes(b"half")
    with Library(app_paths):
        assert not leftover.exists()
