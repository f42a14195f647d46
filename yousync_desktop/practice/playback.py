"""Everything the practice screen plays, on the audio engine's clock.

`ScenePlayback` schedules buffers on the engine (play scene, play line, loop line, the actor's line,
a take, A/B, "hear it fixed", the learner's dub) and says where in the clip the learner is hearing
right now: `clip_position()` is the master clock the video and the karaoke follow. The heard
position is the engine's output index minus PortAudio's output latency estimate.

A looping line is scheduled again when the previous pass has been heard to its end (the UI's
timer calls `tick()`); the short gap this leaves between passes is welcome when practising.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from yousync_desktop.audio.duplex_engine import ScheduledPlayback
from yousync_desktop.audio.playback_mix import CountIn, LineMix, SceneAudio
from yousync_desktop.domain import Script

LINE_LEAD_IN_S = 1.0
LINE_TAIL_S = 0.7
AB_GAP_S = 0.4


@dataclass(frozen=True)
class Playing:
    """A buffer on the output clock and how its samples map onto the clip's timeline."""

    kind: str                  # "scene", "line", "actor", "take", "ab", "fixed", "dub", "record"
    scheduled: ScheduledPlayback
    clip_start: float          # clip seconds of the buffer's sample 0 (of each period)
    period: int | None = None  # A/B: the buffer repeats the same stretch of the clip twice
    loop: bool = False
    script_id: int | None = None

    def clip_time(self, index: int, rate: int) -> float:
        offset = index - self.scheduled.start
        if self.period:
            offset %= self.period
        return self.clip_start + offset / rate


class ScenePlayback:
    def __init__(self, engine, scene_audio: SceneAudio):
        self.engine = engine
        self.audio = scene_audio
        self.token = scene_audio.token
        self.rate = scene_audio.sample_rate
        self.current: Playing | None = None
        self._scene_mix: np.ndarray | None = None

    # --- what the learner hears now ------------------------------------------------------------

    def heard_index(self) -> int:
        return self.engine.playing_index()

    def is_playing(self) -> bool:
        return self.current is not None

    def clip_position(self) -> float | None:
        """Clip seconds being heard, or None when nothing plays (before the buffer starts, the
        buffer's first moment)."""
        current = self.current
        if current is None:
            return None
        index = min(max(self.heard_index(), current.scheduled.start), current.scheduled.end)
        return current.clip_time(index, self.rate)

    def absolute_position(self) -> float | None:
        clip = self.clip_position()
        return None if clip is None else clip + self.token.start_time

    def tick(self) -> None:
        """Call every few tens of ms: restarts a loop, forgets a buffer that has been heard."""
        current = self.current
        if current is None or self.heard_index() < current.scheduled.end:
            return
        if current.loop:
            self._schedule(current.kind, current.scheduled.samples, current.clip_start,
                           loop=True, script_id=current.script_id)
        else:
            self.current = None

    def stop(self) -> None:
        self.engine.stop_playback()
        self.current = None

    # --- what to play --------------------------------------------------------------------------

    def line_mix(self, script: Script, *, actor: bool = False, count_in: CountIn | None = None,
                 lead_in_s: float = LINE_LEAD_IN_S, tail_s: float = LINE_TAIL_S) -> LineMix:
        return self.audio.line_mix(script, lead_in_s=lead_in_s, tail_s=tail_s,
                                   vocal_gain_db=0.0 if actor else None, count_in=count_in)

    def play_scene(self, from_clip_s: float = 0.0) -> Playing:
        """The whole clip with the actor's voice, from `from_clip_s`."""
        mix = self._whole_scene()
        first = int(np.clip(round(from_clip_s * self.rate), 0, max(mix.shape[0] - 1, 0)))
        return self._schedule("scene", mix[first:], first / self.rate)

    def play_line(self, script: Script, *, actor: bool = False, loop: bool = False) -> Playing:
        """The line with a second before and a little after; the actor's voice only if asked."""
        mix = self.line_mix(script, actor=actor)
        return self._schedule("actor" if actor else "line", mix.samples, mix.clip_start,
                              loop=loop, script_id=script.id)

    def play_voice(self, kind: str, samples: np.ndarray, window_start: float, *,
                   script_id: int | None = None) -> Playing:
        """A take (or its fixed version) alone, placed on the clip at its window start."""
        return self._schedule(kind, samples, self.token.clip_offset(window_start),
                              script_id=script_id)

    def play_ab(self, actor: np.ndarray, take: np.ndarray, window_start: float, *,
                script_id: int | None = None) -> Playing:
        """The actor's voice over the take's window, a short pause, then the take."""
        length = max(actor.shape[0], take.shape[0])
        gap = int(AB_GAP_S * self.rate)
        period = length + gap
        buffer = np.zeros(2 * period - gap, dtype=np.float32)
        buffer[:actor.shape[0]] = actor
        buffer[period:period + take.shape[0]] = take
        return self._schedule("ab", buffer, self.token.clip_offset(window_start), period=period,
                              script_id=script_id)

    def play_clip_buffer(self, kind: str, samples: np.ndarray, clip_start: float = 0.0) -> Playing:
        """A buffer that covers the clip from `clip_start` (the learner's dub)."""
        return self._schedule(kind, samples, clip_start)

    def follow_recording(self, mix: LineMix, line_start_output_index: int,
                         script_id: int) -> Playing:
        """The take recorder scheduled `mix` itself; remember where, for the clock."""
        scheduled = ScheduledPlayback(mix.samples, line_start_output_index - mix.line_start)
        self.current = Playing("record", scheduled, mix.clip_start, script_id=script_id)
        return self.current

    def actor_voice(self, window_start: float, frames: int) -> np.ndarray:
        """The actor's isolated voice (mono) over a take's window: A/B, and the score's
        reference. Silence where there is no vocal track."""
        out = np.zeros(frames, dtype=np.float32)
        vocal = self.audio.vocal
        if vocal is None:
            return out
        first = int(round(self.token.clip_offset(window_start) * self.rate))
        lo, hi = max(first, 0), min(first + frames, vocal.shape[0])
        if hi > lo:
            out[lo - first:hi - first] = vocal[lo:hi].mean(axis=1)
        return out

    # --- internals -----------------------------------------------------------------------------

    def _whole_scene(self) -> np.ndarray:
        if self._scene_mix is None:
            mix = self.audio.background.copy()
            vocal = self.audio.vocal
            if vocal is not None:
                n = min(mix.shape[0], vocal.shape[0])
                mix[:n] += vocal[:n]
            peak = float(np.max(np.abs(mix))) if mix.size else 0.0
            if peak > 1.0:
                mix *= 0.999 / peak
            self._scene_mix = mix
        return self._scene_mix

    def _schedule(self, kind: str, samples: np.ndarray, clip_start: float, *, loop: bool = False,
                  period: int | None = None, script_id: int | None = None) -> Playing:
        scheduled = self.engine.play(samples)
        self.current = Playing(kind, scheduled, clip_start, period, loop, script_id)
        return self.current
