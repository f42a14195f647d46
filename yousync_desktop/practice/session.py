"""The practice screen's service: one scene, its lines, the audio engine, takes and scores. No Qt.

The UI drives it and polls it (from a ~15 ms timer), like Friture's widgets drain their audio
buffers: `recording.state`, `recording.feed.drain()`, `meter.reading`, `playback.clip_position()`.
Slow calls (`start_audio`, `render_dub`, `calibrate`) are for a background task; analysis
(`analyse`, `score_and_store`, `fixed_take`) runs on the task manager's analysis lane
(`ANALYSIS_LANE`), one piece at a time, so scores never compete with each other.

Threads: the UI thread calls everything; the engine's consumer thread runs the capture listeners
(level meter, live pitch feed, take writer) and saves a finished take; the analysis lane scores.
Takes a crash left behind are recovered once at start by `AppServices`, not here.
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from yousync_desktop.analysis.quick_score import QuickScoreResult
from yousync_desktop.audio.calibration import (CalibrationResult, LatencyCalibrator,
                                               saved_latency, store_calibration)
from yousync_desktop.audio.errors import AudioDeviceError, AudioError
from yousync_desktop.audio.input_health import LevelMeter
from yousync_desktop.audio.playback_mix import CountIn, SceneAudio
from yousync_desktop.audio.take_recorder import AppliedLatency, record_line
from yousync_desktop.domain import Script, Take
from yousync_desktop.library import Library, LibraryError, take_saving
from yousync_desktop.practice.errors import PracticeError
from yousync_desktop.practice.lines import LineSummary, summarize_line
from yousync_desktop.practice.live_feed import LivePitchFeed
from yousync_desktop.practice.playback import ScenePlayback
from yousync_desktop.practice.recording import Recording
from yousync_desktop.practice.take_analysis import TakeAnalysis, warm_up_analysis
from yousync_desktop.settings import Settings, SettingsStore
from yousync_desktop.tasks import TaskManager, ThreadedTaskManager

log = logging.getLogger(__name__)

ANALYSIS_LANE = "analysis"


@dataclass(frozen=True)
class PracticeOptions:
    count_in_beats: int = 3
    count_in_interval_s: float = 0.5
    pre_roll_s: float = 0.5
    post_roll_s: float = 0.5
    lead_in_s: float = 1.0    # scene heard before the count-in starts

    @classmethod
    def from_settings(cls, settings: Settings) -> "PracticeOptions":
        return cls(count_in_beats=max(0, settings.practice_count_in_beats),
                   pre_roll_s=max(0.0, settings.take_pre_roll_ms / 1000),
                   post_roll_s=max(0.0, settings.take_post_roll_ms / 1000))


class PracticeSession:
    """`settings` is the app's store (None: nothing is remembered, e.g. a benchmark); `tasks`
    runs the analysis lane (the app's task manager; without one the session runs its own, with
    callbacks called on the task thread, and stops it on close)."""

    def __init__(self, library: Library, scene_key: int, engine_factory: Callable[[], object],
                 settings: SettingsStore | None = None, *, options: PracticeOptions | None = None,
                 tasks: TaskManager | None = None):
        self.library = library
        self.scene = library.get_scene(scene_key)
        self.token = self.scene.token
        self.settings = settings
        self.options = options or (PracticeOptions.from_settings(settings.current)
                                   if settings is not None else PracticeOptions())
        self._engine_factory = engine_factory
        self._owns_tasks = tasks is None
        self.tasks: TaskManager = tasks if tasks is not None else ThreadedTaskManager()
        self.engine = None
        self.playback: ScenePlayback | None = None
        self.meter: LevelMeter | None = None
        self.latency = AppliedLatency.none()
        # Set when the device is lost (an AudioError with its code); the UI words it.
        self.audio_error: Exception | None = None
        self._audio_error_listeners: list[Callable[[Exception], None]] = []
        self.recording: Recording | None = None
        self.current_index = 0
        self.incoming_dir = library.paths.data_dir / "incoming"
        self.incoming_dir.mkdir(parents=True, exist_ok=True)
        self.analysis = TakeAnalysis(library, self.scene, lambda: self.playback)
        # Analysis submitted by the session itself (the actor's reference, a finished take's
        # score): counted so that close() can wait for the last score without blocking on the
        # GUI thread's callbacks.
        self._own_work = 0
        self._own_work_done = threading.Condition()
        self._closed = False
        self._accepting_work = True

    # --- lines ---------------------------------------------------------------------------------

    @property
    def scripts(self) -> list[Script]:
        return self.token.scripts

    @property
    def current_script(self) -> Script:
        return self.scripts[self.current_index]

    def select_line(self, index: int) -> Script:
        if not 0 <= index < len(self.scripts):
            raise PracticeError("practice.no_such_line", number=index + 1)
        self.current_index = index
        return self.current_script

    def next_line(self) -> Script:
        return self.select_line(min(self.current_index + 1, len(self.scripts) - 1))

    def previous_line(self) -> Script:
        return self.select_line(max(self.current_index - 1, 0))

    def lines(self) -> list[LineSummary]:
        by_script: dict[int, list[Take]] = {}
        for take in self.library.takes(self.scene.key):
            by_script.setdefault(take.script_id, []).append(take)
        return [summarize_line(i, s, by_script.get(s.id, [])) for i, s in enumerate(self.scripts)]

    def takes(self, index: int | None = None) -> list[Take]:
        script = self.scripts[self.current_index if index is None else index]
        return self.library.takes(self.scene.key, script.id)

    def script_for(self, take: Take) -> Script:
        return self.analysis.script_for(take)

    def set_starred(self, take_id: int, starred: bool) -> None:
        self.library.set_starred(take_id, starred)

    def delete_take(self, take_id: int) -> None:
        self.analysis.forget(take_id)
        self.library.delete_take(take_id)

    def take_path(self, take: Take) -> Path:
        return self.library.take_audio_path(take)

    # --- audio ---------------------------------------------------------------------------------

    @property
    def audio_ready(self) -> bool:
        return self.engine is not None and self.engine.state == "running"

    def start_audio(self) -> None:
        """Decode the scene's tracks and start the engine (seconds: call it in the background).
        Raises AudioError with a message for the learner."""
        media = self.scene.media
        if media.bgvoice is None:
            raise PracticeError("practice.no_background")
        engine = self.engine if self.engine is not None else self._engine_factory()
        audio = SceneAudio.load(self.token, media.bgvoice, media.vocal,
                                sample_rate=engine.sample_rate, channels=2)
        warm_up_analysis(self.scripts[0] if self.scripts else None, engine.sample_rate)
        self.audio_error = None
        if engine.state == "failed":
            engine.restart()
        else:
            engine.start()
        if self.engine is None:
            engine.add_error_handler(self._on_engine_error)
        self.engine = engine
        self.playback = ScenePlayback(engine, audio)
        if self.meter is not None:
            engine.remove_listener(self.meter)
        self.meter = LevelMeter(engine.sample_rate)
        engine.add_listener(self.meter)
        if self.settings is not None and engine.devices is not None:
            self.latency = saved_latency(self.settings.current, engine.devices,
                                         engine.sample_rate)

    def restart_audio(self) -> None:
        """Open the devices the settings name now (another microphone, or after a failure)."""
        if self.engine is None:
            self.start_audio()
            return
        if self.playback is not None:
            self.playback.stop()
        from yousync_desktop.audio.duplex_engine import EngineConfig

        self.audio_error = None
        self.engine.restart(EngineConfig.from_settings(self.settings.snapshot())
                            if self.settings is not None else None)
        if self.settings is not None and self.engine.devices is not None:
            self.latency = saved_latency(self.settings.current, self.engine.devices,
                                         self.engine.sample_rate)

    def on_audio_error(self, listener: Callable[[Exception], None]) -> None:
        """`listener(error)` is called (on the engine's thread) when the device is lost, so the
        UI hears of it at once instead of polling `audio_error`."""
        self._audio_error_listeners.append(listener)

    def _on_engine_error(self, error: AudioDeviceError) -> None:
        self.audio_error = error
        for listener in list(self._audio_error_listeners):
            listener(error)

    def _require_audio(self) -> None:
        if self._closed:
            raise PracticeError("practice.closed")
        if not self.audio_ready or self.playback is None:
            raise (PracticeError("practice.audio_failed", reason=self.audio_error)
                   if self.audio_error else PracticeError("practice.audio_not_ready"))

    def calibrate(self, *, acoustic: bool = False) -> CalibrationResult:
        """Measure the round trip on the running stream (seconds: background). A stable result is
        applied to the next takes and saved for this device pair."""
        self._require_audio()
        if self.recording is not None and not self.recording.finished:
            raise PracticeError("practice.calibrating_during_take")
        self.playback.stop()
        result = LatencyCalibrator(self.engine, mode="acoustic" if acoustic else "loopback").measure()
        if result.stable:
            self.latency = result.applied("calibrated")
            if self.settings is not None:
                with self.settings.edit() as settings:
                    store_calibration(settings, self.engine.devices, result,
                                      settings.audio_stream_latency_ms)
        return result

    # --- recording -----------------------------------------------------------------------------

    def record(self, index: int | None = None) -> Recording:
        """Start a take of the line (the current one by default): count-in over the background
        track, then the line. Returns at once; poll the Recording. Refused at once in a library
        opened read-only: the take could not be saved, and another window owns `incoming/`."""
        if self.library.read_only:
            raise LibraryError("library.opened_read_only")
        self._require_audio()
        if self.recording is not None and not self.recording.finished:
            raise PracticeError("practice.already_recording")
        if index is not None:
            self.select_line(index)
        script = self.current_script
        options = self.options
        count_in = (CountIn(options.count_in_beats, options.count_in_interval_s)
                    if options.count_in_beats > 0 else None)
        self.playback.stop()
        mix = self.playback.line_mix(script, count_in=count_in, lead_in_s=options.lead_in_s,
                                     tail_s=options.post_roll_s + 0.3)
        recording = Recording(self, self.current_index, script, mix, options.count_in_beats,
                              options.count_in_interval_s)
        path = self.incoming_dir / f"{uuid.uuid4().hex}.wav"
        take_saving.claim(path)  # start-up repair leaves it alone; the Recording lets go of it
        try:
            take_session = record_line(
                self.engine, mix, path, self.latency, pre_roll_s=options.pre_roll_s,
                post_roll_s=options.post_roll_s, on_finished=recording.on_take_finished,
                extra_metadata={"token_key": self.scene.key, "script_id": script.id,
                                "pack_id": self.scene.pack_id,
                                "count_in_beats": options.count_in_beats})
        except BaseException:  # e.g. no room on the disk for a take (TakeWriteError)
            take_saving.release(path)
            raise
        recording.take_session = take_session
        recording.feed = LivePitchFeed(self.engine.sample_rate, take_session.capture_start,
                                       take_session.metadata["window_start"],
                                       wake_at=self.engine.wake_consumer_at)
        self.engine.add_listener(recording.feed, start_index=take_session.capture_start)
        self.playback.follow_recording(mix, take_session.metadata["line_start_output_index"],
                                       script.id)
        self.recording = recording
        # Prepare the actor's side of the score while the learner speaks, so that only the take's
        # own analysis is left when it stops.
        frames = (mix.line_end - mix.line_start
                  + int(round(options.pre_roll_s * self.engine.sample_rate))
                  + int(round(options.post_roll_s * self.engine.sample_rate)))
        window_start = take_session.metadata["window_start"]
        self.submit(lambda: self.analysis.prepare_reference(script, window_start, frames))
        return recording

    def on_recording_ended(self, recording: Recording) -> None:
        playback = self.playback
        if playback is not None and playback.current is not None \
                and playback.current.kind == "record":
            playback.current = None  # the tail of the mix may still sound; the clock moves on

    def submit(self, work: Callable[[], None]) -> None:
        """Queue the session's own analysis work on the analysis lane. Raises RuntimeError once
        the session is closing (the caller keeps what it has; the score can wait)."""
        with self._own_work_done:
            if not self._accepting_work:
                raise RuntimeError("the practice session is closed")
            self._own_work += 1

        def run(_task) -> None:
            try:
                work()
            finally:
                with self._own_work_done:
                    self._own_work -= 1
                    self._own_work_done.notify_all()

        self.tasks.run(run, lane=ANALYSIS_LANE, label="practice analysis")

    # --- scores (the work is TakeAnalysis's; these are what the window calls) --------------------

    def analyse(self, take: Take) -> QuickScoreResult:
        return self.analysis.analyse(take)

    def score_and_store(self, take: Take) -> QuickScoreResult:
        return self.analysis.score_and_store(take)

    def cached_analysis(self, take_id: int) -> QuickScoreResult | None:
        return self.analysis.cached(take_id)

    def take_at_engine_rate(self, take: Take) -> np.ndarray:
        return self.analysis.take_at_engine_rate(take)

    def fixed_take(self, take: Take) -> np.ndarray:
        return self.analysis.fixed_take(take)

    def ab_buffers(self, take: Take) -> tuple[np.ndarray, np.ndarray]:
        return self.analysis.ab_buffers(take)

    # --- closing -------------------------------------------------------------------------------

    def close(self) -> None:
        """Stop playing and recording (a take in progress is kept if it reached its line), stop
        the engine and wait for the last score."""
        with self._own_work_done:
            if self._closed:
                return
            self._closed = True
        if self.playback is not None:
            self.playback.stop()
        if self.engine is not None:
            try:
                self.engine.stop()  # a take in progress ends "stopped" and is saved
            except AudioError as exc:
                log.info("stopping the audio engine: %s", exc)
        with self._own_work_done:
            # The engine's stop may just have saved a take and queued its score: let it finish.
            self._accepting_work = False
            self._own_work_done.wait_for(lambda: self._own_work == 0)
        if self._owns_tasks:
            self.tasks.shutdown()


__all__ = ["ANALYSIS_LANE", "LibraryError", "PracticeError", "PracticeOptions", "PracticeSession"]
