"""Faults of size and input (issue 19, part 6): what a learner or a script may hand the app.

- A pack with 40,000 lines is refused with its reason before any heavy work (no line parsed, no
  file extracted or decoded) and the library is left byte for byte as it was.
- Every limit of a scene pack (docs/scene-pack.md), just under (accepted) and just over (refused
  with a sentence naming the limit and the value found).
- The command line: NaN, infinities and absurd values refused in one line naming the option
  (exit 2); file names that are not UTF-8 work; a line that ends before it starts is refused
  (exit 1); a take far longer than its line is cut, with a warning saying where and why.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
import soundfile

from tests.library.conftest import library_fingerprint
from tests.library.pack_factory import CLIP_END, CLIP_START, SAMPLE_RATE, valid_spec
from yousync_desktop import cli
from yousync_desktop.domain import Script, Token
from yousync_desktop.library import scene_pack
from yousync_desktop.library.pack_validation import (
    MB, PackLimits, check_archive, check_media_sizes, validate_timeline,
)
from yousync_desktop.library.scene_pack import PackError, import_pack

LIMITS = PackLimits()
CLIP = CLIP_END - CLIP_START  # the test pack's clip: 3 s


@pytest.fixture
def spec(pack_media):
    return valid_spec(pack_media)


@pytest.fixture
def library_with_a_scene(library, spec, tmp_path):
    other = spec.copy()
    other.manifest["pack_id"] = "already-here"
    import_pack(library, other.write(tmp_path / "existing.yspack"))
    return library


def _refused(library, pack, code: str, *fragments: str) -> PackError:
    before = library_fingerprint(library)
    with pytest.raises(PackError) as caught:
        import_pack(library, pack)
    error = caught.value
    assert error.code == code, str(error)
    message = str(error)
    assert "\n" not in message and all(fragment in message for fragment in fragments), message
    assert library_fingerprint(library) == before
    assert not any(library.paths.data_dir.rglob("staging/*"))
    return error


# --- an oversized pack ---------------------------------------------------------------------------

def _lines(count: int, words_each: int = 0, text: str = "line") -> list[dict]:
    """`count` lines spread over the test clip, with `words_each` untimed words."""
    slot = CLIP / count
    scripts, word_id = [], 0
    for index in range(count):
        words = []
        for _ in range(words_each):
            word_id += 1
            words.append({"id": word_id, "script_id": index + 1, "word": "w",
                          "start_time": None, "end_time": None, "probability": None})
        start = CLIP_START + index * slot
        scripts.append({"id": index + 1, "token_id": 77, "start_time": start,
                        "end_time": start + slot / 2, "script": f"{text} {index + 1}",
                        "translation": None, "words": words})
    return scripts


def test_a_pack_with_40000_lines_is_refused_before_any_heavy_work(library_with_a_scene, spec,
                                                                   tmp_path, monkeypatch):
    big = spec.copy()
    big.manifest["token"]["scripts"] = _lines(40_000)

    def heavy(*_args, **_kwargs):
        raise AssertionError("heavy work started for a pack refused by its counts")

    # No line becomes an object, nothing is staged, extracted or decoded.
    monkeypatch.setattr(scene_pack.Token, "from_api", heavy)
    monkeypatch.setattr(type(library_with_a_scene), "new_staging_dir", heavy)
    for probe in ("probe_audio", "probe_video", "probe_image"):
        monkeypatch.setattr(scene_pack, probe, heavy)
    error = _refused(library_with_a_scene, big.write(tmp_path / "big.yspack"),
                     "pack.too_many_lines")
    assert str(error) == "the scene has 40000 lines; a scene may have at most 500"
    assert error.params == {"count": 40_000, "limit": 500}
    assert len(library_with_a_scene.list_scenes()) == 1


def test_the_command_line_refuses_it_in_one_line(app_paths, spec, tmp_path):
    big = spec.copy()
    big.manifest["token"]["scripts"] = _lines(40_000)
    result = _yousync("import-pack", big.write(tmp_path / "big.yspack"))
    assert result.returncode == 1
    assert result.stderr == (b"yousync: error: cannot import big.yspack: the scene has 40000 "
                             b"lines; a scene may have at most 500\n")
    assert b"empty" in _yousync("list").stdout


# --- every limit, just under and just over ------------------------------------------------------

def _set_lines(count: int, **kwargs):
    def mutate(spec):
        spec.manifest["token"]["scripts"] = _lines(count, **kwargs)
    return mutate


def _set_script(field: str, value):
    def mutate(spec):
        spec.manifest["token"]["scripts"][0][field] = value
    return mutate


def _set_token(field: str, value):
    def mutate(spec):
        spec.manifest["token"][field] = value
    return mutate


def _set_words_of_line_1(count: int):
    def mutate(spec):
        spec.manifest["token"]["scripts"] = _lines(2)
        spec.manifest["token"]["scripts"][0]["words"] = [
            {"id": i + 1, "script_id": 1, "word": "w", "start_time": None, "end_time": None}
            for i in range(count)]
    return mutate


def _set_word_text(length: int):
    def mutate(spec):
        spec.manifest["token"]["scripts"][0]["words"][0]["word"] = "ㅋ" * length
    return mutate


def _set_pitch_points(count: int):
    """`count` points spread over the clip and its 50 ms tolerance on each side."""
    def mutate(spec):
        first, last = CLIP_START - 0.049, CLIP_END + 0.049
        spec.manifest["token"]["pitch"] = [
            {"time": first + i * (last - first) / (count - 1), "hz": 200.0} for i in range(count)]
    return mutate


def _manifest_of_size(size: int):
    """The manifest padded to exactly `size` bytes with an unknown key of random text (which
    does not compress, so the zip-bomb check stays out of it)."""
    def mutate(spec):
        spec.manifest["padding"] = ""
        bare = len(json.dumps(spec.manifest, ensure_ascii=False).encode("utf-8"))
        spec.manifest["padding"] = random.Random(1).randbytes(size).hex()[:size - bare]
    return mutate


def _padded_wav(seconds: float, size: int | None = None) -> bytes:
    """A WAV of `seconds` of tone at 48 kHz, padded to `size` bytes with a JUNK chunk of random
    bytes (libsndfile skips it)."""
    buffer = io.BytesIO()
    t = np.arange(int(round(seconds * SAMPLE_RATE))) / SAMPLE_RATE
    soundfile.write(buffer, 0.1 * np.sin(2 * np.pi * 110 * t), SAMPLE_RATE, format="WAV")
    data = bytearray(buffer.getvalue())
    if size is not None:
        data += b"JUNK" + struct.pack("<I", size - len(data) - 8)
        data += random.Random(2).randbytes(size - len(data))
        data[4:8] = struct.pack("<I", len(data) - 8)
    return bytes(data)


def _set_bgvoice(seconds: float, size: int | None = None):
    def mutate(spec):
        spec.files[spec.manifest["media"]["bgvoice"]] = _padded_wav(seconds, size)
    return mutate


def _set_video_size(size: int):
    """The test clip with a trailing MP4 'free' box of random bytes, `size` bytes in all."""
    def mutate(spec):
        name = spec.manifest["media"]["video"]
        video = spec.files[name]
        padding = size - len(video) - 8
        spec.files[name] = (video + struct.pack(">I", padding + 8) + b"free"
                            + random.Random(3).randbytes(padding))
    return mutate


def _set_entries(count: int):
    def mutate(spec):
        for index in range(count - len(spec.files) - 1):  # the manifest is an entry too
            spec.files[f"extra/{index}.txt"] = b"x"
    return mutate


VIDEO_ALLOWED = LIMITS.media_bytes_allowed("video", CLIP)
AUDIO_ALLOWED = LIMITS.media_bytes_allowed("bgvoice", CLIP)
PITCH_ALLOWED = LIMITS.pitch_points_allowed(CLIP)
TRACK_ALLOWED = LIMITS.track_seconds_allowed(CLIP)

# name: (mutation at the limit, mutation just over it, code, fragments of the refusal)
LIMIT_CASES = {
    "lines": (_set_lines(500), _set_lines(501), "pack.too_many_lines", "501 lines", "at most 500"),
    "words per line": (_set_words_of_line_1(200), _set_words_of_line_1(201),
                       "pack.too_many_words_in_line", "line 1 has 201 words", "at most 200"),
    "words in all": (_set_lines(25, words_each=200), _set_lines(26, words_each=193),
                     "pack.too_many_words", "5018 words", "at most 5000"),
    "text of a line": (_set_script("script", "a" * 2000), _set_script("script", "a" * 2001),
                       "pack.line_text_too_long", "2001 characters", "at most 2000"),
    "translation": (_set_script("translation", "가" * 2000),
                    _set_script("translation", "가" * 2001),
                    "pack.translation_too_long", "2001 characters", "at most 2000"),
    "one word": (_set_word_text(100), _set_word_text(101), "pack.word_too_long",
                 "101 characters", "at most 100"),
    "title": (_set_token("token_name", "제" * 200), _set_token("token_name", "제" * 201),
              "pack.name_too_long", "'token_name' has 201 characters", "at most 200"),
    "actor": (_set_token("actor_name", "A" * 200), _set_token("actor_name", "A" * 201),
              "pack.name_too_long", "'actor_name' has 201", "at most 200"),
    "category": (_set_token("category", "드" * 200), _set_token("category", "드" * 201),
                 "pack.name_too_long", "'category' has 201", "at most 200"),
    "pitch points per second": (_set_pitch_points(PITCH_ALLOWED),
                                _set_pitch_points(PITCH_ALLOWED + 1), "pack.pitch_too_dense",
                                f"{PITCH_ALLOWED + 1} points for a 3.0 s clip",
                                f"at most {PITCH_ALLOWED}", "100 per second"),
    "video bytes": (_set_video_size(VIDEO_ALLOWED), _set_video_size(VIDEO_ALLOWED + 1),
                    "pack.media_too_large", "the video file", "for a 3.0 s clip",
                    "at most 4.0 MB"),
    "audio bytes": (_set_bgvoice(CLIP, AUDIO_ALLOWED), _set_bgvoice(CLIP, AUDIO_ALLOWED + 1),
                    "pack.media_too_large", "the bgvoice file", "at most 2.5 MB"),
    "audio length": (_set_bgvoice(TRACK_ALLOWED), _set_bgvoice(TRACK_ALLOWED + 0.1),
                     "pack.track_too_long", "more than 13.0 s", "the clip is only 3.0 s"),
    "manifest bytes": (_manifest_of_size(LIMITS.max_manifest_bytes),
                       _manifest_of_size(LIMITS.max_manifest_bytes + 1),
                       "pack.manifest_too_large", "manifest.json is 16.0 MB", "at most 16 MB"),
    "archive entries": (_set_entries(64), _set_entries(65), "pack.too_many_entries",
                        "65 entries", "at most 64"),
}


@pytest.mark.parametrize("case", list(LIMIT_CASES), ids=list(LIMIT_CASES))
def test_each_limit_just_under_and_just_over(case, library_with_a_scene, spec, tmp_path):
    at_limit, over, code, *fragments = LIMIT_CASES[case]
    accepted = spec.copy()
    accepted.manifest["pack_id"] = "at-the-limit"
    at_limit(accepted)
    result = import_pack(library_with_a_scene, accepted.write(tmp_path / "at-limit.yspack"))
    assert result.status == "added"
    refused = spec.copy()
    refused.manifest["pack_id"] = "over-the-limit"
    over(refused)
    _refused(library_with_a_scene, refused.write(tmp_path / "over.yspack"), code, *fragments)


# The limits that need a ten-minute clip or hundreds of megabytes are checked on the scene and on
# the archive's directory, where import checks them, without building such media.

def _token(clip: float = 600.0, line: float = 1.0, pitch_points: int = 0) -> Token:
    start = 100.0
    token = Token(id=1, token_name="t", actor_name="a", start_time=start, end_time=start + clip,
                  scripts=[Script(id=1, token_id=1, start_time=start, end_time=start + line,
                                  script="a line")])
    if pitch_points:
        token = Token.from_api({**token.to_api(), "pitch": [
            {"time": start + i * clip / (pitch_points - 1), "hz": None}
            for i in range(pitch_points)]})
    return token


@pytest.mark.parametrize("at_limit, over, code, fragment", [
    (_token(clip=600.0), _token(clip=600.1), "pack.clip_too_long",
     "the clip lasts 600.1 s; a scene may last at most 600 s"),
    (_token(line=60.0), _token(line=60.1), "pack.line_too_long",
     "line 1 lasts 60.1 s; a line may last at most 60 s"),
    (_token(pitch_points=60_100), _token(pitch_points=60_101), "pack.too_many_pitch_points",
     "60101 points; a scene may have at most 60100"),
], ids=["clip length", "line length", "pitch points in all"])
def test_limits_of_a_long_scene(at_limit, over, code, fragment):
    validate_timeline(at_limit)
    with pytest.raises(PackError) as caught:
        validate_timeline(over)
    assert caught.value.code == code and fragment in str(caught.value)


def test_a_long_clip_is_refused_by_import_before_its_media(library_with_a_scene, spec, tmp_path):
    long = spec.copy()
    long.manifest["token"]["end_time"] = CLIP_START + 600.1
    _refused(library_with_a_scene, long.write(tmp_path / "long.yspack"), "pack.clip_too_long",
             "600.1 s")


class _Directory:
    """What check_archive reads of a ZipFile: its directory, sizes as claimed."""

    def __init__(self, sizes: dict[str, int]):
        self._infos = []
        for name, size in sizes.items():
            info = zipfile.ZipInfo(name)
            info.file_size = info.compress_size = size
            self._infos.append(info)

    def infolist(self):
        return self._infos


@pytest.mark.parametrize("at_limit, over, code, fragment", [
    ({"manifest.json": 10, "media/clip.mp4": 640 * MB},
     {"manifest.json": 10, "media/clip.mp4": 640 * MB + 1}, "pack.member_too_large",
     "'media/clip.mp4' is 640 MB; a file in a scene pack may be at most 640 MB"),
    ({"manifest.json": 10, "a.mp4": 600 * MB, "b.wav": 600 * MB, "c.wav": 80 * MB - 10},
     {"manifest.json": 10, "a.mp4": 600 * MB, "b.wav": 600 * MB, "c.wav": 80 * MB - 9},
     "pack.too_large", "unpacks to 1280 MB; a scene pack may unpack to at most 1280 MB"),
], ids=["one file", "the whole archive"])
def test_archive_size_limits(at_limit, over, code, fragment):
    check_archive(_Directory(at_limit), LIMITS)
    with pytest.raises(PackError) as caught:
        check_archive(_Directory(over), LIMITS)
    assert caught.value.code == code and fragment in str(caught.value)


@pytest.mark.parametrize("kind, allowed", [
    ("video", 601 * MB), ("vocal", 301 * MB), ("thumbnail", 10 * MB)])
def test_media_size_limits_of_the_longest_clip(kind, allowed):
    check_media_sizes({kind: ("media/x", allowed)}, 600.0)
    with pytest.raises(PackError) as caught:
        check_media_sizes({kind: ("media/x", allowed + 1)}, 600.0)
    assert caught.value.code == "pack.media_too_large"
    assert f"the {kind} file 'media/x'" in str(caught.value)


def test_the_demo_scenes_are_well_inside_the_limits():
    """The limits are meant for real scenes: the bundled ones pass with room to spare."""
    from yousync_desktop.library.demo import bundled_demo_packs

    half = PackLimits(max_lines=2 * 4, max_words_per_line=16, max_line_chars=100,
                      max_translation_chars=40, max_pitch_points_per_second=100.0)
    for pack in bundled_demo_packs():
        with zipfile.ZipFile(pack) as archive:
            token = Token.from_api(json.loads(archive.read("manifest.json"))["token"])
        validate_timeline(token, half)


# --- the command line ----------------------------------------------------------------------------

def _yousync(*args, env=None) -> subprocess.CompletedProcess:
    """The real command in a process, arguments as bytes (as a shell passes them)."""
    return subprocess.run([os.fsencode(sys.executable), b"-m", b"yousync_desktop",
                           *(os.fsencode(a) for a in args)], capture_output=True, env=env,
                          timeout=180)


def _parse_error(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as caught:
        cli.main(list(argv))
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err


SCORE = ("score", "--line", "line.json", "--reference", "actor.wav", "take.wav")
MIX = ("mix", "1", "out.wav")
BAD_VALUES = [
    (SCORE, "--latency-ms", "nan", "nan is not a finite number"),
    (SCORE, "--latency-ms", "inf", "inf is not a finite number"),
    (SCORE, "--latency-ms", "-5", "-5 ms is out of range (0 to 2000 ms)"),
    (SCORE, "--latency-ms", "1e9", "1e9 ms is out of range (0 to 2000 ms)"),
    (SCORE, "--latency-ms", "soon", "'soon' is not a number"),
    (SCORE, "--pre-roll", "-1", "-1 s is out of range (0 to 10 s)"),
    (SCORE, "--pre-roll", "-inf", "-inf is not a finite number"),
    (("analyze-pitch", "in.wav"), "--offset", "1e400", "1e400 is not a finite number"),
    (("analyze-pitch", "in.wav"), "--offset", "-3", "-3 s is out of range (0 to 86400 s)"),
    (MIX, "--duck-db", "nan", "nan is not a finite number"),
    (MIX, "--duck-db", "6", "6 dB is out of range (-96 to 0 dB)"),
    (MIX, "--take", "1=take.wav@nan", "'1=take.wav@nan': window start nan is not a finite"),
    (MIX, "--take", "1=take.wav@-2", "window start -2 s is out of range"),
    (MIX, "--take", "one=take.wav", "expected LINE=FILE[@WINDOW_START]"),
    (("screenshot",), "--width", "0", "0 px is out of range (200 to 8192 px)"),
    (("screenshot",), "--height", "100000", "100000 px is out of range"),
    (("calibrate",), "--repeats", "0", "0 is out of range (2 to 50)"),
    (("calibrate",), "--repeats", "1e6", "'1e6' is not a whole number"),
    (("calibrate",), "--level-db", "nan", "nan is not a finite number"),
    (("calibrate",), "--level-db", "12", "12 dBFS is out of range (-60 to 0 dBFS)"),
]


@pytest.mark.parametrize("command, option, value, reason", BAD_VALUES,
                         ids=[f"{c[0]} {o} {v}" for c, o, v, _r in BAD_VALUES])
def test_absurd_values_are_refused_naming_the_option(capsys, command, option, value, reason):
    err = _parse_error(capsys, *command, f"{option}={value}")
    assert f"error: argument {option}: " in err and reason in err, err
    assert err.startswith(f"yousync {command[0]}: error:")


def test_every_number_on_the_command_line_is_bounded():
    """No option is left with a bare `float` or `int`, which accept NaN and any size."""
    parser = cli.build_parser()
    subcommands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    unchecked = [(name, action.option_strings or action.dest)
                 for name, sub in subcommands.choices.items() for action in sub._actions
                 if action.type in (float, int)]
    assert unchecked == []


def test_a_refused_value_is_one_line_and_exit_2_for_the_process():
    result = _yousync("score", "--line", "l.json", "--reference", "a.wav", "t.wav",
                      "--latency-ms", "nan")
    assert result.returncode == 2 and result.stdout == b""
    assert result.stderr == (b"yousync score: error: argument --latency-ms: nan is not a finite "
                             b"number (see `yousync score --help`)\n")


# Files for `score` and `mix`: the test pack's line 1 (30.4-31.4 s), a window from 29.9 s.

def _tone(path, seconds: float, rate: int = 16_000) -> None:
    t = np.arange(int(seconds * rate)) / rate
    # Bytes: soundfile encodes a str name as strict UTF-8.
    soundfile.write(os.fsencode(path), (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32),
                    rate)


def _line_json(path, start: float = 30.4, end: float = 31.4) -> None:
    path.write_text(json.dumps({"id": 1, "token_id": 77, "start_time": start, "end_time": end,
                                "script": "Hello there", "window_start": 29.9, "words": []}))


NOT_UTF8 = b"\xff\xfe-\xc3("  # bytes that no UTF-8 decoder accepts


def _bytes_path(folder, stem: bytes, suffix: bytes) -> str:
    """A path whose name is not UTF-8, as Python sees it (PEP 383 surrogates)."""
    return os.fsdecode(os.path.join(os.fsencode(folder), stem + NOT_UTF8 + suffix))


def test_file_names_that_are_not_utf8_work(app_paths, pack_media, tmp_path):
    pack = _bytes_path(tmp_path, b"scene-", b".yspack")
    valid_spec(pack_media, "bytes-scene").write(pack)
    imported = _yousync("import-pack", pack)
    assert imported.returncode == 0, imported.stderr
    assert b"Imported" in imported.stdout and b"bytes-scene" in _yousync("list").stdout

    exported = _bytes_path(tmp_path, b"exported-", b".yspack")
    result = _yousync("export-pack", "bytes-scene", exported)
    assert result.returncode == 0, result.stderr
    assert os.fsencode(exported) in result.stdout  # the name as it was typed, not escaped
    assert zipfile.is_zipfile(exported)

    take, actor, line = (_bytes_path(tmp_path, b"take-", b".wav"),
                         _bytes_path(tmp_path, b"actor-", b".wav"),
                         _bytes_path(tmp_path, b"line-", b".json"))
    _tone(take, 2.0)
    _tone(actor, 2.0)
    _line_json(Path(line))
    pitch = _yousync("analyze-pitch", take, "--offset", "29.9")
    assert pitch.returncode == 0, pitch.stderr
    assert json.loads(pitch.stdout)[0]["time"] == pytest.approx(29.9)
    scored = _yousync("score", "--line", line, "--reference", actor, take)
    assert scored.returncode == 0, scored.stderr
    assert "overall_score" in json.loads(scored.stdout)

    out = _bytes_path(tmp_path, b"dub-", b".wav")
    mixed = _yousync("mix", "bytes-scene", out, "--take", f"1={take}@29.9")
    assert mixed.returncode == 0, mixed.stderr
    assert soundfile.info(os.fsencode(out)).duration == pytest.approx(CLIP)

    missing = _yousync("analyze-pitch", _bytes_path(tmp_path, b"missing-", b".wav"))
    assert missing.returncode == 1
    assert missing.stderr == b"yousync: error: missing-" + NOT_UTF8 + b".wav: file not found\n"


def test_a_line_that_ends_before_it_starts_is_refused(tmp_path, capsys):
    _line_json(tmp_path / "line.json", start=31.4, end=30.4)
    _tone(tmp_path / "actor.wav", 2.0)
    _tone(tmp_path / "take.wav", 2.0)
    assert cli.main(["score", "--line", str(tmp_path / "line.json"), "--reference",
                     str(tmp_path / "actor.wav"), str(tmp_path / "take.wav")]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ("yousync: error: line.json: line: ends at 30.4 s, not after its "
                            "start at 31.4 s\n")


def test_a_take_far_longer_than_its_line_is_cut_with_a_warning(tmp_path, capsys):
    _line_json(tmp_path / "line.json")
    _tone(tmp_path / "actor.wav", 2.5)
    _tone(tmp_path / "take.wav", 600.0)  # ten minutes for a one-second line
    assert cli.main(["score", "--line", str(tmp_path / "line.json"), "--reference",
                     str(tmp_path / "actor.wav"), str(tmp_path / "take.wav")]) == 0
    captured = capsys.readouterr()
    assert "overall_score" in json.loads(captured.out)
    assert captured.err == (
        "yousync: warning: take.wav (the take) lasts 600.0 s; only its first 6.5 s are scored: "
        "line 1 ends 1.5 s into it, and nothing more than 5 s after a line's end belongs to its "
        "take\n")


def test_a_mixed_take_far_longer_than_its_line_is_cut_with_a_warning(app_paths, pack_media,
                                                                     tmp_path, capsys):
    with cli._open_library() as library:
        import_pack(library, valid_spec(pack_media, "mix-scene").write(tmp_path / "s.yspack"))
    _tone(tmp_path / "take.wav", 600.0)
    out = tmp_path / "dub.wav"
    assert cli.main(["mix", "mix-scene", str(out), "--take", f"1={tmp_path / 'take.wav'}@0"]) == 0
    captured = capsys.readouterr()
    assert captured.err == (
        "yousync: warning: take.wav covers 0.00–600.00 s but line 1 is 30.40–31.40 s; only "
        "30.25–31.55 s of it is mixed (the line and a short margin) and the rest is left out\n")
    assert soundfile.info(out).duration == pytest.approx(CLIP)

    # A take that does not reach its line is refused, not mixed as silence.
    assert cli.main(["mix", "mix-scene", str(out), "--take", f"1={tmp_path / 'take.wav'}@700"]) == 1
    assert "does not reach line 1 (30.40–31.40 s)" in capsys.readouterr().err
