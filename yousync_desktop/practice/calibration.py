"""The calibration wizard's work without a practice window open: open the chosen devices, measure
the round trip, remember it for the pair when it is stable, close the devices."""

from __future__ import annotations

from typing import Callable

from yousync_desktop.audio.calibration import (CalibrationResult, LatencyCalibrator,
                                               store_calibration)


def calibrate_devices(settings, save_settings: Callable[[], None], *, acoustic: bool = False,
                      engine_factory: Callable[[], object] | None = None) -> CalibrationResult:
    """Seconds of work: call it in the background. Raises AudioError with a message."""
    if engine_factory is None:
        from yousync_desktop.audio.duplex_engine import DuplexEngine, EngineConfig

        def engine_factory():
            return DuplexEngine(EngineConfig.from_settings(settings))

    engine = engine_factory()
    engine.start()
    try:
        result = LatencyCalibrator(engine, mode="acoustic" if acoustic else "loopback").measure()
        if result.stable:
            store_calibration(settings, engine.devices, result,
                              getattr(settings, "audio_stream_latency_ms", 0))
            save_settings()
        return result
    finally:
        engine.stop()
