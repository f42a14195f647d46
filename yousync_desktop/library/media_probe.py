"""Checks that a media file really is what a scene pack says it is, without Qt or ffmpeg.

Audio is decoded in full through libsndfile (WAV, FLAC, Ogg Vorbis/Opus). Video is checked by
walking the MP4 (ISO-BMFF) box tree: it must parse to the end of the file, hold a `moov` with an
H.264 (`avc1`/`avc3`) sample entry and media data, and report a duration. Images are checked by
their header (PNG IHDR with CRC, JPEG SOI/SOF markers) for a sane size.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile


class MediaError(ValueError):
    """A media file that cannot be used; the message says why in plain words."""


@dataclass(frozen=True)
class AudioInfo:
    sample_rate: int
    channels: int
    duration: float


@dataclass(frozen=True)
class VideoInfo:
    codec: str
    duration: float
    width: int
    height: int


@dataclass(frozen=True)
class ImageInfo:
    format: str
    width: int
    height: int


def probe_audio(path: Path) -> AudioInfo:
    """Decode the whole file (a header alone can lie) and check it holds finite samples."""
    try:
        with soundfile.SoundFile(str(path)) as audio:
            rate, channels = audio.samplerate, audio.channels
            frames = 0
            for block in audio.blocks(blocksize=65536, dtype="float32", always_2d=True):
                if not np.isfinite(block).all():
                    raise MediaError(f"{path.name}: audio contains invalid samples")
                frames += len(block)
    except MediaError:
        raise
    except (soundfile.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        raise MediaError(f"{path.name}: not a readable WAV, FLAC or Ogg audio file") from exc
    if rate < 8000 or rate > 192000:
        raise MediaError(f"{path.name}: unsupported sample rate {rate} Hz")
    if frames == 0:
        raise MediaError(f"{path.name}: audio file is empty")
    return AudioInfo(sample_rate=rate, channels=channels, duration=frames / rate)


# --- MP4 -----------------------------------------------------------------------------------------

_CONTAINER_BOXES = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"udta"}
_H264_ENTRIES = {b"avc1", b"avc3"}


def _iter_boxes(data: memoryview, start: int, end: int, where: str):
    offset = start
    while offset < end:
        if end - offset < 8:
            raise MediaError(f"{where}: truncated MP4 box")
        size, kind = struct.unpack(">I4s", data[offset:offset + 8])
        header = 8
        if size == 1:
            if end - offset < 16:
                raise MediaError(f"{where}: truncated MP4 box")
            size = struct.unpack(">Q", data[offset + 8:offset + 16])[0]
            header = 16
        elif size == 0:
            size = end - offset
        if size < header or offset + size > end:
            raise MediaError(f"{where}: damaged MP4 (a box runs past the end of the file)")
        yield kind, offset + header, offset + size
        offset += size


def probe_video(path: Path) -> VideoInfo:
    where = path.name
    raw = path.read_bytes()
    data = memoryview(raw)
    top = {kind: (start, end) for kind, start, end in _iter_boxes(data, 0, len(raw), where)}
    if b"ftyp" not in top:
        raise MediaError(f"{where}: not an MP4 video")
    if b"moov" not in top or b"mdat" not in top:
        raise MediaError(f"{where}: MP4 video without its index or media data")

    duration = None
    video_codec = None
    width = height = 0

    def walk(start: int, end: int) -> None:
        nonlocal duration, video_codec, width, height
        for kind, body, stop in _iter_boxes(data, start, end, where):
            if kind == b"mvhd":
                version = data[body]
                if version == 1:
                    timescale, length = struct.unpack(">IQ", data[body + 20:body + 32])
                else:
                    timescale, length = struct.unpack(">II", data[body + 12:body + 20])
                if timescale:
                    duration = length / timescale
            elif kind == b"stsd":
                # full box (4) + entry count (4), then sample entries shaped like boxes
                for entry, entry_body, _ in _iter_boxes(data, body + 8, stop, where):
                    if entry in _H264_ENTRIES:
                        video_codec = entry.decode()
                        # VisualSampleEntry: 6 reserved + 2 index + 16 predefined, then w, h
                        width, height = struct.unpack(">HH", data[entry_body + 24:entry_body + 28])
            elif kind in _CONTAINER_BOXES:
                walk(body, stop)

    walk(*top[b"moov"])
    if video_codec is None:
        raise MediaError(f"{where}: the video is not H.264 (AVC); re-encode it with H.264")
    if not duration or duration <= 0:
        raise MediaError(f"{where}: the video has no duration")
    if not (16 <= width <= 7680 and 16 <= height <= 4320):
        raise MediaError(f"{where}: implausible video size {width}x{height}")
    return VideoInfo(codec=video_codec, duration=duration, width=width, height=height)


# --- images --------------------------------------------------------------------------------------

_MAX_IMAGE_SIDE = 8192


def probe_image(path: Path) -> ImageInfo:
    where = path.name
    with open(path, "rb") as f:
        head = f.read(1 << 16)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        if len(head) < 33 or head[12:16] != b"IHDR":
            raise MediaError(f"{where}: damaged PNG image")
        ihdr = head[12:29]
        (crc,) = struct.unpack(">I", head[29:33])
        if zlib.crc32(ihdr) != crc:
            raise MediaError(f"{where}: damaged PNG image")
        width, height = struct.unpack(">II", head[16:24])
        fmt = "png"
    elif head.startswith(b"\xff\xd8\xff"):
        width = height = 0
        offset = 2
        while offset + 9 < len(head):
            if head[offset] != 0xFF:
                raise MediaError(f"{where}: damaged JPEG image")
            marker = head[offset + 1]
            (length,) = struct.unpack(">H", head[offset + 2:offset + 4])
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", head[offset + 5:offset + 9])
                break
            offset += 2 + length
        fmt = "jpeg"
    else:
        raise MediaError(f"{where}: thumbnail is not a PNG or JPEG image")
    if not (1 <= width <= _MAX_IMAGE_SIDE and 1 <= height <= _MAX_IMAGE_SIDE):
        raise MediaError(f"{where}: image size {width}x{height} is not usable")
    return ImageInfo(format=fmt, width=width, height=height)
