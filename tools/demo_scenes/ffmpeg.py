"""Running ffmpeg for the demo scenes, with output that does not change from run to run."""

from __future__ import annotations

import shutil
import subprocess

from tools.demo_scenes import GenerationError

# No timestamps, encoder strings or random stream serials in the output.
FFMPEG_BITEXACT = ["-fflags", "+bitexact", "-map_metadata", "-1"]


def require_ffmpeg() -> str:
    path = shutil.which("ffmpeg")
    if not path:
        raise GenerationError("ffmpeg not found on PATH (needs libx264 and libvorbis; "
                              "Debian/Ubuntu: apt-get install ffmpeg)")
    return path


def run_ffmpeg(args: list[str], stdin: bytes | None = None) -> None:
    cmd = [require_ffmpeg(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args]
    proc = subprocess.run(cmd, input=stdin, capture_output=True)
    if proc.returncode != 0:
        raise GenerationError(f"ffmpeg failed ({proc.returncode}): {' '.join(cmd)}\n"
                              f"{proc.stderr.decode(errors='replace')}")
