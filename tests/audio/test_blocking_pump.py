"""The engine's own pump for ALSA streams (blocking_pump.py), through the real stack.

Before it, PortAudio's duplex callback thread spun a whole core on most openings through the
ALSA pulse plug-in; these tests would have failed then. CPU time (not wall time) is measured, so a
slow or shared machine does not fail them: a spin costs a full second of CPU per second.
"""

from __future__ import annotations

import time

import pytest

from yousync_desktop.audio.calibration import LatencyCalibrator
from yousync_desktop.audio.duplex_engine import DuplexEngine, EngineConfig, uses_blocking_pump


def _loopback_engine() -> DuplexEngine:
    """Records its own output (appout's monitor): the round trip is the sound system's alone."""
    return DuplexEngine(EngineConfig(input_device="pulse:appout.monitor",
                                     output_device="pulse:appout", live_timeout_s=30))


@pytest.mark.timeout(120)
def test_a_running_alsa_stream_does_not_spin(virtual_audio):
    for _ in range(3):  # the spin came with some openings and not others
        engine = _loopback_engine()
        engine.start()
        try:
            assert uses_blocking_pump(engine.devices.output.hostapi)
            wall, cpu = time.monotonic(), time.process_time()
            time.sleep(2.0)
            share = (time.process_time() - cpu) / (time.monotonic() - wall)
            assert share < 0.5, f"the audio took {share:.0%} of a core while idle"
            assert engine.stats.alignment_breaks == 0
        finally:
            engine.stop()


@pytest.mark.timeout(180)
def test_the_round_trip_is_the_same_at_every_opening(virtual_audio):
    """What makes a saved calibration valid in the next session (pump rules, blocking_pump.py)."""
    round_trips = []
    for _ in range(3):
        engine = _loopback_engine()
        engine.start()
        try:
            result = LatencyCalibrator(engine, repeats=2).measure(timeout_s=30)
            if engine.stats.alignment_breaks == 0:  # a glitch would move it: not this test's point
                round_trips.append(result.latency_ms)
        finally:
            engine.stop()
    assert len(round_trips) >= 2
    assert max(round_trips) - min(round_trips) < 0.5, round_trips
