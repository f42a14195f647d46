"""The calibration wizard's work without a practice window open: open the chosen devices, measure
the round trip, remember it for the pair when it is stable, close the devices."""

from __future__ import annotations

from typing import Callable

from yousync_desktop.audio.calibration import (CalibrationResult, LatencyCalibrator,
                                               store_calibration)
from yousync_desktop.settings import SettingsStore


def calibrate_devices(settings: SettingsStore, engine_factory: Callable[[], object], *,
                      acoustic: bool = False) -> CalibrationResult:
    """Seconds of work: run it as a background task. Raises AudioError with a message."""
    engine = engine_factory()
    engine.start()
    try:
        result = LatencyCalibrator(engine, mode="acoustic" if acoustic else "loopback").measure()
        if result.stable:
            with settings.edit() as current:
                store_calibration(current, engine.devices, result,
                                  current.audio_stream_latency_ms)
        return result
    finally:
        engine.stop()
