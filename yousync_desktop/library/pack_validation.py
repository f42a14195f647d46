"""What a scene pack may hold, and the checks that hold it to that (docs/scene-pack.md states each
limit and why). Every refusal is a `PackError` naming the limit and the value found.

The checks come in the order of their cost, so that a hostile pack is refused before the work it
would cause: the archive's directory (names and sizes as the ZIP claims them), the manifest's
header, the counts in the raw manifest JSON (before a single line is turned into an object), the
parsed scene's timeline and text, and the media members' sizes against the clip's length (before
anything is extracted or decoded). `scene_pack.py` runs them; nothing here reads the media.
"""

from __future__ import annotations

import json
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from yousync_desktop.domain import Token
from yousync_desktop.library.pack_errors import PackError

PACK_FORMAT = "yousync-scene-pack"
PACK_FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"

# Seconds of slack for times that come from analysis frames (pitch) or word recognisers.
TIME_TOLERANCE = 0.05
MEDIA_EXTENSIONS = {
    "video": {".mp4", ".m4v"},
    "bgvoice": {".wav", ".flac", ".ogg", ".oga", ".opus"},
    "vocal": {".wav", ".flac", ".ogg", ".oga", ".opus"},
    "thumbnail": {".png", ".jpg", ".jpeg"},
}
REQUIRED_MEDIA = ("video", "bgvoice")
NAME_FIELDS = ("token_name", "actor_name", "category")
_PACK_ID = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
MB = 1024 * 1024


@dataclass(frozen=True)
class PackLimits:
    """The bounds of a practice scene. The defaults are what docs/scene-pack.md promises; tests
    lower single ones to reach them with small packs."""

    # The archive, as its directory claims (and as reading then enforces).
    max_entries: int = 64
    max_member_bytes: int = 640 * MB          # the largest video the per-second rule allows
    max_total_bytes: int = 1280 * MB          # a longest clip's video, two tracks and a thumbnail
    max_compression_ratio: float = 200.0
    ratio_checked_above: int = 1 * MB         # tiny members may compress well legitimately
    max_manifest_bytes: int = 16 * MB
    # The scene.
    max_clip_seconds: float = 600.0
    max_lines: int = 500
    max_line_seconds: float = 60.0
    max_words_per_line: int = 200
    max_words: int = 5000
    max_line_chars: int = 2000
    max_translation_chars: int = 2000
    max_word_chars: int = 100
    max_name_chars: int = 200
    max_pitch_points_per_second: float = 100.0  # one every 10 ms
    max_pitch_points: int = 60_100               # the per-second rule over the longest clip
    # The media, per second of clip, plus a fixed allowance for headers and very short clips.
    max_video_bytes_per_second: int = 1 * MB     # 8 Mbit/s
    max_audio_bytes_per_second: int = MB // 2    # 4 Mbit/s
    media_allowance_bytes: int = 1 * MB
    max_thumbnail_bytes: int = 10 * MB
    max_track_overrun_seconds: float = 10.0     # audio past the clip's end is never played

    def pitch_points_allowed(self, clip_seconds: float) -> int:
        """Points allowed for a clip: one per 10 ms over the clip and one more second, for the
        points at both ends and inside the time tolerance."""
        allowed = int(self.max_pitch_points_per_second * (clip_seconds + 1.0))
        return min(allowed, self.max_pitch_points)

    def media_bytes_allowed(self, kind: str, clip_seconds: float) -> int:
        if kind == "thumbnail":
            return self.max_thumbnail_bytes
        per_second = (self.max_video_bytes_per_second if kind == "video"
                      else self.max_audio_bytes_per_second)
        return int(per_second * clip_seconds) + self.media_allowance_bytes

    def track_seconds_allowed(self, clip_seconds: float) -> float:
        return clip_seconds + self.max_track_overrun_seconds


# --- the archive ---------------------------------------------------------------------------------

def safe_member_name(name: str) -> bool:
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    if re.match(r"^[A-Za-z]:", name):
        return False
    parts = PurePosixPath(name).parts
    return all(part not in ("..", "") for part in parts)


def check_archive(archive: zipfile.ZipFile, limits: PackLimits) -> dict[str, zipfile.ZipInfo]:
    """The archive's members by name, once its directory passes: safe names, regular files,
    no duplicates or encryption, sizes and compression ratios within bounds."""
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise PackError("pack.too_many_entries", count=len(infos), limit=limits.max_entries)
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        if not safe_member_name(name):
            raise PackError("pack.unsafe_path", name=name)
        file_type = stat.S_IFMT(info.external_attr >> 16)  # Unix mode bits, when the zip has them
        if file_type and file_type not in (stat.S_IFREG, stat.S_IFDIR):
            raise PackError("pack.special_file", name=name)
        if name in members:
            raise PackError("pack.duplicate_member", name=name)
        if info.flag_bits & 0x1:
            raise PackError("pack.encrypted")
        if info.file_size > limits.max_member_bytes:
            raise PackError("pack.member_too_large", name=name, size_mb=info.file_size // MB,
                            limit_mb=limits.max_member_bytes // MB)
        if (info.file_size > limits.ratio_checked_above
                and info.file_size > limits.max_compression_ratio * max(info.compress_size, 1)):
            raise PackError("pack.zip_bomb", name=name)
        total += info.file_size
        members[name] = info
    if total > limits.max_total_bytes:
        raise PackError("pack.too_large", size_mb=total // MB,
                        limit_mb=limits.max_total_bytes // MB)
    if MANIFEST_NAME not in members:
        raise PackError("pack.no_manifest")
    manifest_size = members[MANIFEST_NAME].file_size
    if manifest_size > limits.max_manifest_bytes:
        raise PackError("pack.manifest_too_large", size_mb=manifest_size / MB,
                        limit_mb=limits.max_manifest_bytes // MB)
    return members


# --- the manifest --------------------------------------------------------------------------------

def parse_manifest(raw: bytes) -> dict:
    """The manifest's JSON once its header is right (format, version, pack id, token, media)."""
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise PackError("pack.manifest_not_utf8") from None
    except json.JSONDecodeError as exc:
        raise PackError("pack.manifest_not_json", line=exc.lineno, detail=exc.msg) from None
    except RecursionError:  # "[[[[…": nested deeper than any manifest is
        raise PackError("pack.manifest_not_json", line=1, detail="nested too deeply") from None
    if not isinstance(manifest, dict):
        raise PackError("pack.manifest_not_object")
    if manifest.get("format") != PACK_FORMAT:
        raise PackError("pack.not_a_manifest")
    if manifest.get("format_version") != PACK_FORMAT_VERSION:
        raise PackError("pack.unsupported_version", version=manifest.get("format_version"),
                        supported=PACK_FORMAT_VERSION)
    pack_id = manifest.get("pack_id")
    if not isinstance(pack_id, str) or not _PACK_ID.match(pack_id):
        raise PackError("pack.bad_pack_id")
    if not isinstance(manifest.get("token"), dict):
        raise PackError("pack.no_token")
    if not isinstance(manifest.get("media"), dict):
        raise PackError("pack.no_media")
    return manifest


def check_counts(token_json: dict, limits: PackLimits = PackLimits()) -> None:
    """Lines, words and pitch points counted in the raw JSON, before any of them is parsed: a
    pack with 40,000 lines costs a few list lengths, not 40,000 objects. Lists of the wrong type
    are left to the parser, which names the field."""
    scripts = token_json.get("scripts")
    if isinstance(scripts, list):
        if len(scripts) > limits.max_lines:
            raise PackError("pack.too_many_lines", count=len(scripts), limit=limits.max_lines)
        total_words = 0
        for position, script in enumerate(scripts):
            words = script.get("words") if isinstance(script, dict) else None
            if not isinstance(words, list):
                continue
            if len(words) > limits.max_words_per_line:
                raise PackError("pack.too_many_words_in_line", line=_line_label(script, position),
                                count=len(words), limit=limits.max_words_per_line)
            total_words += len(words)
        if total_words > limits.max_words:
            raise PackError("pack.too_many_words", count=total_words, limit=limits.max_words)
    pitch = token_json.get("pitch")
    if isinstance(pitch, list) and len(pitch) > limits.max_pitch_points:
        raise PackError("pack.too_many_pitch_points", count=len(pitch),
                        limit=limits.max_pitch_points)


def _line_label(script: dict, position: int):
    """A raw line's id when it has a usable one, else its position (1-based) in the list."""
    line_id = script.get("id")
    return line_id if isinstance(line_id, int) and not isinstance(line_id, bool) else position + 1


# --- the scene -----------------------------------------------------------------------------------

def validate_timeline(token: Token, limits: PackLimits = PackLimits()) -> None:
    """Check the scene's absolute timeline is consistent and the scene within `limits`; raises
    PackError naming the problem."""
    tol = TIME_TOLERANCE
    if not token.start_time < token.end_time:
        raise PackError("pack.clip_reversed")
    if token.duration > limits.max_clip_seconds:
        raise PackError("pack.clip_too_long", seconds=token.duration,
                        limit=limits.max_clip_seconds)
    _check_names(token, limits)
    if not token.scripts:
        raise PackError("pack.no_lines")
    # The counts again, for callers that built the Token themselves (write_pack).
    check_counts({"scripts": [{"id": s.id, "words": s.words} for s in token.scripts],
                  "pitch": token.pitch}, limits)
    script_ids: set[int] = set()
    word_ids: set[int] = set()
    previous_end = None
    for script in token.scripts:
        if script.id in script_ids:
            raise PackError("pack.duplicate_line_id", line=script.id)
        script_ids.add(script.id)
        if script.token_id != token.id:
            raise PackError("pack.line_of_other_token", line=script.id, token=script.token_id,
                            expected=token.id)
        _check_line_text(script, limits)
        if not script.start_time < script.end_time:
            raise PackError("pack.line_reversed", line=script.id)
        if script.duration > limits.max_line_seconds:
            raise PackError("pack.line_too_long", line=script.id, seconds=script.duration,
                            limit=limits.max_line_seconds)
        if script.start_time < token.start_time - tol or script.end_time > token.end_time + tol:
            raise PackError("pack.line_outside_clip", line=script.id)
        if previous_end is not None and script.start_time < previous_end - tol:
            raise PackError("pack.lines_out_of_order", line=script.id)
        previous_end = script.end_time
        previous_word_start = None
        for word in script.words:
            if word.id in word_ids:
                raise PackError("pack.duplicate_word_id", word_id=word.id)
            word_ids.add(word.id)
            if word.script_id != script.id:
                raise PackError("pack.word_of_other_line", word_id=word.id, line=word.script_id,
                                expected=script.id)
            if word.word is not None and len(word.word) > limits.max_word_chars:
                raise PackError("pack.word_too_long", line=script.id, count=len(word.word),
                                limit=limits.max_word_chars)
            if word.start_time is None or word.end_time is None:
                continue
            if word.start_time > word.end_time:
                raise PackError("pack.word_reversed", word=word.word, line=script.id)
            if word.start_time < script.start_time - tol or word.end_time > script.end_time + tol:
                raise PackError("pack.word_outside_line", word=word.word, line=script.id)
            if previous_word_start is not None and word.start_time < previous_word_start:
                raise PackError("pack.words_out_of_order", line=script.id)
            previous_word_start = word.start_time
    _check_pitch(token, limits)


def _check_names(token: Token, limits: PackLimits) -> None:
    for field in NAME_FIELDS:
        value = getattr(token, field)
        if value is not None and len(value) > limits.max_name_chars:
            raise PackError("pack.name_too_long", field=field, count=len(value),
                            limit=limits.max_name_chars)


def _check_line_text(script, limits: PackLimits) -> None:
    if not script.script.strip():
        raise PackError("pack.line_without_text", line=script.id)
    if len(script.script) > limits.max_line_chars:
        raise PackError("pack.line_text_too_long", line=script.id, count=len(script.script),
                        limit=limits.max_line_chars)
    if script.translation is not None and len(script.translation) > limits.max_translation_chars:
        raise PackError("pack.translation_too_long", line=script.id,
                        count=len(script.translation), limit=limits.max_translation_chars)


def _check_pitch(token: Token, limits: PackLimits) -> None:
    tol = TIME_TOLERANCE
    points = token.pitch or []
    allowed = limits.pitch_points_allowed(token.duration)
    if len(points) > allowed:
        raise PackError("pack.pitch_too_dense", count=len(points), seconds=token.duration,
                        limit=allowed, per_second=limits.max_pitch_points_per_second)
    previous_time = None
    for point in points:
        if previous_time is not None and point.time <= previous_time:
            raise PackError("pack.pitch_not_increasing")
        if point.time < token.start_time - tol or point.time > token.end_time + tol:
            raise PackError("pack.pitch_outside_clip")
        if point.hz is not None and not 20.0 <= point.hz <= 2000.0:
            raise PackError("pack.implausible_pitch", hz=point.hz)
        previous_time = point.time


# --- the media -----------------------------------------------------------------------------------

def media_references(manifest: dict, members: dict[str, zipfile.ZipInfo]) -> dict[str, str]:
    """Archive member name by media kind, once every reference is safe, typed and present."""
    media = manifest["media"]
    unknown = set(media) - set(MEDIA_EXTENSIONS)
    if unknown:
        raise PackError("pack.unknown_media_kind", kind=sorted(unknown)[0])
    references: dict[str, str] = {}
    for kind in MEDIA_EXTENSIONS:
        name = media.get(kind)
        if name is None:
            if kind in REQUIRED_MEDIA:
                raise PackError("pack.missing_media_kind", kind=kind)
            continue
        if not isinstance(name, str) or not safe_member_name(name):
            raise PackError("pack.unsafe_media_path", kind=kind, name=name)
        if PurePosixPath(name).suffix.lower() not in MEDIA_EXTENSIONS[kind]:
            raise PackError("pack.wrong_media_type", name=name, kind=kind)
        if name not in members:
            raise PackError("pack.media_not_in_archive", name=name)
        references[kind] = name
    if len(set(references.values())) != len(references):
        raise PackError("pack.shared_media_file")
    return references


def check_media_sizes(sizes: dict[str, tuple[str, int]], clip_seconds: float,
                      limits: PackLimits = PackLimits()) -> None:
    """`sizes`: (member name, bytes) by media kind. A file far larger than its clip needs (a
    5-second scene with a 300 MB video) is refused before it is extracted or decoded."""
    for kind, (name, size) in sizes.items():
        allowed = limits.media_bytes_allowed(kind, clip_seconds)
        if size > allowed:
            raise PackError("pack.media_too_large", kind=kind, name=name, size_mb=size / MB,
                            clip=clip_seconds, limit_mb=allowed / MB)
