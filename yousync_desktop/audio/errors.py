"""Errors the audio engine raises. Each carries one line fit to show the learner as it is."""

from __future__ import annotations


class AudioError(Exception):
    """Base of every audio-engine error; `str(error)` is the user-facing message."""


class AudioDeviceError(AudioError):
    """A device cannot be opened, is missing, or vanished while in use."""


class PlaybackFileError(AudioError, ValueError):
    """A background or vocal file that cannot be played (undecodable, empty, unusable)."""


class CalibrationError(AudioError):
    """Latency calibration could not find its test signal in the input."""
