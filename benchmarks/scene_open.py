"""Opening the largest scene a pack may hold. `python -m benchmarks.scene_open` prints one JSON
object.

Builds a pack at every limit of `PackLimits` (benchmarks/corpus/maximum_scene.py: a 10-minute clip,
500 lines of 2,000 characters with 2,000-character translations, 5,000 words, 60,100 pitch points;
small media), imports it into a scratch library, and opens the main window on that library
(offscreen Qt, 1280x800). Then, with a 0 ms timer ticking on every pass of the event loop, it
selects the scene, scrolls its lines from top to bottom and resizes the window. The GUI thread's
stall is the longest gap between two ticks: the time the window could not have answered input or
painted. It also times the import, and the refusal of a pack with 40,000 lines.
How it measures and the latest numbers: benchmarks/README.md.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.corpus.maximum_scene import maximum_token, write_maximum_pack  # noqa: E402
from yousync_desktop.library import Library  # noqa: E402
from yousync_desktop.library.scene_pack import PackError, import_pack  # noqa: E402
from yousync_desktop.settings import AppPaths, Settings  # noqa: E402

TARGET_STALL_MS = 100.0
SETTLE_SECONDS = 0.5       # keep ticking this long after the last step, for work it set off
STEP_SECONDS = 0.05        # scrolling and resizing: a quick succession of steps
SCROLL_STEP_ROWS = 10
OVERSIZED_LINES = 40_000
DEMO_PACK = Path(__file__).resolve().parents[1] / "resources/demo_scenes/demo-rainy-promise.yspack"


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def oversized_pack(folder: Path) -> Path:
    """A pack whose manifest has 40,000 lines (and no media worth reading)."""
    token = maximum_token()
    token["pitch"] = None
    start = token["start_time"]
    token["scripts"] = [{"id": i + 1, "token_id": token["id"], "start_time": start + i * 0.01,
                         "end_time": start + i * 0.01 + 0.005, "script": f"line {i + 1}",
                         "translation": None, "words": []} for i in range(OVERSIZED_LINES)]
    manifest = {"format": "yousync-scene-pack", "format_version": 1, "pack_id": "oversized",
                "token": token, "media": {"video": "media/clip.mp4",
                                          "bgvoice": "media/bgvoice.flac"}}
    path = folder / "oversized.yspack"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr("media/clip.mp4", b"\x00" * 1024)
        archive.writestr("media/bgvoice.flac", b"\x00" * 1024)
    return path


class TickRecorder:
    """Timestamps of every pass of the event loop (a 0 ms timer fires once per pass)."""

    def __init__(self):
        from PySide6.QtCore import QTimer

        self.ticks: list[float] = []
        self._timer = QTimer()
        self._timer.setInterval(0)
        self._timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))

    def run(self, steps: list, done=lambda: True, step_seconds: float = SETTLE_SECONDS) -> float:
        """Run `steps` (callables) one every `step_seconds` on the real event loop; once all
        have run and `done()` holds, keep ticking SETTLE_SECONDS more. The longest gap, in ms."""
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        pending = list(steps)
        state = {"next_step": time.perf_counter(), "done_at": None}

        def drive() -> None:
            now = time.perf_counter()
            if pending:
                if now >= state["next_step"]:
                    pending.pop(0)()
                    state["next_step"] = time.perf_counter() + step_seconds
            elif state["done_at"] is None:
                if done():
                    state["done_at"] = now
            elif now - state["done_at"] >= SETTLE_SECONDS:
                loop.quit()

        driver = QTimer()
        driver.setInterval(5)
        driver.timeout.connect(drive)
        self.ticks = [time.perf_counter()]
        self._timer.start()
        driver.start()
        loop.exec()
        driver.stop()
        self._timer.stop()
        self.ticks.append(time.perf_counter())
        return 1000.0 * max(b - a for a, b in zip(self.ticks, self.ticks[1:]))


def main() -> None:
    from PySide6.QtCore import QSize

    from yousync_desktop.app import (close_main_window, create_application, freeze_once_started,
                                     open_main_window)

    with tempfile.TemporaryDirectory(prefix="yousync-scene-open-") as scratch:
        folder = Path(scratch)
        _log("building the largest pack…")
        pack = write_maximum_pack(folder / "pack")
        with zipfile.ZipFile(pack) as archive:
            manifest_bytes = archive.getinfo("manifest.json").file_size
        pack_bytes = pack.stat().st_size
        paths = AppPaths(folder / "data", folder / "config")
        settings = Settings()
        settings.demo_scenes_installed = True  # one demo scene is added below, the others not
        settings.save(paths)
        with Library(paths) as library:
            _log("importing it…")
            started = time.perf_counter()
            key = import_pack(library, pack).key
            import_seconds = time.perf_counter() - started
            scene = library.get_scene(key)
            demo_key = import_pack(library, DEMO_PACK).key  # the scene selected before
            demo_lines = len(library.get_scene(demo_key).token.scripts)
            oversized = oversized_pack(folder)
            started = time.perf_counter()
            try:
                import_pack(library, oversized)
                refusal = "accepted"
            except PackError as error:
                refusal = str(error)
            refuse_seconds = time.perf_counter() - started

        _log("opening the window…")
        app = create_application([])
        window = open_main_window(app, paths)
        window.resize(QSize(1280, 800))
        window.show()
        freezing = freeze_once_started(window)  # as run_app does, once start-up work is done
        recorder = TickRecorder()
        recorder.run([], done=lambda: not freezing.isActive())
        table = window.detail.lines_table
        lines = len(scene.token.scripts)

        def select(scene_key: int, timed: dict | None = None):
            def step() -> None:
                if timed is not None:
                    timed["at"] = time.perf_counter()
                window.browser.select_scene(scene_key)
            return step

        def shown(scene_key: int, rows: int, timed: dict | None = None):
            def check() -> bool:
                scene_now = window.detail.scene()
                ready = (scene_now is not None and scene_now.key == scene_key
                         and window.detail.lines_model.rowCount() == rows)
                if ready and timed is not None and "shown" not in timed:
                    timed["shown"] = time.perf_counter()
                return ready
            return check

        def resizes() -> list:
            return [lambda size=size: window.resize(size)
                    for size in (QSize(1000, 700), QSize(1400, 900), QSize(1280, 800))]

        recorder.run([select(demo_key)], done=shown(demo_key, demo_lines))
        _log("resizing with a demo scene, for comparison…")
        demo_resize_stall = recorder.run(resizes(), step_seconds=STEP_SECONDS)
        _log("selecting the largest scene…")
        opened: dict = {}
        open_stall = recorder.run([select(key, opened)], done=shown(key, lines, opened))
        scroll_bar = table.verticalScrollBar()
        scroll_steps = [lambda value=value: scroll_bar.setValue(value)
                        for value in range(0, lines + SCROLL_STEP_ROWS, SCROLL_STEP_ROWS)]
        _log("scrolling…")
        scroll_stall = recorder.run(scroll_steps, step_seconds=STEP_SECONDS)
        _log("resizing…")
        resize_stall = recorder.run(resizes(), step_seconds=STEP_SECONDS)
        rows_measured = table.measured_rows()
        _log("back to the demo scene…")
        leave_stall = recorder.run([select(demo_key)], done=shown(demo_key, demo_lines))
        close_main_window(window, remember_layout=False)

    result = {
        "scene": {"clip_seconds": scene.token.duration, "lines": lines,
                  "words": sum(len(s.words) for s in scene.token.scripts),
                  "pitch_points": len(scene.token.pitch or []),
                  "longest_line_chars": max(len(s.script) for s in scene.token.scripts),
                  "manifest_bytes": manifest_bytes, "pack_bytes": pack_bytes},
        "import_seconds": round(import_seconds, 3),
        "oversized_pack": {"lines": OVERSIZED_LINES, "refused_in_seconds": round(refuse_seconds, 3),
                           "reason": refusal},
        "open": {"longest_stall_ms": round(open_stall, 1),
                 "lines_shown_after_ms": round(1000 * (opened["shown"] - opened["at"]), 1)},
        "scroll_top_to_bottom": {"steps": len(scroll_steps),
                                 "longest_stall_ms": round(scroll_stall, 1)},
        "resize": {"longest_stall_ms": round(resize_stall, 1),
                   "with_a_demo_scene_ms": round(demo_resize_stall, 1)},
        "back_to_a_demo_scene": {"longest_stall_ms": round(leave_stall, 1)},
        "rows_measured": rows_measured,
        "targets": {
            "open_stall_ms": {"target": TARGET_STALL_MS, "measured": round(open_stall, 1),
                              "met": open_stall <= TARGET_STALL_MS},
            "scroll_stall_ms": {"target": TARGET_STALL_MS, "measured": round(scroll_stall, 1),
                                "met": scroll_stall <= TARGET_STALL_MS},
            "resize_stall_ms": {"target": TARGET_STALL_MS, "measured": round(resize_stall, 1),
                                "met": resize_stall <= TARGET_STALL_MS},
            "leave_stall_ms": {"target": TARGET_STALL_MS, "measured": round(leave_stall, 1),
                               "met": leave_stall <= TARGET_STALL_MS},
            "oversized_refused": {"target": "refused", "measured": refusal,
                                  "met": refusal != "accepted"},
        },
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
