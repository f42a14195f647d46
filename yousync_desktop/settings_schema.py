"""Every user setting, defined once: its type, default, allowed range or choices, and the words a
learner sees for it. The settings file is checked against this at load (`repair`: a bad value
goes back to its default, the rest is kept) and every change is checked before it is kept
(`check`); the Preferences dialog takes its spin-box ranges and choices from here
(`setting_bounds`, `setting_choices`) so no limit is written twice.

Why strict types: the file is JSON a learner may edit by hand; "48000" or 48000.5 is not a sample
rate, and quietly converting it hides the mistake. Why bounds at all: an absurd value that passes
the type check (a sample rate of 10^9) used to reach the audio engine and fail there as
"MemoryError: Unable to allocate 35.8 GiB".
"""

from __future__ import annotations

import typing
from typing import TYPE_CHECKING, Any, Literal

from annotated_types import Ge, Le, MaxLen
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from yousync_desktop.errors import QT_TRANSLATE_NOOP, CodedError

if TYPE_CHECKING:
    from yousync_desktop.settings import AppPaths

# The rates the app records and plays at; audio.devices.CANDIDATE_RATES probes the same ones
# (tests/test_settings.py checks that the two agree).
SAMPLE_RATES = (44100, 48000, 88200, 96000)
LANGUAGES = ("system", "en", "ko")
PITCH_UNITS = ("semitones", "hz")
DEVICE_KEY_MAX_CHARS = 200
# A calibration is stored under "<input key> -> <output key>" (audio.devices.pair_key).
PAIR_KEY_MAX_CHARS = 2 * DEVICE_KEY_MAX_CHARS + 4
# Qt's saved geometry and toolbar state are a few hundred bytes of base64; far more is not ours.
WINDOW_LAYOUT_MAX_CHARS = 20_000


class SettingsError(CodedError):
    messages = {
        "settings.save_failed": QT_TRANSLATE_NOOP(
            "errors", "Could not save the settings: {reason}"),
        "settings.folder_is_file": QT_TRANSLATE_NOOP(
            "errors", "Settings can't be saved: {path} is a file, not a folder. Changes last "
                      "until you quit."),
        "settings.folder_read_only": QT_TRANSLATE_NOOP(
            "errors", "Settings can't be saved: the folder {path} is read-only. Changes last "
                      "until you quit."),
        "settings.file_protected": QT_TRANSLATE_NOOP(
            "errors", "Settings can't be saved: the settings file could not be read or moved "
                      "aside, and it is left as it is. Changes last until you quit."),
        "settings.kept_aside": QT_TRANSLATE_NOOP(
            "errors", "The settings file could not be read, so YouSync started with default "
                      "settings. The old file was kept as {name}."),
        "settings.reset": QT_TRANSLATE_NOOP(
            "errors", "Some settings were not valid and went back to their defaults: {names}."),
        "settings.unknown": QT_TRANSLATE_NOOP("errors", "There is no setting called {name}."),
        "settings.wrong_type": QT_TRANSLATE_NOOP(
            "errors", "The setting {name} must be of type {expected}."),
        "settings.out_of_range": QT_TRANSLATE_NOOP(
            "errors", "The setting {name} must be between {low} and {high}."),
        "settings.not_a_choice": QT_TRANSLATE_NOOP(
            "errors", "The setting {name} must be one of: {choices}."),
        "settings.too_long": QT_TRANSLATE_NOOP(
            "errors", "The setting {name} must be at most {limit} characters long."),
        "settings.bad_calibration": QT_TRANSLATE_NOOP(
            "errors", "The latency calibration for {pair} is not valid."),
    }


class CalibrationEntry(BaseModel):
    """One saved round-trip measurement (audio.calibration.store_calibration writes the whole
    CalibrationResult). Only what is used is required; other fields, and fields a newer version
    adds, are kept as they are. The table itself stays plain dicts: the audio code reads them."""

    model_config = ConfigDict(strict=True, extra="allow", allow_inf_nan=False)

    # The calibrator looks up to 1.5 s for the round trip (LatencyCalibrator.max_lag_s).
    latency_ms: float = Field(ge=0, le=2000)
    latency_samples: float | None = Field(None, ge=0)
    sample_rate: int | None = Field(None, gt=0, le=768_000)
    confidence: float | None = Field(None, ge=0, le=1)
    spread_ms: float | None = Field(None, ge=0)
    std_ms: float | None = Field(None, ge=0)
    stream_latency_ms: int | None = Field(None, ge=0, le=500)
    engine: str | None = Field(None, max_length=100)


# Google's endpoints: the default for a profile whose server does not say where to sign in.
GOOGLE_AUTHORIZATION_ENDPOINT = "https://accounts.google.com/o/oauth2/auth"
GOOGLE_TOKEN_ENDPOINT = "https://oauth2.googleapis.com/token"
LOCAL_SERVER_PROFILE = "local"
LOCAL_SERVER_URL = "http://127.0.0.1:8000"
SERVER_PROFILES_MAX = 20


class ServerProfileEntry(BaseModel):
    """One server the learner can sync with (sync/profiles.py works with these). The OAuth
    client is a desktop ("installed") client: its secret is not confidential by design (Google
    says so for installed apps), so it may live in the settings; sessions never do."""

    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False)

    name: str = Field(min_length=1, max_length=60)
    base_url: str = Field(min_length=8, max_length=500, pattern=r"^https?://[^\s/]+(/[^\s]*)?$")
    client_id: str = Field("", max_length=500)
    client_secret: str = Field("", max_length=500)
    authorization_endpoint: str = Field(GOOGLE_AUTHORIZATION_ENDPOINT, max_length=500)
    token_endpoint: str = Field(GOOGLE_TOKEN_ENDPOINT, max_length=500)
    issuer: str = Field("", max_length=500)  # set when filled from the server's auth config


def default_server_profiles() -> list[ServerProfileEntry]:
    """A local `yousync-server` on its default port: what a new install can sync with."""
    return [ServerProfileEntry(name=LOCAL_SERVER_PROFILE, base_url=LOCAL_SERVER_URL)]


class Settings(BaseModel):
    """User preferences. Unknown keys found in the file are kept in `extra` and written back, so
    an older version does not lose a newer one's settings (nor the other way round).

    Each field's `title` is what the learner reads when it was reset (the UI translates it in the
    "settings" context)."""

    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False)

    language: Literal[LANGUAGES] = Field(
        "system", title=QT_TRANSLATE_NOOP("settings", "Language"))
    # base64 of QWidget.saveGeometry() / QMainWindow.saveState(), owned by the UI
    window_geometry: str = Field("", max_length=WINDOW_LAYOUT_MAX_CHARS,
                                 title=QT_TRANSLATE_NOOP("settings", "Window size and position"))
    window_state: str = Field("", max_length=WINDOW_LAYOUT_MAX_CHARS,
                              title=QT_TRANSLATE_NOOP("settings", "Window layout"))
    demo_scenes_installed: bool = Field(
        False, title=QT_TRANSLATE_NOOP("settings", "Demo scenes installed"))
    # Audio engine (yousync_desktop/audio): device keys from audio.devices ("" = system default),
    # the stream's latency (0 = automatic), the calibrated round trip per input/output pair, and
    # how much before and after a line each take keeps.
    audio_input_device: str = Field("", max_length=DEVICE_KEY_MAX_CHARS,
                                    title=QT_TRANSLATE_NOOP("settings", "Microphone"))
    audio_output_device: str = Field("", max_length=DEVICE_KEY_MAX_CHARS,
                                     title=QT_TRANSLATE_NOOP("settings", "Speakers"))
    audio_sample_rate: Literal[SAMPLE_RATES] = Field(
        48000, title=QT_TRANSLATE_NOOP("settings", "Sample rate"))
    audio_stream_latency_ms: int = Field(
        0, ge=0, le=500, title=QT_TRANSLATE_NOOP("settings", "Audio buffer latency"))
    audio_latency_calibrations: dict[str, dict[str, Any]] = Field(
        default_factory=dict, title=QT_TRANSLATE_NOOP("settings", "Latency calibrations"))
    take_pre_roll_ms: int = Field(
        500, ge=0, le=2000, title=QT_TRANSLATE_NOOP("settings", "Recorded before the line"))
    take_post_roll_ms: int = Field(
        500, ge=0, le=3000, title=QT_TRANSLATE_NOOP("settings", "Recorded after the line"))
    # The practice screen: clicks before each take (0 = none), and how the pitch plot reads.
    practice_count_in_beats: int = Field(
        3, ge=0, le=8, title=QT_TRANSLATE_NOOP("settings", "Count-in clicks"))
    practice_pitch_units: Literal[PITCH_UNITS] = Field(
        "semitones", title=QT_TRANSLATE_NOOP("settings", "Pitch display"))
    # Sync (sync/profiles.py): the servers known, the one in use, and whether a new take is
    # queued for the server's analysis on its own (else the learner marks takes by hand).
    server_profiles: list[ServerProfileEntry] = Field(
        default_factory=default_server_profiles, max_length=SERVER_PROFILES_MAX,
        title=QT_TRANSLATE_NOOP("settings", "Servers"))
    active_server_profile: str = Field(
        LOCAL_SERVER_PROFILE, max_length=60, title=QT_TRANSLATE_NOOP("settings", "Server in use"))
    sync_takes_automatically: bool = Field(
        False, title=QT_TRANSLATE_NOOP("settings", "Send new takes for analysis"))
    extra: dict[str, Any] = Field(default_factory=dict, exclude=True)

    @field_validator("server_profiles")
    @classmethod
    def _profile_names_are_unique(cls, profiles: list[ServerProfileEntry]):
        names = [profile.name for profile in profiles]
        if len(names) != len(set(names)):
            raise ValueError("two server profiles share a name")
        return profiles

    @field_validator("audio_latency_calibrations")
    @classmethod
    def _every_calibration_is_valid(cls, table: dict[str, dict[str, Any]]):
        for pair, entry in table.items():
            if not calibration_is_valid(pair, entry):
                raise ValueError(f"calibration {pair!r}")
        return table

    # The file's two entry points, kept on the class for the callers that predate the store
    # (the audio CLI commands, tests). Both live in settings.py with the rest of the file handling.
    @classmethod
    def load(cls, paths: "AppPaths") -> "Settings":
        """The settings in the file, repaired (see settings.load_settings)."""
        from yousync_desktop.settings import load_settings

        return load_settings(paths)[0]

    def save(self, paths: "AppPaths") -> None:
        """Write atomically; raises OSError when the file cannot be written."""
        from yousync_desktop.settings import write_settings_file

        write_settings_file(self, paths)


SETTING_NAMES = tuple(name for name in Settings.model_fields if name != "extra")


def calibration_is_valid(pair: Any, entry: Any) -> bool:
    if not isinstance(pair, str) or not pair or len(pair) > PAIR_KEY_MAX_CHARS:
        return False
    try:
        CalibrationEntry.model_validate(entry)
    except ValidationError:
        return False
    return True


def setting_title(name: str) -> str:
    """The English words for a setting (translated by the UI in the "settings" context)."""
    return Settings.model_fields[name].title or name


def setting_bounds(name: str) -> tuple[int, int]:
    """(lowest, highest) an integer setting may be."""
    low = high = None
    for rule in Settings.model_fields[name].metadata:
        if isinstance(rule, Ge):
            low = rule.ge
        elif isinstance(rule, Le):
            high = rule.le
    if low is None or high is None:
        raise KeyError(f"{name} has no range")
    return low, high


def setting_choices(name: str) -> tuple:
    """The values a setting with a fixed set of choices may take, in order."""
    annotation = Settings.model_fields[name].annotation
    if typing.get_origin(annotation) is not Literal:
        raise KeyError(f"{name} has no fixed choices")
    return typing.get_args(annotation)


def setting_max_length(name: str) -> int | None:
    for rule in Settings.model_fields[name].metadata:
        if isinstance(rule, MaxLen):
            return rule.max_length
    return None


def field_values(settings: Settings) -> dict[str, Any]:
    """Every setting by name, without `extra` (a shallow view: don't change what it holds)."""
    return {name: getattr(settings, name) for name in SETTING_NAMES}


def check(settings: Settings) -> Settings:
    """`settings` validated as a whole, as a new object; raises SettingsError naming the first
    setting that is not acceptable (nothing is changed)."""
    values = {**field_values(settings), "extra": dict(settings.extra)}
    try:
        return Settings.model_validate(values)
    except ValidationError as invalid:
        raise _as_settings_error(invalid, values) from None


def _as_settings_error(invalid: ValidationError, values: dict[str, Any]) -> SettingsError:
    problem = invalid.errors()[0]
    name = str(problem["loc"][0]) if problem["loc"] else "?"
    kind = problem["type"]
    if kind == "extra_forbidden":
        return SettingsError("settings.unknown", name=name)
    if kind in ("greater_than_equal", "less_than_equal") and name in SETTING_NAMES:
        low, high = setting_bounds(name)
        return SettingsError("settings.out_of_range", name=name, low=low, high=high)
    if kind == "literal_error":
        choices = ", ".join(str(choice) for choice in setting_choices(name))
        return SettingsError("settings.not_a_choice", name=name, choices=choices)
    if kind == "string_too_long":
        return SettingsError("settings.too_long", name=name, limit=setting_max_length(name))
    if name == "audio_latency_calibrations" and isinstance(values.get(name), dict):
        bad = next((pair for pair, entry in values[name].items()
                    if not calibration_is_valid(pair, entry)), None)
        if bad is not None:
            return SettingsError("settings.bad_calibration", pair=str(bad)[:PAIR_KEY_MAX_CHARS])
    expected = Settings.model_fields[name].annotation if name in Settings.model_fields else None
    return SettingsError("settings.wrong_type", name=name,
                         expected=getattr(expected, "__name__", None) or str(expected))


def repair(raw: dict[str, Any]) -> tuple[Settings, list[str], list[str]]:
    """Settings from a file's JSON object: each value that is of the wrong type or out of range
    goes back to its default, the others are kept; a calibration that is not valid is dropped
    alone (the other device pairs keep theirs); unknown keys go to `extra`. Returns the settings,
    the names that went back to defaults and a note on each (for the log)."""
    values = {name: raw[name] for name in SETTING_NAMES if name in raw}
    extra = {key: value for key, value in raw.items() if key not in SETTING_NAMES
             and key != "extra"}
    if "extra" in raw:  # a key that collides with our bookkeeping is someone else's: keep it
        extra["extra"] = raw["extra"]
    reset: list[str] = []
    notes: list[str] = []
    table = values.get("audio_latency_calibrations")
    if isinstance(table, dict):
        kept = {pair: entry for pair, entry in table.items() if calibration_is_valid(pair, entry)}
        if len(kept) != len(table):
            dropped = sorted(str(pair)[:60] for pair in table if pair not in kept)
            notes.append(f"audio_latency_calibrations: dropped {dropped}")
            reset.append("audio_latency_calibrations")
            values["audio_latency_calibrations"] = kept
    while True:
        try:
            settings = Settings.model_validate({**values, "extra": extra})
            break
        except ValidationError as invalid:
            bad = {str(problem["loc"][0]) for problem in invalid.errors() if problem["loc"]}
            bad &= set(values)
            if not bad:  # cannot happen with the fields above; never loop forever
                raise
            for name in sorted(bad):
                notes.append(f"{name}: {_short(values.pop(name))} is not valid")
                if name not in reset:
                    reset.append(name)
    reset.sort(key=SETTING_NAMES.index)  # in the order the settings are defined (and shown)
    return settings, reset, notes


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
