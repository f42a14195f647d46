"""A second app instance on the same library (the first is a real second process holding the
library through AppServices): one clear screen, read-only on request, the first instance's take
in progress left alone — and once the first is killed, the next start owns the library and
recovers that take. Command-line writes wait for the lock, saying so, and go on when it frees."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.faults.conftest import PACK_ID, REPO, library_content, run_start_up, startup_screen
from tests.library.pack_factory import valid_spec
from yousync_desktop.library import LibraryOpenError
from yousync_desktop.library.recovery import StartupAction
from yousync_desktop.services import AppServices

FIRST_INSTANCE = """
import sys
import numpy as np
from yousync_desktop.audio.take_writer import TakeWriter
from yousync_desktop.services import AppServices
from yousync_desktop.settings import AppPaths

services = AppServices.build(AppPaths.from_environment())
library = services.library
key = library.key_for_pack(sys.argv[1])
script = library.get_scene(key).token.scripts[0]
incoming = services.incoming_dir
incoming.mkdir(parents=True, exist_ok=True)
# A take being recorded right now: written and flushed, not finished.
writer = TakeWriter(incoming / "live-take.wav", 48000,
                    {"token_key": key, "script_id": script.id, "pack_id": sys.argv[1],
                     "latency_ms": 0.0, "window_start": script.start_time - 0.5})
writer.write(np.full(48000, 0.2, np.float32))
writer.flush()
print("ready", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def first_instance(app_paths, populated, second_process):
    process = second_process(FIRST_INSTANCE, PACK_ID)
    process.wait_for("ready")
    return process


def test_a_second_window_is_told_and_can_read_without_touching_the_first_ones_take(
        app_paths, populated, first_instance, qapp):
    live_take = app_paths.data_dir / "incoming" / "live-take.wav"
    before = live_take.read_bytes()

    with pytest.raises(LibraryOpenError) as raised:
        AppServices.build(app_paths)
    error = raised.value
    assert error.code == "library.in_use" and error.params["pid"] == first_instance.pid
    assert str(error) == (f"The library is open in another YouSync window (process "
                          f"{first_instance.pid}).")
    problem, text = startup_screen(qapp, app_paths, error)
    assert problem.actions == (StartupAction.OPEN_READ_ONLY, StartupAction.RETRY,
                               StartupAction.QUIT)
    assert text.splitlines()[0] == str(error)
    assert "Only one YouSync window can change a library at a time" in text
    _, korean = startup_screen(qapp, app_paths, error, language="ko")
    assert korean.splitlines()[0] == (f"라이브러리가 다른 YouSync 창(프로세스 {first_instance.pid})"
                                      "에서 열려 있습니다.")
    assert "읽기 전용으로 열기" in korean

    services, _, _ = run_start_up(qapp, app_paths, [StartupAction.OPEN_READ_ONLY])
    try:
        assert services.read_only and not services.owns_library
        services.start()  # crash recovery must not adopt the first window's live take
        assert services.recovered_takes == []
    finally:
        services.close()
    assert live_take.read_bytes() == before

    # The learner who quits instead: nothing opened, nothing changed, the app ends cleanly.
    services, outcome, _ = run_start_up(qapp, app_paths, [StartupAction.QUIT])
    assert services is None and outcome is None

    # The first window dies (kill -9): its lock dies with it; the next start owns the library
    # and recovers the take that window was recording.
    first_instance.kill()
    services = AppServices.build(app_paths)
    try:
        [recovered] = services.recover_takes()
        assert recovered.metadata["status"] == "recovered" and not live_take.exists()
    finally:
        services.close()
    content = library_content(app_paths)
    assert content["scenes"] == populated["scenes"]
    assert set(populated["takes"]) < set(content["takes"])  # nothing lost, one take more


def test_a_command_line_write_waits_for_the_window_then_goes_on(
        app_paths, populated, first_instance, pack_media, tmp_path):
    pack = valid_spec(pack_media, "second-scene").write(tmp_path / "second.yspack")
    command = subprocess.Popen([sys.executable, "-m", "yousync_desktop", "import-pack",
                                str(pack), "--wait", "600"], cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        waiting = command.stderr.readline()
        assert waiting == (f"yousync: waiting up to 600 s: The library is open in another "
                           f"YouSync window (process {first_instance.pid}).\n")
        first_instance.kill()  # the window is closed (here: killed) while the command waits
        out, err = command.communicate(timeout=120)
    finally:
        if command.poll() is None:
            command.kill()
            command.wait()
    assert command.returncode == 0, err
    assert err == "" and "Imported" in out
    assert set(library_content(app_paths)["scenes"]) == {PACK_ID, "second-scene"}


def test_a_command_line_write_gives_up_in_one_line(app_paths, populated, first_instance):
    result = subprocess.run([sys.executable, "-m", "yousync_desktop", "delete", PACK_ID,
                             "--wait", "0.3"], cwd=REPO, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"yousync: waiting up to 0.3 s: The library is open in another YouSync window (process "
        f"{first_instance.pid}).",
        f"yousync: error: The library is open in another YouSync window (process "
        f"{first_instance.pid})."]
    assert library_content(app_paths) == populated
