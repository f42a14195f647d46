"""Telling a slipped attempt from a wrong result, for tests that run through the real stack on a
shared machine.

An attempt *slipped* when something outside the code under test is seen to have spoiled it: the
engine counted an alignment break or an xrun, the test relay's stream glitched, or a watchdog
thread in this process was not scheduled for `STARVED_S` (the whole process was starved of CPU,
the engine's pump with it). Only such an attempt may be repeated, and it is reported
(`SlippedAttempt` warning naming the slip); an attempt that went wrong with no slip seen is judged
like any other. When every attempt slipped, `all_attempts_slipped` fails the test saying it was
starved of CPU, which is not a verdict on the code.
"""

from __future__ import annotations

import threading
import time
import warnings

import pytest

STARVED_S = 0.05  # half of what the engine's 120 ms output buffer survives without a gap
_TICK_S = 0.005


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

    def __enter__(self) -> "SlipWatch":
        self._engine_before = self._engine_counts()
        self._relay_before = self._relay.xruns() if self._relay is not None else 0
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _engine_counts(self) -> tuple[int, int]:
        if self._engine is None:
            return 0, 0
        stats = self._engine.stats
        return stats.alignment_breaks, stats.xruns

    def _watch(self) -> None:
        due = time.monotonic() + _TICK_S
        while not self._stop.wait(max(0.0, due - time.monotonic())):
            now = time.monotonic()
            self.longest_stall_s = max(self.longest_stall_s, now - due)
            due = now + _TICK_S

    @property
    def starved(self) -> bool:
        """Did the watchdog see this process go unscheduled for `STARVED_S` or more?"""
        return self.longest_stall_s >= STARVED_S

    def slip(self) -> str | None:
        """Why this attempt cannot be judged, or None when nothing was seen to spoil it. Call it
        after the `with` block (or inside, for what happened so far)."""
        seen = []
        breaks, xruns = (after - before for after, before
                         in zip(self._engine_counts(), self._engine_before))
        if breaks or xruns:
            seen.append(f"the engine counted {breaks} alignment break(s) and {xruns} xrun(s)")
        if self._relay is not None and self._relay.process.poll() is None:
            relay_xruns = self._relay.xruns() - self._relay_before
            if relay_xruns:
                seen.append(f"the relay's stream glitched {relay_xruns} time(s)")
        if self.starved:
            seen.append(f"this process went {self.longest_stall_s * 1000:.0f} ms without being "
                        "scheduled")
        return "; ".join(seen) or None


def report_slip(test: str, attempt: int, slip: str) -> None:
    warnings.warn(SlippedAttempt(f"{test}: attempt {attempt + 1} slipped ({slip}); repeated"),
                  stacklevel=2)


def all_attempts_slipped(test: str, slips: list[str]) -> None:
    pytest.fail(f"{test} was starved of CPU: all {len(slips)} attempts slipped, so the result was "
                "not judged (this says nothing about the code; run it on a quieter machine). "
                + " | ".join(f"attempt {n + 1}: {slip}" for n, slip in enumerate(slips)),
                pytrace=False)
