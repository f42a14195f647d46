"""The `yousync` command: version, library commands, one-line errors."""

import subprocess
import sys

import pytest

from tests.library.pack_factory import valid_spec
from yousync_desktop import __version__


def yousync(*args, env=None):
    return subprocess.run([sys.executable, "-m", "yousync_desktop", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_version():
    result = yousync("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"YouSync Desktop {__version__}"


def test_import_list_export_delete(app_paths, tmp_path, pack_media):
    pack = valid_spec(pack_media, "cli-scene").write(tmp_path / "scene.yspack")
    added = yousync("import-pack", str(pack))
    assert added.returncode == 0, added.stderr
    assert "Imported" in added.stdout
    again = yousync("import-pack", str(pack))
    assert again.returncode == 0 and "already in the library" in again.stdout
    listing = yousync("list")
    assert "cli-scene" in listing.stdout and "2 lines" in listing.stdout
    out = tmp_path / "exported.yspack"
    exported = yousync("export-pack", "cli-scene", str(out))
    assert exported.returncode == 0 and out.is_file()
    deleted = yousync("delete", "cli-scene")
    assert deleted.returncode == 0
    assert "cli-scene" not in yousync("list").stdout


def test_hostile_pack_gives_one_line_and_non_zero_exit(app_paths, tmp_path, pack_media):
    spec = valid_spec(pack_media)
    spec.files["../../outside.txt"] = b"x"
    result = yousync("import-pack", str(spec.write(tmp_path / "evil.yspack")))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("yousync: error: cannot import evil.yspack: unsafe path")
    assert "empty" in yousync("list").stdout


def test_refused_pack_prints_the_english_sentence_of_its_cause(app_paths, tmp_path, pack_media):
    spec = valid_spec(pack_media)
    spec.files[spec.manifest["media"]["thumbnail"]] = b"GIF89a......"
    result = yousync("import-pack", str(spec.write(tmp_path / "gif.yspack")))
    assert result.returncode == 1
    assert result.stderr == ("yousync: error: cannot import gif.yspack: thumbnail.png: thumbnail "
                             "is not a PNG or JPEG image\n")


def test_unknown_scene_on_export(app_paths, tmp_path):
    result = yousync("export-pack", "no-such-scene", str(tmp_path / "x.yspack"))
    assert result.returncode == 1 and "no scene 'no-such-scene'" in result.stderr


def test_mix_places_a_take_into_the_scene(app_paths, tmp_path, pack_media):
    import numpy as np
    import soundfile

    pack = valid_spec(pack_media, "mix-scene").write(tmp_path / "scene.yspack")
    assert yousync("import-pack", str(pack)).returncode == 0
    rate = 48000
    take = tmp_path / "take.wav"
    t = np.arange(int(1.5 * rate)) / rate
    soundfile.write(take, 0.3 * np.sin(2 * np.pi * 330 * t), rate)
    out = tmp_path / "dub.wav"
    # line 1 runs 30.4–31.4 s in a clip starting at 30.0 s; the take's sample 0 is at 29.9 s
    result = yousync("mix", "mix-scene", str(out), "--take", f"1={take}@29.9")
    assert result.returncode == 0, result.stderr
    mix, mix_rate = soundfile.read(out)
    assert mix_rate == rate and len(mix) == 3 * rate
    spectrum = np.abs(np.fft.rfft(mix[int(0.5 * rate):int(1.3 * rate)]))
    assert np.argmax(spectrum) * rate / (2 * (len(spectrum) - 1)) == pytest.approx(330, abs=2)

    bad = yousync("mix", "mix-scene", str(out), "--take", "42=x.wav")
    assert bad.returncode == 1 and bad.stderr.startswith("yousync: error: cannot mix: --take")
