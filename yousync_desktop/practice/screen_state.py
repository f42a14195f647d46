"""What the practice screen is doing, as one value, and what the learner may do from there. No Qt.

The practice window (ui/practice/practice_window.py) builds a `ScreenState` from what it observes
— the audio's state, the take being recorded, what is playing, the selected take, the current
line — and asks it which actions are open; its controllers ask it the same questions before they
act (a key can arrive before the menus are greyed). Keeping the rules here means they are tested
without a display (tests/practice/test_screen_state.py).

The audio is `STARTING` while the scene's tracks are decoded and the devices opened (at first, on
"Try again", after a device switch), `READY` while the stream runs, `FAILED` once it could not be
opened or a device was lost.
"""

from __future__ import annotations

from dataclasses import dataclass

STARTING, READY, FAILED = "starting", "ready", "failed"
AUDIO_STATES = (STARTING, READY, FAILED)


@dataclass(frozen=True)
class Availability:
    """Which of the practice window's actions can be used now."""
    play: bool           # Space: play/pause the scene
    play_line: bool      # P
    loop: bool           # L
    actor: bool          # A: the actor's line
    record: bool         # R: record, or finish the take being recorded
    stop: bool           # Esc: stop playing, discard a take in progress
    previous: bool       # ←
    next: bool           # →
    play_take: bool      # T
    ab: bool             # B: A/B with the actor
    fixed: bool          # F: hear it fixed
    star: bool           # S: keep best
    delete: bool         # Delete
    listen_dub: bool     # D
    export_dub: bool     # Ctrl+E
    calibrate: bool


@dataclass(frozen=True)
class ScreenState:
    audio: str = STARTING
    line: int = 0              # index of the current line
    line_count: int = 0
    recording: bool = False    # a take is being made (count-in, capture or its quick score)
    playing: bool = False
    looping: bool = False
    has_take: bool = False     # a take of the line is selected

    def __post_init__(self) -> None:
        if self.audio not in AUDIO_STATES:
            raise ValueError(f"unknown audio state {self.audio!r}")

    @property
    def audio_ready(self) -> bool:
        return self.audio == READY

    @property
    def idle(self) -> bool:
        """Something may start playing (or recording): the audio runs and no take is being made,
        since a take owns the output until it is scored."""
        return self.audio_ready and not self.recording

    @property
    def can_play_take(self) -> bool:
        return self.idle and self.has_take

    @property
    def can_change_take(self) -> bool:
        """Star or delete the selected take: library work, no audio needed."""
        return self.has_take and not self.recording

    @property
    def can_change_line(self) -> bool:
        """A take belongs to the line it was started on."""
        return not self.recording

    @property
    def can_reopen_audio(self) -> bool:
        """Switch devices now: never under a take, nor while the audio is being opened already."""
        return not self.recording and self.audio != STARTING

    def available(self) -> Availability:
        idle = self.idle
        return Availability(
            play=idle, play_line=idle, loop=idle, actor=idle,
            record=self.audio_ready,  # while recording, R finishes the take
            stop=self.audio_ready and (self.recording or self.playing),
            previous=self.can_change_line and self.line > 0,
            next=self.can_change_line and self.line < self.line_count - 1,
            play_take=self.can_play_take, ab=self.can_play_take, fixed=self.can_play_take,
            star=self.can_change_take, delete=self.can_change_take,
            listen_dub=idle,
            export_dub=not self.recording,  # rendered from the library: works without audio
            calibrate=idle,
        )
