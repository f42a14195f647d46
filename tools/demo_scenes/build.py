"""Build the demo scene packs: each scene's media made in a scratch folder, its token checked
against what the demo scenes promise, the pack written with the app's own writer, and every pack
imported into a throwaway library before it replaces the one in the output folder."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from tools.demo_scenes import GenerationError
from tools.demo_scenes.ffmpeg import require_ffmpeg
from tools.demo_scenes.music import make_background
from tools.demo_scenes.scenes import CATEGORIES, SCENES, DemoScene
from tools.demo_scenes.video import make_thumbnail, render_video
from tools.demo_scenes.vocal import (build_vocal, compute_pitch, script_words, synthesize_line,
                                     write_flac)
from tools.speech import EspeakLibrary, SpeechError, espeak_library
from yousync_desktop.library import Library
from yousync_desktop.library.scene_pack import PackError, import_pack, write_pack
from yousync_desktop.settings import AppPaths

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "resources" / "demo_scenes"


def make_scene(scene: DemoScene, out_dir: Path, tts: EspeakLibrary | None = None) -> Path:
    """Generate one scene and write it as `<out_dir>/<pack_id>.yspack`."""
    tts = tts or espeak_library()
    with tempfile.TemporaryDirectory(prefix=f"{scene.pack_id}-") as tmp:
        work = Path(tmp)
        media = work / "media"
        media.mkdir()
        lines = [synthesize_line(tts, en, ko, scene.voice) for en, ko in scene.lines]
        vocal, scripts = build_vocal(scene, lines)
        write_flac(media / "vocal.flac", vocal)
        pitch = compute_pitch(vocal, scene)
        make_background(scene, media / "bgvoice.ogg", work)
        render_video(scene, media / "clip.mp4")
        make_thumbnail(scene, media / "clip.mp4", media / "thumbnail.jpg")
        token = build_token(scene, scripts, pitch)
        check_demo_layout(scene.pack_id, token)
        return write_pack(out_dir / f"{scene.pack_id}.yspack", scene.pack_id, token,
                          {"video": media / "clip.mp4", "bgvoice": media / "bgvoice.ogg",
                           "vocal": media / "vocal.flac", "thumbnail": media / "thumbnail.jpg"})


def build_token(scene: DemoScene, scripts: list[dict], pitch: list[dict]) -> dict:
    """The manifest's token: the API's TokenDetail without bgvoice_url, absolute times."""
    t0 = scene.start_time
    return {
        "id": scene.token_id,
        "token_name": scene.token_name,
        "actor_name": scene.actor_name,
        "category": scene.category,
        "start_time": t0,
        "end_time": round(t0 + scene.duration, 3),
        "youtube_url": None,
        "thumbnail_url": None,
        "view_count": 0,
        "pitch": pitch,
        "scripts": scripts,
    }


def check_demo_layout(pack_id: str, token: dict) -> None:
    """What the demo scenes promise beyond the pack format (write_pack checks that): a known
    category, room before the first line, after the last and between lines, every line translated
    and timed word by word as written, and a contour with real voiced frames."""
    def check(condition: bool, problem: str) -> None:
        if not condition:
            raise GenerationError(f"{pack_id}: {problem}")

    t0, t1 = token["start_time"], token["end_time"]
    scripts = token["scripts"]
    check(token["category"] in CATEGORIES, f"unknown category {token['category']!r}")
    check(scripts[0]["start_time"] - t0 >= 0.5 - 1e-9, "lead-in >= 0.5 s")
    check(t1 - scripts[-1]["end_time"] >= 0.5 - 1e-9, "tail >= 0.5 s")
    for previous, script in zip(scripts, scripts[1:]):
        check(script["start_time"] - previous["end_time"] >= 0.4 - 1e-9,
              "gap between lines >= 0.4 s")
    for script in scripts:
        check(bool(script["translation"] and script["script"]), f"script {script['id']} text")
        words = script["words"]
        check([w["word"] for w in words] == [w for w, _ in script_words(script["script"])],
              f"words of script {script['id']} match its text")
        for previous, word in zip([None] + words, words):
            check(word["start_time"] < word["end_time"], f"word {word['id']} start < end")
            if previous is not None:
                check(previous["end_time"] <= word["start_time"], f"word {word['id']} ordered")
    check(sum(p["hz"] is not None for p in token["pitch"]) > 50, "pitch has voiced frames")


def check_packs_import(packs: list[Path]) -> None:
    """Import the packs into a throwaway library, media probes and all, as the app will."""
    with tempfile.TemporaryDirectory(prefix="demo-scenes-check-") as tmp:
        with Library(AppPaths(Path(tmp) / "data", Path(tmp) / "config")) as library:
            for pack in packs:
                import_pack(library, pack)


def build_all(out_dir: Path, scenes: tuple[DemoScene, ...] = SCENES) -> list[Path]:
    """Build every scene next to `out_dir`; replace the packs there only once all of them import."""
    out_dir.mkdir(parents=True, exist_ok=True)
    require_ffmpeg()
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".building-") as staging:
        built = [make_scene(scene, Path(staging)) for scene in scenes]
        check_packs_import(built)
        for pack in built:
            os.replace(pack, out_dir / pack.name)
    return [out_dir / pack.name for pack in built]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the demo scene packs (*.yspack).")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output directory (default: resources/demo_scenes)")
    args = parser.parse_args(argv)
    try:
        packs = build_all(args.out)
    except (GenerationError, SpeechError, PackError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for scene, path in zip(SCENES, packs):
        print(f"{path}  {path.stat().st_size / 1e6:.2f} MB  {scene.token_name} "
              f"({scene.category}, {scene.actor_name}, {len(scene.lines)} lines)")
    return 0
