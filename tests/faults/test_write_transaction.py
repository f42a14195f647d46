"""Another program holding a write transaction on the library (a second process in BEGIN
IMMEDIATE): opening says it is waiting and for whom instead of 30 s of silence, goes on as soon
as the other lets go, or — when it never does — offers read-only, and loses nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.faults.conftest import REPO, library_content, run_start_up, startup_screen
from yousync_desktop.library import Library, LibraryOpenError
from yousync_desktop.library.recovery import StartupAction

HOLD_WRITE_TRANSACTION = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
connection.execute("UPDATE tokens SET view_count = view_count + 1")
print("holding", flush=True)
if sys.stdin.readline().strip() == "commit":
    connection.execute("COMMIT")
else:
    connection.execute("ROLLBACK")
print("released", flush=True)
sys.stdin.read()
"""


def program_of(pid: int) -> str:
    return Path(f"/proc/{pid}/comm").read_text().strip()


@pytest.fixture
def writer(app_paths, populated, second_process):
    process = second_process(HOLD_WRITE_TRANSACTION, str(app_paths.database))
    process.wait_for("holding")
    return process


def test_opening_says_for_whom_it_waits_and_goes_on_when_the_writer_is_done(app_paths, writer,
                                                                             populated):
    notices = []

    def on_wait(notice):
        notices.append(notice)
        if len(notices) == 1:  # the learner sees this; meanwhile the other program finishes
            writer.say("rollback")
            writer.wait_for("released")
        return True

    with Library(app_paths, on_wait=on_wait, wait_seconds=600) as library:
        assert [s.pack_id for s in library.list_scenes()] == ["fault-scene"]
    first = notices[0]
    if Path("/proc/locks").exists():
        assert first.code == "library.waiting_for_writer_known"
        assert first.params["pid"] == writer.pid
        program = program_of(writer.pid)
        assert str(first) == (f"Waiting for another program ({program}, process {writer.pid}) "
                              "to finish writing to the library…")
    else:
        assert str(first) == "Waiting for another program to finish writing to the library…"
    assert library_content(app_paths) == populated


def test_a_writer_that_never_lets_go_leaves_the_library_readable(app_paths, writer, populated,
                                                                 qapp, monkeypatch):
    with pytest.raises(LibraryOpenError) as raised:
        Library(app_paths, on_wait=lambda notice: False)  # the learner pressed Quit at once
    error = raised.value
    assert error.code in ("library.locked_by", "library.locked")
    assert "is still writing to the library, so it cannot be opened for changes now" in str(error)
    problem, text = startup_screen(qapp, app_paths, error)
    assert problem.actions == (StartupAction.OPEN_READ_ONLY, StartupAction.RETRY,
                               StartupAction.QUIT)
    assert "When the other program has finished, try again" in text

    # The app's waiting dialog answers "Quit" at once, so the test does not wait its 30 s.
    import yousync_desktop.app as app_module

    monkeypatch.setattr(app_module, "WriterWaitDialog", _QuitAtOnce)
    services, _, _ = run_start_up(qapp, app_paths, [StartupAction.OPEN_READ_ONLY])
    try:
        assert services.read_only  # WAL lets readers in while the other program writes
        assert [s.pack_id for s in services.library.list_scenes()] == ["fault-scene"]
    finally:
        services.close()
    writer.say("commit")
    writer.wait_for("released")
    assert library_content(app_paths) == populated


class _QuitAtOnce:
    def __call__(self, _notice):
        return False

    def close(self):
        pass

    def deleteLater(self):
        pass


def test_the_command_line_waits_one_line_then_gives_up_with_one_line(app_paths, writer,
                                                                     populated, tmp_path):
    result = subprocess.run([sys.executable, "-m", "yousync_desktop", "delete", "fault-scene",
                             "--wait", "0.5"], cwd=REPO, capture_output=True, text=True,
                            timeout=120)
    lines = result.stderr.splitlines()
    assert result.returncode == 1 and len(lines) == 2, result.stderr
    assert lines[0].startswith("yousync: Waiting for another program")
    assert lines[1].startswith("yousync: error: ") and "is still writing to the library" in lines[1]
    assert library_content(app_paths) == populated
