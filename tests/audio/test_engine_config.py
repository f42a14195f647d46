"""The engine's configuration comes from the learner's Settings by typed access: what the settings
say is what the engine opens, and something that is not a Settings fails loudly instead of
quietly opening the defaults."""

import pytest

from yousync_desktop.audio.duplex_engine import EngineConfig
from yousync_desktop.settings import Settings


def test_the_chosen_devices_rate_and_stream_latency_are_used():
    settings = Settings(audio_input_device="pulse:feedmic", audio_output_device="pulse:appout",
                        audio_sample_rate=44100, audio_stream_latency_ms=120)
    config = EngineConfig.from_settings(settings)
    assert (config.input_device, config.output_device, config.sample_rate) == \
        ("pulse:feedmic", "pulse:appout", 44100)
    assert config.stream_latency_s == pytest.approx(0.12)


def test_defaults_mean_the_system_devices_and_an_automatic_latency():
    config = EngineConfig.from_settings(Settings())
    assert (config.input_device, config.output_device, config.sample_rate) == ("", "", 48000)
    assert config.stream_latency_s is None


def test_an_object_without_the_audio_settings_is_refused():
    with pytest.raises(AttributeError):
        EngineConfig.from_settings(object())
