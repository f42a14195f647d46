"""Every action of the practice window, with its key, its menu and its accessible text.

Keys: Space play/pause, R record, ←/→ previous/next line, L loop, A the actor's line, Esc stop;
P play the line, T play the take, B A/B with the actor, F hear it fixed, S keep best (star),
Delete delete the take, D listen to my dub, Ctrl+E export my dub, Ctrl+W close.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenuBar

from yousync_desktop.practice.screen_state import ScreenState


class PracticeActions(QObject):
    def __init__(self, window):
        super().__init__(window)
        self._recording = False  # the record action reads "finish the take" while recording
        self.window = window

        def action(slot: Callable[[], None], key: str | None, *, checkable: bool = False):
            created = QAction(window)
            if key:
                created.setShortcut(QKeySequence(key))
                created.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            created.setCheckable(checkable)
            created.triggered.connect(lambda _checked=False: slot())
            window.addAction(created)  # keys work even with the menu bar hidden
            return created

        w = window
        self.play = action(w.toggle_play, "Space")
        self.play_line = action(w.play_line, "P")
        self.loop = action(w.toggle_loop, "L", checkable=True)
        self.actor = action(w.play_actor_line, "A")
        self.record = action(w.record, "R")
        self.stop = action(w.stop, "Esc")
        self.previous = action(w.previous_line, "Left")
        self.next = action(w.next_line, "Right")
        self.close = action(w.close, "Ctrl+W")
        self.play_take = action(w.play_take, "T")
        self.ab = action(w.play_ab, "B")
        self.fixed = action(w.play_fixed, "F")
        self.star = action(w.toggle_star, "S")
        self.delete = action(w.delete_take, "Delete")
        self.listen_dub = action(w.listen_to_dub, "D")
        self.export_dub = action(w.choose_and_export_dub, "Ctrl+E")
        self.calibrate = action(w.calibrate, None)
        self.preferences = action(w.open_preferences, "Ctrl+,")

    def transport(self) -> list[QAction | None]:
        return [self.previous, self.play, self.play_line, self.loop, self.actor, None,
                self.record, self.stop, None, self.next]

    def take_actions(self) -> list[QAction]:
        return [self.play_take, self.ab, self.fixed, self.star, self.delete]

    def build_menus(self, bar: QMenuBar) -> None:
        self.practice_menu = bar.addMenu("")
        for item in (self.play, self.play_line, self.loop, self.actor, None, self.record,
                     self.stop, None, self.previous, self.next, None, self.close):
            self.practice_menu.addSeparator() if item is None else self.practice_menu.addAction(item)
        self.takes_menu = bar.addMenu("")
        for item in self.take_actions():
            self.takes_menu.addAction(item)
        self.scene_menu = bar.addMenu("")
        self.scene_menu.addAction(self.listen_dub)
        self.scene_menu.addAction(self.export_dub)
        self.settings_menu = bar.addMenu("")
        self.settings_menu.addAction(self.calibrate)
        self.settings_menu.addAction(self.preferences)

    def update(self, state: ScreenState) -> None:
        """Grey out what cannot be used in `state` (the rules are ScreenState's)."""
        available = state.available()
        for field in dataclasses.fields(available):  # named as the actions here are
            getattr(self, field.name).setEnabled(getattr(available, field.name))
        if state.recording != self._recording:
            self._recording = state.recording
            self.retranslate()
        if self.loop.isChecked() != state.looping:
            self.loop.setChecked(state.looping)

    def retranslate(self) -> None:
        texts = {
            self.play: (self.tr("▶ Play/pause scene"), self.tr("Play the scene from here, or pause it")),
            self.play_line: (self.tr("Play &line"), self.tr("Play the current line with the background")),
            self.loop: (self.tr("⟲ &Loop line"), self.tr("Play the current line over and over")),
            self.actor: (self.tr("Hear the &actor"), self.tr("Play the current line with the actor's voice")),
            self.record: (self.tr("■ &Finish take"),
                          self.tr("End the take here and score what you recorded"))
            if self._recording else
            (self.tr("● &Record"), self.tr("Record your dub of the current line")),
            self.stop: (self.tr("■ &Stop"), self.tr("Stop playing; a take being recorded is discarded")),
            self.previous: (self.tr("◀ &Previous line"), self.tr("Go to the previous line")),
            self.next: (self.tr("&Next line ▶"), self.tr("Go to the next line")),
            self.close: (self.tr("&Close practice"), self.tr("Close the practice window")),
            self.play_take: (self.tr("Play &take"), self.tr("Play the selected take")),
            self.ab: (self.tr("A/&B with the actor"), self.tr("The actor's line, then your take")),
            self.fixed: (self.tr("Hear it &fixed"), self.tr("Your take moved onto the actor's timing")),
            self.star: (self.tr("★ &Keep best"), self.tr("Keep this take for your dub")),
            self.delete: (self.tr("&Delete take"), self.tr("Delete the selected take")),
            self.listen_dub: (self.tr("Listen to &my dub"),
                              self.tr("Play the scene with your kept takes mixed in")),
            self.export_dub: (self.tr("&Export my dub…"), self.tr("Save the scene with your takes as audio")),
            self.calibrate: (self.tr("&Calibrate latency…"),
                             self.tr("Measure the delay between speakers and microphone")),
            self.preferences: (self.tr("&Preferences…"), self.tr("Devices, count-in, pitch display")),
        }
        for action, (text, tip) in texts.items():
            action.setText(text)
            action.setStatusTip(tip)
            key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({key})" if key else tip)
        self.practice_menu.setTitle(self.tr("&Practice"))
        self.takes_menu.setTitle(self.tr("&Takes"))
        self.scene_menu.setTitle(self.tr("S&cene"))
        self.settings_menu.setTitle(self.tr("Se&ttings"))
