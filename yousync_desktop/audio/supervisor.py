"""Keeping the stream alive, or saying once and clearly that the devices are gone.

Two threads per running engine:

- the **consumer** drains the capture ring into the listeners (capture_fanout.py) and, after each
  drain, looks at the stream: PortAudio ended it, or no callback came for `stall_timeout_s`, or
  callbacks but no real input for `starved_timeout_s`;
- the **watcher** asks the sound server every `watch_interval_s` whether it and the chosen devices
  are still there (device_watch.py), which the callback cannot see.

PortAudio's ALSA host sometimes ends a stream by itself after an underrun through the PulseAudio
plug-in (its poll loop gets an error from the plug-in and the callback thread exits; seen on a
loaded machine) although the server and the devices are fine. The supervisor then reopens the
stream on the same devices (`_reopen`, at most `max_reopens` a minute) instead of failing: the
output index carries on, the capture index restarts at the output index of the first real input as
at start, the samples lost in between reach listeners as a gap (a take keeps time with silence),
and the reopening is logged as an event that counts as an alignment break. A server or device that
is really gone fails the engine with one message (the engine's `fail`).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from yousync_desktop.audio.device_watch import DeviceWatch
from yousync_desktop.audio.devices import DeviceChoice
from yousync_desktop.audio.errors import (MICROPHONE_SILENT, NOT_RESPONDING, STREAM_ENDED,
                                          AudioDeviceError, DeviceLoss)

log = logging.getLogger(__name__)


class Supervisor:
    """`open_stream()` opens a stream on the engine's devices; `is_ending()` says whether stop or
    a failure is ending the engine; `fail(loss)` ends it for good (on any thread)."""

    def __init__(self, clock, fanout, host, stats, *, open_stream: Callable[[], None],
                 is_ending: Callable[[], bool], fail: Callable[[DeviceLoss], None]):
        self.config = None  # the engine's EngineConfig, from prepare()
        self._clock = clock
        self._fanout = fanout
        self._host = host
        self._stats = stats
        self._open_stream = open_stream
        self._is_ending = is_ending
        self._fail = fail
        self._consumer: threading.Thread | None = None
        self._watcher: threading.Thread | None = None
        self._stop = threading.Event()
        self.device_watch: DeviceWatch | None = None
        self._reopened_at: list[float] = []
        self._gone_reason: DeviceLoss | None = None  # why _reopen found the devices gone
        # Capture indexes at the last passing server check and device-name check (device_watch.py)
        self._server_good_until: int | None = None
        self._devices_good_until: int | None = None

    def prepare(self, config) -> None:
        """Before a start opens the first stream: the engine's config, a fresh reopen budget."""
        self.config = config
        self._gone_reason = None
        self._reopened_at = []

    def start(self, choice: DeviceChoice) -> None:
        """The engine runs: start the consumer and, where a sound server can be asked, the
        watcher."""
        self._server_good_until = self._devices_good_until = None
        self._stop.clear()
        self._consumer = threading.Thread(target=self._consume, name="audio-consumer", daemon=True)
        self._consumer.start()
        self.device_watch = watch = DeviceWatch(choice)
        if watch.active:
            self._watcher = threading.Thread(target=self._watch, args=(watch,),
                                             name="audio-watch", daemon=True)
            self._watcher.start()

    def stop_threads(self) -> None:
        self._stop.set()
        self._fanout.nudge()
        for thread in (self._consumer, self._watcher):
            if thread is not None and thread is not threading.current_thread():
                thread.join(timeout=5)
        self._consumer = self._watcher = None

    def diagnose(self, loss: DeviceLoss) -> tuple[DeviceLoss, int | None]:
        """At failure: the loss to report (the sound server itself may be the cause) and the
        capture index after which input may be stale (None: all of it is good)."""
        watch = self.device_watch
        good_until = None
        if watch is not None and watch.cause is None:
            loss = watch.problem() or loss  # the sound server itself may be the cause
        if watch is not None and watch.cause is not None:
            good_until = (self._server_good_until if watch.cause == "server"
                          else self._devices_good_until)
        return loss, good_until

    # --- the consumer thread ---------------------------------------------------------------------

    def _consume(self) -> None:
        clock, fanout, host, config = self._clock, self._fanout, self._host, self.config
        last_callbacks, last_progress = -1, time.monotonic()
        last_capture, last_input = -1, time.monotonic()
        while True:
            fanout.wait_for_input()
            stopping = self._stop.is_set()
            fanout.drain()
            if stopping:
                return
            now = time.monotonic()
            if clock.callbacks != last_callbacks:
                last_callbacks, last_progress = clock.callbacks, now
            if clock.capture.end != last_capture or not clock.capture_live:
                last_capture, last_input = clock.capture.end, now
            if host.stopping:  # stop() is closing the stream; its end is no problem
                continue
            problem = None
            if host.finished_unexpectedly or not host.active():
                if self._reopen():
                    last_progress = last_input = time.monotonic()
                    continue
                problem = self._gone_reason or STREAM_ENDED
            elif now - last_progress > config.stall_timeout_s:
                problem = NOT_RESPONDING
            elif now - last_input > config.starved_timeout_s:
                problem = MICROPHONE_SILENT
            if problem:
                threading.Thread(target=self._fail, args=(problem,), name="audio-fail",
                                 daemon=True).start()
                return

    def _reopen(self) -> bool:
        """PortAudio ended the stream by itself: open it again on the same devices when the server
        and the devices are still there (see the module doc). Consumer thread only."""
        now = time.monotonic()
        self._reopened_at = [t for t in self._reopened_at if now - t < 60.0]
        if len(self._reopened_at) >= self.config.max_reopens:
            return False
        watch = self.device_watch
        gone = watch.problem(check_names=True) if watch is not None else None
        if gone:
            self._gone_reason = gone  # really gone: the failure reports why
            return False
        self._fanout.drain()  # everything the old stream captured, before the capture index moves
        host = self._host
        with host.lock:
            if self._is_ending():
                return True  # stop() or a failure is ending the engine anyway
            host.close()
            self._clock.restart_capture()  # the first real input restarts the capture index
            host.finished_unexpectedly = False
            try:
                self._open_stream()
            except AudioDeviceError as exc:
                log.warning("reopening the audio stream failed: %s", exc)
                return False
        self._reopened_at.append(now)
        self._stats.add_reopen(self._clock.output_index, self._clock.capture.end)
        log.warning("PortAudio ended the audio stream by itself; it was reopened")
        return True

    # --- the watcher thread ----------------------------------------------------------------------

    def _watch(self, watch: DeviceWatch) -> None:
        clock = self._clock
        while not self._stop.wait(self.config.watch_interval_s):
            checked_from = clock.capture.end
            problem = watch.problem()
            if problem:
                self._fail(problem)
                return
            if clock.capture_live:
                self._server_good_until = checked_from
                if watch.last_check_complete:
                    self._devices_good_until = checked_from
