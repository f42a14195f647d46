"""Scene packs: one token with its media in a ZIP (format in docs/scene-pack.md).

Import treats the archive as hostile. Everything is checked — archive structure, manifest, timeline,
the limits of a practice scene, media — cheapest first (pack_validation.py holds the checks and
`PackLimits`), with the media extracted only into the library's private staging folder, before
one transaction adds the scene. Any problem raises `PackError` with one line a user understands,
and the library is left exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from yousync_desktop.domain import DomainError, Token
from yousync_desktop.library.media_probe import MediaError, probe_audio, probe_image, probe_video
from yousync_desktop.library.pack_errors import PackError
from yousync_desktop.library.pack_validation import (
    MANIFEST_NAME, MEDIA_EXTENSIONS, PACK_FORMAT, PACK_FORMAT_VERSION, REQUIRED_MEDIA, PackLimits,
    check_archive, check_counts, check_media_sizes, media_references, parse_manifest,
    validate_timeline,
)
from yousync_desktop.library.repository import Library, LibraryError

# Re-exported: callers (library/rebuild.py among them) import the format's names and limits here.
__all__ = ["MANIFEST_NAME", "MEDIA_EXTENSIONS", "PACK_FORMAT", "PACK_FORMAT_VERSION",
           "REQUIRED_MEDIA", "ImportResult", "PackError", "PackLimits", "export_pack",
           "import_pack", "validate_timeline", "write_pack"]


@dataclass(frozen=True)
class ImportResult:
    key: int
    token_name: str
    status: str  # "added" or "unchanged"


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, sink) -> None:
    """Copy a member to `sink(chunk)`, never trusting the header's size."""
    seen = 0
    with archive.open(info) as source:
        while chunk := source.read(1 << 20):
            seen += len(chunk)
            if seen > limit or seen > info.file_size:
                raise PackError("pack.member_larger_than_claimed", name=info.filename)
            sink(chunk)


def _content_hash(pack_id: str, token: Token, media_digests: dict[str, str]) -> str:
    """Identity of a scene's content, independent of ZIP layout and JSON formatting, so that an
    exported pack re-imports as "unchanged"."""
    canonical = json.dumps({"pack_id": pack_id, "token": token.to_api(),
                            "media": dict(sorted(media_digests.items()))},
                           sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _check_media(token: Token, staged: dict[str, Path], limits: PackLimits) -> None:
    clip = token.duration
    longest = limits.track_seconds_allowed(clip)
    try:
        for kind in ("bgvoice", "vocal"):
            if kind in staged:
                info = probe_audio(staged[kind], max_seconds=longest)
                if info.duration < clip - 0.5:
                    raise PackError("pack.track_too_short", kind=kind, duration=info.duration,
                                    clip=clip)
                if info.duration > longest:
                    raise PackError("pack.track_too_long", kind=kind, limit=longest, clip=clip)
        video = probe_video(staged["video"])
        if abs(video.duration - clip) > 1.0:
            raise PackError("pack.video_length", duration=video.duration, clip=clip)
        if "thumbnail" in staged:
            probe_image(staged["thumbnail"])
    except MediaError as exc:
        raise PackError("pack.bad_media", reason=exc) from None


# --- import --------------------------------------------------------------------------------------

def import_pack(library: Library, pack_path: Path, limits: PackLimits = PackLimits()) -> ImportResult:
    pack_path = Path(pack_path)
    try:
        archive = zipfile.ZipFile(pack_path)
    except FileNotFoundError:
        raise PackError("pack.file_not_found", name=pack_path.name) from None
    except (zipfile.BadZipFile, OSError, ValueError):
        raise PackError("pack.not_a_zip", name=pack_path.name) from None
    with archive:
        try:
            return _import_from_archive(library, archive, limits)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error) as exc:
            # CRC errors, truncated members, bad compression data.
            raise PackError("pack.damaged", name=pack_path.name, detail=str(exc)) from None


def _import_from_archive(library: Library, archive: zipfile.ZipFile,
                         limits: PackLimits) -> ImportResult:
    # Cheapest first (pack_validation.py): nothing is extracted or decoded, and no line is
    # parsed, before the counts and sizes are known to fit a practice scene.
    members = check_archive(archive, limits)
    manifest_bytes = bytearray()
    _read_bounded(archive, members[MANIFEST_NAME], limits.max_manifest_bytes, manifest_bytes.extend)
    manifest = parse_manifest(bytes(manifest_bytes))
    check_counts(manifest["token"], limits)
    try:
        token = Token.from_api(manifest["token"])
    except DomainError as exc:
        raise PackError("pack.bad_token", reason=exc) from None
    validate_timeline(token, limits)
    references = media_references(manifest, members)
    check_media_sizes({kind: (name, members[name].file_size) for kind, name in references.items()},
                      token.duration, limits)

    try:
        staging = library.new_staging_dir()
    except LibraryError as exc:  # a library opened read-only
        raise PackError("pack.library_refused", reason=exc) from None
    try:
        # Kept with the scene's media: what a rebuild reads if the database is ever lost.
        (staging / MANIFEST_NAME).write_bytes(bytes(manifest_bytes))
        staged: dict[str, Path] = {}
        digests: dict[str, str] = {}
        for kind, name in references.items():
            target = staging / f"{kind}{PurePosixPath(name).suffix.lower()}"
            digest = hashlib.sha256()
            with open(target, "wb") as out:
                def sink(chunk: bytes, out=out, digest=digest) -> None:
                    digest.update(chunk)
                    out.write(chunk)
                _read_bounded(archive, members[name], limits.max_member_bytes, sink)
            staged[kind] = target
            digests[kind] = digest.hexdigest()
        pack_id = manifest["pack_id"]
        content_hash = _content_hash(pack_id, token, digests)
        existing = library.key_for_pack(pack_id)
        if existing is not None:
            scene = library.get_scene(existing)
            if scene.content_hash == content_hash:
                library.discard_staging(staging)
                return ImportResult(key=existing, token_name=scene.token.token_name,
                                    status="unchanged")
            raise PackError("pack.other_version_present", title=scene.token.token_name)
        _check_media(token, staged, limits)
        key = library.add_scene(token, pack_id=pack_id, content_hash=content_hash,
                                staged_media=staged)
    except LibraryError as exc:
        library.discard_staging(staging)
        raise PackError("pack.library_refused", reason=exc) from None
    except BaseException:
        library.discard_staging(staging)
        raise
    return ImportResult(key=key, token_name=token.token_name, status="added")


# --- writing and export --------------------------------------------------------------------------

# Where each kind of media goes in a pack this app writes; the file's own suffix is appended.
MEDIA_MEMBER_STEMS = {"video": "media/clip", "bgvoice": "media/bgvoice", "vocal": "media/vocal",
                      "thumbnail": "media/thumbnail"}
# Every entry carries this date, so the same scene always makes the same bytes (the bundled demo
# packs are regenerated and compared byte for byte).
PACK_ENTRY_DATE = (2026, 1, 1, 0, 0, 0)


def write_pack(out_path: Path, pack_id: str, token: dict,
               media_files: dict[str, Path | None]) -> Path:
    """Write one scene as a pack. `token` is the manifest's token object (the API's TokenDetail
    JSON without bgvoice_url, absolute times); `media_files` holds the scene's files by kind
    (video, bgvoice, vocal, thumbnail; None or absent for an optional one that is missing).

    The manifest is checked first with the rules import applies to it (header and timeline; the
    media are not probed here): PackError names the problem, DomainError a token that is not
    TokenDetail JSON. The archive is deterministic — entries in name order with fixed dates and
    permissions, the manifest deflated, the media stored (they are compressed already) — and is
    written to a temporary file then renamed, so a failure never leaves half a pack behind."""
    out_path = Path(out_path)
    unknown = set(media_files) - set(MEDIA_MEMBER_STEMS)
    if unknown:
        raise ValueError(f"unknown media kind(s) {sorted(unknown)}")
    sources = {kind: Path(media_files[kind]) for kind in MEDIA_MEMBER_STEMS
               if media_files.get(kind) is not None}
    media_names = {kind: MEDIA_MEMBER_STEMS[kind] + path.suffix for kind, path in sources.items()}
    manifest = {"format": PACK_FORMAT, "format_version": PACK_FORMAT_VERSION, "pack_id": pack_id,
                "token": token, "media": media_names}
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    parse_manifest(manifest_bytes)
    validate_timeline(Token.from_api(token))

    entries = sorted([(MANIFEST_NAME, None)]
                     + [(media_names[kind], path) for kind, path in sources.items()])
    out_path.parent.mkdir(parents=True, exist_ok=True)
    # Not mkstemp: its 0600 mode would stay on the pack; "x" creates with the usual permissions.
    partial = out_path.parent / f".export-{os.urandom(6).hex()}.yspack"
    try:
        with zipfile.ZipFile(partial, "x") as archive:
            for name, source in entries:
                if source is None:
                    archive.writestr(_pack_entry(name, zipfile.ZIP_DEFLATED), manifest_bytes,
                                     compresslevel=9)
                    continue
                entry = _pack_entry(name, zipfile.ZIP_STORED)
                entry.file_size = source.stat().st_size  # lets zipfile choose ZIP64 up front
                with open(source, "rb") as src, archive.open(entry, "w") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
        os.replace(partial, out_path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return out_path


def _pack_entry(name: str, compress_type: int) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=PACK_ENTRY_DATE)
    entry.create_system = 3  # Unix, so that the mode below is read as one
    entry.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
    entry.compress_type = compress_type
    return entry


def export_pack(library: Library, key: int, out_path: Path) -> Path:
    """Write a scene as a pack that imports back to the same scene. Written to a temporary file
    and renamed, so a failure never leaves a half-written pack behind."""
    try:
        scene = library.get_scene(key)
    except LibraryError as exc:
        raise PackError("pack.library_refused", reason=exc) from None
    out_path = Path(out_path)
    media_files = {kind: getattr(scene.media, kind) for kind in MEDIA_MEMBER_STEMS}
    for kind, path in media_files.items():
        if path is not None and not path.is_file():
            raise PackError("pack.media_missing_in_library", kind=kind, path=str(path))
    token_json = scene.token.to_api()
    token_json.pop("bgvoice_url", None)
    return write_pack(out_path, scene.pack_id, token_json, media_files)
