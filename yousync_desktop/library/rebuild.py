"""Rebuilding the library from its media folders, and tidying scene folders at start.

The media folder outlives the database: each scene folder `media/scenes/<name>/` holds its media
(`video.mp4`, `bgvoice.wav`, ...), the pack's `manifest.json` (kept by import) and `scene.json`
(its key, pack id and content hash); each take `media/takes/<scene key>/<id>.wav` carries its
scene, line and recording details in its WAV header. From these a lost or damaged database is
rebuilt: every scene and take that can be read comes back; what cannot is listed, and its files
stay where they are. Scores and ★ marks live only in the database: rebuilt takes come back
unscored (the practice screen scores a take without a score when it is shown) and unstarred.

At each start (under the library lock) `tidy_scene_folders` finishes what a crash interrupted:
a scene folder with no row (an import killed between moving its folder and committing) is
adopted, a `.deleting-` folder is removed or, if its scene is still recorded, put back; and scene
folders from before this version get their `manifest.json` and `scene.json`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import soundfile

from yousync_desktop.domain import DomainError, Token
from yousync_desktop.errors import QT_TRANSLATE_NOOP, CodedError
from yousync_desktop.library.repository import DELETING_PREFIX, MEDIA_KINDS, Library
from yousync_desktop.library.row_mapping import SCENE_RECORD, write_scene_record
from yousync_desktop.library.scene_pack import (
    MANIFEST_NAME, PACK_FORMAT, PACK_FORMAT_VERSION, REQUIRED_MEDIA, _content_hash,
)

log = logging.getLogger(__name__)


class RebuildProblem(CodedError):
    """Something on disk that could not be put back into the library (its files are kept)."""

    messages = {
        "rebuild.scene_without_record": QT_TRANSLATE_NOOP(
            "errors", "Scene folder {folder}: it holds no scene description (manifest.json)."),
        "rebuild.scene_unreadable": QT_TRANSLATE_NOOP(
            "errors", "Scene folder {folder}: its scene description cannot be read."),
        "rebuild.scene_media_missing": QT_TRANSLATE_NOOP(
            "errors", "Scene folder {folder}: its {kind} file is missing."),
        "rebuild.scene_already_present": QT_TRANSLATE_NOOP(
            "errors", "Scene folder {folder}: the scene “{title}” is already in the library."),
        "rebuild.take_unreadable": QT_TRANSLATE_NOOP(
            "errors", "Take {file}: it cannot be read as a recording."),
        "rebuild.take_without_scene": QT_TRANSLATE_NOOP(
            "errors", "Take {file}: the scene it was recorded for is not in the library."),
        "rebuild.take_without_line": QT_TRANSLATE_NOOP(
            "errors", "Take {file}: line {line} is not part of its scene."),
    }


@dataclass
class RebuildReport:
    scenes: list[str] = field(default_factory=list)   # titles of the scenes put back
    takes: int = 0                                     # takes put back
    problems: list[RebuildProblem] = field(default_factory=list)

    def __iadd__(self, other: "RebuildReport") -> "RebuildReport":
        self.scenes += other.scenes
        self.takes += other.takes
        self.problems += other.problems
        return self


def _subfolders(folder: Path) -> list[Path]:
    try:
        return sorted(entry for entry in folder.iterdir() if entry.is_dir())
    except OSError:
        return []


def _utc_naive(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


# --- scenes --------------------------------------------------------------------------------------

def adopt_scene_folders(library: Library) -> RebuildReport:
    """Record every scene folder the database does not know and that describes itself."""
    report = RebuildReport()
    known_folders, _ = library.recorded_files()
    for folder in _subfolders(library.media_dir / "scenes"):
        if folder.name.startswith(".") or f"scenes/{folder.name}" in known_folders:
            continue
        try:
            report.scenes.append(_adopt_scene_folder(library, folder))
        except RebuildProblem as problem:
            log.warning("scene folder %s not rebuilt: %s", folder.name, problem)
            report.problems.append(problem)
    return report


def _adopt_scene_folder(library: Library, folder: Path) -> str:
    manifest_path = folder / MANIFEST_NAME
    if not manifest_path.is_file():
        raise RebuildProblem("rebuild.scene_without_record", folder=folder.name)
    manifest = _read_json(manifest_path)
    pack_id = manifest.get("pack_id")
    if not isinstance(pack_id, str):
        raise RebuildProblem("rebuild.scene_unreadable", folder=folder.name)
    try:
        token = Token.from_api(manifest.get("token"))
    except DomainError:
        raise RebuildProblem("rebuild.scene_unreadable", folder=folder.name) from None
    files = {}
    for kind in MEDIA_KINDS:
        found = sorted(p for p in folder.glob(f"{kind}.*") if p.is_file())
        if found:
            files[kind] = found[0]
    for kind in REQUIRED_MEDIA:
        if kind not in files:
            raise RebuildProblem("rebuild.scene_media_missing", folder=folder.name, kind=kind)
    existing = library.key_for_pack(pack_id)
    if existing is not None:
        raise RebuildProblem("rebuild.scene_already_present", folder=folder.name,
                             title=library.get_scene(existing).token.token_name)
    record = _read_json(folder / SCENE_RECORD)
    content_hash = record.get("content_hash")
    if not isinstance(content_hash, str):
        content_hash = _content_hash(pack_id, token, {kind: _sha256(path)
                                                      for kind, path in files.items()})
    key = record.get("key")
    library.adopt_scene_folder(
        token, pack_id=pack_id, content_hash=content_hash, folder=folder.name,
        files={kind: f"scenes/{folder.name}/{path.name}" for kind, path in files.items()},
        added_at=_utc_naive(record.get("added_at")), key=key if isinstance(key, int) else None)
    log.info("scene folder %s put back as “%s”", folder.name, token.token_name)
    return token.token_name


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def write_missing_scene_records(library: Library) -> int:
    """Give scene folders imported before this version their manifest.json and scene.json."""
    written = 0
    for summary in library.list_scenes():
        scene = library.get_scene(summary.key)
        media = {kind: getattr(scene.media, kind) for kind in MEDIA_KINDS}
        present = [path for path in media.values() if path is not None]
        if not present:
            continue
        folder = present[0].parent
        if not folder.is_dir():
            continue
        if not (folder / MANIFEST_NAME).exists():
            token = scene.token.to_api()
            token.pop("bgvoice_url", None)
            manifest = {"format": PACK_FORMAT, "format_version": PACK_FORMAT_VERSION,
                        "pack_id": scene.pack_id, "token": token,
                        "media": {kind: path.name for kind, path in media.items() if path}}
            (folder / MANIFEST_NAME).write_text(
                json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            written += 1
        if not (folder / SCENE_RECORD).exists():
            write_scene_record(folder, key=scene.key, pack_id=scene.pack_id,
                               content_hash=scene.content_hash, added_at=None)
    return written


def tidy_scene_folders(library: Library) -> RebuildReport:
    """At start, under the lock: finish deletes and imports a crash interrupted, and give old
    scene folders what a rebuild needs."""
    scenes_dir = library.media_dir / "scenes"
    known_folders, _ = library.recorded_files()
    for doomed in _subfolders(scenes_dir):
        if not doomed.name.startswith(DELETING_PREFIX):
            continue
        original = doomed.with_name(doomed.name[len(DELETING_PREFIX):])
        if f"scenes/{original.name}" in known_folders and not original.exists():
            doomed.rename(original)  # the delete never committed
        else:
            shutil.rmtree(doomed, ignore_errors=True)
    report = adopt_scene_folders(library)
    write_missing_scene_records(library)
    return report


# --- takes ---------------------------------------------------------------------------------------

def adopt_take_files(library: Library) -> RebuildReport:
    """Record every take file in `media/takes/` the database does not know, from its header."""
    report = RebuildReport()
    _, known_takes = library.recorded_files()
    scenes = {s.key: s for s in library.list_scenes()}
    keys_by_pack = {s.pack_id: s.key for s in scenes.values()}
    lines: dict[int, set[int]] = {}
    for folder in _subfolders(library.media_dir / "takes"):
        for path in sorted(folder.iterdir()):
            relative = f"takes/{folder.name}/{path.name}"
            if not path.is_file() or path.name.startswith(".") or relative in known_takes:
                continue
            try:
                with soundfile.SoundFile(str(path)) as audio:
                    rate, frames, comment = audio.samplerate, audio.frames, audio.comment
                if frames <= 0:
                    raise ValueError("no samples")
            except (RuntimeError, OSError, ValueError):
                report.problems.append(RebuildProblem("rebuild.take_unreadable", file=relative))
                continue
            try:
                metadata = json.loads(comment) if comment else {}
            except ValueError:
                metadata = {}
            metadata = metadata if isinstance(metadata, dict) else {}
            key = _scene_of_take(folder.name, metadata, scenes, keys_by_pack)
            if key is None:
                report.problems.append(RebuildProblem("rebuild.take_without_scene", file=relative))
                continue
            if key not in lines:
                lines[key] = {s.id for s in library.get_scene(key).token.scripts}
            script_id = metadata.get("script_id")
            if script_id not in lines[key]:
                report.problems.append(RebuildProblem("rebuild.take_without_line", file=relative,
                                                      line=script_id))
                continue
            created = _utc_naive(metadata.get("recorded_at")) or datetime.fromtimestamp(
                path.stat().st_mtime, timezone.utc).replace(tzinfo=None)
            metadata.update({"rebuilt": True, "frames": frames, "duration": frames / rate})
            latency = metadata.get("latency_ms")
            if not isinstance(latency, (int, float)):
                latency = None
            library.adopt_take_file(key, script_id, relative, sample_rate=rate,
                                    duration=frames / rate, created_at=created,
                                    latency_ms=latency, metadata=metadata)
            report.takes += 1
    return report


def _scene_of_take(folder_name: str, metadata: dict, scenes: dict,
                   keys_by_pack: dict) -> int | None:
    """The take's folder is named after its scene's key; the header's pack id confirms it (a
    scene put back under another key is found by its pack id)."""
    pack_id = metadata.get("pack_id")
    if folder_name.isdigit() and int(folder_name) in scenes:
        scene = scenes[int(folder_name)]
        if pack_id is None or pack_id == scene.pack_id:
            return scene.key
    return keys_by_pack.get(pack_id) if isinstance(pack_id, str) else None


def rebuild_from_media(library: Library) -> RebuildReport:
    """Put back every scene and take the media folders describe (a new or restored library)."""
    report = adopt_scene_folders(library)
    report += adopt_take_files(library)
    log.info("rebuilt %d scene(s) and %d take(s); %d item(s) could not be",
             len(report.scenes), report.takes, len(report.problems))
    return report
