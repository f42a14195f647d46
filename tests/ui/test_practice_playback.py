"""What the practice window plays, on the audio engine's clock: scene, line, loop, the actor's line,
a take, A/B, "hear it fixed" and the learner's dub — each by its key, with the video following."""

from __future__ import annotations

import time

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.audio.conftest import virtual_audio  # noqa: F401 - the fixture, shared
from tests.practice.helpers import (DEMO_PACK, copy_library, engine_factory, make_template_library,
                                    make_voice_lines)
from yousync_desktop.analysis.audio_io import load_mono, resample
from yousync_desktop.library import Library
from yousync_desktop.practice import LineStatus, PracticeSession
from yousync_desktop.ui.events import EventBridge
from yousync_desktop.ui.practice.practice_window import PracticeWindow
from yousync_desktop.ui.tasks import gui_task_manager

pytestmark = pytest.mark.timeout(180)
WAIT_MS = 30_000


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return make_template_library(tmp_path_factory.mktemp("playback-template"))


@pytest.fixture
def practice(template, tmp_path, qtbot, virtual_audio):
    """The practice window on the demo scene, with one take of line 1 already in the library."""
    library = Library(copy_library(template, tmp_path))
    session = PracticeSession(library, library.key_for_pack(DEMO_PACK), engine_factory)
    script = session.scripts[0]
    [voice] = make_voice_lines(tmp_path, [script.script])
    audio, rate = load_mono(voice)
    take = np.concatenate([np.zeros(24000, np.float32), resample(audio, rate, 48000)])
    soundfile.write(tmp_path / "take.wav", take, 48000, subtype="PCM_24")
    library.add_take(session.scene.key, script.id, tmp_path / "take.wav", sample_rate=48000,
                     duration=take.size / 48000,
                     metadata={"window_start": script.start_time - 0.5})
    tasks = gui_task_manager()
    events = EventBridge(library.events)
    window = PracticeWindow(session, None, tasks, events)
    qtbot.addWidget(window)
    window.show()
    window.start_audio()
    qtbot.waitUntil(lambda: window.audio_state != "starting", timeout=WAIT_MS)
    assert window.audio_state == "ready", window.banner.text()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    yield window
    window.close()
    tasks.wait_idle()
    tasks.shutdown()
    events.close()
    library.close()


def playing(window, kind: str):
    current = window.session.playback.current
    return current is not None and current.kind == kind


def clip_positions(qtbot, window, seconds: float) -> list[float]:
    seen = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        qtbot.wait(20)
        position = window.session.playback.clip_position()
        if position is not None:
            seen.append(position)
    return seen


def test_transport_keys_play_on_the_audio_clock_with_the_video_following(practice, qtbot):
    token = practice.session.token
    script = practice.session.current_script
    qtbot.keyClick(practice, Qt.Key.Key_Space)
    assert playing(practice, "scene")
    positions = clip_positions(qtbot, practice, 1.2)
    assert positions[-1] - positions[0] == pytest.approx(1.2, abs=0.35), "the clock runs"
    assert positions[0] >= token.clip_offset(script.start_time) - 1.05
    drift = abs(practice.video.player.position() / 1000 - practice.session.playback.clip_position())
    assert drift < 0.3 and practice.video.videoSink().videoFrame().isValid()
    qtbot.keyClick(practice, Qt.Key.Key_Space)
    assert not practice.session.playback.is_playing()

    qtbot.keyClick(practice, Qt.Key.Key_P)
    assert playing(practice, "line")
    qtbot.keyClick(practice, Qt.Key.Key_A)
    assert playing(practice, "actor")
    karaoke_lit = set()
    for _ in range(60):
        qtbot.wait(25)
        karaoke_lit.add(practice.karaoke.lit_word)
    assert len(karaoke_lit - {-1}) >= 2, "words light up as the line plays"
    qtbot.keyClick(practice, Qt.Key.Key_Escape)
    assert not practice.session.playback.is_playing()

    qtbot.keyClick(practice, Qt.Key.Key_L)
    assert playing(practice, "line") and practice.session.playback.current.loop
    assert practice.actions.loop.isChecked()
    positions = clip_positions(qtbot, practice, 5.0)
    assert any(b < a - 0.5 for a, b in zip(positions, positions[1:])), "the loop started again"
    qtbot.keyClick(practice, Qt.Key.Key_L)
    assert not practice.session.playback.is_playing()


def test_take_keys_play_the_take_ab_fixed_and_the_dub(practice, qtbot, monkeypatch):
    take = practice.selected_take()
    assert take is not None
    qtbot.waitUntil(lambda: practice.plot.aligned_point_count() > 0, timeout=WAIT_MS)
    assert practice.score.score() is not None, "an unscored take gets its score when shown"

    for key, kind in ((Qt.Key.Key_T, "take"), (Qt.Key.Key_B, "ab"), (Qt.Key.Key_F, "fixed"),
                      (Qt.Key.Key_D, "dub")):
        qtbot.keyClick(practice, key)
        qtbot.waitUntil(lambda: playing(practice, kind), timeout=WAIT_MS)
    positions = clip_positions(qtbot, practice, 0.6)
    assert positions and positions[0] < 1.5, "the dub plays the scene from its start"
    qtbot.keyClick(practice, Qt.Key.Key_Escape)

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.keyClick(practice, Qt.Key.Key_Delete)
    assert practice.session.takes(0) == []
    # The lists follow the library's notice of the removal.
    qtbot.waitUntil(lambda: practice.selected_take() is None, timeout=WAIT_MS)
    assert practice.lines.line_model.line(0).status is LineStatus.NOT_RECORDED
