"""What the `yousync` command line accepts, checked in one place before any work starts.

- `type=` validators for argparse with the range each option allows (`number`, `whole_number`,
  `take_option`): NaN, infinities and absurd values are refused with the option named.
- `OneLineParser`: argparse's usage error in one line, so a script (or a learner) sees the reason.
- Where a take given on the command line is cut (`TAKE_TAIL_SECONDS`), the sentences saying so,
  and the takes `yousync mix` uses (`takes_for_mix`).
- `write_file_names_as_given`: output that cannot fail on a file name that is not UTF-8.

Exit codes: 2 when the command line itself is wrong (argparse and the validators here; the message
names the option), 1 when the work fails (a file unreadable or refused, the library). Messages are
English, as everything the CLI prints (docs/architecture.md: the UI words errors, the CLI prints
English); no Qt here.
"""

from __future__ import annotations

import argparse
import codecs
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from yousync_desktop.domain import DEFAULT_PRE_ROLL

# A take is read up to this far past its line's end: the longest time Preferences record after a
# line (3 s) plus the longest round-trip latency calibration measures (1.5 s), rounded up. Audio
# beyond it cannot belong to the line, and reading it all could cost gigabytes.
TAKE_TAIL_SECONDS = 5.0
# Absolute times on a source video's timeline (window starts, pitch offsets): within a day.
LONGEST_SOURCE_SECONDS = 24 * 3600.0


class OneLineParser(argparse.ArgumentParser):
    """argparse prints the whole usage block before the error; one line that names the option
    and the reason is what a learner or a script needs. Sub-commands inherit the class."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def _number_text(value: float) -> str:
    return f"{value:g}"


def number(low: float, high: float, unit: str = "") -> Callable[[str], float]:
    """A finite float in [low, high]; `unit` is said with the range ("ms", "s", "dB")."""
    suffix = f" {unit}" if unit else ""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text} is not a finite number")
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"{text}{suffix} is out of range ({_number_text(low)} to "
                f"{_number_text(high)}{suffix})")
        return value

    parse.range = (low, high, unit)  # read by the test that every numeric option is bounded
    return parse


def whole_number(low: int, high: int, unit: str = "") -> Callable[[str], int]:
    """An integer in [low, high]."""
    suffix = f" {unit}" if unit else ""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"{text}{suffix} is out of range ({low} to {high}{suffix})")
        return value

    parse.range = (low, high, unit)
    return parse


def bound_options(parser: argparse.ArgumentParser, validators: dict[str, Callable]) -> None:
    """Give options that another module declares (the audio commands) their validators, so all
    the ranges live here. argparse has no public lookup of an action by its option string; its
    own table is used, and a renamed option fails at once rather than go unchecked."""
    for option, validator in validators.items():
        action = parser._option_string_actions.get(option)
        if action is None:
            raise LookupError(f"`{parser.prog}` has no option {option}")
        action.type = validator


# --- `mix --take LINE=FILE[@WINDOW_START]` ------------------------------------------------------

@dataclass(frozen=True)
class TakeOption:
    line: int                   # the line's API id
    file: Path
    window_start: float | None  # absolute time of the file's sample 0; None: the line's default


_window_start = number(0.0, LONGEST_SOURCE_SECONDS, "s")


def take_option(text: str) -> TakeOption:
    line, equals, rest = text.partition("=")
    if not equals or not rest or not (line.isascii() and line.isdigit()):
        raise argparse.ArgumentTypeError(f"{text!r}: expected LINE=FILE[@WINDOW_START]")
    file_name, at, start = rest.rpartition("@")
    window_start = None
    if at and _looks_like_a_number(start):
        try:
            window_start = _window_start(start)
        except argparse.ArgumentTypeError as exc:
            raise argparse.ArgumentTypeError(f"{text!r}: window start {exc}") from None
    else:
        file_name = rest  # no time given; an "@" belongs to the file's name
    if not file_name:
        raise argparse.ArgumentTypeError(f"{text!r}: expected LINE=FILE[@WINDOW_START]")
    return TakeOption(int(line), Path(file_name), window_start)


def _looks_like_a_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# --- where a take is cut -------------------------------------------------------------------------

def seconds_to_score(line_end: float, window_start: float, latency_ms: float) -> float:
    """How much of a take (and of the actor's audio beside it) `yousync score` reads: up to
    TAKE_TAIL_SECONDS past the line's end, later by the latency still in the take."""
    return max(0.0, line_end - window_start) + TAKE_TAIL_SECONDS + latency_ms / 1000.0


def score_cut_warning(name: str, what: str, length: float, kept: float, line_id: int,
                      line_end_in_take: float) -> str:
    return (f"{name} ({what}) lasts {length:.1f} s; only its first {kept:.1f} s are scored: "
            f"line {line_id} ends {line_end_in_take:.1f} s into it, and nothing more than "
            f"{TAKE_TAIL_SECONDS:g} s after a line's end belongs to its take")


def mix_take_problem(name: str, line_id: int, line_start: float, line_end: float,
                     window_start: float, length: float) -> str | None:
    """Why a take cannot be mixed into its line (it does not reach it), or None."""
    take_end = window_start + length
    if take_end <= line_start or window_start >= line_end:
        return (f"{name} covers {window_start:.2f}–{take_end:.2f} s of the scene and does not "
                f"reach line {line_id} ({line_start:.2f}–{line_end:.2f} s); check its "
                f"@WINDOW_START")
    return None


def mix_cut_warning(name: str, line_id: int, line_start: float, line_end: float,
                    window_start: float, length: float, used: tuple[float, float]) -> str | None:
    """A warning when a take reaches far outside its line: only `used` (absolute seconds) of it
    goes into the mix."""
    take_end = window_start + length
    if take_end <= line_end + TAKE_TAIL_SECONDS and window_start >= line_start - TAKE_TAIL_SECONDS:
        return None
    return (f"{name} covers {window_start:.2f}–{take_end:.2f} s but line {line_id} is "
            f"{line_start:.2f}–{line_end:.2f} s; only {used[0]:.2f}–{used[1]:.2f} s of it is "
            f"mixed (the line and a short margin) and the rest is left out")


def takes_for_mix(library, key: int, scene, explicit: list[TakeOption], *,
                  warn: Callable[[str], None]) -> list[tuple[int, Path, float]]:
    """(line id, file, window start) for `yousync mix`: the `--take` options, or else the
    library's best take per line (starred, otherwise the newest). Raises ValueError for a take
    of a line the scene does not have, or one that does not reach its line; `warn` hears of a
    take reaching far outside its line (only the part around the line is mixed)."""
    from yousync_desktop.analysis.audio_io import audio_seconds
    from yousync_desktop.analysis.mixing import mixed_span

    scripts = {s.id: s for s in scene.token.scripts}
    chosen = []
    for option in explicit:
        script = scripts.get(option.line)
        if script is None:
            raise ValueError(f"--take {option.line}={option.file.name}: line {option.line} is not "
                             f"in this scene (its lines: {', '.join(map(str, scripts))})")
        window_start = (option.window_start if option.window_start is not None
                        else script.start_time - DEFAULT_PRE_ROLL)
        length = audio_seconds(option.file)
        facts = (option.file.name, script.id, script.start_time, script.end_time, window_start,
                 length)
        problem = mix_take_problem(*facts)
        if problem:
            raise ValueError(f"--take: {problem}")
        used_from, used_to = mixed_span(script)
        warning = mix_cut_warning(*facts, used=(max(used_from, window_start),
                                                min(used_to, window_start + length)))
        if warning:
            warn(warning)
        chosen.append((script.id, option.file, window_start))
    if explicit:
        return chosen
    best: dict[int, object] = {}
    for take in library.takes(key):
        current = best.get(take.script_id)
        if current is None or take.starred or not current.starred:
            best[take.script_id] = take
    for script_id, take in sorted(best.items()):
        chosen.append((script_id, library.take_audio_path(take),
                       take.window_start(scripts[script_id])))
    return chosen


# --- output --------------------------------------------------------------------------------------

_surrogate_escape = codecs.lookup_error("surrogateescape")
_backslash_replace = codecs.lookup_error("backslashreplace")


def _as_given(error: UnicodeError):
    # A non-UTF-8 file name arrives as lone surrogates (PEP 383): write back the bytes it was.
    # Anything else the stream cannot encode is escaped rather than crash the command.
    try:
        return _surrogate_escape(error)
    except UnicodeError:
        return _backslash_replace(error)


codecs.register_error("yousync-as-given", _as_given)


def write_file_names_as_given() -> None:
    """Make stdout and stderr write a file name exactly as the user typed it, even when it is not
    UTF-8, instead of raising UnicodeEncodeError halfway through a command."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="yousync-as-given")
