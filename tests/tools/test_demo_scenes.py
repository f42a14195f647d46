"""The demo scene generator (tools/demo_scenes): a small scene built with the real pipeline imports
through the app's own scene-pack code, and the shipped scenes keep the demo layout."""

import json
import zipfile
from dataclasses import replace

import pytest

from tools.demo_scenes import GenerationError
from tools.demo_scenes.build import check_demo_layout, make_scene
from tools.demo_scenes.scenes import CATEGORIES, SCENES, ActorVoice, DemoScene
from yousync_desktop.library.scene_pack import import_pack

# Short lines and a 6 s clip keep the build (speech, pYIN, music, 144 video frames) to seconds.
SMALL_SCENE = DemoScene(
    pack_id="test-small-scene", token_id=9100, token_name="작은 장면", actor_name="Test Actor",
    category="드라마", start_time=30.0, duration=6.0,
    voice=ActorVoice("en-us+f3", rate=140, pitch=48, pitch_range=60),
    pitch_range_hz=(110.0, 500.0), background="music_box", video="starlit_forest",
    thumbnail_at=1.0, seed=9100,
    lines=(("Come here.", "이리 와."), ("Not now.", "지금은 안 돼."), ("Go home.", "집에 가.")))


@pytest.fixture(scope="module")
def small_pack(tmp_path_factory):
    return make_scene(SMALL_SCENE, tmp_path_factory.mktemp("demo-scenes"))


def test_a_built_scene_imports_through_the_library(small_pack, library):
    assert small_pack.name == "test-small-scene.yspack"
    result = import_pack(library, small_pack)
    assert result.status == "added" and result.token_name == "작은 장면"
    scene = library.get_scene(result.key)
    token = scene.token
    assert (token.start_time, token.end_time) == (30.0, 36.0)
    assert [(s.script, s.translation) for s in token.scripts] == list(SMALL_SCENE.lines)
    assert [[w.word for w in s.words] for s in token.scripts] == [["Come", "here"], ["Not", "now"],
                                                                 ["Go", "home"]]
    assert sum(p.hz is not None for p in token.pitch) > 50
    assert all(getattr(scene.media, kind).is_file()
               for kind in ("video", "bgvoice", "vocal", "thumbnail"))


def test_the_pack_is_laid_out_as_the_shipped_ones(small_pack):
    with zipfile.ZipFile(small_pack) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
    assert names == ["manifest.json", "media/bgvoice.ogg", "media/clip.mp4", "media/thumbnail.jpg",
                     "media/vocal.flac"]
    assert manifest["media"] == {"video": "media/clip.mp4", "bgvoice": "media/bgvoice.ogg",
                                 "vocal": "media/vocal.flac", "thumbnail": "media/thumbnail.jpg"}


def test_the_demo_layout_check_names_what_is_wrong(small_pack):
    with zipfile.ZipFile(small_pack) as archive:
        token = json.loads(archive.read("manifest.json"))["token"]
    check_demo_layout("x", token)
    token["scripts"][1]["translation"] = ""
    with pytest.raises(GenerationError, match="x: script 2 text"):
        check_demo_layout("x", token)


def test_a_scene_too_short_for_its_lines_is_refused(tmp_path):
    with pytest.raises(GenerationError, match="gap between lines"):
        make_scene(replace(SMALL_SCENE, duration=3.0), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_the_shipped_scenes_keep_the_demo_layout():
    assert len({s.pack_id for s in SCENES}) == len({s.token_id for s in SCENES}) == len(SCENES)
    for scene in SCENES:
        assert 10.0 <= scene.duration <= 16.0, scene.pack_id
        assert (scene.duration * 2).is_integer(), scene.pack_id  # whole frames at 24 fps
        assert 3 <= len(scene.lines) <= 6, scene.pack_id
        assert scene.category in CATEGORIES, scene.pack_id
        assert 0 <= scene.thumbnail_at < scene.duration, scene.pack_id
