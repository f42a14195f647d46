"""Telling a slipped attempt from a wrong result, for tests that run through the real stack on a
shared machine.

An attempt *slipped* when something outside the code under test is seen to have spoiled it: the
engine counted an alignment break or an xrun, the test relay's stream glitched, a watchdog
thread in this process was not scheduled for `STARVED_S` (the whole process was starved of CPU,
the engine's pump with it), or — to explain an attempt that failed — a thread of this process
spent `STARVED_SHARE` of a quarter second waiting for a CPU (the kernel's count: everything it did
ran several times slower than it can). Only such an attempt may be repeated, and it is reported
(`SlippedAttempt` warning naming the slip); an attempt that went wrong with no slip seen is judged
like any other. When every attempt slipped, `all_attempts_slipped` fails the test saying it was
starved of CPU, which is not a verdict on the code.
"""

from __future__ import annotations

import threading
import time
import warnings
from pathlib import Path

import pytest

STARVED_S = 0.05  # half of what the engine's 120 ms output buffer survives without a gap
# A thread of this process that waited for a CPU (runnable, not running: the kernel's run-queue
# wait, /proc/self/task/*/schedstat) this share of a quarter second or more was starved, even
# when it was never kept off the CPU for STARVED_S at once: a machine shared with many busy
# processes hands out slices of a few ms, so everything the test waits for runs several times
# slower.
STARVED_SHARE = 0.5
_WINDOW_S = 0.25  # the stretches the share is taken over (a count-in beat is 0.4 s)
_TICK_S = 0.005


def _run_queue_waits(leave_out: int | None = None) -> dict[str, tuple[str, int]]:
    """{thread id: (name, ns it has waited for a CPU so far)} for this process's threads (but
    `leave_out`, the watchdog: waking every 5 ms, it waits a little at every wake-up)."""
    names = {thread.native_id: thread.name for thread in threading.enumerate()}
    waits = {}
    for task in Path("/proc/self/task").glob("*"):
        if task.name == str(leave_out):
            continue
        try:
            wait_ns = int((task / "schedstat").read_text().split()[1])
            name = names.get(int(task.name)) or (task / "comm").read_text().strip()
        except (OSError, IndexError, ValueError):
            continue  # the thread ended meanwhile, or no schedstat on this kernel
        waits[task.name] = (name, wait_ns)
    return waits


class SlippedAttempt(UserWarning):
    """An attempt of a real-stack test was spoiled by the machine and repeated."""


class SlipWatch:
    """`with SlipWatch(engine, relay) as watch: ...` then `watch.slip()`: what spoiled the attempt
    (a sentence), or None. `engine` and `relay` may be None (not part of the attempt)."""

    def __init__(self, engine=None, relay=None):
        self._engine = engine
        self._relay = relay
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="slip-watchdog", daemon=True)
        self.longest_stall_s = 0.0
        self._worst_wait = ("", 0.0)
        self._noted: list[str] = []

    def __enter__(self) -> "SlipWatch":
        self._engine_before = self._engine_counts()
        self._relay_before = self._relay.xruns() if self._relay is not None else 0
        self._thread.start()
        return self

    def watch_engine(self, engine) -> None:
        """Count this engine's glitches from now on: for an attempt whose engine is made inside
        it (a practice window opened by the attempt)."""
        self._engine = engine
        self._engine_before = self._engine_counts()

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def note(self, slip: str | None) -> None:
        """A slip seen elsewhere (another process's SlipWatch), part of this attempt's."""
        if slip:
            self._noted.append(slip)

    def most_waiting_thread(self) -> tuple[str, float]:
        """(name, share of a `_WINDOW_S` stretch it spent waiting for a CPU) of the thread that
        waited most in any stretch of the attempt; ("", 0.0) where the kernel does not say."""
        return self._worst_wait

    def _note_waits(self, now: float, final: bool = False) -> None:
        span = now - self._window_start
        if span < _WINDOW_S and not (final and span >= _WINDOW_S / 4):
            return
        waits = _run_queue_waits(self._thread.native_id)
        for tid, (name, wait_ns) in waits.items():
            share = (wait_ns - self._window_waits.get(tid, (name, wait_ns))[1]) / (span * 1e9)
            if share > self._worst_wait[1]:
                self._worst_wait = (name, share)
        self._window_start, self._window_waits = now, waits

    def _engine_counts(self) -> tuple[int, int, int | None]:
        if self._engine is None:
            return 0, 0, None
        stats = self._engine.stats
        return stats.alignment_breaks, stats.xruns, getattr(self._engine, "epoch", None)

    def _watch(self) -> None:
        self._window_start = time.monotonic()
        self._window_waits = _run_queue_waits(threading.get_native_id())
        due = time.monotonic() + _TICK_S
        while not self._stop.wait(max(0.0, due - time.monotonic())):
            now = time.monotonic()
            self.longest_stall_s = max(self.longest_stall_s, now - due)
            self._note_waits(now)
            due = now + _TICK_S
        self._note_waits(time.monotonic(), final=True)

    @property
    def starved(self) -> bool:
        """Did the watchdog see this process go unscheduled for `STARVED_S` or more, or a thread
        of it wait for a CPU `STARVED_SHARE` of a quarter second?"""
        return (self.longest_stall_s >= STARVED_S
                or self.most_waiting_thread()[1] >= STARVED_SHARE)

    def slip(self, slowed: bool = False) -> str | None:
        """Why this attempt cannot be judged, or None when nothing was seen to spoil it. Call it
        after the `with` block (or inside, for what happened so far).

        A glitch or a stall spoils a measurement (a round trip, a signal) however it came out.
        A thread kept waiting for a CPU (`slowed=True`) moves no audio by itself, but it explains
        an observation that came too late (a count-in missed, a word not seen lit): it is asked
        about only for an attempt that failed (`Attempts`)."""
        seen = list(self._noted)
        *after, epoch = self._engine_counts()
        *before, epoch_before = self._engine_before
        if epoch != epoch_before:  # the engine started again meanwhile: its counts started at 0
            before = [0, 0]
        breaks, xruns = (a - b for a, b in zip(after, before))
        if breaks or xruns:
            seen.append(f"the engine counted {breaks} alignment break(s) and {xruns} xrun(s)")
        if self._relay is not None and self._relay.process.poll() is None:
            relay_xruns = self._relay.xruns() - self._relay_before
            if relay_xruns:
                seen.append(f"the relay's stream glitched {relay_xruns} time(s)")
        if self.longest_stall_s >= STARVED_S:
            seen.append(f"this process went {self.longest_stall_s * 1000:.0f} ms without being "
                        "scheduled")
        thread, share = self.most_waiting_thread()
        if slowed and share >= STARVED_SHARE:
            seen.append(f"its thread {thread!r} spent {share:.0%} of a quarter second waiting for "
                        "a CPU")
        return "; ".join(seen) or None


def report_slip(test: str, attempt: int, slip: str) -> None:
    warnings.warn(SlippedAttempt(f"{test}: attempt {attempt + 1} slipped ({slip}); repeated"),
                  stacklevel=2)


def all_attempts_slipped(test: str, slips: list[str]) -> None:
    pytest.fail(f"{test} was starved of CPU: all {len(slips)} attempts slipped, so the result was "
                "not judged (this says nothing about the code; run it on a quieter machine). "
                + " | ".join(f"attempt {n + 1}: {slip}" for n, slip in enumerate(slips)),
                pytrace=False)


class Attempts:
    """The attempt loop of a real-stack test whose every step may be spoiled by the machine:

        for attempt in Attempts("a whole practice session"):
            with attempt as watch:
                ...  # one whole attempt: set-up where a fresh one is needed, then assertions
                watch.watch_engine(engine)  # once the attempt's engine exists (or pass engine=)

    An attempt that passes ends the loop (a slip can spoil a right result, not make a wrong one
    right). An attempt that failed while a slip was seen (SlipWatch) is not judged: it is reported
    (`SlippedAttempt`) and repeated; `on_slip` (if given) tidies up before the next one (deletes
    the slipped take, opens a fresh loop, ...). An attempt that failed with no slip seen fails the
    test as it is. When every attempt slipped the
    test fails saying it was starved of CPU (`all_attempts_slipped`)."""

    def __init__(self, test: str, tries: int = 3, *, engine=None, relay=None, on_slip=None):
        self.test, self.tries = test, tries
        self._engine, self._relay, self._on_slip = engine, relay, on_slip
        self.slips: list[str] = []
        self._passed = False

    def __iter__(self):
        for number in range(self.tries):
            yield _Attempt(self, number)
            if self._passed:
                return
        all_attempts_slipped(self.test, self.slips)


class _Attempt:
    def __init__(self, attempts: Attempts, number: int):
        self._attempts, self.number = attempts, number

    def __enter__(self) -> SlipWatch:
        attempts = self._attempts
        engine = attempts._engine() if callable(attempts._engine) else attempts._engine
        self.watch = SlipWatch(engine, attempts._relay).__enter__()
        return self.watch

    def __exit__(self, exc_type, exc, _tb) -> bool:
        self.watch.__exit__(exc_type, exc, _tb)
        attempts = self._attempts
        if exc_type is not None and not issubclass(exc_type, Exception):
            return False  # a timeout, KeyboardInterrupt, pytest.skip/fail: not ours to excuse
        if exc_type is None:
            attempts._passed = True  # everything held: a slip cannot make a wrong result right
            return False
        slip = self.watch.slip(slowed=True)
        if slip is None:
            return False  # judged: a failure with no slip seen is a failure
        failed = f"{exc_type.__name__}: {exc}".split("\n")[0][:300]
        report_slip(attempts.test, self.number, f"{slip}; it failed with {failed}")
        attempts.slips.append(slip)
        if attempts._on_slip is not None:
            attempts._on_slip()
        return True  # not judged: the next attempt
