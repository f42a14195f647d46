"""The settings store: typed changes under one lock, saved atomically, announced once."""

from __future__ import annotations

import json
import threading

import pytest

from yousync_desktop.events import RecordingBus, SettingsChanged
from yousync_desktop.settings import Settings, SettingsError, SettingsStore


@pytest.fixture
def store(app_paths):
    return SettingsStore.load(app_paths, events=RecordingBus())


def test_update_saves_the_file_and_announces_what_changed(store, app_paths):
    store.update(language="ko", take_pre_roll_ms=300)
    saved = json.loads(app_paths.settings_file.read_text(encoding="utf-8"))
    assert saved["language"] == "ko" and saved["take_pre_roll_ms"] == 300
    assert Settings.load(app_paths).take_pre_roll_ms == 300
    assert store._events.published == [SettingsChanged(frozenset({"language",
                                                                  "take_pre_roll_ms"}))]
    store.update(language="ko")  # no change: no file write needed, no notice
    assert len(store._events.published) == 1


@pytest.mark.parametrize("changes, code", [
    ({"no_such_setting": 1}, "settings.unknown"),
    ({"take_pre_roll_ms": "500"}, "settings.wrong_type"),
    ({"take_pre_roll_ms": True}, "settings.wrong_type"),
    ({"extra": {}}, "settings.unknown"),
])
def test_a_wrong_name_or_type_is_refused_and_changes_nothing(store, changes, code):
    with pytest.raises(SettingsError) as caught:
        store.update(**changes)
    assert caught.value.code == code
    assert store.current == Settings()


def test_edits_from_several_threads_all_land(store, app_paths):
    def calibrate(n):
        for i in range(20):
            with store.edit() as settings:
                table = dict(settings.audio_latency_calibrations)
                table[f"pair-{n}-{i}"] = {"latency_ms": float(i)}
                settings.audio_latency_calibrations = table

    threads = [threading.Thread(target=calibrate, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store.current.audio_latency_calibrations) == 80
    assert len(Settings.load(app_paths).audio_latency_calibrations) == 80


def test_a_settings_file_that_cannot_be_written_is_said_and_kept_for_this_run(store, app_paths):
    app_paths.config_dir.parent.mkdir(parents=True, exist_ok=True)
    app_paths.config_dir.write_text("a file where the folder should be")
    with pytest.raises(SettingsError) as caught:
        store.update(language="en")
    assert caught.value.code == "settings.save_failed"
    assert store.current.language == "en"


def test_a_snapshot_does_not_move_with_later_changes(store):
    before = store.snapshot()
    store.update(audio_input_device="pulse:mic")
    assert before.audio_input_device == "" and store.current.audio_input_device == "pulse:mic"
