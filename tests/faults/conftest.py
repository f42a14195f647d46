"""The fault suite's real parts: a library with a scene and takes made the way the app makes
them, second processes started and ended by PID, read-only folders, and the start-up screen
rendered offscreen. Each fault test asserts what the learner sees and that nothing was lost."""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import numpy as np
import pytest

from tests.library.pack_factory import valid_spec

REPO = Path(__file__).resolve().parents[2]
PACK_ID = "fault-scene"


# --- a library worth protecting ------------------------------------------------------------------

def record_take(library, key: int, script, pack_id: str, folder: Path, level: float):
    """A take written by the app's own take writer (metadata in its WAV header), then added."""
    from yousync_desktop.audio.take_writer import TakeWriter

    metadata = {"token_key": key, "script_id": script.id, "pack_id": pack_id,
                "latency_ms": 12.0, "recorded_at": "2026-01-02T03:04:05+00:00",
                "window_start": script.start_time - 0.5, "sample_rate": 48000}
    path = folder / f"{uuid.uuid4().hex}.wav"
    writer = TakeWriter(path, 48000, metadata)
    writer.write(np.full(24000, level, np.float32))
    writer.close()
    return library.add_take(key, script.id, path, sample_rate=48000, duration=0.5,
                            latency_ms=12.0, metadata=metadata)


def library_content(paths) -> dict:
    """What the learner has, independent of row ids: scenes with their lines, and each take's
    line and audio bytes. Read through a read-only library."""
    from yousync_desktop.library import Library

    with Library(paths, read_only=True) as library:
        scenes, takes = {}, []
        for summary in library.list_scenes():
            scene = library.get_scene(summary.key)
            scenes[scene.pack_id] = (scene.token.token_name,
                                     [s.script for s in scene.token.scripts])
            for take in library.takes(summary.key):
                audio = library.take_audio_path(take).read_bytes()
                takes.append((scene.pack_id, take.script_id, hashlib.sha256(audio).hexdigest()))
    return {"scenes": scenes, "takes": sorted(takes)}


@pytest.fixture
def populated(app_paths, pack_media, tmp_path):
    """A library with one imported scene and a take per line, started once the way the app
    starts (so its daily backup exists); returns its content."""
    from yousync_desktop.library.scene_pack import import_pack
    from yousync_desktop.services import AppServices

    services = AppServices.build(app_paths)
    try:
        library = services.library
        pack = valid_spec(pack_media, PACK_ID).write(tmp_path / "scene.yspack")
        key = import_pack(library, pack).key
        scene = library.get_scene(key)
        incoming = tmp_path / "recorded"
        incoming.mkdir()
        for index, script in enumerate(scene.token.scripts):
            take = record_take(library, key, script, PACK_ID, incoming, 0.1 + 0.1 * index)
        library.set_starred(take.id, True)
        services.start()  # the daily backup, now that there is something to keep
    finally:
        services.close()
    return library_content(app_paths)


# --- second processes ----------------------------------------------------------------------------

class SecondProcess:
    """A Python process running `code` from the repository (so it imports this checkout), talking
    over stdin/stdout; ended by its PID."""

    def __init__(self, code: str, *args: str):
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, *args], cwd=REPO, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.pid = self.process.pid

    def wait_for(self, word: str) -> str:
        """The first line of its output that starts with `word` (fails with its stderr if it
        ends first)."""
        for line in self.process.stdout:
            if line.startswith(word):
                return line.strip()
        self.process.wait(timeout=60)
        raise AssertionError(f"the second process ended before saying {word!r}: "
                             f"{self.process.stderr.read()}")

    def say(self, line: str) -> None:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def kill(self) -> None:
        """kill -9 by PID, and reap it."""
        if self.process.poll() is None:
            os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=60)

    def finish(self) -> int:
        with contextlib.suppress(BrokenPipeError, ValueError):
            self.process.stdin.close()
        return self.process.wait(timeout=60)


@pytest.fixture
def second_process():
    started: list[SecondProcess] = []

    def start(code: str, *args: str) -> SecondProcess:
        process = SecondProcess(code, *args)
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()
        for stream in (process.process.stdin, process.process.stdout, process.process.stderr):
            with contextlib.suppress(Exception):
                stream.close()


# --- read-only folders ---------------------------------------------------------------------------

@contextlib.contextmanager
def read_only(folder: Path):
    """`folder` (or a file) read-only for this process. chmod does that for a normal user; root
    (CI) writes through mode bits, so there it is bind-mounted read-only onto itself. Skips,
    saying why, when neither can be done."""
    if os.geteuid() != 0:
        inside = list(folder.rglob("*")) if folder.is_dir() else []
        modes = {path: path.stat().st_mode for path in [folder, *inside]}
        for path in modes:
            path.chmod(modes[path] & ~0o222)
        try:
            yield
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
        return
    made = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True,
                          text=True)
    if made.returncode != 0:
        pytest.skip("running as root, where chmod does not stop writes, and a read-only bind "
                    f"mount could not be made: {made.stderr.strip() or made.returncode}")
    try:
        remounted = subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)],
                                   capture_output=True, text=True)
        if remounted.returncode != 0:
            pytest.skip("running as root, where chmod does not stop writes, and the bind mount "
                        f"could not be made read-only: {remounted.stderr.strip()}")
        yield
    finally:
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


# --- what the learner sees -----------------------------------------------------------------------

def startup_screen(qapp, paths, error, *, language: str = "en"):
    """The start-up screen for `error`, rendered offscreen: (problem, its whole text)."""
    from yousync_desktop.library.recovery import diagnose
    from yousync_desktop.ui.i18n import UiLanguage
    from yousync_desktop.ui.startup_problem_dialog import StartupProblemDialog

    problem = diagnose(paths, error)
    ui_language = UiLanguage(qapp)
    ui_language.apply(language)
    try:
        dialog = StartupProblemDialog(problem)
        text = dialog.text()
        dialog.deleteLater()
    finally:
        ui_language.uninstall()
    return problem, text


def run_start_up(qapp, paths, choices):
    """The app's real start-up (`app.start_services`) answering the start-up screen with
    `choices` in turn; returns (services, recovery outcome, the problems shown)."""
    from yousync_desktop.app import start_services
    from yousync_desktop.tasks import InlineTaskManager

    shown = []
    answers = list(choices)

    def ask(problem, failed_attempt):
        shown.append((problem, failed_attempt))
        return answers.pop(0)

    services, outcome = start_services(qapp, paths, ask=ask, tasks=InlineTaskManager())
    return services, outcome, shown
