"""A take on disk survives the app being killed mid-take: the WAV is valid up to the last flush
and still describes itself."""

import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import soundfile

from tests.audio.conftest import LineReader
from yousync_desktop.audio.take_writer import TakeWriter, read_take_metadata

RATE = 48000

CHILD = textwrap.dedent("""
    import sys, time
    import numpy as np
    from yousync_desktop.audio.take_writer import TakeWriter
    writer = TakeWriter(sys.argv[1], 48000, {"input_device": "test mic", "latency_ms": 12.5})
    block = 0
    while True:
        ramp = (np.arange(4800) + block * 4800) % 1000 / 1000.0 - 0.5
        writer.write(ramp.astype(np.float32))
        block += 1
        time.sleep(0.3)  # longer than the flush interval: every block reaches the disk
        print("wrote", writer.frames, flush=True)
""")


@pytest.mark.timeout(60)
def test_take_file_is_valid_after_the_process_is_killed(tmp_path):
    path = tmp_path / "take.wav"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE,
                             text=True)
    try:
        lines = LineReader(child.stdout)
        frames = 0
        while frames < 3 * 4800:
            frames = int(lines.next(timeout=30).split()[1])
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)
    samples, rate = soundfile.read(path, dtype="float32")
    assert rate == RATE
    assert samples.size >= frames
    expected = ((np.arange(samples.size) % 1000) / 1000.0 - 0.5).astype(np.float32)
    np.testing.assert_allclose(samples, expected, atol=1e-6)  # 24-bit PCM
    assert read_take_metadata(path) == {"input_device": "test mic", "latency_ms": 12.5}


def test_closed_take_holds_everything_and_clips_overs(tmp_path):
    writer = TakeWriter(tmp_path / "t.wav", RATE)
    writer.write(np.full(100, 0.5, np.float32))
    writer.write(np.full(100, 1.7, np.float32))
    writer.close()
    samples, _ = soundfile.read(tmp_path / "t.wav", dtype="float32")
    assert samples.size == 200 and writer.duration == pytest.approx(200 / RATE)
    assert samples.max() <= 1.0 and samples[150] > 0.99
    assert read_take_metadata(tmp_path / "t.wav") == {}
