"""The bundled demo scenes install once, completely, and pass the same checks as any pack."""

from yousync_desktop.library.demo import bundled_demo_packs, install_demo_scenes

KOREAN = range(0xAC00, 0xD7A4)


def test_three_demo_packs_are_bundled_and_small():
    packs = bundled_demo_packs()
    assert len(packs) >= 3
    assert sum(p.stat().st_size for p in packs) <= 8 * 1024 * 1024


def test_demo_scenes_install_and_reinstall_is_a_no_op(library, fingerprint):
    results = install_demo_scenes(library)
    assert [r.status for r in results] == ["added"] * len(bundled_demo_packs())
    before = fingerprint(library)
    assert {r.status for r in install_demo_scenes(library)} == {"unchanged"}
    assert fingerprint(library) == before

    scenes = [library.get_scene(s.key) for s in library.list_scenes()]
    assert len({s.token.category for s in scenes}) == len(scenes)
    for scene in scenes:
        token = scene.token
        assert 3 <= len(token.scripts) <= 6
        assert token.pitch and any(p.hz for p in token.pitch)
        for script in token.scripts:
            assert script.translation and any(ord(ch) in KOREAN for ch in script.translation)
            assert script.words and all(w.start_time is not None for w in script.words)
        assert all(path is not None and path.is_file() for path in
                   (scene.media.video, scene.media.bgvoice, scene.media.vocal, scene.media.thumbnail))

