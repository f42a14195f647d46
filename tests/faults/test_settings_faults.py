"""Broken settings, seen by the learner in the real main window: a settings file with a syntax
error, values out of range, and a config folder that cannot be written at first start. Each test
asserts what the learner is told and that nothing is lost: the damaged file is kept and never
overwritten, the library is shown as usual."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

from yousync_desktop.settings import Settings
from yousync_desktop.ui.error_dialog import ErrorDialog
from yousync_desktop.ui.settings_notice import SaveWarning

DEMO_INSTALL_TIMEOUT_MS = 120_000  # three demo packs probed with ffmpeg on a shared machine


@pytest.fixture
def windows(qapp, qtbot, app_paths):
    """Opens the main window the way `run_app` does, on the test's own folders."""
    from yousync_desktop.app import (background_work_pending, close_main_window,
                                     create_application, open_main_window)

    opened = []

    class Opener:
        def open(self, language: str | None = None):
            window = open_main_window(create_application([]), app_paths, language=language)
            opened.append(window)
            window.show()
            qtbot.waitUntil(lambda: not window.is_busy() and not background_work_pending(window),
                            timeout=DEMO_INSTALL_TIMEOUT_MS)
            return window

        def close(self, window) -> None:
            opened.remove(window)
            close_main_window(window)  # as File ▸ Quit: saves the window layout to settings

    yield Opener()
    for window in list(opened):
        close_main_window(window)


def _notice(window, qtbot) -> ErrorDialog:
    qtbot.waitUntil(lambda: window.findChild(ErrorDialog) is not None)
    return window.findChild(ErrorDialog)


def _scene_count(window) -> int:
    return window.browser.scene_model.rowCount()


def _write_settings(app_paths, text: str) -> bytes:
    app_paths.config_dir.mkdir(parents=True, exist_ok=True)
    app_paths.settings_file.write_text(text, encoding="utf-8")
    return app_paths.settings_file.read_bytes()


# --- a settings file with a syntax error ---------------------------------------------------------

BROKEN = ('{\n  "language": "en",\n  "audio_input_device": "pulse:my-usb-mic",\n'
          '  "audio_latency_calibrations": {"pulse:my-usb-mic -> default": {"latency_ms": 41.5}}\n'
          '  "take_pre_roll_ms": 800\n}\n')  # a comma missing after the calibrations


def test_a_syntax_error_is_kept_aside_the_defaults_used_and_the_learner_told(windows, qtbot,
                                                                              app_paths):
    original = _write_settings(app_paths, BROKEN)
    window = windows.open()
    store = window.services.settings
    kept = store.load_report.kept_aside
    assert kept is not None and kept.name.startswith("settings.json.bad-")
    assert store.current.audio_input_device == "" and store.current.take_pre_roll_ms == 500

    notice = _notice(window, qtbot)
    assert notice.text() == "Not all of your settings could be used."
    assert notice.informativeText() == (
        "The settings file could not be read, so YouSync started with default settings. The old "
        f"file was kept as {kept.name}.")
    assert "not valid JSON" in notice.details and "line 5" in notice.details
    assert _scene_count(window) == 3  # the library is there as usual

    windows.close(window)  # quitting saves the window layout: into a new file, not the old one
    assert kept.read_bytes() == original
    saved = json.loads(app_paths.settings_file.read_text(encoding="utf-8"))
    assert saved["window_geometry"] and saved["demo_scenes_installed"] is True
    assert sorted(p.name for p in app_paths.config_dir.iterdir()) == ["settings.json", kept.name]


def test_the_notice_reads_in_korean(windows, qtbot, app_paths):
    _write_settings(app_paths, BROKEN)
    window = windows.open(language="ko")
    notice = _notice(window, qtbot)
    assert notice.text() == "설정 중 일부를 사용할 수 없었습니다."
    assert notice.informativeText().startswith("설정 파일을 읽을 수 없어 기본 설정으로 시작했습니다.")
    assert notice.copy_button.text() == "자세한 정보 복사"


def test_a_second_start_after_the_repair_says_nothing(windows, qtbot, app_paths):
    _write_settings(app_paths, BROKEN)
    windows.close(windows.open())
    window = windows.open()
    qtbot.wait(50)  # the notice is posted once the event loop runs
    assert window.findChild(ErrorDialog) is None
    assert window.services.settings.load_report.notices() == []


# --- values out of range -------------------------------------------------------------------------

def test_values_out_of_range_go_back_to_their_defaults_and_are_named(windows, qtbot, app_paths):
    from yousync_desktop.audio.engine_config import EngineConfig

    _write_settings(app_paths, json.dumps({
        "language": "en", "demo_scenes_installed": False,
        "audio_sample_rate": 10**9,          # was: "No audio: MemoryError: Unable to allocate..."
        "take_post_roll_ms": 10**7, "practice_count_in_beats": -3,
        "take_pre_roll_ms": 250, "audio_output_device": "pulse:headphones"}))
    window = windows.open()
    store = window.services.settings
    assert store.current.audio_sample_rate == 48000
    assert store.current.take_post_roll_ms == 500 and store.current.practice_count_in_beats == 3
    assert store.current.take_pre_roll_ms == 250  # good values stay
    assert store.current.audio_output_device == "pulse:headphones"
    # What the audio engine would be opened with now.
    assert EngineConfig.from_settings(store.snapshot()).sample_rate == 48000

    notice = _notice(window, qtbot)
    assert notice.informativeText() == (
        "Some settings were not valid and went back to their defaults: Sample rate, Recorded "
        "after the line, Count-in clicks.")
    assert "1000000000" in notice.details
    windows.close(window)
    saved = Settings.load(app_paths)
    assert saved.audio_sample_rate == 48000 and saved.take_pre_roll_ms == 250


# --- a config folder that cannot be written at first start ---------------------------------------

def _assert_a_working_session_with_one_warning(window, qtbot, app_paths):
    assert _scene_count(window) == 3  # the library shown as usual, never empty
    warnings = window.statusBar().findChildren(SaveWarning)
    assert len(warnings) == 1 and warnings[0].text().startswith("⚠ Settings can't be saved: ")
    assert "\n" not in warnings[0].text()
    qtbot.wait(50)
    assert window.findChild(ErrorDialog) is None  # one line, not a dialog
    assert window.services.settings.current.demo_scenes_installed  # kept for this run
    window.set_language("en")  # a change: kept, and not said a second time
    assert len(window.statusBar().findChildren(SaveWarning)) == 1


def test_a_file_where_the_config_folder_should_be(windows, qtbot, app_paths):
    app_paths.config_dir.parent.mkdir(parents=True, exist_ok=True)
    app_paths.config_dir.write_text("not a folder")
    window = windows.open()
    _assert_a_working_session_with_one_warning(window, qtbot, app_paths)
    assert str(app_paths.config_dir) in window.statusBar().findChild(SaveWarning).text()
    windows.close(window)  # quitting tries to save the layout: no error, nothing written
    assert app_paths.config_dir.read_text() == "not a folder"


@contextmanager
def read_only_folder(folder: Path):
    """A folder nobody can write, even root: a read-only tmpfs mounted on it when running as
    root (as CI does; chmod does not stop root), chmod 555 otherwise."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    mount = shutil.which("mount")
    if mount is None:
        pytest.skip("running as root without `mount`: cannot make a read-only config folder")
    done = subprocess.run([mount, "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip("running as root but cannot mount a read-only tmpfs (no CAP_SYS_ADMIN?): "
                    + done.stderr.strip())
    try:
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_read_only_config_folder_at_first_start(windows, qtbot, app_paths):
    with read_only_folder(app_paths.config_dir):
        with pytest.raises(OSError):  # it really is read-only for this process
            (app_paths.config_dir / "probe").write_text("x")
        window = windows.open()
        _assert_a_working_session_with_one_warning(window, qtbot, app_paths)
        assert "read-only" in window.statusBar().findChild(SaveWarning).text()
        windows.close(window)
        assert list(app_paths.config_dir.iterdir()) == []
