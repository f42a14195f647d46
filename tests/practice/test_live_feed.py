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
