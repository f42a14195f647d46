"""The one place for where YouSync keeps things and for the user's settings file.

Paths follow the platform (platformdirs). Tests and portable installs redirect them with environment
variables so that nothing ever touches the user's real data:

- ``YOUSYNC_DATA_DIR``   the library (database + media files)
- ``YOUSYNC_CONFIG_DIR`` settings.json; defaults to ``$YOUSYNC_DATA_DIR/config`` when only the data
  folder is redirected, so a redirected data folder never shares settings with the real one.
- ``YOUSYNC_LOG_DIR``    the log files; likewise ``$YOUSYNC_DATA_DIR/logs`` when only the data
  folder is redirected.

Settings are a small JSON file rather than QSettings so that the CLI, the audio engine and the UI
read the same values without Qt. What each setting may be is defined once, in `settings_schema`;
this module reads the file (`load_settings`: a file that cannot be read is kept aside, a bad value
goes back to its default, and a `SettingsLoadReport` says so), writes it atomically, and holds
`SettingsStore`, the settings' one owner in a running app: typed reads, checked changes under one
lock (calibration stores its result from a task thread), saved atomically, and a `SettingsChanged`
notice to whoever listens.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import platformdirs

from yousync_desktop import APP_NAME
from yousync_desktop.events import EventBus, SettingsChanged
from yousync_desktop.settings_schema import (
    LANGUAGES, SETTING_NAMES, Settings, SettingsError, check, field_values, repair, setting_title,
)

__all__ = ["AppPaths", "LANGUAGES", "Settings", "SettingsError", "SettingsLoadReport",
           "SettingsStore", "demo_scenes_dir", "load_settings", "resources_dir",
           "write_settings_file"]

log = logging.getLogger(__name__)

_APP_AUTHOR = "YouSync"
_REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    config_dir: Path
    log_dir: Path | None = None  # None: `<data_dir>/logs` (tests and portable installs)

    def __post_init__(self) -> None:
        if self.log_dir is None:
            object.__setattr__(self, "log_dir", self.data_dir / "logs")

    @property
    def database(self) -> Path:
        return self.data_dir / "library.sqlite3"

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @classmethod
    def from_environment(cls) -> "AppPaths":
        data_override = os.environ.get("YOUSYNC_DATA_DIR")
        config_override = os.environ.get("YOUSYNC_CONFIG_DIR")
        log_override = os.environ.get("YOUSYNC_LOG_DIR")
        data_dir = Path(data_override) if data_override else Path(
            platformdirs.user_data_dir(APP_NAME, _APP_AUTHOR))
        if config_override:
            config_dir = Path(config_override)
        elif data_override:
            config_dir = data_dir / "config"
        else:
            config_dir = Path(platformdirs.user_config_dir(APP_NAME, _APP_AUTHOR))
        if log_override:
            log_dir = Path(log_override)
        elif data_override:
            log_dir = data_dir / "logs"
        else:
            log_dir = Path(platformdirs.user_log_dir(APP_NAME, _APP_AUTHOR))
        return cls(data_dir=data_dir, config_dir=config_dir, log_dir=log_dir)


def resources_dir() -> Path:
    """Bundled resources: icons, translations, demo scene packs."""
    override = os.environ.get("YOUSYNC_RESOURCES_DIR")
    return Path(override) if override else _REPO_ROOT / "resources"


def demo_scenes_dir() -> Path:
    return resources_dir() / "demo_scenes"


# --- reading the file ----------------------------------------------------------------------------

# A settings file is a few kilobytes; one far larger was not written by us and is not read whole.
MAX_SETTINGS_FILE_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class SettingsLoadReport:
    """What loading the settings found that the learner should hear about, once: a file that
    could not be read (kept aside, or left alone when it could not be moved), the settings that
    went back to their defaults, and whether changes can be saved at all."""

    kept_aside: Path | None = None     # the unreadable file, moved here; never written again
    unreadable: str = ""               # why it could not be read (log, "Copy details")
    reset: tuple[str, ...] = ()        # names of the settings that went back to their defaults
    notes: tuple[str, ...] = ()        # what was wrong with each (log, "Copy details")
    cannot_save: SettingsError | None = None

    @property
    def file_left_alone(self) -> bool:
        """The file could not be read nor moved aside: saving would destroy it, so it is not."""
        return bool(self.unreadable) and self.kept_aside is None

    def notices(self) -> list[SettingsError]:
        """The English sentences to tell, in order (the UI words the same codes in Korean)."""
        said = []
        if self.kept_aside is not None:
            said.append(SettingsError("settings.kept_aside", name=self.kept_aside.name))
        if self.reset:
            said.append(SettingsError("settings.reset", names=", ".join(
                setting_title(name) for name in self.reset)))
        if self.cannot_save is not None:
            said.append(self.cannot_save)
        return said

    def details(self) -> str:
        """The technical account, for the log and the "Copy details" button."""
        lines = []
        if self.unreadable:
            lines.append(f"settings file unreadable: {self.unreadable}")
        if self.kept_aside is not None:
            lines.append(f"kept aside as: {self.kept_aside}")
        lines += [f"reset to default: {note}" for note in self.notes]
        if self.cannot_save is not None:
            lines.append(f"cannot save: {self.cannot_save}")
        return "\n".join(lines)


class _Unreadable(Exception):
    """The settings file exists but holds no JSON object we can use."""


def _read_json_object(file: Path) -> dict[str, Any] | None:
    """The file's JSON object, None when there is no file; raises _Unreadable (the file is
    there but not usable) or OSError (it could not be read at all)."""
    try:
        size = file.stat().st_size
    except (FileNotFoundError, NotADirectoryError):
        return None  # first start, or a file where the folder should be (the save check says so)
    if size > MAX_SETTINGS_FILE_BYTES:
        raise _Unreadable(f"{size} bytes, more than a settings file can be")
    data = file.read_bytes()
    try:
        # utf-8-sig: a file saved by an editor that adds a byte-order mark is still ours.
        raw = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise _Unreadable(f"not UTF-8 text ({error.reason} at byte {error.start})") from error
    except json.JSONDecodeError as error:
        raise _Unreadable(f"not valid JSON ({error.msg} at line {error.lineno}, "
                          f"column {error.colno})") from error
    except (ValueError, RecursionError) as error:
        raise _Unreadable(f"not valid JSON ({type(error).__name__})") from error
    if not isinstance(raw, dict):
        raise _Unreadable(f"a JSON {type(raw).__name__}, not an object")
    return raw


def _keep_aside(file: Path) -> Path:
    """Move an unreadable settings file to `settings.json.bad-<time>` (never over another one),
    so the learner's hand edits survive and the next save cannot overwrite them."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for attempt in range(1, 100):
        suffix = f".bad-{stamp}" if attempt == 1 else f".bad-{stamp}-{attempt}"
        target = file.with_name(file.name + suffix)
        if not target.exists():
            file.rename(target)
            return target
    raise FileExistsError(f"too many kept-aside settings files beside {file}")


def _save_problem(config_dir: Path) -> SettingsError | None:
    """Whether a save into `config_dir` can work, seen without writing anything: the folder (or
    the nearest one that exists, where it would be created) must be a writable folder.
    os.access also says no for a read-only mount when running as root."""
    place = config_dir
    while not place.exists() and place.parent != place:
        place = place.parent
    if not place.is_dir():
        return SettingsError("settings.folder_is_file", path=str(place))
    if not os.access(place, os.W_OK | os.X_OK):
        return SettingsError("settings.folder_read_only", path=str(place))
    return None


def load_settings(paths: AppPaths) -> tuple[Settings, SettingsLoadReport]:
    """The settings in the file, never failing: no file gives the defaults; a file that is not
    UTF-8 JSON holding an object is kept aside (`settings.json.bad-<time>`) and the defaults are
    used; a value of the wrong type or out of range goes back to its default; unknown keys are
    kept. The report says what happened and whether saving will work."""
    file = paths.settings_file
    raw: dict[str, Any] | None = None
    unreadable, kept_aside = "", None
    try:
        raw = _read_json_object(file)
    except _Unreadable as error:
        unreadable = str(error)
        try:
            kept_aside = _keep_aside(file)
        except OSError as move_error:
            log.warning("could not keep the settings file aside: %s", move_error)
    except OSError as error:  # a folder called settings.json, no permission to read...
        unreadable = error.strerror or str(error)
    settings, reset, notes = repair(raw) if raw is not None else (Settings(), [], [])
    cannot_save = _save_problem(paths.config_dir)
    if cannot_save is None and unreadable and kept_aside is None:
        cannot_save = SettingsError("settings.file_protected")
    report = SettingsLoadReport(kept_aside=kept_aside, unreadable=unreadable, reset=tuple(reset),
                                notes=tuple(notes), cannot_save=cannot_save)
    if unreadable or reset or cannot_save is not None:
        log.warning("settings %s:\n%s", file, report.details())
    return settings, report


# --- writing it ----------------------------------------------------------------------------------

def write_settings_file(settings: Settings, paths: AppPaths) -> None:
    """Write the settings (and the unknown keys kept from the file) atomically: a temporary file,
    flushed to the disk, renamed over the old one. A crash or a full disk leaves either the old
    file or the new one, never half of one. Raises OSError."""
    data = settings.model_dump(mode="json")
    data.update(settings.extra)
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=paths.config_dir, prefix=".settings-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=2)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, paths.settings_file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(paths.config_dir)


def _sync_folder(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk; not every platform allows
    # opening a folder for that (Windows), and the file is complete either way.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- the running app's owner ---------------------------------------------------------------------

class SettingsStore:
    """The running app's settings. Read `store.current.<name>` (typed, on any thread: a change
    replaces the whole object, so a reader never sees one half-made); change them with
    `update(name=value)` or, for changes a helper makes, `with store.edit() as settings:` (the
    block changes a private copy). Either checks the result against the schema (SettingsError,
    nothing changed, when a value is not acceptable), keeps it, saves the file atomically and
    publishes `SettingsChanged` once the lock is released.

    When the file cannot be saved, the change is kept for this run and SettingsError is raised
    once; later failures of the same kind are only logged, so the learner is told once (not at
    every change). A problem found at load (`load_report.cannot_save`) counts as told: the app
    shows the load report."""

    def __init__(self, paths: AppPaths, settings: Settings | None = None, *,
                 events: EventBus | None = None, report: SettingsLoadReport | None = None):
        self.paths = paths
        self.load_report = report if report is not None else SettingsLoadReport()
        self._settings = settings if settings is not None else Settings()
        self._events = events if events is not None else EventBus()
        self._lock = threading.RLock()
        self._save_problem_told = self.load_report.cannot_save is not None
        # An unreadable file that could not be moved aside is the learner's; never write over it.
        self._file_left_alone = self.load_report.file_left_alone

    @classmethod
    def load(cls, paths: AppPaths, *, events: EventBus | None = None) -> "SettingsStore":
        settings, report = load_settings(paths)
        return cls(paths, settings, events=events, report=report)

    @property
    def current(self) -> Settings:
        return self._settings

    def snapshot(self) -> Settings:
        """A private copy, for work that reads many settings and must see them consistent."""
        with self._lock:
            return self._settings.model_copy(deep=True)

    def update(self, **changes: Any) -> None:
        """Set, check and save (see the class): SettingsError for an unknown name or a value the
        schema refuses (nothing changed), or for a save that failed (the change is kept)."""
        for name in changes:
            if name not in SETTING_NAMES:
                raise SettingsError("settings.unknown", name=name)
        with self.edit() as settings:
            for name, value in changes.items():
                setattr(settings, name, value)

    @contextmanager
    def edit(self) -> Iterator[Settings]:
        with self._lock:
            before = self._settings
            draft = before.model_copy(deep=True)
            yield draft
            after = check(draft)
            changed = _changed_names(before, after)
            if not changed:
                return
            self._settings = after
            save_problem = self._save_locked()
        self._events.publish(SettingsChanged(changed))
        if save_problem is not None:
            raise save_problem

    def save(self) -> None:
        """Save now (the change methods already do); raises like them."""
        with self._lock:
            save_problem = self._save_locked()
        if save_problem is not None:
            raise save_problem

    def _save_locked(self) -> SettingsError | None:
        """None when saved, or when the problem was already told; else the error to raise."""
        if self._file_left_alone:
            return None
        try:
            write_settings_file(self._settings, self.paths)
        except OSError as error:
            log.warning("could not save the settings to %s: %s", self.paths.settings_file, error)
            if self._save_problem_told:
                return None
            self._save_problem_told = True
            return _save_error(self.paths.config_dir, error)
        self._save_problem_told = False  # it works again: a later failure is news
        return None


def _save_error(config_dir: Path, error: OSError) -> SettingsError:
    return _save_problem(config_dir) or SettingsError(
        "settings.save_failed", reason=error.strerror or str(error))


def _changed_names(before: Settings, after: Settings) -> frozenset[str]:
    old, new = field_values(before), field_values(after)
    changed = {name for name in new if new[name] != old[name]}
    if before.extra != after.extra:
        changed.add("extra")
    return frozenset(changed)
