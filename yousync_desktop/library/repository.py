"""The local library: scenes (tokens with scripts, words, pitch and media files), takes and scores.

Media live as files under `<data>/media/`, never as blobs; rows hold paths relative to that folder.
Anything that writes files and rows does the files first in a staging folder (owned by this
process: library/staging.py) and moves them into place only inside the database transaction, so a
failure leaves neither half. Each scene folder also keeps a small record of itself (`scene.json`,
and the pack's `manifest.json` from import) so that the library can be rebuilt from its media
folders if the database is ever lost (library/rebuild.py).

Opening checks the library first and names what is wrong (library/opening.py); a library can also
be opened read-only (another window has it, or its folder cannot be written), where every change
raises LibraryError("library.opened_read_only").
"""

from __future__ import annotations

import logging
import shutil
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import defer, selectinload, sessionmaker

from yousync_desktop.domain import Score, Take, Token
from yousync_desktop.errors import QT_TRANSLATE_NOOP, CodedError
from yousync_desktop.events import (
    ChangeEvent, EventBus, ScoreStored, TakeAdded, TakeChanged, TakeRemoved, TokenAdded,
    TokenRemoved,
)
from yousync_desktop.library import backups, db, opening
from yousync_desktop.library.open_errors import LibraryOpenError
from yousync_desktop.library.row_mapping import (
    SceneSummary, StoredScene, TokenMedia, scene_from_row, scene_row, take_from_row,
    write_row_record,
)
from yousync_desktop.library.schema import ScoreRow, ScriptRow, TakeRow, TokenRow
from yousync_desktop.library.staging import StagingArea
from yousync_desktop.settings import AppPaths

log = logging.getLogger(__name__)

MEDIA_KINDS = ("video", "bgvoice", "vocal", "thumbnail")
DELETING_PREFIX = ".deleting-"  # a scene folder on its way out (see delete_scene)


class LibraryError(CodedError):
    """A library operation that cannot be done: a scene, line or take that is not there."""

    messages = {
        "library.no_scene": QT_TRANSLATE_NOOP("errors", "Scene {key} is not in the library."),
        "library.no_scene_named": QT_TRANSLATE_NOOP(
            "errors", "no scene '{ref}' in the library (see `yousync list`)"),
        "library.pack_id_taken": QT_TRANSLATE_NOOP(
            "errors", "A scene with pack id '{pack_id}' is already in the library."),
        "library.no_line": QT_TRANSLATE_NOOP("errors", "Line {line} is not part of this scene."),
        "library.no_take": QT_TRANSLATE_NOOP("errors", "Take {take} no longer exists."),
        "library.opened_read_only": QT_TRANSLATE_NOOP(
            "errors", "The library is open read-only: nothing can be changed."),
        "library.busy": QT_TRANSLATE_NOOP(
            "errors", "Another program is writing to the library; try again when it is done."),
        "library.disk_full": QT_TRANSLATE_NOOP(
            "errors", "The disk holding the library is full; nothing was changed."),
        "library.write_failed": QT_TRANSLATE_NOOP(
            "errors", "The library could not be changed: {reason}."),
    }


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Library:
    """`events` hears a typed notice after every commit that changes what a view shows (on the
    thread that made the change); without one, nobody is told.

    Opening raises LibraryOpenError naming what is wrong. For changes, the caller should hold the
    data folder's LibraryLock (AppServices and the command line do). `on_wait` hears, every
    fraction of a second, that another program holds a write transaction (return False to stop
    waiting); after `wait_seconds` the open fails with "library.locked". `new_over_media` starts
    a new library although scenes are on disk (library/recovery.py rebuilds it from them)."""

    def __init__(self, paths: AppPaths, *, events: EventBus | None = None,
                 read_only: bool = False, on_wait: opening.WaitCallback | None = None,
                 wait_seconds: float = opening.DEFAULT_WRITER_WAIT_S,
                 new_over_media: bool = False):
        self.paths = paths
        self.events = events if events is not None else EventBus()
        self.media_dir = paths.media_dir
        self.read_only = read_only
        self._staging = StagingArea(self.media_dir / ".staging")
        if read_only:
            self.engine = opening.read_only_engine(paths.database)
        else:
            state = opening.check_writable_library(paths, on_wait=on_wait,
                                                   wait_seconds=wait_seconds,
                                                   new_over_media=new_over_media)
            self._staging.discard_unowned()
            self.engine = db.create_sqlite_engine(paths.database)
            try:
                self._migrate(state)
            except BaseException:
                self.engine.dispose()
                raise
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def _migrate(self, state: opening.DatabaseState) -> None:
        if not state.needs_migration:
            return
        if state.revision is not None:  # learner data in an older format: keep a copy first
            backups.back_up_before_upgrade(self.paths, state.revision)
        try:
            db.upgrade_to_head(self.engine)
        except Exception as exc:
            log.exception("upgrading the library from %s failed", state.revision)
            raise LibraryOpenError("library.migration_failed",
                                   folder=str(backups.backups_dir(self.paths))) from exc

    def close(self) -> None:
        self._staging.release_all()
        self.engine.dispose()

    def __enter__(self) -> "Library":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------------

    @contextmanager
    def transaction(self):
        """A session whose changes commit together at the end (or not at all). What SQLite says
        when it cannot write becomes a LibraryError the learner can read."""
        if self.read_only:
            raise LibraryError("library.opened_read_only")
        try:
            with self._sessions.begin() as session:
                yield session
        except OperationalError as exc:
            text = str(exc.orig).lower()
            log.error("library write failed: %s", exc.orig)
            if "locked" in text or "busy" in text:
                raise LibraryError("library.busy") from exc
            if "full" in text:
                raise LibraryError("library.disk_full") from exc
            raise LibraryError("library.write_failed", reason=str(exc.orig)) from exc

    # --- staging -------------------------------------------------------------------------------

    def new_staging_dir(self) -> Path:
        """A private folder on the library's file system for files about to be added, owned by
        this process until `add_scene` takes it or `discard_staging` removes it."""
        if self.read_only:
            raise LibraryError("library.opened_read_only")
        return self._staging.new_folder()

    def discard_staging(self, folder: Path) -> None:
        self._staging.discard(folder)

    def _absolute(self, relative: str | None) -> Path | None:
        return None if relative is None else self.media_dir / relative

    # --- scenes --------------------------------------------------------------------------------

    def list_scenes(self) -> list[SceneSummary]:
        with self._sessions() as session:
            line_counts = dict(session.execute(
                select(ScriptRow.token_key, func.count()).group_by(ScriptRow.token_key)).all())
            rows = session.scalars(select(TokenRow).order_by(TokenRow.token_name, TokenRow.key))
            return [SceneSummary(
                key=row.key, pack_id=row.pack_id, token_name=row.token_name,
                actor_name=row.actor_name, category=row.category,
                duration=row.end_time - row.start_time, line_count=line_counts.get(row.key, 0),
                thumbnail=self._absolute(row.thumbnail_file)) for row in rows]

    def categories(self) -> list[str]:
        with self._sessions() as session:
            return sorted(c for c in session.scalars(select(TokenRow.category).distinct()) if c)

    def key_for_pack(self, pack_id: str) -> int | None:
        with self._sessions() as session:
            return session.scalar(select(TokenRow.key).where(TokenRow.pack_id == pack_id))

    def get_scene(self, key: int, *, with_pitch: bool = True) -> StoredScene:
        """The scene with its lines. `with_pitch=False` leaves `token.pitch` None, unread: a view
        of the lines has no use for the 60,000 points of a long scene's contour, whose objects
        cost a full garbage collection that holds every thread (the GUI's too)."""
        options = [selectinload(TokenRow.scripts)]
        if not with_pitch:
            options.append(defer(TokenRow.pitch))
        with self._sessions() as session:
            row = session.get(TokenRow, key, options=options)
            if row is None:
                raise LibraryError("library.no_scene", key=key)
            return scene_from_row(row, self._absolute, with_pitch=with_pitch)

    def add_scene(self, token: Token, *, pack_id: str, content_hash: str,
                  staged_media: dict[str, Path]) -> int:
        """Add a scene whose media files sit in one staging folder (from `new_staging_dir`), keyed
        by kind ("video", "bgvoice", "vocal", "thumbnail"). The folder becomes the scene's media
        folder; on any failure it is removed and the database is untouched."""
        unknown = set(staged_media) - set(MEDIA_KINDS)
        if unknown:
            raise ValueError(f"unknown media kinds {sorted(unknown)}")
        folders = {p.parent for p in staged_media.values()}
        if len(folders) > 1 or any(f.parent != self._staging.root for f in folders):
            raise ValueError("staged media must sit together in one staging folder")
        staging = folders.pop() if folders else self.new_staging_dir()
        final_dir = self.media_dir / "scenes" / staging.name
        relative = {kind: f"scenes/{staging.name}/{path.name}" for kind, path in staged_media.items()}
        try:
            with self.transaction() as session:
                if session.scalar(select(TokenRow.key).where(TokenRow.pack_id == pack_id)):
                    raise LibraryError("library.pack_id_taken", pack_id=pack_id)
                row = scene_row(token, pack_id=pack_id, content_hash=content_hash,
                                folder=staging.name, files=relative, added_at=_now())
                session.add(row)
                session.flush()
                key = row.key
                write_row_record(staging, row)
                final_dir.parent.mkdir(parents=True, exist_ok=True)
                staging.rename(final_dir)  # last step before commit: a failure here rolls back
        except BaseException:
            if final_dir.exists() and not staging.exists():
                # The commit failed after the move: put nothing in the library at all.
                shutil.rmtree(final_dir, ignore_errors=True)
            self._staging.discard(staging)
            raise
        self._staging.release(staging)
        self._publish(TokenAdded(key))
        return key

    def adopt_scene_folder(self, token: Token, *, pack_id: str, content_hash: str, folder: str,
                           files: dict[str, str], added_at: datetime | None = None,
                           key: int | None = None) -> int:
        """Record a scene whose files already sit in `media/scenes/<folder>/` (a rebuild after
        the database was lost). Keeps `key` when it is free, so its takes' folder still
        matches."""
        with self.transaction() as session:
            if session.scalar(select(TokenRow.key).where(TokenRow.pack_id == pack_id)):
                raise LibraryError("library.pack_id_taken", pack_id=pack_id)
            if key is not None and session.get(TokenRow, key) is not None:
                key = None
            row = scene_row(token, pack_id=pack_id, content_hash=content_hash, folder=folder,
                            files=files, added_at=added_at or _now(), key=key)
            session.add(row)
            session.flush()
            key = row.key
            write_row_record(self.media_dir / row.media_dir, row)
        self._publish(TokenAdded(key))
        return key

    def delete_scene(self, key: int) -> None:
        """Remove a scene, its takes and scores, and every file that belongs to them. The scene's
        folder is renamed `.deleting-<name>` as the last step before the commit, so a crash on
        either side of the commit leaves a state the next start can finish (library/rebuild.py):
        a row with its folder renamed back, or a doomed folder with no row."""
        scene_dir = doomed = None
        try:
            with self.transaction() as session:
                row = session.get(TokenRow, key)
                if row is None:
                    raise LibraryError("library.no_scene", key=key)
                take_files = list(session.scalars(select(TakeRow.audio_file)
                                                  .where(TakeRow.token_key == key)))
                scene_dir = self.media_dir / row.media_dir
                doomed = scene_dir.with_name(DELETING_PREFIX + scene_dir.name)
                session.delete(row)
                session.execute(TakeRow.__table__.delete().where(TakeRow.token_key == key))
                session.flush()
                if scene_dir.exists():
                    scene_dir.rename(doomed)
        except BaseException:
            if doomed is not None and doomed.exists() and not scene_dir.exists():
                doomed.rename(scene_dir)
            raise
        shutil.rmtree(doomed, ignore_errors=True)
        for relative in take_files:
            (self.media_dir / relative).unlink(missing_ok=True)
        shutil.rmtree(self.media_dir / "takes" / str(key), ignore_errors=True)
        self._publish(TokenRemoved(key))

    # --- takes and scores ----------------------------------------------------------------------

    def add_take(self, token_key: int, script_id: int, audio_file: Path, *, sample_rate: int,
                 duration: float, latency_ms: float | None = None,
                 metadata: dict | None = None) -> Take:
        """Move a finished recording into the library and record it, as one recoverable unit
        (library/take_saving.py): on any failure the file is kept where the next start finds it."""
        from yousync_desktop.library.take_saving import save_take

        take = self.take(save_take(self, token_key, script_id, Path(audio_file),
                                   sample_rate=sample_rate, duration=duration,
                                   latency_ms=latency_ms, metadata=metadata))
        self._publish(TakeAdded(token_key, script_id, take.id))
        return take

    def take(self, take_id: int) -> Take:
        with self._sessions() as session:
            row = session.get(TakeRow, take_id, options=[selectinload(TakeRow.scores)])
            if row is None:
                raise LibraryError("library.no_take", take=take_id)
            return take_from_row(row)

    def adopt_take_file(self, token_key: int, script_id: int, relative: str, *,
                        sample_rate: int, duration: float, created_at: datetime,
                        latency_ms: float | None = None, metadata: dict | None = None) -> Take:
        """Record a take whose file already sits in the media folder (a rebuild)."""
        with self.transaction() as session:
            row = TakeRow(token_key=token_key, script_id=script_id, audio_file=relative,
                          sample_rate=sample_rate, duration=duration, latency_ms=latency_ms,
                          starred=False, created_at=created_at, meta=dict(metadata or {}))
            session.add(row)
            session.flush()
            take = take_from_row(row)
        self._publish(TakeAdded(token_key, script_id, take.id))
        return take

    def recorded_files(self) -> tuple[set[str], set[str]]:
        """(scene folders, take files) the database knows, relative to the media folder."""
        with self._sessions() as session:
            return (set(session.scalars(select(TokenRow.media_dir))),
                    set(session.scalars(select(TakeRow.audio_file))))

    def take_audio_path(self, take: Take) -> Path:
        return self.media_dir / take.audio_path

    def takes(self, token_key: int, script_id: int | None = None) -> list[Take]:
        with self._sessions() as session:
            query = (select(TakeRow).options(selectinload(TakeRow.scores))
                     .where(TakeRow.token_key == token_key, TakeRow.status == "complete")
                     .order_by(TakeRow.id))
            if script_id is not None:
                query = query.where(TakeRow.script_id == script_id)
            return [take_from_row(row) for row in session.scalars(query)]

    def set_starred(self, take_id: int, starred: bool) -> None:
        """Star one take as the line's best; starring a take un-stars the line's others."""
        with self.transaction() as session:
            row = session.get(TakeRow, take_id)
            if row is None:
                raise LibraryError("library.no_take", take=take_id)
            if starred:
                for other in session.scalars(select(TakeRow).where(
                        TakeRow.token_key == row.token_key, TakeRow.script_id == row.script_id)):
                    other.starred = False
            row.starred = starred
            changed = TakeChanged(row.token_key, row.script_id, take_id)
        self._publish(changed)

    def delete_take(self, take_id: int) -> None:
        with self.transaction() as session:
            row = session.get(TakeRow, take_id)
            if row is None:
                return
            relative = row.audio_file
            removed = TakeRemoved(row.token_key, row.script_id, take_id)
            session.delete(row)
        (self.media_dir / relative).unlink(missing_ok=True)
        self._publish(removed)

    def add_score(self, take_id: int, score: Score) -> None:
        with self.transaction() as session:
            take_row = session.get(TakeRow, take_id)
            if take_row is None:
                raise LibraryError("library.no_take", take=take_id)
            stored = ScoreStored(take_row.token_key, take_row.script_id, take_id, score.source)
            session.add(ScoreRow(take_id=take_id, source=score.source,
                                 overall_score=score.overall_score,
                                 pronunciation=score.pronunciation, intonation=score.intonation,
                                 timing=score.timing, detail=score.to_json(), created_at=_now()))
        self._publish(stored)

    def _publish(self, event: ChangeEvent) -> None:
        self.events.publish(event)

    def scores(self, take_id: int) -> list[Score]:
        with self._sessions() as session:
            details = session.scalars(select(ScoreRow.detail).where(ScoreRow.take_id == take_id)
                                      .order_by(ScoreRow.id))
            return [Score.from_json(d) for d in details]


__all__ = ["Library", "LibraryError", "MEDIA_KINDS", "SceneSummary", "StoredScene", "TokenMedia"]
