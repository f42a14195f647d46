"""Start-up repair of the takes: files and rows agree, nothing is lost, the learner hears what was
mended.

Runs once at start (`AppServices.reconcile_takes`), under the library's lock (another process's
takes are never touched) and before a take is recorded; files this process has claimed
(library/take_saving.py) are left alone. In order:

1. Pending rows (a save a crash or a failure interrupted): the file still in `incoming/` is moved
   into place and the row completed; a file already in place completes its row.
2. Complete rows whose file is gone are marked "missing" and hidden — never deleted, so a folder
   put back (a drive reconnected, a backup restored) brings them back at the next start, and
   missing rows whose file is back are complete again.
3. Files under `media/takes/` without a row are adopted from their WAV header (its scene and line,
   take_writer's metadata) as a rebuild adopts them (library/rebuild.py) or, when they cannot
   be, moved aside to `<data>/takes-set-aside/`.
4. Takes a crash left in `incoming/` are added from their header (an empty one, with no sample
   recorded, is removed); one whose scene or line is gone or that cannot be read is moved aside.

`TakeRepairReport` says what was done: `notices()` are the coded sentences of the one line the
main window shows (English here, the learner's language in ui/), `details()` is for the log.
Nothing that holds audio is deleted, except an exact duplicate of a file already in place.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import soundfile
from sqlalchemy import select, update

from yousync_desktop.domain import Take
from yousync_desktop.errors import QT_TRANSLATE_NOOP, CodedError
from yousync_desktop.events import TakeAdded, TakeRemoved
from yousync_desktop.library.rebuild import adopt_take_files
from yousync_desktop.library.repository import Library, LibraryError
from yousync_desktop.library.schema import TakeRow
from yousync_desktop.library.take_saving import (COMPLETE, MISSING, PENDING, in_use,
                                                 mark_complete, move_into_place, resolve_stored)

log = logging.getLogger(__name__)

SET_ASIDE_DIR = "takes-set-aside"  # in the data folder


class TakeRepairNotice(CodedError):
    """What start-up repair did, for the learner (a notice, not a failure: nothing was lost)."""

    messages = {
        "takes.recovered_one": QT_TRANSLATE_NOOP("errors", "A take was recovered after a crash."),
        "takes.recovered_many": QT_TRANSLATE_NOOP(
            "errors", "{count} takes were recovered after a crash."),
        "takes.back_one": QT_TRANSLATE_NOOP(
            "errors", "A take whose recording had gone missing is back."),
        "takes.back_many": QT_TRANSLATE_NOOP(
            "errors", "{count} takes whose recordings had gone missing are back."),
        "takes.missing_one": QT_TRANSLATE_NOOP(
            "errors", "A take's recording is missing from the library folder; the take is hidden "
                      "until the file is back."),
        "takes.missing_many": QT_TRANSLATE_NOOP(
            "errors", "{count} takes' recordings are missing from the library folder; the takes "
                      "are hidden until the files are back."),
        "takes.set_aside_one": QT_TRANSLATE_NOOP(
            "errors", "A recording that could not be added as a take was moved to {folder}."),
        "takes.set_aside_many": QT_TRANSLATE_NOOP(
            "errors", "{count} recordings that could not be added as takes were moved to "
                      "{folder}."),
    }


@dataclass
class TakeRepairReport:
    completed: list[Take] = field(default_factory=list)   # saves a crash interrupted, finished
    adopted: int = 0                                      # files in the library without a row
    recovered: list[Take] = field(default_factory=list)   # takes a crash left in incoming/
    back: list[Take] = field(default_factory=list)        # missing takes whose file is back
    missing: list[str] = field(default_factory=list)      # files of takes now hidden
    set_aside: list[Path] = field(default_factory=list)   # where each unusable file went
    set_aside_dir: Path | None = None
    notes: list[str] = field(default_factory=list)        # for the log, one line each

    @property
    def recovered_count(self) -> int:
        return len(self.completed) + self.adopted + len(self.recovered)

    @property
    def repaired(self) -> bool:
        return bool(self.notices())

    def notices(self) -> list[TakeRepairNotice]:
        said = []
        if (count := self.recovered_count) == 1:
            said.append(TakeRepairNotice("takes.recovered_one"))
        elif count:
            said.append(TakeRepairNotice("takes.recovered_many", count=count))
        if len(self.back) == 1:
            said.append(TakeRepairNotice("takes.back_one"))
        elif self.back:
            said.append(TakeRepairNotice("takes.back_many", count=len(self.back)))
        if len(self.missing) == 1:
            said.append(TakeRepairNotice("takes.missing_one"))
        elif self.missing:
            said.append(TakeRepairNotice("takes.missing_many", count=len(self.missing)))
        folder = str(self.set_aside_dir)
        if len(self.set_aside) == 1:
            said.append(TakeRepairNotice("takes.set_aside_one", folder=folder))
        elif self.set_aside:
            said.append(TakeRepairNotice("takes.set_aside_many", count=len(self.set_aside),
                                         folder=folder))
        return said

    def details(self) -> str:
        return "\n".join(self.notes)

    def note(self, text: str) -> None:
        log.info("take repair: %s", text)
        self.notes.append(text)


def reconcile_takes(library: Library, incoming_dir: Path) -> TakeRepairReport:
    """Steps 1–4 of the module doc."""
    report = TakeRepairReport(set_aside_dir=library.paths.data_dir / SET_ASIDE_DIR)
    finish_pending(library, report)
    check_files(library, report)
    adopt_orphans(library, report)
    recover_incoming(library, Path(incoming_dir), report)
    for take in report.completed + report.back:  # adopted and recovered ones say so themselves
        library.events.publish(TakeAdded(take.token_key, take.script_id, take.id))
    return report


# --- 1. pending rows ------------------------------------------------------------------------------

def finish_pending(library: Library, report: TakeRepairReport) -> None:
    data_dir = library.paths.data_dir
    with library.transaction() as session:
        pending = session.execute(select(TakeRow.id, TakeRow.audio_file, TakeRow.incoming_file)
                                  .where(TakeRow.status == PENDING)).all()
    for take_id, audio_file, incoming_file in pending:
        destination = library.media_dir / audio_file
        source = resolve_stored(data_dir, incoming_file) if incoming_file else None
        if source is not None and in_use(source):
            continue  # this process is saving it right now
        destination.with_name(destination.name + ".partial").unlink(missing_ok=True)
        try:
            if destination.exists():
                if source is not None and source.exists():
                    _drop_duplicate(source, destination, report)
            elif source is not None and source.exists():
                move_into_place(source, destination)
            else:
                _set_status(library, take_id, MISSING)
                report.missing.append(audio_file)
                report.note(f"take {take_id}: its save was interrupted and its file is nowhere "
                            f"({incoming_file} → {audio_file}); hidden")
                continue
            mark_complete(library, take_id)
        except OSError as exc:  # left pending: the next start tries again
            report.note(f"take {take_id}: could not finish its save ({exc}); tried again at the "
                        f"next start")
            continue
        report.completed.append(library.take(take_id))
        report.note(f"take {take_id}: finished its interrupted save ({audio_file})")


def _drop_duplicate(source: Path, destination: Path, report: TakeRepairReport) -> None:
    """A copy across file systems got as far as its destination: the source is the same bytes."""
    if source.stat().st_size == destination.stat().st_size:
        source.unlink()
    else:
        report.set_aside.append(_set_aside(source, report))


def _set_status(library: Library, take_id: int, status: str) -> None:
    with library.transaction() as session:
        session.execute(update(TakeRow).where(TakeRow.id == take_id).values(status=status))


# --- 2. rows and their files ----------------------------------------------------------------------

def check_files(library: Library, report: TakeRepairReport) -> None:
    with library.transaction() as session:
        rows = session.execute(select(TakeRow.id, TakeRow.token_key, TakeRow.script_id,
                                      TakeRow.audio_file, TakeRow.status)
                               .where(TakeRow.status.in_((COMPLETE, MISSING)))).all()
    for take_id, token_key, script_id, audio_file, status in rows:
        present = (library.media_dir / audio_file).is_file()
        if status == COMPLETE and not present:
            _set_status(library, take_id, MISSING)
            report.missing.append(audio_file)
            report.note(f"take {take_id}: its file {audio_file} is missing; hidden until it is "
                        f"back")
            library.events.publish(TakeRemoved(token_key, script_id, take_id))
        elif status == MISSING and present:
            _set_status(library, take_id, COMPLETE)
            report.back.append(library.take(take_id))
            report.note(f"take {take_id}: its file {audio_file} is back")
        elif status == MISSING:
            report.note(f"take {take_id}: its file {audio_file} is still missing")


# --- 3. files in the library without a row --------------------------------------------------------

def adopt_orphans(library: Library, report: TakeRepairReport) -> None:
    """Files under media/takes/ the database does not know: recorded again from their header by
    the rebuild's own adoption (library/rebuild.py); what it cannot adopt is moved aside."""
    _, known = library.recorded_files()
    for leftover in sorted((library.media_dir / "takes").glob("*/*.partial")):
        final = leftover.relative_to(library.media_dir).as_posix()[:-len(".partial")]
        if final in known and (library.media_dir / final).is_file():
            leftover.unlink()  # the copy that became `final`, left over
        else:
            report.set_aside.append(_set_aside(leftover, report))
    adopted = adopt_take_files(library)
    report.adopted += adopted.takes
    if adopted.takes:
        report.note(f"{adopted.takes} take file(s) without a row recorded again from their "
                    f"headers")
    for problem in adopted.problems:
        path = library.media_dir / problem.params["file"]
        if path.is_file():
            report.set_aside.append(_set_aside(path, report))
            report.note(f"{problem.params['file']}: {problem}; moved aside")


class _Unusable(Exception):
    pass


def _read_take(path: Path) -> tuple[dict, int, int]:
    try:
        with soundfile.SoundFile(str(path)) as audio:
            rate, frames, comment = audio.samplerate, audio.frames, audio.comment
    except (RuntimeError, OSError) as exc:
        raise _Unusable(f"not readable as a recording: {exc}") from exc
    try:
        metadata = json.loads(comment) if comment else {}
    except ValueError:
        metadata = {}
    if not isinstance(metadata, dict):
        metadata = {}
    return metadata, rate, frames


class _Scenes:
    """The scenes and lines a take's header may name (its scene's key, confirmed by pack id; a
    scene put back under another key is found by its pack id)."""

    def __init__(self, library: Library):
        self._library = library
        summaries = library.list_scenes()
        self._pack_of = {s.key: s.pack_id for s in summaries}
        self._key_of = {s.pack_id: s.key for s in summaries}
        self._lines: dict[int, set[int]] = {}

    def line_of(self, metadata: dict) -> tuple[int, int]:
        key, pack_id, script_id = (metadata.get("token_key"), metadata.get("pack_id"),
                                   metadata.get("script_id"))
        if not isinstance(script_id, int) or not (isinstance(key, int) or pack_id):
            raise _Unusable("its header names no scene and line")
        if not (key in self._pack_of and pack_id in (None, self._pack_of[key])):
            key = self._key_of.get(pack_id)
        if key is None:
            raise _Unusable("its scene is not in the library")
        if key not in self._lines:
            self._lines[key] = {s.id for s in self._library.get_scene(key).token.scripts}
        if script_id not in self._lines[key]:
            raise _Unusable(f"line {script_id} is not part of its scene")
        return key, script_id


def _set_aside(path: Path, report: TakeRepairReport) -> Path:
    """Move a file that cannot be a take out of the way, keeping it (never deleted)."""
    folder = report.set_aside_dir
    folder.mkdir(parents=True, exist_ok=True)
    target, n = folder / path.name, 1
    while target.exists():
        target, n = folder / f"{path.stem}-{n}{path.suffix}", n + 1
    try:
        os.replace(path, target)
    except OSError:
        shutil.move(path, target)
    report.note(f"moved {path.name} aside to {target}")
    return target


# --- 4. takes a crash left in incoming/ -----------------------------------------------------------

def recover_incoming(library: Library, incoming_dir: Path,
                     report: TakeRepairReport | None = None) -> TakeRepairReport:
    """Add the takes a crash left in `incoming/` (their WAV header names scene and line)."""
    if report is None:
        report = TakeRepairReport(set_aside_dir=library.paths.data_dir / SET_ASIDE_DIR)
    with library.transaction() as session:
        named = {resolve_stored(library.paths.data_dir, stored).name for stored in session.scalars(
            select(TakeRow.incoming_file).where(TakeRow.status == PENDING))}
    for leftover in sorted(incoming_dir.glob("*.wav.partial")):
        if leftover.with_suffix("").exists():  # a cut interrupted: the take itself is whole
            leftover.unlink()
    scenes = _Scenes(library)
    for path in sorted(incoming_dir.glob("*.wav")):
        if in_use(path) or path.name in named:
            continue
        try:
            metadata, rate, frames = _read_take(path)
            if frames == 0:
                path.unlink(missing_ok=True)  # nothing was recorded
                report.note(f"{path.name}: an empty take, removed")
                continue
            key, script_id = scenes.line_of(metadata)
        except _Unusable as why:
            report.set_aside.append(_set_aside(path, report))
            report.note(f"incoming/{path.name}: cannot be added ({why}); moved aside")
            continue
        metadata.update({"status": "recovered", "recovered_from": "incoming",
                         "frames": frames, "duration": frames / rate})
        latency = metadata.get("latency_ms")
        try:
            take = library.add_take(key, script_id, path, sample_rate=rate,
                                    duration=frames / rate, metadata=metadata,
                                    latency_ms=latency if isinstance(latency, (int, float))
                                    else None)
        except LibraryError as exc:  # its scene went away meanwhile: keep the file aside
            report.set_aside.append(_set_aside(path, report))
            report.note(f"incoming/{path.name}: cannot be added ({exc}); moved aside")
            continue
        except Exception as exc:  # noqa: BLE001 - the file stays for the next start
            log.exception("could not recover %s", path.name)
            report.note(f"incoming/{path.name}: could not be added now ({exc}); kept for the "
                        f"next start")
            continue
        report.recovered.append(take)
        report.note(f"incoming/{path.name}: recovered as take {take.id}")
    return report
