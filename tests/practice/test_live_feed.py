"""The live trace's data path without the audio stack: blocks in, points out."""

from __future__ import annotations

import numpy as np

from yousync_desktop.practice.live_feed import LivePitchFeed


def test_every_frame_is_published_first_once_then_decided_once():
    rate = 48000
    t = np.arange(rate) / rate
    audio = (0.3 * np.sin(2 * np.pi * 200 * t)).astype(np.float32)
    feed = LivePitchFeed(rate, capture_start=1000, window_start=12.5)
    notified = []
    feed.on_points = lambda: notified.append(True)
    block = 2400  # 50 ms, like PortAudio's blocks through PulseAudio
    for start in range(0, rate, block):
        feed.on_capture(1000 + start, audio[start:start + block])
    feed.finish()
    points, peaks = feed.drain()
    assert len(notified) == rate // block
    firsts = [round(p.time, 3) for p in points if p.first]
    decided = [round(p.time, 3) for p in points if p.final]
    assert len(firsts) == len(set(firsts)) and sorted(firsts) == firsts
    assert decided == sorted(decided) and len(decided) == len(set(decided))
    assert set(firsts) == set(decided)  # every decided frame was shown first, exactly once
    assert firsts[0] == 12.5 and len(decided) == 100
    tentative_first = [p for p in points if p.first and not p.final]
    assert len(tentative_first) == 2 * (rate // block)  # each block: its two undecided frames
    assert all(p.captured_at <= p.available_at <= p.emitted_at for p in points)
    voiced = [p.hz for p in points if p.final and p.hz is not None and 13.0 < p.time < 13.4]
    assert voiced and np.allclose(voiced, 200.0, rtol=0.03)
    assert peaks and peaks[0].time == 12.5


def test_short_blocks_wait_for_a_whole_frame_and_ask_to_be_woken_when_it_is_in():
    """Capture in 5 ms pieces (PulseAudio with 20 ms of input latency): the tracker is pushed
    once per 10 ms frame, exactly when the block holding the frame's last sample arrives, and
    the engine is asked to wake its consumer at that sample; the points are the same as with
    large blocks."""
    rate = 48000
    t = np.arange(rate) / rate
    audio = (0.3 * np.sin(2 * np.pi * (180 + 40 * t) * t)).astype(np.float32)

    def run(block: int):
        wakes: list[int] = []
        feed = LivePitchFeed(rate, capture_start=0, window_start=0.0, wake_at=wakes.append)
        notified_at: list[int] = []
        for start in range(0, rate, block):
            end = min(start + block, rate)
            feed.on_points = lambda end=end: notified_at.append(end)
            before = len(wakes)
            feed.on_capture(start, audio[start:end])
            assert len(wakes) == before + 1  # every block leaves a wake-up request
        feed.finish()
        return feed.drain()[0], wakes, notified_at

    points, wakes, notified_at = run(255)
    frames = len({p.time for p in points})
    assert 95 <= len(notified_at) <= frames  # once per frame, not per block
    # Each notification came with the first block that reached the index asked for before it.
    for end in notified_at:
        asked = max(w for w in wakes if w <= end)
        assert end - asked < 255
    big_points, _, _ = run(4800)
    decided = [p for p in points if p.final]
    big_decided = [p for p in big_points if p.final]
    assert [round(p.time, 3) for p in decided] == [round(p.time, 3) for p in big_decided]
    for small, big in zip(decided, big_decided):  # the same up to float rounding
        assert (small.hz is None) == (big.hz is None)
        assert small.hz is None or abs(small.hz - big.hz) < 1e-3
