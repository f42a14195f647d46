"""Scene-pack import and export: good packs round-trip; every hostile or broken pack is refused with
one clear line and leaves the library byte-for-byte as it was."""

import stat
import subprocess
import warnings
import zipfile

import pytest

from tests.library.pack_factory import CLIP_START, SAMPLE_RATE, valid_spec
from yousync_desktop.library import Library
from yousync_desktop.library.scene_pack import PackError, PackLimits, export_pack, import_pack
from yousync_desktop.settings import AppPaths


def test_import_adds_the_scene_with_its_media(library, spec, tmp_path):
    result = import_pack(library, spec.write(tmp_path / "scene.yspack"))
    assert result.status == "added"
    scene = library.get_scene(result.key)
    assert scene.token.token_name == "테스트 장면 Test scene"
    assert [s.script for s in scene.token.scripts] == ["Hello there", "안녕 friend"]
    assert scene.token.scripts[0].words[1].word == "there"
    assert scene.token.pitch[1].hz == 201.0 and scene.token.pitch[0].hz is None
    for kind in ("video", "bgvoice", "vocal", "thumbnail"):
        path = getattr(scene.media, kind)
        assert path.is_file() and path.is_relative_to(library.media_dir)
    assert scene.media.video.read_bytes() == spec.files["media/clip.mp4"]
    summary = library.list_scenes()[0]
    assert (summary.line_count, summary.duration) == (2, 3.0)


def test_a_scene_can_be_read_without_its_pitch(library, spec, tmp_path):
    """The detail pane reads the lines only: a long scene's contour is 60,000 points."""
    key = import_pack(library, spec.write(tmp_path / "scene.yspack")).key
    full, lines_only = library.get_scene(key), library.get_scene(key, with_pitch=False)
    assert len(full.token.pitch) == 250 and lines_only.token.pitch is None
    assert lines_only.token.scripts == full.token.scripts
    assert lines_only.media == full.media


def test_importing_the_same_pack_twice_is_a_no_op(library, spec, tmp_path, fingerprint):
    pack = spec.write(tmp_path / "scene.yspack")
    first = import_pack(library, pack)
    before = fingerprint(library)
    second = import_pack(library, pack)
    assert second.status == "unchanged" and second.key == first.key
    assert fingerprint(library) == before


def test_export_then_import_gives_back_the_same_scene(library, spec, tmp_path, monkeypatch):
    key = import_pack(library, spec.write(tmp_path / "scene.yspack")).key
    original = library.get_scene(key)
    exported = export_pack(library, key, tmp_path / "out" / "exported.yspack")

    # Into the same library: recognised as the same content.
    assert import_pack(library, exported).status == "unchanged"

    # Into a fresh library: the same token, scripts, words, pitch and media bytes.
    other_paths = AppPaths(data_dir=tmp_path / "other", config_dir=tmp_path / "other-config")
    with Library(other_paths) as other:
        copy = other.get_scene(import_pack(other, exported).key)
        assert copy.token == original.token
        assert copy.content_hash == original.content_hash
        for kind in ("video", "bgvoice", "vocal", "thumbnail"):
            assert getattr(copy.media, kind).read_bytes() == getattr(original.media, kind).read_bytes()


def test_export_of_an_unknown_scene_fails_cleanly(library, tmp_path):
    with pytest.raises(PackError, match="not in the library"):
        export_pack(library, 999, tmp_path / "x.yspack")
    assert not list(tmp_path.glob("*.yspack")) and not list(tmp_path.glob(".export-*"))


def test_delete_scene_removes_its_files(library, spec, tmp_path):
    key = import_pack(library, spec.write(tmp_path / "scene.yspack")).key
    media = library.get_scene(key).media
    library.delete_scene(key)
    assert library.list_scenes() == []
    assert not media.video.exists() and not media.video.parent.exists()


# --- hostile and broken packs ------------------------------------------------------------------

def _set(path: str, value):
    """A manifest mutation that sets a dotted path such as 'token.scripts.0.start_time'."""
    def mutate(spec):
        target = spec.manifest
        *parents, last = path.split(".")
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if value is _DELETE:
            del target[int(last) if isinstance(target, list) else last]
        elif isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    return mutate


_DELETE = object()


def _add_file(name, content=b"x"):
    def mutate(spec):
        spec.files[name] = content
    return mutate


def _replace_media(kind, content):
    def mutate(spec):
        spec.files[spec.manifest["media"][kind]] = content
    return mutate


def _drop_media_file(kind):
    def mutate(spec):
        del spec.files[spec.manifest["media"][kind]]
    return mutate


def _raw_manifest(data: bytes):
    def mutate(spec):
        spec.manifest_bytes = data
    return mutate


def _many_entries(spec):
    for i in range(70):
        spec.files[f"extra/{i}.txt"] = b"x"


def _pitch_backwards(spec):
    pitch = spec.manifest["token"]["pitch"]
    pitch[10]["time"], pitch[11]["time"] = pitch[11]["time"], pitch[10]["time"]


def _duplicate_script_id(spec):
    scripts = spec.manifest["token"]["scripts"]
    scripts[1]["id"] = 1
    for word in scripts[1]["words"]:
        word["script_id"] = 1


def _duplicate_word_id(spec):
    spec.manifest["token"]["scripts"][1]["words"][0]["id"] = 1


def _words_out_of_order(spec):
    words = spec.manifest["token"]["scripts"][0]["words"]
    words.reverse()


def _short_audio(spec):
    import io

    import numpy as np
    import soundfile
    buffer = io.BytesIO()
    soundfile.write(buffer, np.zeros(SAMPLE_RATE), SAMPLE_RATE, format="WAV")
    spec.files[spec.manifest["media"]["bgvoice"]] = buffer.getvalue()


REJECTIONS = {
    "path traversal member": (_add_file("../escape.txt"), "unsafe path"),
    "absolute member": (_add_file("/etc/cron.d/evil"), "unsafe path"),
    "windows drive member": (_add_file("C:/evil.txt"), "unsafe path"),
    "backslash member": (_add_file("media\\..\\..\\evil.txt"), "unsafe path"),
    "media path escaping the archive": (_set("media.vocal", "../vocal.flac"), "unsafe vocal path"),
    "absolute media path": (_set("media.bgvoice", "/etc/passwd"), "unsafe bgvoice path"),
    "too many entries": (_many_entries, "entries"),
    "missing video file": (_drop_media_file("video"), "missing from the archive"),
    "missing bgvoice in manifest": (_set("media.bgvoice", _DELETE), "no bgvoice"),
    "undecodable audio": (_replace_media("bgvoice", b"RIFF\x00\x00\x00\x00WAVEjunk" * 10),
                          "not a readable"),
    "undecodable video": (_replace_media("video", b"\x00\x00\x00\x18ftypisom" + b"\xff" * 100),
                          "damaged MP4"),
    "not a video at all": (_replace_media("video", b"hello world, not a movie" * 10),
                           "damaged MP4|not an MP4"),
    "bad thumbnail": (_replace_media("thumbnail", b"GIF89a......"), "not a PNG or JPEG"),
    "audio shorter than the clip": (_short_audio, "bgvoice track is 1.0 s"),
    "malformed JSON": (_raw_manifest(b'{"format": "yousync-scene-pack", '), "not valid JSON"),
    "manifest not UTF-8": (_raw_manifest('{"x": "é"}'.encode("latin-1")), "not UTF-8"),
    "manifest not an object": (_raw_manifest(b"[1, 2, 3]"), "JSON object"),
    "wrong format": (_set("format", "something-else"), "not a YouSync scene pack"),
    "future version": (_set("format_version", 99), "unsupported scene pack version"),
    "bad pack id": (_set("pack_id", "../../x"), "pack_id"),
    "missing token field": (_set("token.token_name", _DELETE), "missing field 'token_name'"),
    "missing script text": (_set("token.scripts.0.script", _DELETE), "missing field 'script'"),
    "wrong type": (_set("token.start_time", "soon"), "expected a finite number"),
    "NaN time": (_set("token.scripts.0.end_time", float("nan")), "expected a finite number"),
    "no scripts": (_set("token.scripts", []), "no lines"),
    "token ends before it starts": (_set("token.end_time", 20.0), "start time is not before"),
    "line ends before it starts": (_set("token.scripts.0.end_time", 30.1), "ends before it starts"),
    "line outside the clip": (_set("token.scripts.1.end_time", 40.0), "outside the clip"),
    "lines out of order": (_set("token.scripts.1.start_time", 30.9), "out of order"),
    "word outside its line": (_set("token.scripts.0.words.1.end_time", 31.9), "outside line 1"),
    "words out of order": (_words_out_of_order, "out of order"),
    "word belongs elsewhere": (_set("token.scripts.0.words.0.script_id", 2), "belongs to line 2"),
    "script belongs elsewhere": (_set("token.scripts.0.token_id", 5), "belongs to token 5"),
    "non-monotonic pitch": (_pitch_backwards, "strictly increasing"),
    "pitch outside the clip": (_set("token.pitch.3.time", 99.0), "strictly increasing|outside"),
    "implausible pitch": (_set("token.pitch.2.hz", 90000.0), "implausible pitch"),
    "duplicate script ids": (_duplicate_script_id, "share the id 1"),
    "duplicate word ids": (_duplicate_word_id, "share the id 1"),
    "no manifest": (lambda spec: setattr(spec, "manifest", None),
                    "no manifest.json"),
}


@pytest.fixture
def library_with_a_scene(library, spec, tmp_path):
    """A library that already holds one scene, so 'unchanged' covers existing rows and files."""
    other = spec.copy()
    other.manifest["pack_id"] = "already-here"
    import_pack(library, other.write(tmp_path / "existing.yspack"))
    return library


@pytest.mark.parametrize("case", list(REJECTIONS), ids=list(REJECTIONS))
def test_bad_pack_is_refused_and_library_unchanged(case, library_with_a_scene, spec, tmp_path,
                                                   fingerprint):
    mutate, expected = REJECTIONS[case]
    bad = spec.copy()
    mutate(bad)
    pack = bad.write(tmp_path / "bad.yspack")
    before = fingerprint(library_with_a_scene)
    with pytest.raises(PackError, match=expected) as caught:
        import_pack(library_with_a_scene, pack)
    message = str(caught.value)
    assert message and "\n" not in message and len(message) < 200
    assert fingerprint(library_with_a_scene) == before
    assert len(library_with_a_scene.list_scenes()) == 1


def _assert_refused_unchanged(library, pack, expected, fingerprint, limits=PackLimits()):
    before = fingerprint(library)
    with pytest.raises(PackError, match=expected) as caught:
        import_pack(library, pack, limits)
    assert "\n" not in str(caught.value)
    assert fingerprint(library) == before


def test_symlink_member_is_refused(library_with_a_scene, spec, tmp_path, fingerprint):
    pack = spec.write(tmp_path / "link.yspack")
    with zipfile.ZipFile(pack, "a") as archive:
        info = zipfile.ZipInfo("media/link")
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    _assert_refused_unchanged(library_with_a_scene, pack, "link or special file", fingerprint)


def test_zip_bomb_is_refused(library_with_a_scene, spec, tmp_path, fingerprint):
    bomb = spec.copy()
    bomb.files["media/padding.bin"] = bytes(50 * 1024 * 1024)
    _assert_refused_unchanged(library_with_a_scene, bomb.write(tmp_path / "bomb.yspack"),
                              "zip bomb", fingerprint)


def test_member_too_large_is_refused(library_with_a_scene, spec, tmp_path, fingerprint):
    import os
    big = spec.copy()
    big.files["media/noise.bin"] = os.urandom(2 * 1024 * 1024)
    limits = PackLimits(max_member_bytes=1024 * 1024)
    _assert_refused_unchanged(library_with_a_scene, big.write(tmp_path / "big.yspack"),
                              "is 2 MB; a file in a scene pack may be at most 1 MB", fingerprint,
                              limits)


def test_total_size_limit(library_with_a_scene, spec, tmp_path, fingerprint):
    limits = PackLimits(max_total_bytes=200 * 1024)
    _assert_refused_unchanged(library_with_a_scene, spec.write(tmp_path / "p.yspack"),
                              "unpacks to", fingerprint, limits)


def test_duplicate_member_names_are_refused(library_with_a_scene, spec, tmp_path, fingerprint):
    pack = spec.write(tmp_path / "dup.yspack")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(pack, "a") as archive:
            archive.writestr("media/clip.mp4", b"second copy")
    _assert_refused_unchanged(library_with_a_scene, pack, "twice", fingerprint)


def test_corrupted_archive_is_refused(library_with_a_scene, spec, tmp_path, fingerprint):
    pack = spec.write(tmp_path / "corrupt.yspack")
    data = bytearray(pack.read_bytes())
    wav_at = data.find(b"RIFF")  # inside the stored-or-deflated bgvoice member
    middle = len(data) // 2 if wav_at < 0 else wav_at + 5000
    data[middle:middle + 64] = bytes(64)
    pack.write_bytes(bytes(data))
    _assert_refused_unchanged(library_with_a_scene, pack, "damaged|not a readable|not a scene",
                              fingerprint)


def test_not_a_zip_is_refused(library_with_a_scene, tmp_path, fingerprint):
    pack = tmp_path / "notes.yspack"
    pack.write_text("just some text")
    _assert_refused_unchanged(library_with_a_scene, pack, "not a scene pack", fingerprint)


def test_missing_file_is_refused(library_with_a_scene, tmp_path, fingerprint):
    _assert_refused_unchanged(library_with_a_scene, tmp_path / "nope.yspack", "file not found",
                              fingerprint)


def test_video_that_is_not_h264_is_refused(library_with_a_scene, spec, tmp_path, fingerprint):
    mpeg4 = tmp_path / "mpeg4.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                    "color=c=red:s=160x90:r=10:d=3", "-c:v", "mpeg4", str(mpeg4)], check=True)
    bad = spec.copy()
    bad.files["media/clip.mp4"] = mpeg4.read_bytes()
    _assert_refused_unchanged(library_with_a_scene, bad.write(tmp_path / "p.yspack"),
                              "not H.264", fingerprint)


def test_same_pack_id_with_different_content_is_refused(library, spec, tmp_path, fingerprint):
    import_pack(library, spec.write(tmp_path / "v1.yspack"))
    changed = spec.copy()
    changed.manifest["token"]["scripts"][0]["translation"] = "다른 번역"
    _assert_refused_unchanged(library, changed.write(tmp_path / "v2.yspack"),
                              "different version", fingerprint)


def test_pack_with_null_pitch_imports(library, spec, tmp_path):
    no_pitch = spec.copy()
    no_pitch.manifest["token"]["pitch"] = None
    key = import_pack(library, no_pitch.write(tmp_path / "p.yspack")).key
    assert library.get_scene(key).token.pitch is None
    assert library.get_scene(key).token.start_time == CLIP_START
