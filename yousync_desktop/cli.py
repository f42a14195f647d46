"""Command-line entry points: `yousync` with no arguments starts the app; subcommands work on the
library without a window. Errors print one English line on stderr and exit non-zero; whatever a
command did not foresee is caught in `main`, written to the log file with its traceback, and said
in one line too (`--debug` or YOUSYNC_DEBUG=1 also prints the traceback).

Commands that change the library (import-pack, delete) take its lock like the app does: when a
window or another command holds it they say so on one line and wait (`--wait SECONDS`), then
give up with one line. Commands that only read open the library read-only while someone else
holds it.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from contextlib import contextmanager
from pathlib import Path

from yousync_desktop import __version__
from yousync_desktop.cli_inputs import (
    LONGEST_SOURCE_SECONDS, OneLineParser, bound_options, number, score_cut_warning,
    seconds_to_score, take_option, takes_for_mix, whole_number, write_file_names_as_given,
)
from yousync_desktop.domain import DEFAULT_PRE_ROLL


def _error(message: str, code: int = 1) -> int:
    print(f"yousync: error: {message}", file=sys.stderr)
    return code


def _warn(message: str) -> None:
    print(f"yousync: warning: {message}", file=sys.stderr)


DEFAULT_LOCK_WAIT_S = 60.0
# A command that only reads still works on a library it may not change.
READABLE_ANYWAY = {"library.newer_version", "library.read_only_folder", "library.read_only_file",
                   "library.locked", "library.locked_by"}


@contextmanager
def _open_library(command: str = "list", *, write: bool = False,
                  wait: float = DEFAULT_LOCK_WAIT_S):
    """The library, under its lock for a command that writes (waiting up to `wait` seconds for
    its holder, and as long again for another program's write transaction), read-only for one
    that reads while someone else holds the lock."""
    from yousync_desktop.library import Library, LibraryOpenError
    from yousync_desktop.library.locks import LibraryLock
    from yousync_desktop.settings import AppPaths

    paths = AppPaths.from_environment()
    lock = LibraryLock(paths.data_dir, purpose=command)
    told = []

    def waiting_for_writer(error) -> bool:
        if not told:  # one line, however long the wait ("Waiting for another program…")
            told.append(error)
            print(f"yousync: {error}", file=sys.stderr, flush=True)
        return True

    def waiting_for_lock(error) -> None:
        print(f"yousync: waiting up to {wait:g} s: {error}", file=sys.stderr, flush=True)

    if write:
        try:
            lock.acquire(wait, on_wait=waiting_for_lock)
        except OSError as exc:
            from yousync_desktop.library.open_errors import os_error

            raise os_error(paths.data_dir, exc) from exc
        read_only = False
    else:
        try:
            read_only = not lock.try_acquire()
        except OSError:  # a read-only folder: reading is all anyone can do
            read_only = True
    try:
        try:
            library = Library(paths, read_only=read_only, on_wait=waiting_for_writer,
                              wait_seconds=wait)
        except LibraryOpenError as exc:
            if write or exc.code not in READABLE_ANYWAY:
                raise
            library = Library(paths, read_only=True)
            print(f"yousync: note: reading the library without changing it: {exc}",
                  file=sys.stderr)
        with library:
            yield library
    finally:
        lock.release()


def _resolve_scene(library, ref: str) -> int:
    """A scene given as its library key (see `yousync list`) or its pack id."""
    from yousync_desktop.library import LibraryError

    if ref.isdigit():
        key = int(ref)
        library.get_scene(key)  # raises LibraryError when absent
        return key
    key = library.key_for_pack(ref)
    if key is None:
        raise LibraryError("library.no_scene_named", ref=ref)
    return key


def cmd_run(args: argparse.Namespace) -> int:
    from yousync_desktop.app import run_app

    return run_app([sys.argv[0], *args.qt_args])


def cmd_list(_args: argparse.Namespace) -> int:
    with _open_library() as library:
        scenes = library.list_scenes()
        if not scenes:
            print("The library is empty. Start the app once, or use `yousync import-pack FILE`.")
        for scene in scenes:
            minutes, seconds = divmod(round(scene.duration), 60)
            print(f"{scene.key:>4}  {scene.pack_id:<28} {scene.token_name} — {scene.actor_name} "
                  f"[{scene.category or '-'}] {minutes}:{seconds:02d}, {scene.line_count} lines")
    return 0


def cmd_import_pack(args: argparse.Namespace) -> int:
    from yousync_desktop.library.scene_pack import PackError, import_pack

    with _open_library("import-pack", write=True, wait=args.wait) as library:
        try:
            result = import_pack(library, Path(args.file))
        except PackError as exc:
            return _error(f"cannot import {Path(args.file).name}: {exc}")
    if result.status == "unchanged":
        print(f"“{result.token_name}” is already in the library (scene {result.key}); nothing to do.")
    else:
        print(f"Imported “{result.token_name}” as scene {result.key}.")
    return 0


def cmd_export_pack(args: argparse.Namespace) -> int:
    from yousync_desktop.library import LibraryError
    from yousync_desktop.library.scene_pack import PackError, export_pack

    with _open_library("export-pack") as library:
        try:
            key = _resolve_scene(library, args.token)
            path = export_pack(library, key, Path(args.file))
        except (LibraryError, PackError, OSError) as exc:
            return _error(f"cannot export: {exc}")
    print(f"Exported scene {key} to {path}.")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    from yousync_desktop.library import LibraryError

    with _open_library("delete", write=True, wait=args.wait) as library:
        try:
            key = _resolve_scene(library, args.token)
            name = library.get_scene(key).token.token_name
            library.delete_scene(key)
        except LibraryError as exc:
            return _error(str(exc))
    print(f"Deleted “{name}” and its takes.")
    return 0


def cmd_screenshot(args: argparse.Namespace) -> int:
    if not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from yousync_desktop.app import render_screenshot

    path = render_screenshot(Path(args.out), language=args.language,
                             width=args.width, height=args.height)
    print(f"Saved {path}")
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    import json

    from yousync_desktop.analysis.audio_io import AudioFileError, audio_seconds
    from yousync_desktop.analysis.scoring.cli_adapter import read_line, score_take_files
    from yousync_desktop.domain import DomainError

    line_file, reference, take = Path(args.line), Path(args.reference), Path(args.take)
    try:
        script, window_start = read_line(line_file, args.pre_roll)
        keep = seconds_to_score(script.end_time, window_start, args.latency_ms)
        for path, what in ((take, "the take"), (reference, "the actor's audio")):
            length = audio_seconds(path)
            if length > keep:
                _warn(score_cut_warning(path.name, what, length, keep, script.id,
                                        script.end_time - window_start))
        result = score_take_files(line_file, reference, take, latency_ms=args.latency_ms,
                                  pre_roll=args.pre_roll, window_seconds=keep)
    except FileNotFoundError as exc:
        return _error(f"file not found: {Path(exc.filename).name}")
    except AudioFileError as exc:
        return _error(str(exc))
    except (DomainError, ValueError) as exc:  # LINE.json malformed, not JSON, or not UTF-8
        return _error(f"{line_file.name}: {exc}")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def cmd_analyze_pitch(args: argparse.Namespace) -> int:
    import json

    from yousync_desktop.analysis.audio_io import AudioFileError
    from yousync_desktop.analysis.offline_pitch import analyze_pitch_file

    try:
        points = analyze_pitch_file(Path(args.file), offset=args.offset)
    except FileNotFoundError as exc:
        return _error(f"file not found: {Path(exc.filename).name}")
    except AudioFileError as exc:
        return _error(str(exc))
    print(json.dumps(points, ensure_ascii=False))
    return 0


def cmd_mix(args: argparse.Namespace) -> int:
    from yousync_desktop.analysis.audio_io import AudioFileError
    from yousync_desktop.analysis.mixing import mix_scene_to_file
    from yousync_desktop.library import LibraryError

    with _open_library("mix") as library:
        try:
            key = _resolve_scene(library, args.token)
            scene = library.get_scene(key)
            takes = takes_for_mix(library, key, scene, args.take, warn=_warn)
            if not takes:
                return _error("this scene has no takes yet; record some or pass --take LINE=FILE")
            options = {"keep_actor_elsewhere": not args.no_actor,
                       "loudness_match": not args.no_loudness_match}
            if args.duck_db is not None:
                options["actor_duck_db"] = args.duck_db
            path = mix_scene_to_file(scene.token, scene.media.bgvoice, scene.media.vocal, takes,
                                     Path(args.out), **options)
        except (LibraryError, AudioFileError, ValueError, OSError) as exc:
            return _error(f"cannot mix: {exc}")
    print(f"Wrote {path} ({len(takes)} of {len(scene.token.scripts)} lines dubbed).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="yousync", description="YouSync Desktop — practise dubbing movie scenes.",
        epilog="Exit status: 0 done, 1 the work failed (a file unreadable or refused, the "
               "library), 2 the command line is wrong (the message names the option).")
    parser.add_argument("--version", action="version", version=f"YouSync Desktop {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="on an unexpected error, also print its traceback (or YOUSYNC_DEBUG=1)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", help="start the desktop app (the default)")
    run.add_argument("qt_args", nargs=argparse.REMAINDER, help="arguments passed to Qt")
    run.set_defaults(func=cmd_run)

    commands.add_parser("list", help="list the scenes in the library").set_defaults(func=cmd_list)

    imp = commands.add_parser("import-pack", help="add a scene pack (.yspack) to the library")
    imp.add_argument("file")
    _add_wait_option(imp)
    imp.set_defaults(func=cmd_import_pack)

    exp = commands.add_parser("export-pack", help="write a scene from the library as a pack")
    exp.add_argument("token", help="scene number from `yousync list`, or its pack id")
    exp.add_argument("file")
    exp.set_defaults(func=cmd_export_pack)

    delete = commands.add_parser("delete", help="remove a scene, its takes and files")
    delete.add_argument("token", help="scene number from `yousync list`, or its pack id")
    _add_wait_option(delete)
    delete.set_defaults(func=cmd_delete)

    score = commands.add_parser("score", help="quick score of one take against the actor's line")
    score.add_argument("--line", required=True, help="the line as API Script JSON (with words)")
    score.add_argument("--reference", required=True, help="the actor's audio for the same window")
    score.add_argument("take", help="the learner's take (sample 0 = line start minus pre-roll)")
    score.add_argument("--latency-ms", type=number(0.0, 2000.0, "ms"), default=0.0,
                       help="round-trip latency still in the take, subtracted before timing "
                            "(0–2000)")
    score.add_argument("--pre-roll", type=number(0.0, 10.0, "s"), default=None,
                       help=f"seconds before the line start in both files (0–10; default "
                            f"{DEFAULT_PRE_ROLL}, or the line JSON's window_start)")
    score.set_defaults(func=cmd_score)

    pitch = commands.add_parser("analyze-pitch", help="print the pitch contour JSON of a recording")
    pitch.add_argument("file")
    pitch.add_argument("--offset", type=number(0.0, LONGEST_SOURCE_SECONDS, "s"), default=0.0,
                       help="absolute time of the file's first sample (e.g. the token's "
                            "start_time), 0–86400 s")
    pitch.set_defaults(func=cmd_analyze_pitch)

    mix = commands.add_parser("mix", help="render my dub: background + my takes (+ actor elsewhere)")
    mix.add_argument("token", help="scene number from `yousync list`, or its pack id")
    mix.add_argument("out", help="output file, .wav or .flac")
    mix.add_argument("--take", action="append", default=[], type=take_option,
                     metavar="LINE=FILE[@WINDOW_START]",
                     help="use this file for a line instead of the library's best take")
    mix.add_argument("--no-actor", action="store_true", help="drop the actor on undubbed lines too")
    mix.add_argument("--duck-db", type=number(-96.0, 0.0, "dB"), default=None,
                     help="keep the actor under my takes at this gain (−96 to 0 dB) instead of "
                          "removing it")
    mix.add_argument("--no-loudness-match", action="store_true")
    mix.set_defaults(func=cmd_mix)

    shot = commands.add_parser("screenshot", help="render the main window with the demo scenes to PNG")
    shot.add_argument("out", nargs="?", default="docs/screenshots/main-window.png")
    shot.add_argument("--language", choices=["en", "ko"], default="en")
    shot.add_argument("--width", type=whole_number(200, 8192, "px"), default=1280)
    shot.add_argument("--height", type=whole_number(200, 8192, "px"), default=800)
    shot.set_defaults(func=cmd_screenshot)

    from yousync_desktop.audio.cli_commands import register_cli as register_audio_commands

    register_audio_commands(commands)  # `devices` and `calibrate`
    # Their numbers are checked here with the others (audio/cli_commands.py declares them).
    bound_options(commands.choices["calibrate"], {
        "--repeats": whole_number(2, 50),  # the measurement needs two; 50 takes a minute
        "--level-db": number(-60.0, 0.0, "dBFS"),  # above 0 dBFS the test signal clips
    })
    return parser


def _add_wait_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--wait", type=number(0.0, LONGEST_SOURCE_SECONDS, "s"),
                         default=DEFAULT_LOCK_WAIT_S, metavar="SECONDS",
                         help="how long to wait while the app or another command has the library "
                              f"(default {DEFAULT_LOCK_WAIT_S:g})")


EXIT_INTERRUPTED = 130  # the shell's convention for Ctrl+C


def main(argv: list[str] | None = None) -> int:
    write_file_names_as_given()
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args([*argv, "run"])
    debug = args.debug or os.environ.get("YOUSYNC_DEBUG", "") not in ("", "0")
    # For `run` too: the app may fail before it has set up its own (app.py does it again).
    from yousync_desktop.logs import setup_logging
    from yousync_desktop.settings import AppPaths

    setup_logging(AppPaths.from_environment().log_dir)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("yousync: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:  # noqa: BLE001 - the last place to turn it into one line
        return _unexpected(error, args.command, debug=debug)


def _unexpected(error: Exception, command: str | None, *, debug: bool) -> int:
    """Log `error` with its traceback, print its one English line, exit 1."""
    from yousync_desktop.errors import CodedError
    from yousync_desktop.logs import as_coded_error

    said = as_coded_error(error, name_log_file=True)
    level = logging.INFO if isinstance(error, CodedError) and error.__cause__ is None \
        else logging.ERROR
    logging.getLogger(__name__).log(level, "yousync %s failed: %s", command, said,
                                    exc_info=(type(error), error, error.__traceback__))
    _error(" ".join(str(said).split()))
    if debug:
        traceback.print_exception(error, file=sys.stderr)
    return 1
