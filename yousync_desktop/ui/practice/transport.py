"""What the practice screen plays on the audio engine's clock: the scene (Space, which pauses and
resumes where it was), the current line with the background (P), over and over (L), with the
actor's voice (A), and Esc to stop. Recording a take is recording_controller.py's."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from yousync_desktop.practice import PracticeSession
from yousync_desktop.practice.playback import ScenePlayback
from yousync_desktop.practice.screen_state import ScreenState

SCENE_LEAD_IN_S = 1.0   # the scene starts this long before the current line


class Transport(QObject):
    def __init__(self, session: PracticeSession, state: Callable[[], ScreenState],
                 parent: QWidget):
        super().__init__(parent)
        self._session = session
        self._state = state
        self._resume_clip: float | None = None   # where the scene was paused

    def _idle_playback(self) -> ScenePlayback | None:
        """The playback when something may start playing now, else None."""
        playback = self._session.playback
        return playback if playback is not None and self._state().idle else None

    def toggle_play(self) -> None:
        """Space: play the scene from where it was paused (or a second before the line), or
        pause it."""
        playback = self._idle_playback()
        if playback is None:
            return
        if playback.is_playing():
            self._resume_clip = playback.clip_position() if playback.current.kind == "scene" \
                else None
            playback.stop()
            return
        start = self._resume_clip
        if start is None:
            script = self._session.current_script
            start = max(0.0, self._session.token.clip_offset(script.start_time) - SCENE_LEAD_IN_S)
        playback.play_scene(start)

    def play_line(self) -> None:
        self._play_line(actor=False, loop=False)

    def play_actor_line(self) -> None:
        self._play_line(actor=True, loop=False)

    def toggle_loop(self) -> None:
        playback = self._idle_playback()
        if playback is None:
            return
        if playback.current is not None and playback.current.loop:
            playback.stop()
        else:
            self._play_line(actor=False, loop=True)

    def _play_line(self, *, actor: bool, loop: bool) -> None:
        playback = self._idle_playback()
        if playback is not None:
            playback.play_line(self._session.current_script, actor=actor, loop=loop)

    def stop(self) -> None:
        """Stop whatever plays (a take being made is the recording controller's to stop)."""
        playback = self._session.playback
        if playback is not None and self._state().audio_ready:
            playback.stop()

    def line_changed(self) -> None:
        """Another line is current: a line, a take or the dub playing stops (the scene plays on),
        and Space starts the scene before the new line."""
        playback = self._session.playback
        if playback is not None and playback.current is not None \
                and playback.current.kind != "scene":
            playback.stop()
        self._resume_clip = None
