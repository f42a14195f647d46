"""Errors the audio engine raises: a code ("audio.*") and its parameters (errors.py says why).

Each class lists the English sentence of every code it raises; the UI words the same code in the
learner's language. The sentences say what happened and what to do, in one or two lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from yousync_desktop.errors import QT_TRANSLATE_NOOP, CodedError


class AudioError(CodedError):
    """Base of every audio-engine error."""


class AudioDeviceError(AudioError):
    """A device cannot be opened, is missing, or vanished while in use."""

    messages = {
        "audio.portaudio_missing": QT_TRANSLATE_NOOP(
            "errors", "The PortAudio library is missing (install libportaudio2): {reason}"),
        "audio.no_microphone": QT_TRANSLATE_NOOP(
            "errors", "No microphone found. Connect one and check that the sound system is "
                      "running."),
        "audio.no_speakers": QT_TRANSLATE_NOOP(
            "errors", "No speakers found. Connect one and check that the sound system is "
                      "running."),
        "audio.cannot_open": QT_TRANSLATE_NOOP(
            "errors", "Cannot open the microphone “{microphone}” with the speakers “{speakers}” "
                      "at {sample_rate} Hz: {reason}"),
        "audio.no_input": QT_TRANSLATE_NOOP(
            "errors", "No sound is arriving from the microphone “{microphone}”. Check that it is "
                      "connected and not in use by another program."),
        "audio.not_running": QT_TRANSLATE_NOOP("errors", "The audio engine is not running."),
        "audio.input_stopped": QT_TRANSLATE_NOOP(
            "errors", "The microphone stopped delivering sound."),
        # The devices were lost while the engine ran (`DeviceLoss`); each says why, then what
        # became of the recording.
        "audio.lost.stream_ended": QT_TRANSLATE_NOOP(
            "errors", "The audio stream ended unexpectedly: a device was disconnected. Recording "
                      "stopped (microphone “{microphone}”, speakers “{speakers}”); everything "
                      "recorded until then was kept. Check the devices and start again."),
        "audio.lost.not_responding": QT_TRANSLATE_NOOP(
            "errors", "The audio devices stopped responding: a device was disconnected. Recording "
                      "stopped (microphone “{microphone}”, speakers “{speakers}”); everything "
                      "recorded until then was kept. Check the devices and start again."),
        "audio.lost.microphone_silent": QT_TRANSLATE_NOOP(
            "errors", "The microphone stopped delivering sound: it was disconnected. Recording "
                      "stopped (microphone “{microphone}”, speakers “{speakers}”); everything "
                      "recorded until then was kept. Check the devices and start again."),
        "audio.lost.server_stopped": QT_TRANSLATE_NOOP(
            "errors", "The sound system stopped (the PulseAudio/PipeWire server is not running). "
                      "Recording stopped (microphone “{microphone}”, speakers “{speakers}”); "
                      "everything recorded until then was kept. Check the devices and start "
                      "again."),
        "audio.lost.microphone_unplugged": QT_TRANSLATE_NOOP(
            "errors", "The microphone “{device}” was disconnected. Recording stopped (microphone "
                      "“{microphone}”, speakers “{speakers}”); everything recorded until then was "
                      "kept. Check the devices and start again."),
        "audio.lost.speakers_unplugged": QT_TRANSLATE_NOOP(
            "errors", "The speakers “{device}” were disconnected. Recording stopped (microphone "
                      "“{microphone}”, speakers “{speakers}”); everything recorded until then was "
                      "kept. Check the devices and start again."),
    }

    @classmethod
    def lost(cls, loss: DeviceLoss, *, microphone: str, speakers: str) -> "AudioDeviceError":
        """The error that reports `loss` for the engine's devices (their labels)."""
        params = {"microphone": microphone, "speakers": speakers}
        if loss.device is not None:
            params["device"] = loss.device
        return cls(loss.code, **params)


@dataclass(frozen=True)
class DeviceLoss:
    """Why the devices are gone, as found by the engine's supervisor or device watch: an
    "audio.lost.*" code of AudioDeviceError and the device it names, if it names one."""

    code: str
    device: str | None = None


STREAM_ENDED = DeviceLoss("audio.lost.stream_ended")
NOT_RESPONDING = DeviceLoss("audio.lost.not_responding")
MICROPHONE_SILENT = DeviceLoss("audio.lost.microphone_silent")
SERVER_STOPPED = DeviceLoss("audio.lost.server_stopped")


class PlaybackFileError(AudioError, ValueError):
    """A background or vocal file that cannot be played (undecodable, empty, unusable)."""

    messages = {
        "audio.track_too_long": QT_TRANSLATE_NOOP(
            "errors", "{file}: {minutes:.0f} minutes long; a scene's track should be a few "
                      "minutes at most"),
        "audio.track_undecodable": QT_TRANSLATE_NOOP(
            "errors", "{file}: cannot be decoded as audio ({reason})"),
        "audio.track_empty": QT_TRANSLATE_NOOP("errors", "{file}: contains no audio"),
        "audio.track_invalid_samples": QT_TRANSLATE_NOOP(
            "errors", "{file}: contains invalid (NaN or infinite) samples"),
    }


class CalibrationError(AudioError):
    """Latency calibration could not find its test signal in the input."""

    messages = {
        "audio.calibration.too_short": QT_TRANSLATE_NOOP(
            "errors", "Calibration: the recording is shorter than the test signal."),
        "audio.calibration.not_heard": QT_TRANSLATE_NOOP(
            "errors", "Calibration failed: the test signal was not heard in the input. Check "
                      "that the output plays (volume up, not muted) and that the input hears "
                      "it."),
        "audio.calibration.timed_out": QT_TRANSLATE_NOOP(
            "errors", "Calibration timed out: the input stopped delivering sound."),
    }
