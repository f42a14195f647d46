#!/usr/bin/env python3
"""Render the practice window while recording and after scoring (docs/screenshots/), with a
virtual microphone fed by an eSpeak NG voice — the recipe of docs/testing.md:

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/practice_screenshots.py [--language ko]

Starts a private virtual sound server (scripts/virtual-audio.sh) and stops it by its PID."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--language", default="en")
    args = parser.parse_args()

    from tests.practice.helpers import DEMO_PACK, VirtualLearner, make_voice_lines
    from yousync_desktop.settings import demo_scenes_dir

    with tempfile.TemporaryDirectory(prefix="yousync-shots-") as scratch:
        runtime = Path(scratch) / "audio"
        env = dict(os.environ, YOUSYNC_AUDIO_RUNTIME_DIR=str(runtime))
        script = REPO / "scripts" / "virtual-audio.sh"
        subprocess.run([str(script), "start"], env=env, check=True, capture_output=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
        try:
            with zipfile.ZipFile(demo_scenes_dir() / f"{DEMO_PACK}.yspack") as archive:
                token = json.loads(archive.read("manifest.json"))["token"]
            voices = make_voice_lines(Path(scratch), [s["script"] for s in token["scripts"]])
            learner = VirtualLearner(Path(scratch))
            texts = [s["script"] for s in token["scripts"]]
            measured: list[int] = []

            def speak(recording) -> None:
                if not measured:  # once, during the first take's count-in (not photographed)
                    measured.append(learner.measure_lag(recording.take_session.engine))
                learner.speak_at_line(recording, voices[texts.index(recording.script.script)])

            from yousync_desktop.app import render_practice_screenshots

            suffix = "" if args.language == "en" else f"-{args.language}"
            shots = render_practice_screenshots(Path(scratch) / "shots", speak,
                                                language=args.language)
            args.out.mkdir(parents=True, exist_ok=True)
            for shot in shots:
                target = args.out / f"{shot.stem}{suffix}.png"
                shot.replace(target)
                print(target)
            learner.close()
        finally:
            subprocess.run([str(script), "stop"], env=env, check=False, capture_output=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
