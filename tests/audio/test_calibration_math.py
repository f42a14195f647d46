"""The round-trip estimator on synthetic recordings whose delay is known exactly: integer and
fractional delays, noise and echoes (an acoustic path), missing signal, unstable repeats."""

import numpy as np
import pytest
from scipy.signal import resample_poly

from yousync_desktop.audio.calibration import (CalibrationResult, estimate_round_trip,
                                               make_calibration_signal, saved_latency,
                                               store_calibration)
from yousync_desktop.audio.devices import AudioDevice, DeviceChoice
from yousync_desktop.audio.errors import CalibrationError
from yousync_desktop.settings import Settings

RATE = 48000
MAX_LAG = RATE // 2


def record(signal, delay_samples: int, *, noise: float = 0.0, gain: float = 1.0,
           echoes=(), seed: int = 0) -> np.ndarray:
    """What the input would hold: [S − max_lag, S + len + max_lag) with the signal `delay` late."""
    captured = np.zeros(signal.samples.size + 2 * MAX_LAG)
    at = MAX_LAG + delay_samples
    captured[at:at + signal.samples.size] += gain * signal.samples
    for lag, level in echoes:
        captured[at + lag:at + lag + signal.samples.size] += level * signal.samples[
            :captured.size - at - lag]
    if noise:
        captured += noise * np.random.default_rng(seed).standard_normal(captured.size)
    return captured


@pytest.mark.parametrize("delay", [0, 1, 480, 4100, -960])
def test_integer_delays_are_found_exactly(delay):
    signal = make_calibration_signal(RATE, repeats=4)
    result = estimate_round_trip(signal, record(signal, delay), MAX_LAG)
    assert result.latency_samples == pytest.approx(delay, abs=0.05)
    assert result.spread_ms < 0.01 and result.confidence == 1.0 and result.stable


def test_fractional_delay_to_a_tenth_of_a_sample():
    signal = make_calibration_signal(RATE, repeats=4)
    # 1000.5 samples: upsample ×2, shift by one, downsample.
    up = resample_poly(record(signal, 1000), 2, 1)
    shifted = resample_poly(np.concatenate([[0.0], up[:-1]]), 1, 2)
    result = estimate_round_trip(signal, shifted, MAX_LAG)
    assert result.latency_samples == pytest.approx(1000.5, abs=0.1)


def test_acoustic_path_with_noise_and_room_echoes():
    signal = make_calibration_signal(RATE, repeats=6, mode="acoustic", level_db=-12)
    captured = record(signal, 2345, gain=0.2, noise=0.01,
                      echoes=[(150, 0.12), (420, 0.08), (1300, 0.05)])
    result = estimate_round_trip(signal, captured, MAX_LAG, mode="acoustic")
    assert result.latency_samples == pytest.approx(2345, abs=1)
    assert result.spread_ms < 0.1
    assert 0 < result.confidence <= 1


def test_no_signal_in_the_input_is_a_clear_error():
    signal = make_calibration_signal(RATE, repeats=4)
    silence = np.random.default_rng(2).standard_normal(signal.samples.size + 2 * MAX_LAG) * 0.01
    with pytest.raises(CalibrationError, match="not heard"):
        estimate_round_trip(signal, silence, MAX_LAG)


def test_repeats_that_disagree_are_reported_unstable():
    signal = make_calibration_signal(RATE, repeats=4)
    captured = record(signal, 1000)
    # The third chirp comes back 5 ms later than the others (a glitch mid-measurement).
    third = signal.offsets[2]
    length = signal.chirp.size
    at = MAX_LAG + 1000 + third
    captured[at:at + length] = 0
    captured[at + 240:at + 240 + length] = signal.chirp
    result = estimate_round_trip(signal, captured, MAX_LAG)
    assert result.spread_ms == pytest.approx(5.0, abs=0.05)
    assert not result.stable
    assert any("unstable" in w for w in result.warnings)
    assert result.confidence < 1


def test_results_are_stored_per_device_pair_and_survive_a_settings_round_trip(app_paths):
    signal = make_calibration_signal(RATE, repeats=4)
    result = estimate_round_trip(signal, record(signal, 960), MAX_LAG)

    def device(key, is_input):
        return AudioDevice(key, key, 0, "ALSA", 2 if is_input else 0, 0 if is_input else 2, 48000)

    usb = DeviceChoice(device("ALSA:USB Mic", True), device("ALSA:Speakers", False))
    other = DeviceChoice(device("", True), device("ALSA:Speakers", False))
    settings = Settings()
    store_calibration(settings, usb, result)
    settings.save(app_paths)
    loaded = Settings.load(app_paths)
    applied = saved_latency(loaded, usb, RATE)
    assert (applied.samples, applied.source) == (960, "saved")
    assert applied.ms == pytest.approx(20.0)
    assert saved_latency(loaded, other, RATE).source == "none"
    again = CalibrationResult.from_json(loaded.audio_latency_calibrations[usb.pair_key])
    assert again.repeats_ms == result.repeats_ms

    # A round trip measured by an engine with other stream settings is not applied.
    entry = dict(loaded.audio_latency_calibrations[usb.pair_key], engine="yousync-audio/0")
    loaded.audio_latency_calibrations = {usb.pair_key: entry}
    assert saved_latency(loaded, usb, RATE).source == "none"
