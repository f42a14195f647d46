"""The slip detector the real-stack tests rely on (slips.py): it sees what the engine counted and
a process starved of CPU, and a run whose every attempt slipped fails saying so."""

import sys
import time

import pytest

from tests.audio.slips import SlippedAttempt, SlipWatch, all_attempts_slipped, report_slip
from yousync_desktop.audio.duplex_engine import EngineConfig
from yousync_desktop.audio.fake_engine import FakeEngine


def test_a_glitch_the_engine_counted_is_a_slip():
    engine = FakeEngine(EngineConfig(capture_seconds=1.0))
    engine.start()
    with SlipWatch(engine) as watch:
        engine.glitch(output_underflow=True)
        engine.advance(0.05)
    assert "1 alignment break(s) and 1 xrun(s)" in watch.slip()


def test_a_process_that_is_not_scheduled_is_seen_starved():
    switch = sys.getswitchinterval()
    with SlipWatch() as watch:
        sys.setswitchinterval(0.2)  # this thread keeps the interpreter for 200 ms at a time
        try:
            until = time.perf_counter() + 0.5
            while time.perf_counter() < until:
                pass
        finally:
            sys.setswitchinterval(switch)
    assert watch.starved and "without being scheduled" in watch.slip()


def test_slips_are_reported_and_a_run_of_slips_fails_as_starved():
    with pytest.warns(SlippedAttempt, match="attempt 2 slipped"):
        report_slip("a test", 1, "the relay's stream glitched 1 time(s)")
    with pytest.raises(pytest.fail.Exception, match="a test was starved of CPU: all 2 attempts"):
        all_attempts_slipped("a test", ["x", "y"])
