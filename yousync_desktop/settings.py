"""The one place for where YouSync keeps things and for the user's settings.

Paths follow the platform (platformdirs). Tests and portable installs redirect them with environment
variables so that nothing ever touches the user's real data:

- ``YOUSYNC_DATA_DIR``   the library (database + media files)
- ``YOUSYNC_CONFIG_DIR`` settings.json; defaults to ``$YOUSYNC_DATA_DIR/config`` when only the data
  folder is redirected, so a redirected data folder never shares settings with the real one.

Settings are a small JSON file rather than QSettings so that the CLI, the audio engine and the UI
read the same values without Qt. `SettingsStore` is their one owner in a running app: typed reads,
changes under one lock (calibration stores its result from a task thread), saved atomically, and a
`SettingsChanged` notice to whoever listens.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Iterator

import platformdirs

from yousync_desktop import APP_NAME
from yousync_desktop.errors import QT_TRANSLATE_NOOP, CodedError
from yousync_desktop.events import EventBus, SettingsChanged

_APP_AUTHOR = "YouSync"
_REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    config_dir: Path

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
        data_dir = Path(data_override) if data_override else Path(
            platformdirs.user_data_dir(APP_NAME, _APP_AUTHOR))
        if config_override:
            config_dir = Path(config_override)
        elif data_override:
            config_dir = data_dir / "config"
        else:
            config_dir = Path(platformdirs.user_config_dir(APP_NAME, _APP_AUTHOR))
        return cls(data_dir=data_dir, config_dir=config_dir)


def resources_dir() -> Path:
    """Bundled resources: icons, translations, demo scene packs."""
    override = os.environ.get("YOUSYNC_RESOURCES_DIR")
    return Path(override) if override else _REPO_ROOT / "resources"


def demo_scenes_dir() -> Path:
    return resources_dir() / "demo_scenes"


LANGUAGES = ("system", "en", "ko")


@dataclass
class Settings:
    """User preferences. Unknown keys in the file are kept so older versions don't lose newer ones."""

    language: str = "system"
    window_geometry: str = ""  # base64 of QWidget.saveGeometry(), owned by the UI
    window_state: str = ""
    demo_scenes_installed: bool = False
    # Audio engine (yousync_desktop/audio): device keys from audio.devices ("" = system default),
    # the stream's latency (0 = automatic), the calibrated round trip per input/output pair, and
    # how much before and after a line each take keeps.
    audio_input_device: str = ""
    audio_output_device: str = ""
    audio_sample_rate: int = 48000
    audio_stream_latency_ms: int = 0
    audio_latency_calibrations: dict = field(default_factory=dict)
    take_pre_roll_ms: int = 500
    take_post_roll_ms: int = 500
    # The practice screen: clicks before each take (0 = none), and how the pitch plot reads.
    practice_count_in_beats: int = 3
    practice_pitch_units: str = "semitones"  # or "hz"
    extra: dict = field(default_factory=dict)

    @classmethod
    def load(cls, paths: AppPaths) -> "Settings":
        try:
            raw = json.loads(paths.settings_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError):
            # A damaged settings file must not stop the app; defaults are always safe.
            return cls()
        if not isinstance(raw, dict):
            return cls()
        known = {f.name for f in fields(cls)} - {"extra"}
        settings = cls(extra={k: v for k, v in raw.items() if k not in known})
        for name in known:
            if name in raw and isinstance(raw[name], type(getattr(settings, name))):
                setattr(settings, name, raw[name])
        if settings.language not in LANGUAGES:
            settings.language = "system"
        return settings

    def save(self, paths: AppPaths) -> None:
        data = asdict(self)
        data.update(data.pop("extra"))
        paths.config_dir.mkdir(parents=True, exist_ok=True)
        # Write to a temporary file and rename so a crash mid-write never leaves half a file.
        fd, tmp = tempfile.mkstemp(dir=paths.config_dir, prefix=".settings-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=2)
        os.replace(tmp, paths.settings_file)


class SettingsError(CodedError):
    messages = {
        "settings.save_failed": QT_TRANSLATE_NOOP(
            "errors", "Could not save the settings: {reason}"),
        "settings.unknown": QT_TRANSLATE_NOOP("errors", "There is no setting called {name}."),
        "settings.wrong_type": QT_TRANSLATE_NOOP(
            "errors", "The setting {name} must be of type {expected}."),
    }


_FIELD_TYPES = {f.name: type(getattr(Settings(), f.name)) for f in fields(Settings)}


class SettingsStore:
    """The running app's settings. Read `store.current.<name>` (typed, on any thread: a change
    replaces values, it never leaves one half-written); change them with `update(name=value)` or,
    for changes a helper makes in place, `with store.edit() as settings:`. Either saves the file
    atomically and publishes `SettingsChanged` once the lock is released."""

    def __init__(self, paths: AppPaths, settings: Settings | None = None, *,
                 events: EventBus | None = None):
        self.paths = paths
        self._settings = settings if settings is not None else Settings()
        self._events = events if events is not None else EventBus()
        self._lock = threading.RLock()

    @classmethod
    def load(cls, paths: AppPaths, *, events: EventBus | None = None) -> "SettingsStore":
        return cls(paths, Settings.load(paths), events=events)

    @property
    def current(self) -> Settings:
        return self._settings

    def snapshot(self) -> Settings:
        """A private copy, for work that reads many settings and must see them consistent."""
        with self._lock:
            return copy.deepcopy(self._settings)

    def update(self, **changes: Any) -> None:
        """Set and save; raises SettingsError (nothing changed) for an unknown name or a value
        of the wrong type, and SettingsError("settings.save_failed") when the file can't be
        written (the change is kept for this run)."""
        for name, value in changes.items():
            expected = _FIELD_TYPES.get(name)
            if expected is None or name == "extra":
                raise SettingsError("settings.unknown", name=name)
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise SettingsError("settings.wrong_type", name=name, expected=expected.__name__)
        with self.edit() as settings:
            for name, value in changes.items():
                setattr(settings, name, value)

    @contextmanager
    def edit(self) -> Iterator[Settings]:
        with self._lock:
            before = asdict(self._settings)
            yield self._settings
            after = asdict(self._settings)
            changed = frozenset(name for name in after if after[name] != before[name])
            if changed:
                self._save_locked()
        if changed:
            self._events.publish(SettingsChanged(changed))

    def save(self) -> None:
        with self._lock:
            self._save_locked()

    def _save_locked(self) -> None:
        try:
            self._settings.save(self.paths)
        except OSError as error:
            raise SettingsError("settings.save_failed",
                                reason=error.strerror or str(error)) from error
