"""The microphone is unplugged in the middle of a take, on the practice screen, through the real
audio stack: the learner sees one line saying what happened and a "Try again" button, what was
recorded is kept, and once the microphone is back the screen works again without a restart.

For PulseAudio an unplugged USB microphone is its source disappearing; here the shared virtual
server's `feedmic` source is unloaded and loaded again (in `finally`, so later tests find it)."""

from __future__ import annotations

import os
import subprocess

import pytest
from PySide6.QtCore import Qt

from tests.audio.conftest import virtual_audio  # noqa: F401 - the fixture, shared
from tests.ui.test_practice_session import WAIT_MS, open_practice
from yousync_desktop.settings import Settings

pytestmark = pytest.mark.timeout(180)
REMAP = "module-remap-source master=feed.monitor source_name=feedmic"


def pactl(*args: str) -> str:
    return subprocess.run(["pactl", *args], capture_output=True, text=True, check=True,
                          timeout=10, env=dict(os.environ)).stdout


def unplug_microphone() -> None:
    [index] = [line.split("\t")[0] for line in pactl("list", "short", "modules").splitlines()
               if "source_name=feedmic" in line]
    pactl("unload-module", index)


def plug_microphone_in() -> None:
    if "feedmic" not in pactl("list", "short", "sources"):
        pactl("load-module", *REMAP.split())
    pactl("set-default-source", "feedmic")


def test_unplugging_the_microphone_mid_take_is_shown_kept_and_recovered(windows, qtbot, app_paths,
                                                                          virtual_audio):
    Settings(practice_count_in_beats=1, take_post_roll_ms=1500, audio_input_device="pulse:feedmic",
             audio_output_device="pulse:appout").save(app_paths)
    window = windows.open()
    practice = open_practice(qtbot, window)
    session = practice.session
    takes_before = len(session.takes())
    try:
        qtbot.keyClick(practice, Qt.Key.Key_R)
        recording = practice.recording
        assert recording is not None
        # Well into the line (a take that never reached the line's start is not kept).
        qtbot.waitUntil(lambda: recording.state == "recording" and recording.progress > 0.6,
                        timeout=WAIT_MS)
        unplug_microphone()

        qtbot.waitUntil(lambda: practice.audio_state == "failed", timeout=WAIT_MS)
        banner = practice.banner.text()
        assert banner.startswith("No audio: The microphone “") and "was disconnected" in banner
        assert "\n" not in banner and practice.retry_button.isVisible()
        assert not practice.actions.record.isEnabled()  # nothing to record with
        # What was recorded up to the loss is kept as a take of the line.
        # What was recorded up to the loss is kept as a take of the line, listed and scored.
        qtbot.waitUntil(lambda: practice.recording is None, timeout=WAIT_MS)
        assert len(session.takes()) == takes_before + 1
        [take] = [t for t in session.takes() if t.metadata.get("status") == "interrupted"]
        assert take.duration > 0.6 and session.take_path(take).is_file()
        assert practice.takes.selected_take().id == take.id
        assert "was disconnected" in practice.statusBar().currentMessage()

        plug_microphone_in()
        qtbot.mouseClick(practice.retry_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: practice.audio_state != "failed", timeout=WAIT_MS)
        qtbot.waitUntil(lambda: practice.audio_state == "ready", timeout=WAIT_MS)
        assert not practice.banner.isVisible() and practice.actions.record.isEnabled()
    finally:
        plug_microphone_in()
