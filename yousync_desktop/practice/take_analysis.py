"""The quick score of a practice session's takes, and the audio made from a take: the actor's
voice over its window, the take at the engine's rate, "hear it fixed". No Qt.

Everything here is slow (decoding, DTW, pitch): call it on the task manager's analysis lane, one
piece at a time. The last few analyses are kept so that showing a take again is instant.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import Callable

import numpy as np
import soundfile

from yousync_desktop.analysis.audio_io import load_mono, resample
from yousync_desktop.analysis.pitch_track import PitchTrack
from yousync_desktop.analysis.quick_score import (QuickScoreResult, quick_score, reference_line,
                                                  score_take, single_threaded_blas)
from yousync_desktop.analysis.time_warp import hear_it_fixed
from yousync_desktop.domain import Script, Take
from yousync_desktop.library import Library, StoredScene
from yousync_desktop.practice.errors import PracticeError

log = logging.getLogger(__name__)

_ANALYSES_KEPT = 16
_FALLBACK_RATE = 48000  # the engine's usual rate, for analysis before the audio has started


_warmed_up = False


def warm_up_analysis(script: Script | None, rate: int) -> None:
    """Score a synthetic voice once per process, before the audio stream opens: the first score
    imports and initialises a lot (librosa, FFT plans), and a stall like that while the stream
    runs makes the output underrun, which moves the take alignment (duplex_engine.py)."""
    global _warmed_up
    if _warmed_up or script is None:
        return
    t = np.arange(int(1.5 * rate)) / rate
    voice = (0.2 * np.sign(np.sin(2 * np.pi * 140 * t)) * (np.sin(np.pi * t / 1.5) ** 2))
    voice = voice.astype(np.float32)
    quick_score(voice, rate, voice, rate, script, window_start=script.start_time - 0.25)
    _warmed_up = True


class TakeAnalysis:
    """`playback()` is the session's current ScenePlayback (None before the audio starts): with
    it, the actor's voice comes from the decoded scene at the engine's rate."""

    def __init__(self, library: Library, scene: StoredScene, playback: Callable[[], object]):
        self.library = library
        self.scene = scene
        self.token = scene.token
        self._playback = playback
        self.actor_pitch = (PitchTrack.from_points(self.token.pitch) if self.token.pitch
                            else None)
        self._analyses: OrderedDict[int, QuickScoreResult] = OrderedDict()
        self._analyses_lock = threading.Lock()

    def script_for(self, take: Take) -> Script:
        for script in self.token.scripts:
            if script.id == take.script_id:
                return script
        raise PracticeError("practice.line_gone")

    # --- scores --------------------------------------------------------------------------------

    def prepare_reference(self, script: Script, window_start: float, frames: int) -> None:
        """The actor's side of a line's score, made while the learner speaks so that only the
        take's own analysis is left when it stops (cached by the scoring module)."""
        try:
            with single_threaded_blas():
                reference_line(self.actor_voice(window_start, frames), self.reference_rate,
                               script, window_start=window_start,
                               reference_pitch=self.actor_pitch)
        except Exception:  # noqa: BLE001 - only a head start; scoring will say what is wrong
            log.exception("preparing the actor's reference failed")

    def analyse(self, take: Take) -> QuickScoreResult:
        """The quick score of a take, with its alignment and pitch (kept for the last few)."""
        with self._analyses_lock:
            if take.id in self._analyses:
                return self._analyses[take.id]
        script = self.script_for(take)
        audio, rate = self.load_take(take)
        window_start = take.window_start(script)
        reference_rate = self.reference_rate
        frames = int(round(audio.shape[0] * reference_rate / rate))
        reference = self.actor_voice(window_start, frames, reference_rate)
        with single_threaded_blas():
            line = reference_line(reference, reference_rate, script, window_start=window_start,
                                  reference_pitch=self.actor_pitch)
        # The audio engine cut the take by the measured round trip already: nothing to remove.
        result = score_take(audio, rate, line, latency_ms=0.0)
        with self._analyses_lock:
            self._analyses[take.id] = result
            while len(self._analyses) > _ANALYSES_KEPT:
                self._analyses.popitem(last=False)
        return result

    def score_and_store(self, take: Take) -> QuickScoreResult:
        result = self.analyse(take)
        self.library.add_score(take.id, result.score)
        take.score = result.score
        return result

    def cached(self, take_id: int) -> QuickScoreResult | None:
        with self._analyses_lock:
            return self._analyses.get(take_id)

    def forget(self, take_id: int) -> None:
        with self._analyses_lock:
            self._analyses.pop(take_id, None)

    # --- audio ---------------------------------------------------------------------------------

    def load_take(self, take: Take) -> tuple[np.ndarray, int]:
        path = self.library.take_audio_path(take)
        if not path.is_file():
            raise PracticeError("practice.take_file_missing")
        audio, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
        return audio.mean(axis=1), rate

    @property
    def reference_rate(self) -> int:
        playback = self._playback()
        return playback.rate if playback is not None else _FALLBACK_RATE

    def actor_voice(self, window_start: float, frames: int, rate: int | None = None) -> np.ndarray:
        """The actor's voice over a window (mono at `rate`); decoded on demand without audio."""
        rate = rate or self.reference_rate
        playback = self._playback()
        if playback is not None and rate == playback.rate:
            return playback.actor_voice(window_start, frames)
        if self.scene.media.vocal is None:
            return np.zeros(frames, dtype=np.float32)
        start = self.token.clip_offset(window_start)
        vocal, _ = load_mono(self.scene.media.vocal, rate, max(start, 0.0), frames / rate)
        out = np.zeros(frames, dtype=np.float32)
        lead = int(round(max(-start, 0.0) * rate))
        n = max(0, min(frames - lead, vocal.shape[0]))
        out[lead:lead + n] = vocal[:n]
        return out

    def take_at_engine_rate(self, take: Take) -> np.ndarray:
        audio, rate = self.load_take(take)
        return resample(audio, rate, self.reference_rate)

    def fixed_take(self, take: Take) -> np.ndarray:
        """"Hear it fixed": the take moved onto the actor's timing (at the engine's rate)."""
        result = self.analyse(take)
        if result.alignment is None:
            raise PracticeError("practice.nothing_to_fix")
        audio, rate = self.load_take(take)
        return resample(hear_it_fixed(audio, rate, result.alignment), rate, self.reference_rate)

    def ab_buffers(self, take: Take) -> tuple[np.ndarray, np.ndarray]:
        """The actor's voice over the take's window, and the take (engine rate)."""
        audio = self.take_at_engine_rate(take)
        return self.actor_voice(take.window_start(self.script_for(take)), audio.shape[0]), audio
