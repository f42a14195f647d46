"""Choosing devices by saved key, without PortAudio: exact keys, ALSA card renumbering, and the
fall-back to the system default with a message."""

import pytest

from yousync_desktop.audio.devices import AudioDevice, find_device, pair_key, resolve_devices
from yousync_desktop.audio.errors import AudioDeviceError


def device(key, inputs=0, outputs=0, label=None):
    return AudioDevice(key=key, label=label or key or "System default", portaudio_index=0,
                       hostapi="ALSA", max_input_channels=inputs, max_output_channels=outputs,
                       default_samplerate=48000.0, is_default=key == "")


DEVICES = [device("", inputs=2), device("", outputs=2),
           device("ALSA:USB Mic: Audio (hw:1,0)", inputs=1, label="USB Mic"),
           device("ALSA:HDA Intel: ALC892 (hw:0,0)", inputs=2, outputs=2)]


def test_a_usb_mic_renumbered_by_alsa_is_still_found():
    found = find_device(DEVICES, "ALSA:USB Mic: Audio (hw:2,0)", for_input=True)
    assert found is not None and found.label == "USB Mic"
    assert find_device(DEVICES, "ALSA:USB Mic: Audio (hw:1,0)", for_input=False) is None


def test_a_missing_device_falls_back_to_the_default_with_a_message():
    choice = resolve_devices("pulse:gone-mic", "ALSA:HDA Intel: ALC892 (hw:0,0)", DEVICES)
    assert choice.input.key == "" and choice.output.key.startswith("ALSA:HDA")
    assert choice.messages == (
        "The saved microphone “gone-mic” is not available; using “System default” instead.",)
    assert choice.pair_key == pair_key("", "ALSA:HDA Intel: ALC892 (hw:0,0)")


def test_nothing_to_fall_back_to_is_a_clear_error():
    with pytest.raises(AudioDeviceError, match="No speakers found"):
        resolve_devices("", "", [device("", inputs=2)])
