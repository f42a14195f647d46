"""Preferences and the schema: the dialog's ranges and choices are the schema's, and a value the
schema refuses is said in one line and changes nothing."""

from __future__ import annotations

from yousync_desktop.settings import Settings
from yousync_desktop.settings_schema import setting_bounds, setting_choices
from yousync_desktop.ui.settings_dialog import SettingsDialog


def test_the_dialog_takes_its_ranges_and_choices_from_the_schema(qtbot):
    dialog = SettingsDialog(Settings(practice_count_in_beats=5, take_post_roll_ms=2500))
    qtbot.addWidget(dialog)
    for box, name in ((dialog.count_in_box, "practice_count_in_beats"),
                      (dialog.pre_roll_box, "take_pre_roll_ms"),
                      (dialog.post_roll_box, "take_post_roll_ms")):
        assert (box.minimum(), box.maximum()) == setting_bounds(name)
    assert dialog.count_in_box.value() == 5 and dialog.post_roll_box.value() == 2500
    for box, name in ((dialog.language_box, "language"),
                      (dialog.units_box, "practice_pitch_units")):
        assert tuple(box.itemData(i) for i in range(box.count())) == setting_choices(name)
        assert all(box.itemText(i) for i in range(box.count()))


def test_a_value_the_schema_refuses_is_said_and_nothing_changes(window, qtbot, app_paths):
    store = window.services.settings
    before = store.snapshot()
    window.open_preferences()
    dialog = window.preferences_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.count_in_box.setValue(7)
    # A device whose key is far longer than any real one (a broken driver, a crafted name).
    dialog.input_box.addItem("odd device", "alsa:" + "x" * 300)
    dialog.input_box.setCurrentIndex(dialog.input_box.count() - 1)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    qtbot.waitUntil(lambda: "audio_input_device" in window.statusBar().currentMessage())
    assert window.statusBar().currentMessage() == (
        "The setting audio_input_device must be at most 200 characters long.")
    assert store.current.practice_count_in_beats == before.practice_count_in_beats
    assert store.current.audio_input_device == before.audio_input_device
    assert Settings.load(app_paths).practice_count_in_beats == before.practice_count_in_beats
