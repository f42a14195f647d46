"""The practice window's logic on the fake engine, without a sound server: a take made by
keyboard is shown with its score and listed, and a device lost mid-take is said at once with the
take kept. The fake moves in real time on its own thread (as the real engine's consumer does),
so the window's timers and the task manager run as in the app. The same flows run on the real
audio stack in test_practice_session.py and test_practice_device_loss.py."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from tests.practice.helpers import DEMO_PACK, make_voice_lines
from yousync_desktop.analysis.audio_io import load_mono, resample
from yousync_desktop.audio.fake_engine import FakeEngine
from yousync_desktop.practice import LineStatus
from yousync_desktop.settings import Settings

WAIT_MS = 30_000
RATE = 48000


@pytest.fixture
def fake():
    engine = FakeEngine()
    engine.run_realtime()
    yield engine
    engine.stop()


@pytest.fixture
def practice(qapp, qtbot, app_paths, fake):
    from yousync_desktop.app import close_main_window, create_application, open_main_window

    Settings(practice_count_in_beats=2).save(app_paths)
    window = open_main_window(create_application([]), app_paths, engine_factory=lambda: fake)
    window.show()
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=120_000)
    window.browser.select_scene(window.library.key_for_pack(DEMO_PACK))
    practice = window.open_practice()
    qtbot.waitUntil(lambda: practice.audio_state != "starting", timeout=WAIT_MS)
    assert practice.audio_state == "ready", practice.banner.text()
    yield practice
    close_main_window(window)


@pytest.fixture(scope="module")
def voice(tmp_path_factory):
    [path] = make_voice_lines(tmp_path_factory.mktemp("fake-voice"), ["It's raining again."])
    audio, rate = load_mono(path)
    return resample(audio, rate, RATE).astype(np.float32)


def _speak_at_line(fake, recording, voice) -> None:
    take = recording.take_session
    fake.microphone.say(voice, at=take.capture_start
                        + int(round(take.metadata["pre_roll_s"] * RATE)))


def test_a_take_by_keyboard_is_scored_shown_and_listed(practice, qtbot, fake, voice):
    qtbot.keyClick(practice, Qt.Key.Key_R)
    recording = practice.recording
    assert recording is not None
    _speak_at_line(fake, recording, voice)
    qtbot.waitUntil(lambda: practice.recording is None, timeout=WAIT_MS)
    outcome = recording.outcome
    assert outcome.take is not None and outcome.result is not None
    shown = practice.score.score()
    assert shown is not None and shown.overall_score == outcome.result.score.overall_score
    qtbot.waitUntil(lambda: practice.lines.line_model.line(0).status is LineStatus.SCORED,
                    timeout=WAIT_MS)
    assert practice.takes.selected_take().id == outcome.take.id
    assert practice.plot.voiced_live_points() > 0, "the live trace got the voice"


def test_a_lost_device_mid_take_is_said_and_the_take_kept(practice, qtbot, fake, voice):
    qtbot.keyClick(practice, Qt.Key.Key_R)
    recording = practice.recording
    _speak_at_line(fake, recording, voice)
    qtbot.waitUntil(lambda: recording.state == "recording", timeout=WAIT_MS)
    fake.fail()
    qtbot.waitUntil(lambda: practice.audio_state == "failed", timeout=WAIT_MS)
    banner = practice.banner.text()
    assert banner.startswith("No audio: ") and "\n" not in banner
    assert "Error" not in banner, "a coded error is worded, not shown as a type name"
    assert practice.retry_button.isVisible()
    qtbot.waitUntil(lambda: practice.recording is None, timeout=WAIT_MS)
    assert recording.outcome.take is not None
