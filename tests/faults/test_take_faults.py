"""A take is never lost, with real parts: a real small disk (tmpfs) that fills during a take, a
real SQLite that refuses to save a take, a real process killed by PID mid-take, real files gone
missing or left without a row. Each test asserts what the learner sees and that every sample
written is still there (in the library, or where the next start finds it).

The sessions run on the FakeEngine (deterministic, no sound server). Samples reach the disk at
every block here (FLUSH_INTERVAL_S = 0) instead of every 250 ms of wall-clock time, so where the
disk fills does not depend on how fast the test runs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import soundfile
from sqlalchemy import text

from tests.audio.conftest import LineReader
from tests.practice.helpers import DEMO_PACK, copy_library, make_template_library
from tests.small_disk import leave_free, small_disk
from yousync_desktop.audio import take_writer
from yousync_desktop.audio.fake_engine import FakeEngine
from yousync_desktop.audio.take_writer import TakeWriteError
from yousync_desktop.library import Library
from yousync_desktop.practice import PracticeOptions, PracticeSession
from yousync_desktop.services import AppServices
from yousync_desktop.settings import Settings
from yousync_desktop.tasks import InlineTaskManager

RATE = 48000
REPO = Path(__file__).resolve().parents[2]
OPTIONS = PracticeOptions(count_in_beats=1, count_in_interval_s=0.3, lead_in_s=0.3)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return make_template_library(tmp_path_factory.mktemp("take-faults-template"))


@pytest.fixture
def every_block_on_disk(monkeypatch):
    monkeypatch.setattr(take_writer, "FLUSH_INTERVAL_S", 0.0)


def learner_signal(seconds: float, seed: int = 7) -> np.ndarray:
    """What the fake microphone hears: seeded noise, different at every sample, so a sample out
    of place or missing shows."""
    rng = np.random.default_rng(seed)
    return (0.3 * rng.uniform(-1.0, 1.0, int(seconds * RATE))).astype(np.float32)


def open_session(paths, fake: FakeEngine) -> PracticeSession:
    library = Library(paths)
    session = PracticeSession(library, library.key_for_pack(DEMO_PACK), lambda: fake,
                              options=OPTIONS, tasks=InlineTaskManager())
    session.start_audio()
    return session


def close_session(session: PracticeSession) -> None:
    session.close()
    session.library.close()


def media_take_files(paths) -> set[str]:
    takes = paths.media_dir / "takes"
    return {p.relative_to(paths.media_dir).as_posix() for p in takes.rglob("*") if p.is_file()}


def incoming_files(paths) -> list:
    return sorted((paths.data_dir / "incoming").glob("*.wav"))


def assert_holds_the_signal(path, signal: np.ndarray) -> int:
    """The file is the learner's signal from its first sample on, none missing or moved;
    returns how many samples it holds."""
    samples, rate = soundfile.read(path, dtype="float32")
    assert rate == RATE and 0 < samples.size <= signal.size
    np.testing.assert_allclose(samples, signal[:samples.size], atol=1e-6)  # 24-bit PCM
    return samples.size


def assert_silent_from_now_on(fake: FakeEngine) -> None:
    start = fake.position_samples
    fake.advance(0.3)
    assert not np.any(fake.played(start, fake.position_samples)), "something still plays"


# --- a full disk during a take --------------------------------------------------------------------

def room_in_the_database(library: Library, size: int = 2 << 20) -> None:
    """A library that has been in use: its database file has free pages and its write-ahead log
    is already long, so a few more rows need no new disk space (SQLite reuses both)."""
    with library.engine.begin() as connection:
        connection.execute(text("CREATE TABLE ballast (b BLOB)"))
        connection.execute(text(f"INSERT INTO ballast VALUES (zeroblob({size}))"))
    with library.engine.begin() as connection:
        connection.execute(text("DROP TABLE ballast"))
    with library.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(RESTART)")


@pytest.mark.parametrize("library_has_room", [True, False],
                         ids=["row-saved", "row-refused-too"])
def test_a_full_disk_mid_take_ends_it_at_once_and_keeps_every_sample(
        template, tmp_path, every_block_on_disk, library_has_room):
    with small_disk(tmp_path / "disk", size=24 << 20) as disk:
        paths = copy_library(template, disk)
        fake = FakeEngine()
        session = open_session(paths, fake)
        try:
            if library_has_room:
                room_in_the_database(session.library)
            recording = session.record(1)
            take = recording.take_session
            window = (take.capture_end - take.capture_start) / RATE
            signal = learner_signal(window)
            fake.microphone.say(signal, at=take.capture_start)
            assert fake.advance_until(lambda: recording.state == "recording", 10)
            fake.advance(0.3)
            [writing] = incoming_files(paths)
            on_disk_before = soundfile.info(str(writing)).frames
            leave_free(disk, 96 * 1024)  # room for well under a second more

            assert fake.advance_until(lambda: recording.finished, window + 5)
            # At once: the take ended where the disk did, not at the end of its window.
            assert fake.capture_end < take.capture_end and recording.progress < 1.0
            assert_silent_from_now_on(fake)  # the music stops with the take
            outcome = recording.wait(0)
            assert recording.take_session.result.metadata["status"] == "write_failed"
            error = outcome.error
            assert error.disk_full, error
            if library_has_room:
                assert outcome.take is not None and error.code == "take.disk_full"
                kept = assert_holds_the_signal(session.take_path(outcome.take), signal)
                assert outcome.take.duration == pytest.approx(kept / RATE)
                assert str(error) == (f"The disk is full: the take was stopped at "
                                      f"{kept / RATE:.1f} s and what was recorded is kept.")
                assert incoming_files(paths) == []
                assert session.takes(1) == [outcome.take]
            else:  # the file waits in incoming/ for the next start
                assert outcome.take is None
                assert error.code == "take.disk_full_kept_for_next_start"
                [waiting] = incoming_files(paths)
                kept = assert_holds_the_signal(waiting, signal)
                assert str(error) == (f"The disk is full: the take was stopped at "
                                      f"{kept / RATE:.1f} s. What was recorded is kept and will "
                                      f"be added to your takes the next time the app starts.")
            assert kept >= on_disk_before, "every sample that reached the disk is kept"
            assert media_take_files(paths) <= {t.audio_path for t in session.takes(1)}, \
                "no file in the library without its row"
        finally:
            close_session(session)

        # The next start, with space freed: the take is among the learner's takes, whole.
        (disk / ".filler").unlink()
        services = AppServices.build(paths, engine_factory=lambda: fake)
        try:
            report = services.reconcile_takes()
            assert report.recovered_count == (0 if library_has_room else 1)
            [saved] = services.library.takes(services.library.key_for_pack(DEMO_PACK),
                                             session.scripts[1].id)
            assert assert_holds_the_signal(services.library.take_audio_path(saved),
                                           signal) == kept
            assert incoming_files(paths) == []
        finally:
            services.close()


def test_a_disk_already_full_refuses_the_take_before_it_starts(template, tmp_path):
    with small_disk(tmp_path / "disk", size=24 << 20) as disk:
        paths = copy_library(template, disk)
        fake = FakeEngine()
        session = open_session(paths, fake)
        try:
            leave_free(disk, 1)
            with pytest.raises(TakeWriteError) as refused:
                session.record(0)
            assert refused.value.code == "take.no_room"
            assert str(refused.value) == ("The disk is full: there is no room to record a take. "
                                          "Free some space and try again.")
            assert_silent_from_now_on(fake)  # no count-in for a take that cannot be made
            assert incoming_files(paths) == [] and session.takes(0) == []
        finally:
            close_session(session)


# --- the library refuses to save a take -----------------------------------------------------------

def refuse_takes(paths, statement: str = "INSERT") -> None:
    """A real SQLite failure when the take's row is written (as a failing disk gives it)."""
    with Library(paths) as library, library.engine.begin() as connection:
        connection.execute(text(f"CREATE TRIGGER refuse BEFORE {statement} ON takes "
                                "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"))


def allow_takes(paths) -> None:
    with Library(paths) as library, library.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER refuse"))


def record_whole_take(session: PracticeSession, fake: FakeEngine, index: int):
    recording = session.record(index)
    take = recording.take_session
    signal = learner_signal((take.capture_end - take.capture_start) / RATE)
    fake.microphone.say(signal, at=take.capture_start)
    assert fake.advance_until(lambda: recording.finished, 30)
    return recording.wait(0), signal


@pytest.mark.parametrize("step", ["INSERT", "UPDATE"])
def test_a_take_the_library_cannot_save_is_kept_and_added_at_the_next_start(template, tmp_path,
                                                                             step):
    """INSERT: the pending row is refused, so the file never leaves incoming/. UPDATE: the file
    is in place but its row cannot be completed. Either way the next start adds it, whole."""
    paths = copy_library(template, tmp_path)
    refuse_takes(paths, step)
    fake = FakeEngine()
    session = open_session(paths, fake)
    try:
        outcome, signal = record_whole_take(session, fake, 0)
        assert outcome.take is None
        assert outcome.error.code == "practice.take_kept_for_next_start"
        assert str(outcome.error).startswith(
            "The take is kept and will be added to your takes the next time the app starts; it "
            "could not be added now: ")
        assert session.takes(0) == []
        if step == "INSERT":
            [waiting] = incoming_files(paths)
            assert media_take_files(paths) == set(), "never in the library without its row"
        else:
            [waiting] = [paths.media_dir / f for f in media_take_files(paths)]
            assert incoming_files(paths) == []
        kept = assert_holds_the_signal(waiting, signal)
    finally:
        close_session(session)

    allow_takes(paths)
    services = AppServices.build(paths, engine_factory=lambda: fake)
    try:
        report = services.reconcile_takes()
        assert [str(n) for n in report.notices()] == ["A take was recovered after a crash."]
        [saved] = services.library.takes(services.library.key_for_pack(DEMO_PACK))
        assert assert_holds_the_signal(services.library.take_audio_path(saved), signal) == kept
        assert incoming_files(paths) == []
    finally:
        services.close()


# --- kill -9 during a take ------------------------------------------------------------------------

CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import soundfile
    from tests.faults.test_take_faults import OPTIONS, learner_signal, RATE
    from yousync_desktop.audio.fake_engine import FakeEngine
    from yousync_desktop.library import Library
    from yousync_desktop.practice import PracticeSession
    from yousync_desktop.settings import AppPaths
    from yousync_desktop.tasks import InlineTaskManager

    paths = AppPaths(Path(sys.argv[1]), Path(sys.argv[2]))
    library = Library(paths)
    fake = FakeEngine()
    fake.run_realtime()  # one block per block of wall-clock time, like a real sound card
    session = PracticeSession(library, library.key_for_pack("demo-rainy-promise"), lambda: fake,
                              options=OPTIONS, tasks=InlineTaskManager())
    session.start_audio()
    recording = session.record(1)
    take = recording.take_session
    window = (take.capture_end - take.capture_start) / RATE
    fake.microphone.say(learner_signal(window), at=take.capture_start)
    print("window", window, flush=True)
    [path] = (paths.data_dir / "incoming").glob("*.wav")
    while True:
        time.sleep(0.05)
        print("on-disk", soundfile.info(str(path)).frames, recording.state, flush=True)
""")


@pytest.mark.timeout(120)
def test_a_take_killed_mid_way_is_recovered_at_the_next_start(template, tmp_path):
    paths = copy_library(template, tmp_path)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(paths.data_dir),
                              str(paths.config_dir)], stdout=subprocess.PIPE, text=True,
                             cwd=REPO)
    try:
        lines = LineReader(child.stdout)
        window = float(lines.next(timeout=60).split()[1])
        assert window > 2.0, "room to kill the take well before its end"
        on_disk, state = 0, ""
        while not (state == "recording" and on_disk >= RATE // 2):
            _, frames, state = lines.next(timeout=30).split()
            on_disk = int(frames)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    [left] = incoming_files(paths)

    services = AppServices.build(paths, engine_factory=FakeEngine)
    try:
        report = services.reconcile_takes()
        assert [str(n) for n in report.notices()] == ["A take was recovered after a crash."]
        [take] = report.recovered
        assert take.metadata["status"] == "recovered" and take.script_id == \
            services.library.get_scene(take.token_key).token.scripts[1].id
        kept = assert_holds_the_signal(services.library.take_audio_path(take),
                                       learner_signal(window))
        assert kept >= on_disk, "every sample on disk at the kill is in the recovered take"
        assert not left.exists() and incoming_files(paths) == []
    finally:
        services.close()


# --- a file gone, a file without its row ----------------------------------------------------------

def test_a_missing_file_and_an_orphan_file_are_reconciled_and_said(template, tmp_path):
    paths = copy_library(template, tmp_path)
    fake = FakeEngine()
    session = open_session(paths, fake)
    try:
        (gone, _), (orphaned, orphan_signal) = (record_whole_take(session, fake, 0),
                                                record_whole_take(session, fake, 2))
        gone_path = session.take_path(gone.take)
        orphan_path = session.take_path(orphaned.take)
    finally:
        close_session(session)
    gone_path.unlink()  # deleted by hand, or on a drive that is not connected
    with Library(paths) as library, library.engine.begin() as connection:  # an older database
        connection.execute(text("DELETE FROM takes WHERE id = :id"), {"id": orphaned.take.id})

    services = AppServices.build(paths, engine_factory=lambda: fake)
    try:
        report = services.reconcile_takes()
        assert [str(n) for n in report.notices()] == [
            "A take was recovered after a crash.",
            "A take's recording is missing from the library folder; the take is hidden until "
            "the file is back."]
        key = services.library.key_for_pack(DEMO_PACK)
        [adopted] = services.library.takes(key)
        assert services.library.take_audio_path(adopted) == orphan_path
        assert adopted.script_id == orphaned.take.script_id
        assert_holds_the_signal(orphan_path, orphan_signal)
        assert not services.reconcile_takes().notices(), "repaired once"
    finally:
        services.close()


# --- what the learner sees in the app ---------------------------------------------------------------

@pytest.mark.parametrize("language, line", [
    ("en", "2 takes were recovered after a crash."),
    ("ko", "비정상 종료 후 테이크 2개를 복구했습니다."),
])
def test_the_main_window_says_in_one_line_what_was_recovered(template, tmp_path, qapp, qtbot,
                                                             language, line):
    from yousync_desktop.app import close_main_window, create_application, open_main_window

    paths = copy_library(template, tmp_path)
    Settings(demo_scenes_installed=True).save(paths)
    with Library(paths) as library:
        key = library.key_for_pack(DEMO_PACK)
        lines = library.get_scene(key).token.scripts
    for n in range(2):  # two takes a crash left mid-way
        writer = take_writer.TakeWriter(paths.data_dir / "incoming" / f"crashed-{n}.wav", RATE,
                                        {"token_key": key, "script_id": lines[n].id,
                                         "pack_id": DEMO_PACK})
        writer.write(learner_signal(0.5, seed=n))
        writer.flush()
    window = open_main_window(create_application([]), paths, language=language)
    try:
        qtbot.waitUntil(lambda: window.statusBar().currentMessage() != "", timeout=30_000)
        assert window.statusBar().currentMessage() == line
        assert len(window.library.takes(key)) == 2
    finally:
        close_main_window(window, remember_layout=False)


def test_a_full_disk_mid_take_is_said_and_the_take_shown_in_the_practice_window(template, tmp_path, qapp, qtbot,
                                                              every_block_on_disk):
    from yousync_desktop.app import close_main_window, create_application, open_main_window

    with small_disk(tmp_path / "disk", size=24 << 20) as disk:
        paths = copy_library(template, disk)
        Settings(demo_scenes_installed=True, practice_count_in_beats=1).save(paths)
        fake = FakeEngine()
        fake.run_realtime()
        window = open_main_window(create_application([]), paths, engine_factory=lambda: fake)
        try:
            window.browser.select_scene(window.library.key_for_pack(DEMO_PACK))
            practice = window.open_practice()
            qtbot.waitUntil(lambda: practice.audio_state != "starting", timeout=30_000)
            assert practice.audio_state == "ready", practice.banner.text()
            room_in_the_database(window.library)
            practice.record()
            recording = practice.recording
            take = recording.take_session
            fake.microphone.say(learner_signal((take.capture_end - take.capture_start) / RATE),
                                at=take.capture_start)
            qtbot.waitUntil(lambda: recording.state == "recording" and recording.progress > 0.4,
                            timeout=30_000)
            leave_free(disk, 64 * 1024)
            qtbot.waitUntil(lambda: practice.recording is None, timeout=30_000)
            assert recording.progress < 1.0, "the take ended where the disk did"
            said = practice.statusBar().currentMessage()
            kept = recording.outcome.take
            assert said == (f"The disk is full: the take was stopped at {kept.duration:.1f} s "
                            f"and what was recorded is kept.")
            qtbot.waitUntil(lambda: practice.takes.selected_take() is not None, timeout=30_000)
            assert practice.takes.selected_take().id == kept.id, "the take is shown"
            assert "\n" not in said and "Error" not in said and "SQL" not in said
            practice.close()
        finally:
            close_main_window(window, remember_layout=False)
            fake.stop()
