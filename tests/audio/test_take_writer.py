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


# --- a disk that refuses the take ----------------------------------------------------------------

def _ramp(start: int, frames: int) -> np.ndarray:
    return (((np.arange(frames) + start) % 1000) / 1000.0 - 0.5).astype(np.float32)


def test_a_full_disk_ends_the_writer_and_keeps_every_sample_that_fit(tmp_path):
    from tests.small_disk import leave_free, small_disk
    from yousync_desktop.audio.take_writer import TakeWriteError

    with small_disk(tmp_path / "disk", size=1 << 20) as disk:
        writer = TakeWriter(disk / "take.wav", RATE, {"script_id": 7})
        leave_free(disk, 64 * 1024)  # about 0.45 s of 24-bit mono at 48 kHz
        written = 0
        with pytest.raises(TakeWriteError) as refused:
            while written < 10 * RATE:
                writer.write(_ramp(written, 4800))
                written += 4800
                writer.flush()
        error = refused.value
        assert error.code == "take.disk_full" and error.disk_full
        assert writer.closed and writer.error is error
        # What reached the disk is a valid WAV, sample for sample, still describing itself.
        samples, rate = soundfile.read(disk / "take.wav", dtype="float32")
        assert rate == RATE and 0 < samples.size <= written
        assert writer.frames == samples.size
        assert error.params["seconds"] == pytest.approx(samples.size / RATE)
        np.testing.assert_allclose(samples, _ramp(0, samples.size), atol=1e-6)
        assert read_take_metadata(disk / "take.wav") == {"script_id": 7}
        assert str(error) == (f"The disk is full: the take was stopped at "
                              f"{samples.size / RATE:.1f} s and what was recorded is kept.")
        with pytest.raises(TakeWriteError):  # nothing more is taken
            writer.write(_ramp(0, 10))
        writer.close()  # closing again is a no-op


def test_no_room_for_a_take_at_all_is_said_and_leaves_no_file(tmp_path):
    from tests.small_disk import leave_free, small_disk
    from yousync_desktop.audio.take_writer import TakeWriteError

    with small_disk(tmp_path / "disk", size=1 << 20) as disk:
        leave_free(disk, 1)
        with pytest.raises(TakeWriteError) as refused:
            TakeWriter(disk / "incoming" / "take.wav", RATE, {"script_id": 7})
        assert refused.value.code == "take.no_room"
        assert not (disk / "incoming" / "take.wav").exists()
