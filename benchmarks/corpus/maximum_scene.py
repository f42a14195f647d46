"""The largest scene a pack may hold: every limit of `PackLimits` reached at once, deterministic.

`maximum_token()` is the manifest's token (the API's TokenDetail JSON): a 10-minute clip with 500
lines of 2,000 characters, each with a 2,000-character Korean translation, 5,000 words, and the
most pitch points allowed (one per 10 ms and a second more). `write_maximum_pack()` adds media
for that clip (a 160x90 H.264 video at 1 frame/s, 8 kHz audio) so the pack itself stays small
while its manifest is as large as the limits allow. Used by `benchmarks.scene_open` and by the
UI test that opens such a scene.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import soundfile

from yousync_desktop.library.pack_validation import TIME_TOLERANCE, PackLimits
from yousync_desktop.library.scene_pack import write_pack

CLIP_START = 100.0
TOKEN_ID = 4242
AUDIO_RATE = 8000
_ENGLISH = ("you never told me where you were going that night and I waited by the window "
            "until the rain stopped and the street lights went out one by one ")
_KOREAN = ("그날 밤 어디 가는지 말해 주지 않았잖아 "
           "비가 그치고 가로등이 하나씩 꺼질 때까지 창가에서 기다렸어 ")


def _text(pool: str, length: int, line: int) -> str:
    """`length` characters of `pool`, starting at a different place on every line."""
    start = (line * 37) % len(pool)
    repeated = pool * (length // len(pool) + 2)
    return repeated[start:start + length].strip().ljust(length, ".")


def maximum_token(limits: PackLimits = PackLimits()) -> dict:
    clip = limits.max_clip_seconds
    start, end = CLIP_START, CLIP_START + clip
    slot = clip / limits.max_lines
    line_seconds = min(0.9 * slot, limits.max_line_seconds)
    words_per_line = min(limits.max_words // limits.max_lines, limits.max_words_per_line)
    scripts = []
    word_id = 0
    for index in range(limits.max_lines):
        line_id = index + 1
        line_start = round(start + index * slot, 4)
        line_end = round(line_start + line_seconds, 4)
        text = _text(_ENGLISH, limits.max_line_chars, index)
        words = []
        step = line_seconds / words_per_line
        for k, word in enumerate((text.split() * words_per_line)[:words_per_line]):
            word_id += 1
            if k == 0:  # one word per line as long as a word may be
                word = (word * limits.max_word_chars)[:limits.max_word_chars]
            words.append({"id": word_id, "script_id": line_id, "word": word, "probability": 0.9,
                          "start_time": round(line_start + k * step, 4),
                          "end_time": round(line_start + (k + 0.9) * step, 4)})
        scripts.append({"id": line_id, "token_id": TOKEN_ID, "start_time": line_start,
                        "end_time": line_end, "script": text,
                        "translation": _text(_KOREAN, limits.max_translation_chars, index),
                        "words": words})
    points = limits.pitch_points_allowed(clip)
    first, last = start - TIME_TOLERANCE / 2, end + TIME_TOLERANCE / 2
    pitch = [{"time": round(first + i * (last - first) / (points - 1), 5),
              "hz": None if i % 9 == 0 else round(180.0 + 40.0 * np.sin(i / 50.0), 1)}
             for i in range(points)]
    title = _text("가장 긴 장면 The longest scene ", limits.max_name_chars, 0)
    return {"id": TOKEN_ID, "token_name": title,
            "actor_name": _text("Actor Name ", limits.max_name_chars, 0),
            "category": _text("드라마 ", limits.max_name_chars, 0),
            "start_time": start, "end_time": end, "youtube_url": None, "thumbnail_url": None,
            "view_count": 0, "pitch": pitch, "scripts": scripts}


def write_media(folder: Path, seconds: float) -> dict[str, Path]:
    """A video, background and vocal track of `seconds`, small, and a thumbnail."""
    folder.mkdir(parents=True, exist_ok=True)
    video = folder / "clip.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi",
         "-i", f"color=c=0x3050a0:s=160x90:r=1:d={seconds}",
         "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", str(video)],
        check=True)
    t = np.arange(int(seconds * AUDIO_RATE)) / AUDIO_RATE
    bgvoice = folder / "bgvoice.flac"
    soundfile.write(bgvoice, (0.05 * np.sin(2 * np.pi * 110 * t)).astype(np.float32), AUDIO_RATE)
    vocal = folder / "vocal.flac"
    soundfile.write(vocal, (0.1 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), AUDIO_RATE)
    thumbnail = folder / "thumbnail.jpg"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                    "color=c=0x3050a0:s=320x180:d=1", "-frames:v", "1", str(thumbnail)],
                   check=True)
    return {"video": video, "bgvoice": bgvoice, "vocal": vocal, "thumbnail": thumbnail}


def write_maximum_pack(folder: Path, limits: PackLimits = PackLimits(),
                       pack_id: str = "maximum-scene") -> Path:
    media = write_media(folder / "media", limits.max_clip_seconds)
    return write_pack(folder / f"{pack_id}.yspack", pack_id, maximum_token(limits), media)
