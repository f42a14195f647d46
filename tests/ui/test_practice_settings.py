"""Preferences for practising (devices listed from the sound system, count-in, rolls, pitch units)
reach the open practice window, and the calibration wizard measures the running stream."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.audio.conftest import relay, virtual_audio  # noqa: F401 - the fixtures, shared
from tests.practice.helpers import DEMO_PACK
from yousync_desktop.settings import Settings

pytestmark = pytest.mark.timeout(180)
WAIT_MS = 30_000


def open_practice(qtbot, window):
    window.browser.select_scene(window.library.key_for_pack(DEMO_PACK))
    practice = window.open_practice()
    qtbot.waitUntil(lambda: practice.audio_state != "starting", timeout=WAIT_MS)
    assert practice.audio_state == "ready", practice.banner.text()
    return practice


def test_preferences_reach_the_practice_window(window, qtbot, app_paths, virtual_audio):
    practice = open_practice(qtbot, window)
    window.open_preferences()
    dialog = window.preferences_dialog
    qtbot.waitUntil(lambda: dialog.input_box.findData("pulse:feedmic") >= 0, timeout=WAIT_MS)
    assert dialog.output_box.findData("pulse:appout") >= 0
    assert dialog.input_box.currentData() == "" and dialog.input_box.currentText() == "System default"
    dialog.count_in_box.setValue(0)
    dialog.post_roll_box.setValue(800)
    dialog.units_box.setCurrentIndex(dialog.units_box.findData("hz"))
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    saved = Settings.load(app_paths)
    assert (saved.practice_count_in_beats, saved.take_post_roll_ms,
            saved.practice_pitch_units) == (0, 800, "hz")
    assert practice.session.options.count_in_beats == 0
    assert practice.session.options.post_roll_s == pytest.approx(0.8)
    assert practice.plot.units == "hz"
    assert practice.plot.pitch_plot.getAxis("left").labelText == "Hz"
    assert practice.audio_state == "ready", "devices unchanged: the stream keeps running"


def test_choosing_another_microphone_reopens_the_stream(window, qtbot, app_paths, virtual_audio):
    practice = open_practice(qtbot, window)
    window.open_preferences()
    dialog = window.preferences_dialog
    qtbot.waitUntil(lambda: dialog.input_box.findData("pulse:feedmic") >= 0, timeout=WAIT_MS)
    dialog.input_box.setCurrentIndex(dialog.input_box.findData("pulse:feedmic"))
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert Settings.load(app_paths).audio_input_device == "pulse:feedmic"
    qtbot.waitUntil(lambda: practice.audio_state == "ready", timeout=WAIT_MS)
    assert practice.session.engine.devices.input.key == "pulse:feedmic"


def test_the_calibration_wizard_measures_the_running_stream(window, qtbot, app_paths, relay):
    practice = open_practice(qtbot, window)
    assert practice.latency_label.text() == "Latency not calibrated"
    practice.actions.calibrate.trigger()
    dialog = practice.calibration_dialog
    qtbot.waitUntil(dialog.isVisible)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None or "failed" in dialog.result_label.text(),
                    timeout=WAIT_MS)
    result = dialog.result
    assert result is not None, dialog.result_label.text()
    assert "Round trip" in dialog.result_label.text()
    dialog.reject()
    if result.stable:
        assert practice.session.latency.source == "calibrated"
        assert practice.latency_label.text() == f"Latency {result.latency_ms:.0f} ms"
        assert Settings.load(app_paths).audio_latency_calibrations


def test_the_practice_window_speaks_korean(window, qtbot, virtual_audio):
    practice = open_practice(qtbot, window)
    window.set_language("ko")
    qtbot.waitUntil(lambda: practice.actions.practice_menu.title() == "연습(&P)")
    assert practice.windowTitle().startswith("연습: ")
    assert practice.actions.record.text() == "● 녹음(&R)"
    assert practice.lines.line_model.headerData(2, Qt.Orientation.Horizontal) == "대사"
    assert practice.score.caption.text() == "싱크율"
    assert practice.latency_label.text() == "지연 보정 안 됨"
    window.set_language("en")
    qtbot.waitUntil(lambda: practice.actions.practice_menu.title() == "&Practice")
