"""The practice session's logic on the fake engine (no sound server, time moved by the test): a
take is recorded with the learner's voice at the line, saved and scored, and the library says so;
a lost device keeps what was recorded and is heard at once; Esc discards; calibration on a loop
finds its round trip; closing waits for the last score. The same flows run on the real audio
stack in test_session.py (the audio_stack lane)."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile

from tests.practice.helpers import DEMO_PACK
from yousync_desktop.analysis.audio_io import load_mono, resample
from yousync_desktop.audio.errors import AudioDeviceError
from yousync_desktop.audio.fake_engine import FakeEngine
from yousync_desktop.events import RecordingBus, ScoreStored, TakeAdded
from yousync_desktop.library import Library
from yousync_desktop.practice import PracticeError, PracticeOptions, PracticeSession
from yousync_desktop.tasks import InlineTaskManager

OPTIONS = PracticeOptions(count_in_beats=2, count_in_interval_s=0.4, lead_in_s=0.5)
RATE = 48000


@pytest.fixture
def fake():
    return FakeEngine()


@pytest.fixture
def bus():
    return RecordingBus()


@pytest.fixture
def session(practice_paths, fake, bus):
    library = Library(practice_paths, events=bus)
    practice = PracticeSession(library, library.key_for_pack(DEMO_PACK), lambda: fake,
                               options=OPTIONS, tasks=InlineTaskManager())
    practice.start_audio()
    yield practice
    practice.close()
    library.close()


def _speak_at_line(fake, recording, voice_path) -> np.ndarray:
    """Put the learner's voice into the fake microphone where the line starts in the take."""
    audio, rate = load_mono(voice_path)
    voice = resample(audio, rate, RATE).astype(np.float32)
    take = recording.take_session
    line_capture = take.capture_start + int(round(take.metadata["pre_roll_s"] * RATE))
    fake.microphone.say(voice, at=line_capture)
    return voice


def test_a_take_is_recorded_saved_scored_and_announced(session, fake, bus, voice_lines):
    recording = session.record(1)
    assert recording.state == "count_in"
    voice = _speak_at_line(fake, recording, voice_lines[1])
    states = set()
    assert fake.advance_until(lambda: states.add(recording.state) or recording.finished, 30)
    outcome = recording.wait(0)

    assert {"count_in", "recording"} <= states
    assert outcome.error is None and outcome.take is not None and outcome.result is not None
    take = outcome.take
    assert take.score is not None and 0.0 <= take.score.sync_rate <= 1.0
    audio, rate = soundfile.read(session.take_path(take), dtype="float32")
    pre_roll = int(round(take.metadata["pre_roll_s"] * rate))
    # The voice sits at the line's start in the saved take, sample for sample.
    assert np.allclose(audio[pre_roll:pre_roll + 4800], voice[:4800], atol=1e-4)
    assert not np.any(audio[:pre_roll - 10])
    script_id = session.scripts[1].id
    assert [e for e in bus.published if isinstance(e, (TakeAdded, ScoreStored))] == [
        TakeAdded(session.scene.key, script_id, take.id),
        ScoreStored(session.scene.key, script_id, take.id, "quick")]
    assert session.lines()[1].best_score == pytest.approx(take.score.sync_rate)


def test_a_wrong_line_scores_lower_than_the_right_one(session, fake, voice_lines):
    scores = []
    for voice in (voice_lines[2], voice_lines[0]):  # line 3's words, then line 1's, on line 3
        recording = session.record(2)
        _speak_at_line(fake, recording, voice)
        assert fake.advance_until(lambda: recording.finished, 30)
        scores.append(recording.wait(0).take.score.pronunciation)
    right, wrong = scores
    assert right > wrong + 0.2


def test_esc_during_the_take_discards_it(session, fake, bus):
    recording = session.record(0)
    fake.advance(1.0)
    recording.stop()
    assert fake.advance_until(lambda: recording.finished, 5)
    assert recording.wait(0).take is None
    assert session.takes(0) == []
    assert not [e for e in bus.published if isinstance(e, TakeAdded)]
    assert list((session.library.paths.data_dir / "incoming").glob("*.wav")) == []


def test_a_lost_device_keeps_the_take_and_is_heard_at_once(session, fake, voice_lines):
    heard = []
    session.on_audio_error(heard.append)
    recording = session.record(1)
    _speak_at_line(fake, recording, voice_lines[1])
    assert fake.advance_until(lambda: recording.state == "recording", 10)
    fake.advance(0.8)
    fake.fail()
    assert recording.wait(5) is not None and recording.finished
    outcome = recording.outcome
    assert outcome.take is not None, "what was recorded up to the loss is kept"
    assert len(heard) == 1 and isinstance(heard[0], AudioDeviceError)
    assert session.audio_error is heard[0]
    with pytest.raises(PracticeError) as refused:
        session.record(1)
    assert refused.value.code == "practice.audio_failed"


def test_calibration_on_a_loop_finds_its_round_trip_and_remembers_it(practice_paths):
    from yousync_desktop.services import AppServices

    fake = FakeEngine()
    fake.microphone.loop_back(int(0.0375 * RATE))
    services = AppServices.build(practice_paths, engine_factory=lambda: fake)
    try:
        session = services.open_practice_session(services.library.key_for_pack(DEMO_PACK))
        session.start_audio()
        result = session.calibrate()
        assert result.stable and result.latency_ms == pytest.approx(37.5, abs=0.1)
        assert session.latency.ms == pytest.approx(37.5, abs=0.1)
        saved = services.settings.current.audio_latency_calibrations
        assert len(saved) == 1 and next(iter(saved.values()))["latency_ms"] == pytest.approx(
            37.5, abs=0.1)
        session.close()
    finally:
        services.close()


def test_a_read_only_library_refuses_a_take_before_anything_is_written(practice_paths):
    from yousync_desktop.library import LibraryError

    fake = FakeEngine()
    with Library(practice_paths, read_only=True) as library:
        session = PracticeSession(library, library.key_for_pack(DEMO_PACK), lambda: fake,
                                  options=OPTIONS, tasks=InlineTaskManager())
        session.start_audio()
        try:
            with pytest.raises(LibraryError) as refused:
                session.record(0)
            assert refused.value.code == "library.opened_read_only"
            incoming = practice_paths.data_dir / "incoming"
            assert not incoming.exists() or list(incoming.iterdir()) == []
        finally:
            session.close()
