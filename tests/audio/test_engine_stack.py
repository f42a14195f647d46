"""The engine through the real stack: PortAudio → ALSA pulse plug-in → PulseAudio virtual devices.

The loop used here is the virtual equivalent of speakers and a microphone in one room: the engine
plays to `appout` and records `feedmic`; a relay process (loopback_relay.py) hears `appout` and
plays what it hears into `feed`, whose monitor `feedmic` is. The relay is the learner: it answers
what it hears, always equally late (its own latency, constant while it runs), plus an exact number
of samples of extra delay set by the test.

Nothing here asserts timing of the machine; waits are generous because the machine is shared.
Where two measurements must agree, a calibration after the measurement confirms that the stream's
alignment did not move meanwhile. An attempt is repeated (on a fresh loop: a slipped stream can
keep slipping) only when something is seen to have spoiled it — the engine or the relay counted a
glitch, or this process was starved of CPU (slips.py) — and each repeat is reported; an attempt
nothing spoiled is judged, and a test whose every attempt slipped fails as starved, not as wrong.
"""

from __future__ import annotations

import contextlib
import subprocess

import numpy as np
import pytest
import soundfile
from scipy.signal import correlate

from tests.audio.slips import SlipWatch, all_attempts_slipped, report_slip
from yousync_desktop.audio.calibration import LatencyCalibrator
from yousync_desktop.audio.errors import CalibrationError
from yousync_desktop.audio.devices import list_devices, resolve_devices, supported_sample_rates
from yousync_desktop.audio.playback_mix import silence_mix
from yousync_desktop.audio.take_recorder import AppliedLatency, record_line
from yousync_desktop.audio.take_writer import read_take_metadata

pytestmark = pytest.mark.audio_stack

RATE = 48000
ATTEMPTS = 4


def calibrate(engine, repeats: int = 4):
    return LatencyCalibrator(engine, repeats=repeats).measure(timeout_s=30)


def fresh_loop(engine, relay) -> None:
    """Both ends of the loop opened again (a clean loop for each attempt)."""
    engine.stop()
    relay.restart()
    engine.start()


@pytest.mark.timeout(30)
def test_virtual_devices_are_listed_with_rates_and_a_missing_one_falls_back(virtual_audio):
    devices = list_devices(rescan_first=True)
    keys = {(d.key, d.is_input) for d in devices}
    assert ("pulse:feedmic", True) in keys and ("pulse:appout", False) in keys
    assert ("", True) in keys and ("", False) in keys  # the system default, both ways
    mic = next(d for d in devices if d.key == "pulse:feedmic")
    assert 48000 in supported_sample_rates(mic, for_input=True)

    choice = resolve_devices("pulse:usb-mic-unplugged", "pulse:appout")
    assert choice.input.key == "" and choice.output.key == "pulse:appout"
    assert choice.messages == ("The saved microphone “usb-mic-unplugged” is not available; using "
                               f"“{choice.input.label}” instead.",)


@pytest.mark.timeout(120)
def test_a_known_signal_fed_to_the_microphone_is_recorded_unchanged(feed_loop_engine, tmp_path):
    engine = feed_loop_engine
    rng = np.random.default_rng(7)
    t = np.arange(int(1.5 * RATE)) / RATE
    known = (0.2 * np.sin(2 * np.pi * 523.25 * t) + 0.05 * rng.standard_normal(t.size))
    known = np.round(np.clip(known, -1, 1) * 32767) / 32767  # exactly representable in 16 bits
    known_path = tmp_path / "known.wav"
    soundfile.write(known_path, known, RATE, subtype="PCM_16")

    slips = []
    for attempt in range(ATTEMPTS):
        with SlipWatch(engine) as watch:
            mix = silence_mix(20.0, 23.0, lead_in_s=0.2, tail_s=0.2,
                              channels=engine.output_channels)
            take = record_line(engine, mix, tmp_path / f"take{attempt}.wav",
                               AppliedLatency.none(), pre_roll_s=0.0, post_roll_s=0.0)
            assert engine.wait_for_capture(take.capture_start, timeout=20)
            player = subprocess.Popen(["paplay", "-d", "feed", str(known_path)])
            try:
                assert player.wait(timeout=30) == 0
            finally:
                if player.poll() is None:
                    player.kill()
                    player.wait(timeout=5)
            result = take.wait(timeout=30)
        if slip := watch.slip():  # audio lost or invented on the way: not the recorder's doing
            report_slip("recording a known signal", attempt, slip)
            slips.append(slip)
            continue
        assert result is not None and result.complete
        recorded, rate = soundfile.read(result.path, dtype="float64")
        assert rate == RATE and recorded.size == 3 * RATE
        # Find the known signal in the take and compare it sample by sample.
        correlation = correlate(recorded, known, mode="valid", method="fft")
        at = int(np.argmax(correlation))
        segment = recorded[at:at + known.size]
        np.testing.assert_allclose(segment, known, atol=2e-4)  # 24-bit take of a 16-bit path
        metadata = read_take_metadata(result.path)
        assert metadata["input_device_key"] == "pulse:feedmic" and metadata["sample_rate"] == RATE
        return
    all_attempts_slipped("recording a known signal", slips)


@pytest.mark.timeout(240)
def test_a_sound_made_in_time_with_the_line_lands_at_the_lines_time_in_the_take(
        feed_loop_engine, relay, tmp_path):
    """The line's mix has clicks at known times after the line's start (the actor); the relay, our
    learner, answers them through the microphone as it hears them. After subtracting the
    calibrated round trip, each click is at pre-roll + its time in the take, within ±1 ms."""
    engine = feed_loop_engine
    relay.set_delay(0)
    offsets_s = (0.0, 0.37, 1.25)
    pre_roll_s, post_roll_s = 0.4, 0.3
    slips = []
    for attempt in range(ATTEMPTS):
        # Both ends opened afresh for every attempt, the first too: the engine is shared with the
        # tests before, whose streams may still carry their sound into the loop.
        fresh_loop(engine, relay)
        relay.set_delay(0)
        failure = None
        with SlipWatch(engine, relay) as watch:
            try:
                before = calibrate(engine)
                mix = silence_mix(41.0, 42.5, lead_in_s=1.0, tail_s=0.5,
                                  channels=engine.output_channels)
                for offset in offsets_s:
                    mix.samples[mix.line_start + int(offset * RATE)] = 0.8
                take = record_line(engine, mix, tmp_path / f"take{attempt}.wav",
                                   before.applied(), pre_roll_s=pre_roll_s,
                                   post_roll_s=post_roll_s)
                result = take.wait(timeout=30)
                after = calibrate(engine)  # the loop kept its alignment during the take?
            except CalibrationError as exc:
                failure = exc
        if slip := watch.slip():
            report_slip("a sound in time with the line", attempt, slip)
            slips.append(slip)
            continue
        if failure is not None:
            raise failure  # nothing spoiled the loop, yet the signal was not found
        assert result is not None and result.complete, result
        assert before.stable and after.stable, (before.warnings, after.warnings)
        assert after.latency_samples == pytest.approx(before.latency_samples, abs=0.5), \
            "the loop's round trip moved during the take with no glitch seen"
        recorded, _ = soundfile.read(result.path, dtype="float32")
        assert recorded.size == int(round((pre_roll_s + 1.5 + post_roll_s) * RATE))
        errors_ms = []
        for offset in offsets_s:
            expected = int(round((pre_roll_s + offset) * RATE))
            window = recorded[expected - RATE // 50:expected + RATE // 50]
            found = expected - RATE // 50 + int(np.argmax(np.abs(window)))
            heard = abs(recorded[found]) > 0.5  # else: not within 20 ms of where it belongs
            errors_ms.append((found - expected) / RATE * 1000 if heard else float("inf"))
        assert max(abs(e) for e in errors_ms) <= 1.0, errors_ms
        assert result.metadata["latency_source"] == "calibrated"
        assert result.metadata["window_start"] == pytest.approx(41.0 - pre_roll_s)
        return
    all_attempts_slipped("a sound in time with the line", slips)


@pytest.mark.timeout(300)
def test_calibration_measures_a_known_added_delay_within_2_ms(feed_loop_engine, relay):
    """The relay adds exactly N samples to the loop; the calibrated round trip must grow by N.
    (The loop's own latency is unknown, so it is measured first with nothing added.)"""
    engine = feed_loop_engine
    added_ms = (5.0, 20.0)
    slips = []
    for attempt in range(ATTEMPTS):
        fresh_loop(engine, relay)  # for the first attempt too (see the test above)
        failure = None
        with SlipWatch(engine, relay) as watch:
            try:
                relay.set_delay(0)
                baseline = calibrate(engine)
                measured = {}
                for ms in added_ms:
                    relay.set_delay(int(ms * RATE / 1000))
                    measured[ms] = calibrate(engine).latency_ms - baseline.latency_ms
                relay.set_delay(0)
                again = calibrate(engine)
            except CalibrationError as exc:
                failure = exc
        if slip := watch.slip():
            report_slip("calibration against a known delay", attempt, slip)
            slips.append(slip)
            continue
        if failure is not None:
            raise failure  # nothing spoiled the loop, yet the signal was not found
        assert again.latency_samples == pytest.approx(baseline.latency_samples, abs=0.5), \
            "the loop's round trip moved with no glitch seen"
        for ms, got in measured.items():
            assert got == pytest.approx(ms, abs=2.0), measured
        assert baseline.confidence > 0.9 and baseline.spread_ms < 2.0
        return
    all_attempts_slipped("calibration against a known delay", slips)


@pytest.mark.timeout(60)
def test_stopping_mid_take_keeps_it_and_the_engine_starts_again(virtual_audio, tmp_path):
    """Stop (the learner leaves the screen): the take ends as "stopped" with what was recorded;
    the meter and the live queue saw the played sound through a loopback; start works again."""
    from yousync_desktop.audio.capture_queue import CaptureQueue
    from yousync_desktop.audio.duplex_engine import DuplexEngine, EngineConfig
    from yousync_desktop.audio.errors import AudioDeviceError
    from yousync_desktop.audio.input_health import LevelMeter

    engine = DuplexEngine(EngineConfig(input_device="pulse:appout.monitor",
                                       output_device="pulse:appout", live_timeout_s=30))
    meter, live = LevelMeter(RATE), CaptureQueue()
    engine.add_listener(meter)
    engine.add_listener(live)
    engine.start()
    try:
        mix = silence_mix(5.0, 25.0, lead_in_s=0.2, tail_s=0.2, channels=engine.output_channels)
        t = np.arange(mix.samples.shape[0]) / RATE
        mix.samples[:] = (0.5 * np.sin(2 * np.pi * 1000 * t))[:, None]  # −6 dBFS peak
        take = record_line(engine, mix, tmp_path / "stopped.wav", AppliedLatency.none(),
                           pre_roll_s=0.0, post_roll_s=0.0)
        while take.progress * 20.0 < 1.0:
            assert take.result is None
            assert engine.wait_for_capture(engine.capture_end + RATE // 10, timeout=10)
        engine.stop()
        result = take.wait(timeout=10)
        assert result is not None and not result.complete and result.error is None
        assert result.metadata["status"] == "stopped"
        recorded, _ = soundfile.read(result.path, dtype="float32")
        assert recorded.size == result.metadata["frames"] and recorded.size >= RATE
        assert meter.reading.peak_dbfs == pytest.approx(-6.0, abs=0.5)
        blocks = live.drain()
        assert live.ended and live.ended_with is None
        indexes = [start for start, _ in blocks]
        assert indexes == sorted(indexes) and sum(b.size for _, b in blocks) >= RATE
        with pytest.raises(AudioDeviceError, match="not running"):
            engine.play(np.zeros(10, np.float32))

        engine.start()
        assert engine.epoch == 2 and engine.is_live
        scheduled = engine.play(np.zeros(RATE // 10, np.float32))
        assert scheduled.samples.shape == (RATE // 10, engine.output_channels)
    finally:
        engine.stop()


def _tone_engine(**config):
    """An engine recording its own output (appout's monitor) while it plays a −6 dBFS tone."""
    from yousync_desktop.audio.duplex_engine import DuplexEngine, EngineConfig

    return DuplexEngine(EngineConfig(input_device="pulse:appout.monitor",
                                     output_device="pulse:appout", live_timeout_s=30, **config))


def _tone_mix(engine, line_s: float):
    mix = silence_mix(5.0, 5.0 + line_s, lead_in_s=0.2, tail_s=0.2,
                      channels=engine.output_channels)
    t = np.arange(mix.samples.shape[0]) / RATE
    mix.samples[:] = (0.5 * np.sin(2 * np.pi * 1000 * t))[:, None]
    return mix


def _end_stream_underneath(engine) -> None:
    """The fault PortAudio's ALSA host produces by itself now and then: the stream ends (its
    callback thread exits) while the engine believes it is running."""
    stream = engine._host.stream
    if stream is not None:  # None only while the engine itself is reopening
        stream.abort()


@contextlib.contextmanager
def _recording_a_tone(tmp_path, line_s: float, **config):
    """A running tone engine (its reported errors collected) recording a take of `line_s`
    seconds, yielded once a second of the take is captured; stopped afterwards."""
    engine = _tone_engine(**config)
    errors = []
    engine.add_error_handler(errors.append)
    engine.start()
    try:
        take = record_line(engine, _tone_mix(engine, line_s), tmp_path / "take.wav",
                           AppliedLatency.none(), pre_roll_s=0.0, post_roll_s=0.0)
        assert engine.wait_for_capture(take.capture_start + RATE, timeout=20)
        yield engine, take, errors
    finally:
        engine.stop()


@pytest.mark.timeout(90)
def test_a_stream_portaudio_ends_by_itself_is_reopened_and_the_take_goes_on(virtual_audio,
                                                                             tmp_path):
    with _recording_a_tone(tmp_path, 3.0) as (engine, take, errors):
        _end_stream_underneath(engine)
        result = take.wait(timeout=30)
        assert result is not None and result.complete, result and result.metadata
        assert errors == [] and engine.state == "running" and engine.epoch == 1
        # At least ours: PortAudio may end the fresh stream by itself too (seen on a new server).
        assert engine.stats.reopens >= 1
        meta = result.metadata
        assert meta["stream_reopened"] >= 1 and meta["alignment_breaks"] >= 1
        assert meta["lost_samples"] > 0  # the gap while the stream was down, kept as silence
        recorded, _ = soundfile.read(result.path, dtype="float32")
        assert recorded.size == 3 * RATE
        after_gap = recorded[-RATE // 2:]
        assert 20 * np.log10(np.abs(after_gap).max()) == pytest.approx(-6.0, abs=0.5)


@pytest.mark.timeout(90)
def test_a_stream_that_keeps_ending_fails_the_engine_with_one_message(virtual_audio, tmp_path):
    with _recording_a_tone(tmp_path, 8.0, max_reopens=2) as (engine, take, errors):
        # End the stream until the engine gives up: after its two reopens a minute at the latest
        # (sooner if PortAudio also ends one by itself, which uses the same budget).
        for _ in range(3):
            if engine.state != "running":
                break
            captured = engine.capture_end
            _end_stream_underneath(engine)
            engine.wait_for_capture(captured + RATE // 2, timeout=20)  # reopened, or failed
        result = take.wait(timeout=30)
        assert engine.stats.reopens == 2
        assert result is not None and not result.complete
        assert result.metadata["status"] == "interrupted"
        assert len(errors) == 1 and "ended unexpectedly" in str(errors[0])
        assert engine.state == "failed"
