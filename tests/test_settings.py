"""The settings store: typed, checked changes under one lock, saved atomically, announced once;
and the file read against the schema: what cannot be read is kept aside, what is out of range goes
back to its default, what is unknown is kept. (Whole-app faults: tests/faults/.)"""

from __future__ import annotations

import json
import os
import threading

import pytest

from yousync_desktop.events import RecordingBus, SettingsChanged
from yousync_desktop.settings import Settings, SettingsError, SettingsStore, load_settings
from yousync_desktop.settings_schema import (
    SAMPLE_RATES, SETTING_NAMES, setting_bounds, setting_choices, setting_title,
)


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


def test_a_settings_file_that_cannot_be_written_is_said_once_and_kept_for_this_run(store,
                                                                                   app_paths):
    app_paths.config_dir.parent.mkdir(parents=True, exist_ok=True)
    app_paths.config_dir.write_text("a file where the folder should be")
    with pytest.raises(SettingsError) as caught:
        store.update(language="en")
    assert caught.value.code == "settings.folder_is_file"
    assert str(app_paths.config_dir) in str(caught.value)
    assert store.current.language == "en"
    store.update(language="ko")  # told once: the next change is kept without a second error
    assert store.current.language == "ko"
    assert store._events.published[-1] == SettingsChanged(frozenset({"language"}))
    app_paths.config_dir.unlink()  # writable again: saved, and a later failure is news again
    store.update(take_pre_roll_ms=700)
    assert Settings.load(app_paths).take_pre_roll_ms == 700
    app_paths.config_dir.joinpath("settings.json").unlink()
    app_paths.config_dir.rmdir()
    app_paths.config_dir.write_text("in the way again")
    with pytest.raises(SettingsError):
        store.update(take_pre_roll_ms=800)


def test_a_snapshot_does_not_move_with_later_changes(store):
    before = store.snapshot()
    store.update(audio_input_device="pulse:mic")
    assert before.audio_input_device == "" and store.current.audio_input_device == "pulse:mic"


# --- the schema ----------------------------------------------------------------------------------

def test_the_schema_holds_every_limit_the_brief_names():
    assert setting_bounds("audio_stream_latency_ms") == (0, 500)
    assert setting_bounds("take_pre_roll_ms") == (0, 2000)
    assert setting_bounds("take_post_roll_ms") == (0, 3000)
    assert setting_bounds("practice_count_in_beats") == (0, 8)
    assert setting_choices("language") == ("system", "en", "ko")
    assert setting_choices("practice_pitch_units") == ("semitones", "hz")
    assert setting_choices("audio_sample_rate") == SAMPLE_RATES
    assert all(setting_title(name) != name for name in SETTING_NAMES)


def test_the_usable_sample_rates_are_the_ones_the_audio_engine_probes():
    from yousync_desktop.audio.devices import CANDIDATE_RATES

    assert set(SAMPLE_RATES) == set(CANDIDATE_RATES)


@pytest.mark.parametrize("changes, code", [
    ({"audio_sample_rate": 10**9}, "settings.not_a_choice"),
    ({"audio_stream_latency_ms": 501}, "settings.out_of_range"),
    ({"take_post_roll_ms": -1}, "settings.out_of_range"),
    ({"practice_count_in_beats": 9}, "settings.out_of_range"),
    ({"practice_pitch_units": "cents"}, "settings.not_a_choice"),
    ({"language": "fr"}, "settings.not_a_choice"),
    ({"audio_input_device": "x" * 201}, "settings.too_long"),
    ({"audio_latency_calibrations": {"a -> b": {"latency_ms": float("nan")}}},
     "settings.bad_calibration"),
    ({"audio_latency_calibrations": {"a -> b": {"latency_ms": 1e9}}}, "settings.bad_calibration"),
    ({"audio_latency_calibrations": {"a -> b": "12 ms"}}, "settings.bad_calibration"),
])
def test_a_value_out_of_range_is_refused_and_changes_nothing(store, app_paths, changes, code):
    with pytest.raises(SettingsError) as caught:
        store.update(**changes)
    assert caught.value.code == code
    assert store.current == Settings()
    assert not app_paths.settings_file.exists() and store._events.published == []


def test_the_range_is_said_in_the_refusal(store):
    with pytest.raises(SettingsError) as caught:
        store.update(take_pre_roll_ms=5000)
    assert str(caught.value) == "The setting take_pre_roll_ms must be between 0 and 2000."


def test_an_edit_works_on_a_copy_that_replaces_the_settings_only_when_it_is_valid(store):
    before = store.current
    with pytest.raises(SettingsError):
        with store.edit() as settings:
            settings.practice_count_in_beats = 5
            assert store.current.practice_count_in_beats == 3  # readers see the old values
            settings.audio_sample_rate = 12345
    assert store.current is before and store.current.practice_count_in_beats == 3
    with store.edit() as settings:
        settings.practice_count_in_beats = 5
    assert store.current is not before and store.current.practice_count_in_beats == 5
    assert before.practice_count_in_beats == 3  # a reference held elsewhere never moves


def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary_file(store, app_paths,
                                                                        monkeypatch):
    store.update(language="ko")
    saved = app_paths.settings_file.read_bytes()

    def disk_full(_fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(SettingsError) as caught:
        store.update(language="en")
    assert caught.value.code == "settings.save_failed"
    assert "No space left on device" in str(caught.value)
    assert app_paths.settings_file.read_bytes() == saved
    assert sorted(p.name for p in app_paths.config_dir.iterdir()) == ["settings.json"]


# --- reading the file ----------------------------------------------------------------------------

def _write(app_paths, content: bytes | str) -> None:
    app_paths.config_dir.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    app_paths.settings_file.write_bytes(data)


@pytest.mark.parametrize("content, why", [
    ('{"language": "ko",', "not valid JSON"),
    ("[1, 2, 3]", "a JSON list, not an object"),
    (b'{"language": "\xff\xfe"}'.decode("unicode_escape").encode("latin-1"), "not UTF-8"),
    ("", "not valid JSON"),
])
def test_an_unreadable_file_is_kept_aside_and_the_defaults_are_used(app_paths, content, why):
    _write(app_paths, content)
    original = app_paths.settings_file.read_bytes()
    settings, report = load_settings(app_paths)
    assert settings == Settings()
    assert why in report.unreadable
    assert report.kept_aside is not None and report.kept_aside.parent == app_paths.config_dir
    assert report.kept_aside.name.startswith("settings.json.bad-")
    assert report.kept_aside.read_bytes() == original
    assert not app_paths.settings_file.exists()
    assert [e.code for e in report.notices()] == ["settings.kept_aside"]
    assert report.kept_aside.name in str(report.notices()[0])


def test_a_second_unreadable_file_never_replaces_the_first_one_kept_aside(app_paths):
    _write(app_paths, "{first")
    first = load_settings(app_paths)[1].kept_aside
    _write(app_paths, "{second")
    second = load_settings(app_paths)[1].kept_aside
    assert first != second
    assert first.read_text() == "{first" and second.read_text() == "{second"


def test_values_of_the_wrong_type_or_out_of_range_go_back_to_their_defaults(app_paths):
    good_calibration = {"latency_ms": 12.5, "sample_rate": 48000, "engine": "yousync-audio/1"}
    _write(app_paths, json.dumps({
        "language": "ko", "audio_sample_rate": 10**9, "take_pre_roll_ms": "300",
        "take_post_roll_ms": 1200, "practice_count_in_beats": True, "audio_input_device": "x" * 500,
        "audio_output_device": "pulse:speakers", "future_setting": {"kept": [1, 2]},
        "audio_latency_calibrations": {"mic -> speakers": good_calibration,
                                       "broken -> pair": {"latency_ms": -4}},
    }))
    settings, report = load_settings(app_paths)
    assert settings.language == "ko" and settings.take_post_roll_ms == 1200
    assert settings.audio_output_device == "pulse:speakers"
    assert settings.audio_sample_rate == 48000 and settings.take_pre_roll_ms == 500
    assert settings.practice_count_in_beats == 3 and settings.audio_input_device == ""
    assert settings.audio_latency_calibrations == {"mic -> speakers": good_calibration}
    assert set(report.reset) == {"audio_sample_rate", "take_pre_roll_ms", "practice_count_in_beats",
                                 "audio_input_device", "audio_latency_calibrations"}
    assert report.kept_aside is None and report.cannot_save is None
    assert [e.code for e in report.notices()] == ["settings.reset"]
    assert "Sample rate" in str(report.notices()[0])
    assert "1000000000" in report.details()
    # Unknown keys survive a save, for the version that wrote them.
    store = SettingsStore(app_paths, settings, report=report)
    store.update(language="en")
    saved = json.loads(app_paths.settings_file.read_text(encoding="utf-8"))
    assert saved["future_setting"] == {"kept": [1, 2]} and saved["audio_sample_rate"] == 48000


def test_a_file_with_a_byte_order_mark_is_read(app_paths):
    _write(app_paths, b"\xef\xbb\xbf" + json.dumps({"language": "ko"}).encode("utf-8"))
    settings, report = load_settings(app_paths)
    assert settings.language == "ko" and report.notices() == []


def test_a_good_file_says_nothing(app_paths):
    Settings(language="ko", practice_count_in_beats=2).save(app_paths)
    settings, report = load_settings(app_paths)
    assert settings.practice_count_in_beats == 2 and report.notices() == []
    assert report.details() == ""


def test_a_file_where_the_config_folder_should_be_is_found_at_load(app_paths):
    app_paths.config_dir.parent.mkdir(parents=True, exist_ok=True)
    app_paths.config_dir.write_text("not a folder")
    store = SettingsStore.load(app_paths)
    assert store.current == Settings()
    assert store.load_report.cannot_save.code == "settings.folder_is_file"
    store.update(language="ko")  # already told at load: no error, kept for this run
    assert store.current.language == "ko"
    assert app_paths.config_dir.read_text() == "not a folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a chmod-read-only folder anyway; "
                    "tests/faults/test_settings_faults.py mounts a read-only one instead")
def test_a_read_only_config_folder_is_found_at_load(app_paths):
    app_paths.config_dir.mkdir(parents=True)
    app_paths.config_dir.chmod(0o555)
    try:
        report = load_settings(app_paths)[1]
        assert report.cannot_save.code == "settings.folder_read_only"
    finally:
        app_paths.config_dir.chmod(0o755)


def test_a_settings_file_that_cannot_be_read_or_moved_is_never_written_over(app_paths):
    app_paths.settings_file.mkdir(parents=True)  # a folder called settings.json
    store = SettingsStore.load(app_paths)
    assert store.load_report.unreadable and store.load_report.kept_aside is None
    assert store.load_report.cannot_save.code == "settings.file_protected"
    store.update(language="ko")
    assert store.current.language == "ko" and app_paths.settings_file.is_dir()
