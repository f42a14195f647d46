"""What an uploaded file really is, from its bytes (never its name), and proof that it is audio:
it is decoded in full — libsndfile for WAV/FLAC/OGG/MP3, ffmpeg for M4A/AAC and whatever
libsndfile refuses — and must yield at least one sample. Also the one decoder the worker uses, so
anything the upload accepted the analysis can read."""

from __future__ import annotations

import shutil
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

FORMATS = ("wav", "mp3", "m4a", "aac", "flac", "ogg")
EXTENSIONS = {"wav": "wav", "wave": "wav", "mp3": "mp3", "m4a": "m4a", "mp4": "m4a", "aac": "aac",
              "flac": "flac", "ogg": "ogg", "oga": "ogg", "opus": "ogg"}
HEAD_BYTES = 64
DECODE_RATE = 16_000            # enough to prove a file is audio and to count its samples
FFMPEG_TIMEOUT_S = 60
_STREAMING_SIZES = (0, 0xFFFFFFFF)  # writers that stream leave the size unknown


class NotAudio(ValueError):
    """Content that decodes to no audio: empty, truncated, garbage, or a header that lies."""


@dataclass(frozen=True)
class AudioProbe:
    format: str          # one of FORMATS
    sample_rate: int     # the file's own rate
    frames: int          # decoded frames at `sample_rate`

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate if self.sample_rate else 0.0


def detect_format(head: bytes) -> str | None:
    """The container/codec from the first bytes (HEAD_BYTES are plenty), or None."""
    if len(head) >= 12 and head[:4] in (b"RIFF", b"RIFX") and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"fLaC":
        return "flac"
    if head[:4] == b"OggS":
        return "ogg"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "m4a"
    if head[:3] == b"ID3":
        # An ID3v2 tag can precede MP3 frames, FLAC or ADTS; the decoder settles which.
        return "mp3"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0:
        return "aac"     # ADTS sync word, layer bits 00
    if len(head) >= 4 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and _mpeg_audio(head):
        return "mp3"
    return None


def _mpeg_audio(head: bytes) -> bool:
    version = (head[1] >> 3) & 0b11
    layer = (head[1] >> 1) & 0b11
    bitrate = head[2] >> 4
    rate = (head[2] >> 2) & 0b11
    return version != 0b01 and layer != 0b00 and bitrate not in (0, 0b1111) and rate != 0b11


def _wav_header_lies(path: Path) -> bool:
    """A RIFF size or `data` chunk size larger than the file: the header promises audio that is
    not there (libsndfile would quietly read less)."""
    size = path.stat().st_size
    with open(path, "rb") as wav:
        header = wav.read(12)
        if len(header) < 12:
            return True
        riff_size = struct.unpack("<I", header[4:8])[0]
        if riff_size not in _STREAMING_SIZES and riff_size + 8 > size:
            return True
        while True:
            chunk = wav.read(8)
            if len(chunk) < 8:
                return True              # no data chunk at all
            name, length = chunk[:4], struct.unpack("<I", chunk[4:8])[0]
            if name == b"data":
                return length not in _STREAMING_SIZES and wav.tell() + length > size
            wav.seek(length + (length & 1), 1)


def _decode_soundfile(path: Path, block_frames: int = 1 << 16) -> tuple[int, int]:
    """(sample rate, frames actually decoded), reading block by block so that memory stays flat."""
    frames = 0
    with soundfile.SoundFile(str(path)) as audio:
        rate = audio.samplerate
        for block in audio.blocks(blocksize=block_frames, dtype="float32", always_2d=True):
            if not np.all(np.isfinite(block)):
                raise NotAudio("samples that are not numbers")
            frames += len(block)
    return rate, frames


def _ffmpeg() -> str:
    program = shutil.which("ffmpeg")
    if program is None:
        raise NotAudio("ffmpeg is needed to decode this format and is not installed")
    return program


def _decode_ffmpeg(path: Path, rate: int = DECODE_RATE) -> np.ndarray:
    command = [_ffmpeg(), "-nostdin", "-v", "error", "-i", str(path), "-vn", "-ac", "1",
               "-ar", str(rate), "-f", "f32le", "-"]
    try:
        done = subprocess.run(command, capture_output=True, timeout=FFMPEG_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise NotAudio("decoding took too long") from None
    if done.returncode != 0:
        raise NotAudio(done.stderr.decode(errors="replace").strip()[-300:] or "ffmpeg failed")
    return np.frombuffer(done.stdout, dtype=np.float32)


def probe_audio(path: Path) -> AudioProbe:
    """Detect and fully decode `path`; NotAudio unless it is audio of a supported format with at
    least one sample. Unsupported content raises UnsupportedFormat (a NotAudio)."""
    path = Path(path)
    with open(path, "rb") as source:
        head = source.read(HEAD_BYTES)
    if not head:
        raise NotAudio("empty file")
    kind = detect_format(head)
    if kind is None:
        raise UnsupportedFormat("not WAV, MP3, M4A/AAC, FLAC or OGG")
    if kind == "wav" and _wav_header_lies(path):
        raise NotAudio("the WAV header describes more audio than the file holds")
    rate = frames = 0
    if kind in ("wav", "flac", "ogg", "mp3"):
        try:
            rate, frames = _decode_soundfile(path)
        except (soundfile.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
            if kind in ("wav", "flac"):
                raise NotAudio(f"undecodable {kind}: {exc}") from None
            frames = 0  # e.g. Opus in OGG on an old libsndfile: let ffmpeg try
    if frames == 0 and kind not in ("wav", "flac"):
        samples = _decode_ffmpeg(path)
        rate, frames = DECODE_RATE, len(samples)
        if not np.all(np.isfinite(samples)):
            raise NotAudio("samples that are not numbers")
    if frames == 0:
        raise NotAudio("no audio samples (zero length)")
    return AudioProbe(kind, int(rate), int(frames))


class UnsupportedFormat(NotAudio):
    """Content in none of the accepted formats (415 rather than 422)."""


def load_mono_any(path: Path) -> tuple[np.ndarray, int]:
    """Mono float32 samples of any accepted upload at its own rate (ffmpeg formats at 48 kHz)."""
    try:
        samples, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
        return samples.mean(axis=1, dtype=np.float32), int(rate)
    except (soundfile.LibsndfileError, RuntimeError, TypeError, ValueError):
        return _decode_ffmpeg(Path(path), 48_000).copy(), 48_000
