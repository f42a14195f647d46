"""The fake audio engine: the practice layer's interface of the real one, deterministic, no
PortAudio. Time moves when the test says so; the microphone hears what the test puts there."""

from __future__ import annotations

import inspect
import threading

import numpy as np
import pytest
import soundfile

from yousync_desktop.audio.calibration import LatencyCalibrator
from yousync_desktop.audio.capture_queue import CaptureQueue
from yousync_desktop.audio.duplex_engine import DuplexEngine, EngineConfig
from yousync_desktop.audio.engine_interface import AudioEngine
from yousync_desktop.audio.errors import AudioDeviceError, DeviceLoss
from yousync_desktop.audio.fake_engine import FakeEngine
from yousync_desktop.audio.input_health import LevelMeter, measure_noise_floor
from yousync_desktop.audio.playback_mix import silence_mix
from yousync_desktop.audio.take_recorder import AppliedLatency, record_line
from yousync_desktop.audio.take_writer import read_take_metadata

RATE = 48000
BLOCK = 480


def fake(**options) -> FakeEngine:
    engine = FakeEngine(EngineConfig(input_device="pulse:feedmic", output_device="pulse:appout",
                                     capture_seconds=20.0), block_frames=BLOCK, **options)
    engine.start()
    return engine


def voice(seconds: float, hz: float = 180.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (0.3 * np.sin(2 * np.pi * hz * t) * np.hanning(t.size)).astype(np.float32)


def record(engine, seconds: float = 1.0, latency: AppliedLatency = AppliedLatency.none(),
           path=None, **options):
    mix = silence_mix(30.0, 30.0 + seconds, lead_in_s=0.5, tail_s=0.3,
                      channels=engine.output_channels)
    return record_line(engine, mix, path, latency, pre_roll_s=0.25, post_roll_s=0.25, **options)


class Listener:
    def __init__(self):
        self.blocks: list[tuple[int, np.ndarray]] = []
        self.ended: list[AudioDeviceError | None] = []
        self.threads: set[str] = set()

    def on_capture(self, start_index, samples):
        self.blocks.append((start_index, samples))
        self.threads.add(threading.current_thread().name)

    def on_stream_end(self, error):
        self.ended.append(error)


@pytest.mark.parametrize("engine_class", [DuplexEngine, FakeEngine])
def test_both_engines_offer_everything_the_practice_layer_uses(engine_class):
    for name, member in inspect.getmembers(AudioEngine):
        if name.startswith("_"):
            continue
        assert hasattr(engine_class, name), f"{engine_class.__name__} lacks {name}"
        if inspect.isfunction(member):
            wanted = list(inspect.signature(member).parameters)
            assert list(inspect.signature(getattr(engine_class, name)).parameters) == wanted, name
        elif isinstance(member, property):
            assert isinstance(getattr(engine_class, name), property), name
    for attribute in AudioEngine.__annotations__:
        assert attribute in vars(engine_class(EngineConfig(capture_seconds=0.1))), attribute


def test_time_moves_only_when_the_test_says_so_and_capture_comes_in_order():
    engine, listener = fake(), Listener()
    engine.add_listener(listener)
    assert engine.state == "running" and engine.is_live and engine.epoch == 1
    at = engine.position_samples
    assert engine.capture_end == at == BLOCK  # one block to go live; the capture starts there
    assert engine.position_samples == at  # nothing moved by itself
    assert engine.advance(0.1001) == 11 * BLOCK  # whole blocks
    starts = [start for start, _ in listener.blocks]
    assert starts == list(range(at, at + 11 * BLOCK, BLOCK))
    assert listener.threads == {threading.current_thread().name}
    assert engine.stats.callbacks == 12 and engine.stats.xruns == 0


def test_a_take_holds_the_learners_voice_where_the_line_starts(tmp_path):
    """The learner answers the line's start: their voice reaches the microphone `latency` after
    the line is played (the round trip), which the take recorder subtracts."""
    engine = fake()
    latency = AppliedLatency(2345, 2345 / RATE * 1000, "calibrated")
    take = record(engine, 1.0, latency, tmp_path / "take.wav")
    line_capture = take.capture_start + int(0.25 * RATE)
    assert line_capture == take.metadata["line_start_output_index"] + 2345
    spoken = voice(0.6)
    engine.microphone.say(spoken, at=line_capture)
    assert engine.advance_until(lambda: take.result is not None, timeout_s=5.0)
    result = take.result
    assert result.complete and result.metadata["status"] == "complete"
    recorded, rate = soundfile.read(result.path, dtype="float32")
    assert rate == RATE and recorded.size == int(1.5 * RATE)
    start = int(0.25 * RATE)
    np.testing.assert_allclose(recorded[start:start + spoken.size], spoken, atol=1e-6)
    assert not recorded[:start].any() and not recorded[start + spoken.size:].any()
    metadata = read_take_metadata(result.path)
    assert metadata["input_device_key"] == "pulse:feedmic" and metadata["latency_samples"] == 2345


@pytest.mark.parametrize("latency, live_after_s", [(7331, 0.0), (24000, 0.7)])
def test_calibration_on_the_loopback_finds_the_configured_round_trip(latency, live_after_s):
    engine = fake(live_after_s=live_after_s)
    engine.microphone.loop_back(latency)
    engine.microphone.noise(0.001, seed=3)
    result = LatencyCalibrator(engine, repeats=4).measure(timeout_s=10)
    assert result.latency_samples == pytest.approx(latency, abs=0.05)
    assert result.stable and result.confidence == 1.0
    assert engine.stats.input_underflows == int(np.ceil(live_after_s * RATE / BLOCK))


def test_what_the_speakers_got_is_the_mix_at_its_output_index():
    engine = fake()
    tone = voice(0.2)
    scheduled = engine.play(tone, start_index=engine.position_samples + 1000)
    engine.advance(0.5)
    played = engine.played(scheduled.start - 10, scheduled.end + 10)
    np.testing.assert_array_equal(played[10:-10, 0], tone)
    np.testing.assert_array_equal(played[10:-10, 1], tone)
    assert not played[:10].any() and not played[-10:].any()
    engine.stop_playback()
    engine.play(tone, start_index=engine.position_samples + 10)
    engine.stop_playback()
    engine.advance(0.1)
    assert not engine.played(engine.position_samples - 4800, engine.position_samples).any()


def test_a_lost_device_ends_the_take_reports_once_and_the_engine_restarts(tmp_path):
    engine, listener, errors = fake(), Listener(), []
    engine.add_error_handler(errors.append)
    engine.add_listener(listener)
    take = record(engine, 2.0, path=tmp_path / "take.wav")
    engine.advance_until(lambda: take.progress > 0.5, timeout_s=5.0)
    good_until = take.capture_start + RATE // 2
    error = engine.fail(DeviceLoss("audio.lost.microphone_unplugged", "feedmic"),
                        good_until=good_until)
    assert errors == [error] and engine.state == "failed" and engine.error is error
    assert str(error).startswith("The microphone “feedmic” was disconnected.")
    assert listener.ended == [error]
    result = take.result
    assert result is not None and not result.complete and result.error == str(error)
    assert result.metadata["status"] == "interrupted"
    assert soundfile.info(str(result.path)).frames == RATE // 2  # stale input dropped
    with pytest.raises(AudioDeviceError) as raised:
        engine.play(np.zeros(10))
    assert raised.value is error
    assert engine.advance(1.0) == 0 and engine.fail() is error  # once only

    engine.restart()
    assert engine.state == "running" and engine.epoch == 2 and engine.error is None
    engine.advance(0.05)
    assert listener.blocks[-1][0] >= BLOCK  # a listener kept across the restart hears the new clock


def test_stopping_ends_listeners_without_error_and_a_glitch_is_reported_with_the_take(tmp_path):
    engine, queue = fake(), CaptureQueue()
    engine.add_listener(queue)
    take = record(engine, 1.0, path=tmp_path / "take.wav")
    engine.advance_until(lambda: take.progress > 0.2, timeout_s=5.0)
    engine.glitch(output_underflow=True)
    engine.advance(0.3)
    assert engine.stats.alignment_breaks == 1
    engine.stop()
    assert queue.ended and queue.ended_with is None and engine.state == "stopped"
    result = take.result
    assert result.metadata["status"] == "stopped" and result.metadata["alignment_breaks"] == 1
    with pytest.raises(AudioDeviceError, match="not running"):
        engine.play(np.zeros(10))


def test_starting_can_fail_like_the_real_engine():
    engine = FakeEngine(EngineConfig(capture_seconds=1.0, live_timeout_s=0.5), live_after_s=2.0)
    with pytest.raises(AudioDeviceError) as raised:
        engine.start()
    assert raised.value.code == "audio.no_input" and engine.state == "stopped"
    engine.live_after_s = 0.0
    engine.start_error = AudioDeviceError("audio.no_microphone")
    with pytest.raises(AudioDeviceError, match="No microphone found"):
        engine.start()
    engine.start_error = None
    engine.start()
    assert engine.state == "running"


def test_the_level_meter_and_the_noise_check_read_the_fake_microphone():
    engine, meter = fake(), LevelMeter(RATE)
    engine.add_listener(meter)
    engine.microphone.noise(10 ** (-40 / 20), seed=1)  # −40 dBFS RMS: a noisy room
    check = measure_noise_floor(engine, seconds=1.0)
    assert not check.ok and check.level_dbfs == pytest.approx(-40.0, abs=1.0)
    assert meter.reading.rms_dbfs == pytest.approx(-40.0, abs=1.0)


@pytest.mark.timeout(30)
def test_realtime_mode_moves_by_itself_and_delivers_on_its_own_thread():
    engine, listener = fake(), Listener()
    engine.add_listener(listener)
    engine.run_realtime()
    try:
        assert engine.wait_for_capture(engine.capture_end + RATE // 10, timeout=20)
        with pytest.raises(RuntimeError):
            engine.advance(0.1)
        engine.restart()  # keeps moving after a restart
        assert engine.wait_for_capture(engine.capture_end + RATE // 10, timeout=20)
    finally:
        engine.stop()
    assert listener.threads == {"fake-audio"} and listener.ended == [None, None]
    position = engine.position_samples
    assert engine.wait_for_capture(position + BLOCK, timeout=0.05) is False  # stopped: stays put
