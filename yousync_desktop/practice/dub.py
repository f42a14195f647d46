""""Listen to my dub" and "Export my dub…": the scene's background with the learner's chosen take
of each line (starred, else best scored, else newest), mixed by analysis/mixing.py.

WAV and FLAC are written directly; MP3 and M4A (AAC) go through pydub, which needs ffmpeg and
ffprobe on the PATH — `export_formats()` says which formats this machine can write.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from yousync_desktop.analysis.mixing import render_dub_mix_files, write_mix
from yousync_desktop.errors import CodedError, QT_TRANSLATE_NOOP
from yousync_desktop.practice.lines import take_for_dub

DIRECT_FORMATS = (".wav", ".flac")
PYDUB_FORMATS = {".mp3": ("mp3", "libmp3lame", "192k"), ".m4a": ("ipod", "aac", "192k")}


class DubError(CodedError):
    """The dub cannot be made; the code says why in one line."""

    messages = {
        "dub.no_takes": QT_TRANSLATE_NOOP(
            "errors", "Record at least one line first: your dub has no takes yet."),
        "dub.unsupported_format": QT_TRANSLATE_NOOP(
            "errors", "Cannot write {suffix} here; choose one of {formats}."),
        "dub.no_extension": QT_TRANSLATE_NOOP(
            "errors", "Cannot write files without an extension here; choose one of {formats}."),
    }


def export_formats() -> list[str]:
    """File extensions the export can write here (mp3/m4a only when ffmpeg is installed)."""
    formats = list(DIRECT_FORMATS)
    if shutil.which("ffmpeg") and shutil.which("ffprobe"):
        formats += list(PYDUB_FORMATS)
    return formats


def dub_takes(session) -> list[tuple[int, Path, float]]:
    """(script id, take file, window start) of the take chosen for each recorded line."""
    by_script: dict[int, list] = {}
    for take in session.library.takes(session.scene.key):
        by_script.setdefault(take.script_id, []).append(take)
    chosen = []
    for script in session.scripts:
        take = take_for_dub(by_script.get(script.id, []))
        if take is not None:
            chosen.append((script.id, session.take_path(take), take.window_start(script)))
    return chosen


def render_dub(session) -> tuple[np.ndarray, int, int]:
    """The mix as mono float32, its rate, and how many lines carry a take of the learner."""
    takes = dub_takes(session)
    if not takes:
        raise DubError("dub.no_takes")
    media = session.scene.media
    audio, rate = render_dub_mix_files(session.token, media.bgvoice, media.vocal, takes)
    return audio, rate, len(takes)


def export_dub(session, out_path: Path) -> Path:
    """Write the learner's dub to `out_path`; the format follows the extension."""
    out_path = Path(out_path)
    suffix = out_path.suffix.lower()
    if suffix not in export_formats():
        formats = ", ".join(export_formats())
        raise (DubError("dub.unsupported_format", suffix=suffix, formats=formats) if suffix
               else DubError("dub.no_extension", formats=formats))
    audio, rate, _count = render_dub(session)
    if suffix in DIRECT_FORMATS:
        return write_mix(out_path, audio, rate)
    from pydub import AudioSegment  # imported late: it probes for ffmpeg when imported

    container, codec, bitrate = PYDUB_FORMATS[suffix]
    with tempfile.TemporaryDirectory(prefix="yousync-dub-") as scratch:
        wav = write_mix(Path(scratch) / "dub.wav", audio, rate)
        partial = Path(scratch) / f"dub{suffix}"
        AudioSegment.from_wav(str(wav)).export(str(partial), format=container, codec=codec,
                                               bitrate=bitrate)
        shutil.move(str(partial), str(out_path.with_suffix(suffix + ".part")))
    os.replace(out_path.with_suffix(suffix + ".part"), out_path)
    return out_path
