"""Audio errors are data: every raise in audio/ names a code its class knows, every template is
marked for translation in the "errors" context, and the English sentences read as before."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import pytest

from yousync_desktop.audio import errors as audio_errors
from yousync_desktop.audio.errors import (SERVER_STOPPED, AudioDeviceError, AudioError,
                                          CalibrationError, DeviceLoss, PlaybackFileError)
from yousync_desktop.errors import CodedError, placeholders

AUDIO = Path(audio_errors.__file__).parent
CLASSES = {cls.__name__: cls for cls in (AudioDeviceError, PlaybackFileError, CalibrationError)}


def _constant_strings(node: ast.expr) -> list[str] | None:
    """The codes an argument can be: a literal, or a choice between literals; None otherwise."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _constant_strings(node.body), _constant_strings(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def _raises_in(path: Path) -> list[tuple[str, int, list[str] | None]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) \
                and isinstance(node.exc.func, ast.Name) and node.exc.func.id in CLASSES:
            args = node.exc.args
            found.append((node.exc.func.id, node.lineno,
                          _constant_strings(args[0]) if args else None))
    return found


def test_every_audio_error_raised_names_a_code_of_its_class():
    raises = {path.name: _raises_in(path) for path in sorted(AUDIO.glob("*.py"))}
    assert sum(len(found) for found in raises.values()) >= 12  # the check sees them
    for name, found in raises.items():
        for cls_name, line, codes in found:
            assert codes, f"{name}:{line}: {cls_name} raised without a literal code"
            for code in codes:
                assert code in CLASSES[cls_name].messages, f"{name}:{line}: unknown code {code}"


def test_the_check_itself_catches_a_sentence_raised_as_it_was(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('raise AudioDeviceError(f"No {what} found.")\n'
                      'raise CalibrationError("audio.calibration.not_heard")\n')
    assert _raises_in(sample) == [("AudioDeviceError", 1, None),
                                  ("CalibrationError", 2, ["audio.calibration.not_heard"])]


def test_every_template_is_marked_for_translation_in_the_errors_context():
    tree = ast.parse((AUDIO / "errors.py").read_text(encoding="utf-8"))
    catalogues = [node.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
                  and any(isinstance(t, ast.Name) and t.id == "messages" for t in node.targets)]
    marked = {}
    for catalogue in catalogues:
        assert isinstance(catalogue, ast.Dict)
        for key, value in zip(catalogue.keys, catalogue.values):
            assert isinstance(value, ast.Call) and value.func.id == "QT_TRANSLATE_NOOP", key.value
            context, text = (arg.value for arg in value.args)
            assert context == "errors"
            marked[key.value] = text
    every = {code: template for cls in CLASSES.values() for code, template in cls.messages.items()}
    assert marked == every


def test_codes_are_namespaced_and_each_class_declares_its_own():
    codes = [code for cls in CLASSES.values() for code in cls.messages]
    assert len(codes) == len(set(codes)) and all(code.startswith("audio.") for code in codes)
    assert all(issubclass(cls, AudioError) and issubclass(cls, CodedError)
               for cls in CLASSES.values())
    assert issubclass(PlaybackFileError, ValueError)  # callers catch it as a bad value too
    with pytest.raises(KeyError):
        AudioDeviceError("audio.calibration.not_heard")


def test_the_english_sentences_are_the_ones_learners_read_before():
    assert str(AudioDeviceError("audio.cannot_open", microphone="USB Mic", speakers="Speakers",
                                sample_rate=48000, reason="Invalid sample rate")) == (
        "Cannot open the microphone “USB Mic” with the speakers “Speakers” at 48000 Hz: "
        "Invalid sample rate")
    assert str(PlaybackFileError("audio.track_too_long", file="bg.flac", minutes=41.6)) == \
        "bg.flac: 42 minutes long; a scene's track should be a few minutes at most"
    lost = AudioDeviceError.lost(DeviceLoss("audio.lost.microphone_unplugged", "USB Mic"),
                                 microphone="USB Mic", speakers="Speakers")
    assert str(lost) == (
        "The microphone “USB Mic” was disconnected. Recording stopped (microphone “USB Mic”, "
        "speakers “Speakers”); everything recorded until then was kept. Check the devices and "
        "start again.")
    server = AudioDeviceError.lost(SERVER_STOPPED, microphone="m", speakers="s")
    assert server.code == "audio.lost.server_stopped" and "device" not in server.params
    assert str(server).startswith(
        "The sound system stopped (the PulseAudio/PipeWire server is not running). Recording "
        "stopped (microphone “m”, speakers “s”)")


def test_lost_device_templates_fill_in_exactly_the_parameters_the_engine_gives():
    for code, template in AudioDeviceError.messages.items():
        if code.startswith("audio.lost."):
            names = {"microphone", "speakers"} | ({"device"} if "unplugged" in code else set())
            assert placeholders(template) == names, code


def test_an_audio_error_crosses_a_process_boundary_as_code_and_parameters():
    error = CalibrationError("audio.calibration.timed_out")
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), again.code, again.params, str(again)) == \
        (CalibrationError, error.code, error.params, str(error))
