"""The capture ring: samples are found by absolute index, wrap around, and a reader that fell
behind learns which samples are gone instead of getting shifted ones."""

import numpy as np

from yousync_desktop.audio.ring_buffer import SampleRing


def test_samples_come_back_by_absolute_index_across_the_wrap():
    ring = SampleRing(capacity=100, guard=10)
    ring.reset(start_index=1000)
    ramp = np.arange(250, dtype=np.float32)
    for block in np.split(ramp, [30, 90, 170, 200]):
        ring.write(block)
    assert ring.end == 1250
    assert ring.oldest == 1250 - 100 + 10
    first, samples = ring.read(1200, 1250)
    assert first == 1200
    np.testing.assert_array_equal(samples[:, 0], ramp[200:250])


def test_a_reader_that_fell_behind_gets_only_what_is_still_there():
    ring = SampleRing(capacity=64, guard=8)
    ring.write(np.arange(200, dtype=np.float32))
    first, samples = ring.read(0, 200)
    assert first == 200 - 64 + 8
    np.testing.assert_array_equal(samples[:, 0], np.arange(first, 200, dtype=np.float32))


def test_reading_ahead_of_the_writer_returns_nothing():
    ring = SampleRing(capacity=64)
    ring.write(np.ones(10, dtype=np.float32))
    first, samples = ring.read(10, 20)
    assert samples.shape == (0, 1)
    assert first == 10


def test_multichannel_blocks_and_oversized_writes_keep_the_index():
    ring = SampleRing(capacity=50, channels=2, guard=0)
    block = np.stack([np.arange(120), -np.arange(120)], axis=1).astype(np.float32)
    ring.write(block)
    assert ring.end == 120
    first, samples = ring.read(0, 120)
    assert first == 70
    np.testing.assert_array_equal(samples, block[70:])
