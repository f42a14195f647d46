"""Builds small, valid scene packs from code (ffmpeg for the H.264 clip, numpy tones for the audio, a
hand-made PNG) and lets a test spoil exactly one thing about them."""

from __future__ import annotations

import copy
import json
import struct
import subprocess
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile

CLIP_START, CLIP_END = 30.0, 33.0
SAMPLE_RATE = 48000


def png_bytes(width: int = 32, height: int = 18) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes([40, 90, 200]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def make_media(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    duration = CLIP_END - CLIP_START
    video = folder / "clip.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi",
         "-i", f"color=c=0x3050a0:s=160x90:r=10:d={duration},hue=h=t*90",
         "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", str(video)],
        check=True)
    t = np.arange(int(duration * SAMPLE_RATE)) / SAMPLE_RATE
    bgvoice = folder / "bgvoice.wav"
    soundfile.write(bgvoice, 0.1 * np.sin(2 * np.pi * 110 * t), SAMPLE_RATE)
    vocal = folder / "vocal.flac"
    soundfile.write(vocal, 0.2 * np.sin(2 * np.pi * 220 * t), SAMPLE_RATE)
    thumbnail = folder / "thumb.png"
    thumbnail.write_bytes(png_bytes())
    return {"video": video, "bgvoice": bgvoice, "vocal": vocal, "thumbnail": thumbnail}


def valid_manifest(pack_id: str = "test-scene") -> dict:
    words1 = [{"id": 1, "script_id": 1, "start_time": 30.5, "end_time": 30.8, "word": "Hello",
               "probability": 1.0},
              {"id": 2, "script_id": 1, "start_time": 30.85, "end_time": 31.3, "word": "there",
               "probability": 0.9}]
    words2 = [{"id": 3, "script_id": 2, "start_time": 31.8, "end_time": 32.2, "word": "안녕",
               "probability": None},
              {"id": 4, "script_id": 2, "start_time": None, "end_time": None, "word": "friend",
               "probability": None}]
    return {
        "format": "yousync-scene-pack", "format_version": 1, "pack_id": pack_id,
        "token": {
            "id": 77, "token_name": "테스트 장면 Test scene", "actor_name": "Test Actor",
            "category": "드라마", "start_time": CLIP_START, "end_time": CLIP_END,
            "youtube_url": None, "thumbnail_url": None, "view_count": 0,
            "pitch": [{"time": round(CLIP_START + i * 0.01, 2), "hz": (None if i % 7 == 0 else 200.0 + i)}
                      for i in range(250)],
            "scripts": [
                {"id": 1, "token_id": 77, "start_time": 30.4, "end_time": 31.4,
                 "script": "Hello there", "translation": "안녕하세요", "words": words1},
                {"id": 2, "token_id": 77, "start_time": 31.7, "end_time": 32.6,
                 "script": "안녕 friend", "translation": None, "words": words2},
            ],
        },
        "media": {"video": "media/clip.mp4", "bgvoice": "media/bgvoice.wav",
                  "vocal": "media/vocal.flac", "thumbnail": "media/thumb.png"},
    }


@dataclass
class PackSpec:
    """What goes into the archive; tests change a copy before writing it."""

    manifest: dict | None
    files: dict[str, bytes] = field(default_factory=dict)  # archive name -> content
    manifest_bytes: bytes | None = None                   # overrides `manifest` when set

    def copy(self) -> "PackSpec":
        return PackSpec(copy.deepcopy(self.manifest), dict(self.files), self.manifest_bytes)

    def write(self, path: Path) -> Path:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            if self.manifest_bytes is not None:
                archive.writestr("manifest.json", self.manifest_bytes)
            elif self.manifest is not None:
                archive.writestr("manifest.json", json.dumps(self.manifest, ensure_ascii=False))
            for name, content in self.files.items():
                archive.writestr(name, content)
        return path


def valid_spec(media: dict[str, Path], pack_id: str = "test-scene") -> PackSpec:
    manifest = valid_manifest(pack_id)
    files = {manifest["media"][kind]: path.read_bytes() for kind, path in media.items()}
    return PackSpec(manifest=manifest, files=files)
