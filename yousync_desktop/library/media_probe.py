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

from yousync_desktop.errors import CodedError, QT_TRANSLATE_NOOP


class MediaError(CodedError, ValueError):
    """A media file that cannot be used; `name` is the file's name, the code says what is wrong."""

    messages = {
        "media.invalid_samples": QT_TRANSLATE_NOOP("errors",
                                                   "{name}: audio contains invalid samples"),
        "media.unreadable_audio": QT_TRANSLATE_NOOP(
            "errors", "{name}: not a readable WAV, FLAC or Ogg audio file"),
        "media.unsupported_rate": QT_TRANSLATE_NOOP("errors",
                                                    "{name}: unsupported sample rate {rate} Hz"),
        "media.empty_audio": QT_TRANSLATE_NOOP("errors", "{name}: audio file is empty"),
        "media.truncated_box": QT_TRANSLATE_NOOP("errors", "{name}: truncated MP4 box"),
        "media.box_overrun": QT_TRANSLATE_NOOP(
            "errors", "{name}: damaged MP4 (a box runs past the end of the file)"),
        "media.not_mp4": QT_TRANSLATE_NOOP("errors", "{name}: not an MP4 video"),
        "media.mp4_incomplete": QT_TRANSLATE_NOOP(
            "errors", "{name}: MP4 video without its index or media data"),
        "media.not_h264": QT_TRANSLATE_NOOP(
            "errors", "{name}: the video is not H.264 (AVC); re-encode it with H.264"),
        "media.no_duration": QT_TRANSLATE_NOOP("errors", "{name}: the video has no duration"),
        "media.bad_video_size": QT_TRANSLATE_NOOP(
            "errors", "{name}: implausible video size {width}x{height}"),
        "media.damaged_png": QT_TRANSLATE_NOOP("errors", "{name}: damaged PNG image"),
        "media.damaged_jpeg": QT_TRANSLATE_NOOP("errors", "{name}: damaged JPEG image"),
        "media.not_an_image": QT_TRANSLATE_NOOP("errors",
                                                "{name}: thumbnail is not a PNG or JPEG image"),
        "media.bad_image_size": QT_TRANSLATE_NOOP(
            "errors", "{name}: image size {width}x{height} is not usable"),
    }


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


def probe_audio(path: Path, max_seconds: float | None = None) -> AudioInfo:
    """Decode the whole file (a header alone can lie) and check it holds finite samples.

    With `max_seconds`, stop as soon as the header or the decoding goes past it, rather than
    decode an hour of audio for a ten-second clip: the duration returned is then only known to be
    more than `max_seconds`."""
    try:
        with soundfile.SoundFile(str(path)) as audio:
            rate, channels = audio.samplerate, audio.channels
            if rate < 8000 or rate > 192000:
                raise MediaError("media.unsupported_rate", name=path.name, rate=rate)
            limit = None if max_seconds is None else int(max_seconds * rate)
            if limit is not None and audio.frames > limit:
                return AudioInfo(sample_rate=rate, channels=channels,
                                 duration=audio.frames / rate)
            frames = 0
            for block in audio.blocks(blocksize=65536, dtype="float32", always_2d=True):
                if not np.isfinite(block).all():
                    raise MediaError("media.invalid_samples", name=path.name)
                frames += len(block)
                if limit is not None and frames > limit:
                    break
    except MediaError:
        raise
    except (soundfile.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        raise MediaError("media.unreadable_audio", name=path.name) from exc
    if frames == 0:
        raise MediaError("media.empty_audio", name=path.name)
    return AudioInfo(sample_rate=rate, channels=channels, duration=frames / rate)


# --- MP4 -----------------------------------------------------------------------------------------

_CONTAINER_BOXES = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"udta"}
_H264_ENTRIES = {b"avc1", b"avc3"}


def _iter_boxes(data: memoryview, start: int, end: int, where: str):
    offset = start
    while offset < end:
        if end - offset < 8:
            raise MediaError("media.truncated_box", name=where)
        size, kind = struct.unpack(">I4s", data[offset:offset + 8])
        header = 8
        if size == 1:
            if end - offset < 16:
                raise MediaError("media.truncated_box", name=where)
            size = struct.unpack(">Q", data[offset + 8:offset + 16])[0]
            header = 16
        elif size == 0:
            size = end - offset
        if size < header or offset + size > end:
            raise MediaError("media.box_overrun", name=where)
        yield kind, offset + header, offset + size
        offset += size


def probe_video(path: Path) -> VideoInfo:
    where = path.name
    raw = path.read_bytes()
    data = memoryview(raw)
    top = {kind: (start, end) for kind, start, end in _iter_boxes(data, 0, len(raw), where)}
    if b"ftyp" not in top:
        raise MediaError("media.not_mp4", name=where)
    if b"moov" not in top or b"mdat" not in top:
        raise MediaError("media.mp4_incomplete", name=where)

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
        raise MediaError("media.not_h264", name=where)
    if not duration or duration <= 0:
        raise MediaError("media.no_duration", name=where)
    if not (16 <= width <= 7680 and 16 <= height <= 4320):
        raise MediaError("media.bad_video_size", name=where, width=width, height=height)
    return VideoInfo(codec=video_codec, duration=duration, width=width, height=height)


# --- images --------------------------------------------------------------------------------------

_MAX_IMAGE_SIDE = 8192


def probe_image(path: Path) -> ImageInfo:
    where = path.name
    with open(path, "rb") as f:
        head = f.read(1 << 16)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        if len(head) < 33 or head[12:16] != b"IHDR":
            raise MediaError("media.damaged_png", name=where)
        ihdr = head[12:29]
        (crc,) = struct.unpack(">I", head[29:33])
        if zlib.crc32(ihdr) != crc:
            raise MediaError("media.damaged_png", name=where)
        width, height = struct.unpack(">II", head[16:24])
        fmt = "png"
    elif head.startswith(b"\xff\xd8\xff"):
        width = height = 0
        offset = 2
        while offset + 9 < len(head):
            if head[offset] != 0xFF:
                raise MediaError("media.damaged_jpeg", name=where)
            marker = head[offset + 1]
            (length,) = struct.unpack(">H", head[offset + 2:offset + 4])
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", head[offset + 5:offset + 9])
                break
            offset += 2 + length
        fmt = "jpeg"
    else:
        raise MediaError("media.not_an_image", name=where)
    if not (1 <= width <= _MAX_IMAGE_SIDE and 1 <= height <= _MAX_IMAGE_SIDE):
        raise MediaError("media.bad_image_size", name=where, width=width, height=height)
    return ImageInfo(format=fmt, width=width, height=height)
