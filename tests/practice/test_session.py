"""The practice service through the real audio stack: a take is recorded over the background track
with the learner's voice arriving in the virtual microphone, the live trace gets pitch points while
it records, the take is saved and scored, and everything is still there after a restart."""

from __future__ import annotations

import time

import numpy as np
import pytest
import soundfile

from tests.practice.helpers import DEMO_PACK, engine_factory
from yousync_desktop.audio.take_writer import TakeWriter
from yousync_desktop.library import Library
from yousync_desktop.practice import LineStatus, PracticeError, PracticeOptions, PracticeSession
from yousync_desktop.services import AppServices

pytestmark = pytest.mark.timeout(120)
OPTIONS = PracticeOptions(count_in_beats=2, count_in_interval_s=0.4, lead_in_s=0.5)


@pytest.fixture
def session(practice_paths, virtual_audio):
    library = Library(practice_paths)
    practice = PracticeSession(library, library.key_for_pack(DEMO_PACK), engine_factory,
                               options=OPTIONS)
    practice.start_audio()
    yield practice
    practice.close()
    library.close()


def record_and_watch(session, index, voice, learner):
    """Record line `index` while the learner speaks; returns (outcome, live points seen while the
    take was still being captured, states seen)."""
    if learner.lag == 4800:
        learner.measure_lag(session.engine)
    recording = session.record(index)
    learner.speak_at_line(recording, voice)
    live_points, states = [], set()
    while not recording.finished:
        states.add(recording.state)
        if recording.state in ("count_in", "recording"):
            points, _peaks = recording.feed.drain()
            live_points += points
        time.sleep(0.015)
    outcome = recording.wait(30)
    return outcome, live_points, states


def test_a_take_is_recorded_with_a_live_trace_saved_and_scored(session, voice_lines, learner,
                                                               practice_paths):
    script = session.scripts[1]
    outcome, live_points, states = record_and_watch(session, 1, voice_lines[1], learner)

    assert {"count_in", "recording"} <= states
    assert outcome.error is None
    voiced = [p for p in live_points if p.hz is not None]
    assert len(voiced) >= 20, "the learner's pitch reached the trace while recording"
    # Points are on the token's absolute timeline, inside the take's window.
    window_start = outcome.take.metadata["window_start"]
    assert window_start == pytest.approx(script.start_time - OPTIONS.pre_roll_s)
    assert all(window_start <= p.time <= outcome.take.metadata["window_end"] + 0.1
               for p in live_points)
    assert any(script.start_time - 0.3 <= p.time <= script.end_time + 0.5 for p in voiced)

    take, score = outcome.take, outcome.result.score
    assert take.id is not None and score.source == "quick"
    assert 0.0 < score.overall_score <= 1.0 and score.rank in "SABC"
    assert len(score.words) == len(script.words)
    audio, rate = soundfile.read(session.take_path(take))
    assert rate == 48000 and audio.shape[0] == pytest.approx(
        (script.duration + OPTIONS.pre_roll_s + OPTIONS.post_roll_s) * rate, abs=2)
    assert np.max(np.abs(audio)) > 0.05, "the voice is in the take"
    assert list(session.incoming_dir.glob("*.wav")) == []

    stored = session.takes(1)
    assert [t.id for t in stored] == [take.id]
    assert stored[0].score.overall_score == pytest.approx(score.overall_score)
    lines = session.lines()
    assert lines[1].status is LineStatus.SCORED and lines[0].status is LineStatus.NOT_RECORDED
    assert lines[1].best_score == pytest.approx(score.sync_rate)

    # The details the screen shows after the take: aligned pitch and "hear it fixed".
    analysis = session.analyse(take)
    assert analysis.alignment is not None and len(analysis.learner_pitch.times) > 0
    from yousync_desktop.analysis.time_warp import hear_it_fixed

    fixed = hear_it_fixed(audio.astype(np.float32), rate, analysis.alignment)
    assert fixed.size > rate // 2


def test_stopping_during_the_count_in_keeps_nothing(session):
    recording = session.record(0)
    beats = set()
    while recording.state == "count_in" and recording.seconds_to_line() > 0.15:
        beats.add(recording.beats_left())
        time.sleep(0.01)
    assert {2, 1} <= beats, "the count-in counts down 2, 1"
    recording.stop()
    outcome = recording.wait(10)
    assert recording.state == "cancelled" and outcome.take is None
    assert session.takes(0) == [] and list(session.incoming_dir.glob("*.wav")) == []
    with pytest.raises(PracticeError):
        session.select_line(99)


def test_ending_a_take_early_keeps_and_scores_what_was_recorded(session, voice_lines, learner):
    """R again while recording: the take ends there, is saved ("ended_early") and scored."""
    script = session.scripts[2]
    learner.measure_lag(session.engine)
    recording = session.record(2)
    learner.speak_at_line(recording, voice_lines[2])
    deadline = time.monotonic() + 30
    while not (recording.state == "recording" and recording.progress > 0.7):
        assert time.monotonic() < deadline and not recording.finished
        time.sleep(0.01)
    recording.end_early()
    outcome = recording.wait(30)
    assert outcome is not None and outcome.take is not None and outcome.result is not None
    take = outcome.take
    assert take.metadata["status"] == "ended_early"
    full_window = script.duration + OPTIONS.pre_roll_s + OPTIONS.post_roll_s
    assert 0.6 * full_window < take.duration < full_window
    assert session.takes(2)[0].id == take.id and session.takes(2)[0].score is not None
    audio, _rate = soundfile.read(session.take_path(take))
    assert np.max(np.abs(audio)) > 0.05, "the voice is in the take"


def test_takes_stars_and_scores_survive_a_restart(session, voice_lines, learner, practice_paths):
    outcome, _points, _states = record_and_watch(session, 0, voice_lines[0], learner)
    session.set_starred(outcome.take.id, True)
    key = session.scene.key
    session.close()
    session.library.close()

    with Library(practice_paths) as library:
        reopened = PracticeSession(library, key, engine_factory, options=OPTIONS)
        try:
            takes = reopened.takes(0)
            assert [t.id for t in takes] == [outcome.take.id]
            assert takes[0].starred
            assert takes[0].score.overall_score == pytest.approx(
                outcome.result.score.overall_score)
            assert reopened.lines()[0].status is LineStatus.SCORED
            reopened.delete_take(takes[0].id)
            assert reopened.takes(0) == []
        finally:
            reopened.close()


def test_a_take_left_by_a_crash_is_recovered_on_the_next_start(practice_paths):
    with Library(practice_paths) as library:
        key = library.key_for_pack(DEMO_PACK)
        script = library.get_scene(key).token.scripts[2]
        incoming = practice_paths.data_dir / "incoming"
        writer = TakeWriter(incoming / "crashed.wav", 48000,
                            {"token_key": key, "script_id": script.id, "latency_ms": 0.0,
                             "window_start": script.start_time - 0.5})
        writer.write(np.full(48000, 0.1, np.float32))
        writer.flush()  # its periodic flush ran; then the process "dies" without closing it

    # The next start: the app's services recover it once, before any scene is opened.
    services = AppServices.build(practice_paths, engine_factory=engine_factory)
    try:
        [recovered] = services.recover_takes()
        [take] = services.library.takes(key, script.id)
        assert take.id == recovered.id
        assert take.metadata["status"] == "recovered"
        assert take.window_start(script) == pytest.approx(script.start_time - 0.5)
        assert take.duration == pytest.approx(1.0)
        assert list(incoming.glob("*.wav")) == []
        assert services.recover_takes() == []  # nothing twice
    finally:
        services.close()
