"""The slip detector the real-stack tests rely on (slips.py): it sees what the engine counted and
a process starved of CPU, and a run whose every attempt slipped fails saying so."""

import os
import subprocess
import sys
import time

import pytest

from tests.audio.slips import (Attempts, SlippedAttempt, SlipWatch, all_attempts_slipped,
                               report_slip)
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


def _glitching(engine):
    engine.glitch(output_underflow=True)
    engine.advance(0.05)


def test_attempts_repeat_only_a_failure_that_slipped_and_say_so():
    engine = FakeEngine(EngineConfig(capture_seconds=1.0))
    engine.start()
    tidied, tries = [], []
    with pytest.warns(SlippedAttempt, match="attempt 1 slipped.*it failed with AssertionError"):
        for attempt in Attempts("a test", engine=engine, on_slip=lambda: tidied.append(1)):
            with attempt:
                tries.append(1)
                if len(tries) == 1:
                    _glitching(engine)
                    assert False, "spoiled"
    assert len(tries) == 2 and tidied == [1]


def test_attempts_judge_a_failure_nothing_spoiled():
    engine = FakeEngine(EngineConfig(capture_seconds=1.0))
    engine.start()
    tries = []
    with pytest.raises(AssertionError, match="wrong"):
        for attempt in Attempts("a test", engine=engine):
            with attempt:
                tries.append(1)
                assert False, "wrong"
    assert len(tries) == 1


def test_attempts_that_all_slipped_fail_as_starved():
    engine = FakeEngine(EngineConfig(capture_seconds=1.0))
    engine.start()
    with pytest.warns(SlippedAttempt), \
            pytest.raises(pytest.fail.Exception, match="was starved of CPU: all 2 attempts"):
        for attempt in Attempts("a test", tries=2, engine=engine):
            with attempt:
                _glitching(engine)
                raise TimeoutError("not in time")


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs CPU affinity (Linux)")
def test_a_thread_kept_waiting_for_a_cpu_is_seen_starved():
    """Three busy processes on the one CPU this process may use: the kernel runs each of the four
    a quarter of the time, so this thread waits for the CPU most of it."""
    cpu = min(os.sched_getaffinity(0))
    busy = [subprocess.Popen([sys.executable, "-c",
                              f"import os; os.sched_setaffinity(0, {{{cpu}}})\nwhile True: pass"])
            for _ in range(3)]
    allowed = os.sched_getaffinity(0)
    try:
        os.sched_setaffinity(0, {cpu})
        time.sleep(0.3)  # the busy ones are running
        with SlipWatch() as watch:
            until = time.perf_counter() + 1.0
            while time.perf_counter() < until:
                pass
    finally:
        os.sched_setaffinity(0, allowed)
        for process in busy:
            process.kill()  # by its own PID
            process.wait(timeout=5)
    assert watch.starved and "waiting for a CPU" in watch.slip(slowed=True), watch.slip(slowed=True)
