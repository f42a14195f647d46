"""The learner's dub: the scene with the kept takes mixed in, heard (D) or exported (Ctrl+E) as
WAV/FLAC (MP3/M4A with ffmpeg). Rendering takes seconds: it runs as the window's busy work."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QCoreApplication, QObject, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from yousync_desktop.analysis.audio_io import resample
from yousync_desktop.practice import PracticeSession
from yousync_desktop.practice.dub import export_dub, export_formats, render_dub
from yousync_desktop.practice.screen_state import ScreenState
from yousync_desktop.ui.practice.background import BusyWork


class DubController(QObject):
    def __init__(self, session: PracticeSession, state: Callable[[], ScreenState],
                 busy_work: BusyWork, notify: Callable[[str], None], parent: QWidget):
        super().__init__(parent)
        self._session = session
        self._state = state
        self._busy_work = busy_work
        self._notify = notify
        self._window = parent

    def listen(self) -> None:
        playback = self._session.playback
        if playback is None or not self._state().idle:
            return

        def render():
            audio, rate, _count = render_dub(self._session)
            return resample(audio, rate, playback.rate)

        self._busy_work.run(render, lambda audio: playback.play_clip_buffer("dub", audio, 0.0),
                       label="listen to my dub")

    def choose_file_and_export(self) -> None:
        formats = export_formats()
        filters = ";;".join(QCoreApplication.translate(
            "PracticeWindow", "{kind} audio (*{suffix})").format(kind=suffix[1:].upper(),
                                                                suffix=suffix)
            for suffix in formats)
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.MusicLocation)
        suggested = str(Path(folder) / f"{self._session.scene.pack_id}-my-dub.wav")
        file_name, _chosen = QFileDialog.getSaveFileName(
            self._window, QCoreApplication.translate("PracticeWindow", "Export my dub"),
            suggested, filters)
        if file_name:
            path = Path(file_name)
            if path.suffix.lower() not in formats:
                path = path.with_name(path.name + ".wav")
            self.export(path)

    def export(self, path: Path) -> None:
        self._busy_work.run(lambda: export_dub(self._session, path),
                       lambda out: self._notify(QCoreApplication.translate(
                           "PracticeWindow", "Saved {name}").format(name=Path(out).name)),
                       label="export my dub")
