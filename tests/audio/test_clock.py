"""The engine's clock without PortAudio: the audio callback driven with numpy blocks and status
flags as PortAudio (or the engine's pump) would give them. Output is placed by output index,
blocks without real input keep the capture index where it was, and the counts of glitches that
can move the round trip start when the input goes live."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from yousync_desktop.audio.clock import DURATION_SLOTS, DuplexClock, as_output_frames
from yousync_desktop.audio.engine_stats import (INPUT_OVERFLOW, INPUT_UNDERFLOW, OUTPUT_UNDERFLOW,
                                                StatsCollector)

RATE = 48000


@dataclass
class Status:
    """PortAudio's CallbackFlags as the callback reads them: true when any flag is set."""

    input_underflow: bool = False
    input_overflow: bool = False
    output_underflow: bool = False
    output_overflow: bool = False

    def __bool__(self) -> bool:
        return any(vars(self).values())


def exchange(clock: DuplexClock, frames: int, mic: np.ndarray | None = None, *,
             channels: int = 1, out_channels: int = 2, status: Status | None = None) -> np.ndarray:
    """One callback of `frames`; returns what it played. `mic` (frames) goes to input channel
    `clock.input_channel`, the others carry -1 so a wrong channel shows."""
    indata = np.full((frames, channels), -1.0, dtype=np.float32)
    indata[:, clock.input_channel] = 0.0 if mic is None else mic
    outdata = np.full((frames, out_channels), 7.0, dtype=np.float32)  # stale data must go
    clock.callback(indata, outdata, frames, None, status or Status())
    return outdata


def test_a_scheduled_buffer_is_played_from_its_output_index_across_uneven_blocks():
    clock = DuplexClock(RATE, capture_seconds=1.0)
    ramp = np.arange(1, 1001, dtype=np.float32)
    scheduled = clock.schedule(as_output_frames(ramp, 2), start_index=700)
    played = np.concatenate([exchange(clock, n) for n in (256, 512, 100, 900, 333)])
    assert clock.output_index == played.shape[0] == 2101
    assert scheduled.end == 1700 and scheduled.buffer_index(700) == 0
    assert np.all(played[:700] == 0) and np.all(played[1700:] == 0)
    np.testing.assert_array_equal(played[700:1700, 0], ramp)
    np.testing.assert_array_equal(played[700:1700, 1], ramp)

    clock.stop_playback()
    assert np.all(exchange(clock, 64) == 0)


def test_a_buffer_scheduled_for_the_past_plays_only_its_remaining_part():
    clock = DuplexClock(RATE, capture_seconds=1.0)
    exchange(clock, 500)
    clock.schedule(as_output_frames(np.arange(100, dtype=np.float32), 1), start_index=450)
    played = exchange(clock, 100, out_channels=1)[:, 0]
    np.testing.assert_array_equal(played[:50], np.arange(50, 100, dtype=np.float32))
    assert np.all(played[50:] == 0)


def test_as_soon_as_possible_is_beyond_the_largest_block_and_50_ms():
    clock = DuplexClock(RATE, capture_seconds=1.0)
    exchange(clock, 4096)
    scheduled = clock.schedule(as_output_frames(np.zeros(10), 2))
    assert scheduled.start == 4096 + 4096 + RATE // 20
    small = DuplexClock(RATE, capture_seconds=1.0)
    exchange(small, 128)
    assert small.schedule(as_output_frames(np.zeros(10), 2)).start == 128 + 1024 + RATE // 20


def test_output_frames_are_folded_through_mono_to_the_stream_channels():
    stereo = np.stack([np.full(4, 0.2), np.full(4, 0.6)], axis=1)
    mono = as_output_frames(stereo, 1)
    assert mono.shape == (4, 1) and mono.dtype == np.float32
    np.testing.assert_allclose(mono[:, 0], 0.4)
    assert as_output_frames(np.ones(3), 2).shape == (3, 2)


def test_input_underflow_blocks_are_not_recorded_and_the_capture_starts_at_the_live_block():
    clock = DuplexClock(RATE, capture_seconds=1.0)
    for _ in range(3):  # the first blocks of a PulseAudio stream: zeros flagged as no input
        exchange(clock, 480, status=Status(input_underflow=True))
    assert not clock.capture_live and clock.capture.end == 0
    voice = np.linspace(-0.5, 0.5, 480, dtype=np.float32)
    exchange(clock, 480, voice)
    assert clock.capture_live
    assert (clock.capture.start_index, clock.capture.end) == (1440, 1920)
    first, samples = clock.capture.read(1440, 1920)
    assert first == 1440
    np.testing.assert_array_equal(samples[:, 0], voice)

    # Late input under load: the block of zeros does not move the samples that follow.
    exchange(clock, 480, status=Status(input_underflow=True))
    exchange(clock, 480, voice)
    assert clock.output_index == 2880 and clock.capture.end == 2400
    assert clock.input_blocks == 2 and clock.input_frames == 960


def test_a_loop_of_exact_delay_comes_back_at_output_index_plus_that_delay():
    """What calibration and take cutting rely on: with the input live from the first block, a
    sound played at output index p is captured at index p + L for a loop of L samples."""
    clock = DuplexClock(RATE, capture_seconds=1.0)
    delay, click_at = 1500, 3000
    buffer = np.zeros(2000, dtype=np.float32)
    buffer[click_at - 2500] = 0.9
    clock.schedule(as_output_frames(buffer, 1), start_index=2500)
    history = np.zeros(RATE, dtype=np.float32)
    position = 0
    for frames in [300, 512, 480, 77, 1024] * 4:
        mic = np.zeros(frames, dtype=np.float32)
        source = np.arange(position, position + frames) - delay
        known = source >= 0
        # A loop of L ≥ one block: what comes back was played in earlier blocks.
        assert np.all(source[known] < position)
        mic[known] = history[source[known]]
        played = exchange(clock, frames, mic, out_channels=1)
        history[position:position + frames] = played[:, 0]
        position += frames
    captured = clock.capture.read(0, clock.capture.end)[1][:, 0]
    assert int(np.flatnonzero(captured)[0]) == click_at + delay


def test_the_microphone_channel_is_the_configured_one():
    clock = DuplexClock(RATE, capture_seconds=1.0, input_channel=1)
    exchange(clock, 100, np.full(100, 0.25, np.float32), channels=2)
    assert np.all(clock.capture.read(0, 100)[1] == 0.25)


def test_glitches_count_as_alignment_breaks_only_once_the_input_is_live():
    clock, stats = DuplexClock(RATE, capture_seconds=1.0), StatsCollector()
    exchange(clock, 480, status=Status(input_underflow=True, output_underflow=True))
    exchange(clock, 480)
    exchange(clock, 480, status=Status(output_underflow=True))
    exchange(clock, 480, status=Status(input_overflow=True))
    exchange(clock, 480, status=Status(output_overflow=True))
    counted = stats.snapshot(clock)
    assert counted.callbacks == 5
    assert (counted.input_underflows, counted.output_underflows, counted.input_overflows,
            counted.output_overflows) == (1, 2, 1, 1)
    assert counted.alignment_breaks == 2  # the underflow before the input went live moved nothing
    assert counted.xruns == 4
    assert counted.events[0] == (INPUT_UNDERFLOW | OUTPUT_UNDERFLOW, 0, 0)
    assert counted.events[1:3] == [(OUTPUT_UNDERFLOW, 960, 960), (INPUT_OVERFLOW, 1440, 1440)]
    assert stats.snapshot(clock) == counted  # each logged event is counted once

    stats.add_reopen(clock.output_index, clock.capture.end)
    stats.add_lost_capture(12)
    again = stats.snapshot(clock)
    assert (again.reopens, again.alignment_breaks, again.lost_capture_samples) == (1, 3, 12)


def test_a_reopened_stream_keeps_the_output_index_and_restarts_the_capture_index():
    clock = DuplexClock(RATE, capture_seconds=1.0)
    exchange(clock, 1000, np.ones(1000, np.float32))
    clock.restart_capture()  # the engine reopened the stream; 600 samples of input were lost
    exchange(clock, 600, status=Status(input_underflow=True))
    exchange(clock, 400, np.full(400, 0.5, np.float32))
    assert clock.output_index == 2000
    assert (clock.capture.start_index, clock.capture.end) == (1600, 2000)


def test_reset_starts_a_new_clock():
    clock = DuplexClock(RATE, capture_seconds=1.0)
    exchange(clock, 1000, status=Status(output_underflow=True))
    clock.schedule(as_output_frames(np.ones(10), 2), start_index=0)
    clock.reset(44100, capture_seconds=0.5, input_channel=1)
    assert (clock.output_index, clock.callbacks, clock.event_count) == (0, 0, 0)
    assert clock.scheduled is None and not clock.capture_live
    assert clock.capture.capacity == 22050 and clock.sample_rate == 44100


def test_callback_durations_are_kept_for_the_last_slots_oldest_first():
    clock = DuplexClock(RATE, capture_seconds=0.1)
    for _ in range(3):
        exchange(clock, 16)
    assert clock.callback_durations_ns().shape == (3,)
    clock.durations[:] = np.arange(DURATION_SLOTS)
    clock.callbacks = DURATION_SLOTS + 5  # the ring has wrapped: slot 5 is the oldest
    durations = clock.callback_durations_ns()
    assert durations.shape == (DURATION_SLOTS,)
    assert durations[0] == 5 and durations[-1] == 4


@pytest.mark.parametrize("frames", [0, 1])
def test_an_exchange_without_input_frames_counts_no_input_block(frames):
    clock = DuplexClock(RATE, capture_seconds=0.1)
    indata = np.zeros((0, 1), np.float32)
    clock.callback(indata, np.zeros((frames, 2), np.float32), frames, None, Status())
    assert clock.input_blocks == 0 and clock.output_index == frames
