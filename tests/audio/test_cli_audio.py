"""`yousync devices` and `yousync calibrate` on the virtual devices, as a learner would run them."""

import json
import subprocess
import sys

import pytest

from tests.audio.slips import SlipWatch, all_attempts_slipped, report_slip
from yousync_desktop.settings import Settings

pytestmark = pytest.mark.audio_stack


def yousync(*args):
    return subprocess.run([sys.executable, "-m", "yousync_desktop", *args], capture_output=True,
                          text=True, timeout=60)


@pytest.mark.timeout(60)
def test_devices_lists_and_remembers_the_choice(virtual_audio, app_paths):
    listing = yousync("devices")
    assert listing.returncode == 0, listing.stderr
    assert "Microphones (inputs):" in listing.stdout and "key pulse:feedmic" in listing.stdout
    chosen = yousync("devices", "--set-input", "pulse:feedmic", "--set-output", "pulse:appout",
                     "--json")
    assert chosen.returncode == 0, chosen.stderr
    data = json.loads(chosen.stdout)
    assert data["input"] == "pulse:feedmic"
    assert any(d["key"] == "pulse:feedmic" and d["chosen"] and 48000 in d["rates"]
               for d in data["devices"] if d["direction"] == "input")
    settings = Settings.load(app_paths)
    assert (settings.audio_input_device, settings.audio_output_device) == \
        ("pulse:feedmic", "pulse:appout")
    wrong = yousync("devices", "--set-input", "pulse:nothing-here")
    assert wrong.returncode == 1
    assert wrong.stderr.strip() == \
        "yousync: error: no input device with key “pulse:nothing-here” (see `yousync devices`)"


@pytest.mark.timeout(200)
def test_calibrate_measures_a_loopback_and_saves_it_for_the_pair(virtual_audio, app_paths):
    slips = []
    for attempt in range(3):
        with SlipWatch() as watch:
            done = yousync("calibrate", "--input", "pulse:appout.monitor", "--output",
                           "pulse:appout", "--repeats", "3", "--json")
        # Exit 3 is "measured, but unstable": repeated only when a dropout (the engine's count,
        # in the warnings) or a starved machine explains it.
        warnings = json.loads(done.stdout)["warnings"] if done.returncode == 3 else []
        slip = "; ".join([w for w in warnings if "dropout" in w]
                         + ([watch.slip()] if watch.slip() else []))
        if done.returncode != 3 or not slip:
            break
        report_slip("yousync calibrate", attempt, slip)
        slips.append(slip)
    else:
        all_attempts_slipped("yousync calibrate", slips)
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout)
    assert result["saved"] and result["spread_ms"] < 2.0 and result["confidence"] > 0.9
    assert 0 < result["latency_ms"] < 1000
    stored = Settings.load(app_paths).audio_latency_calibrations
    assert stored["pulse:appout.monitor -> pulse:appout"]["latency_ms"] == \
        pytest.approx(result["latency_ms"])


@pytest.mark.timeout(60)
def test_calibrate_says_so_when_the_input_does_not_hear_the_output(virtual_audio, app_paths):
    # `feed.monitor` hears only what is played into `feed`, and nothing is.
    done = yousync("calibrate", "--input", "pulse:feed.monitor", "--output", "pulse:appout",
                   "--repeats", "3")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith(
        "yousync: error: Calibration failed: the test signal was not heard in the input.")
    assert Settings.load(app_paths).audio_latency_calibrations == {}
