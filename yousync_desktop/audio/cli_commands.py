"""`yousync devices` and `yousync calibrate`: the audio engine from the command line.

`register_cli(subparsers)` adds both subcommands to the main parser (yousync_desktop/cli.py). Heavy
imports (PortAudio) happen inside the commands, so `yousync --help` works without a sound system.
Errors print one line on stderr and exit non-zero, like the other subcommands.
"""

from __future__ import annotations

import argparse
import json
import sys

EXIT_ERROR = 1
EXIT_UNSTABLE = 3  # calibrate: measured, but too unstable to trust; nothing saved


def _error(message: str, code: int = EXIT_ERROR) -> int:
    print(f"yousync: error: {message}", file=sys.stderr)
    return code


def _settings():
    from yousync_desktop.settings import AppPaths, Settings

    paths = AppPaths.from_environment()
    return paths, Settings.load(paths)


def cli_devices(args: argparse.Namespace) -> int:
    from yousync_desktop.audio.devices import (find_device, list_devices, save_device_choice,
                                               supported_sample_rates)
    from yousync_desktop.audio.errors import AudioError

    paths, settings = _settings()
    try:
        devices = list_devices(rescan_first=True)
    except AudioError as exc:
        return _error(str(exc))
    for key, for_input, what in ((args.set_input, True, "input"),
                                 (args.set_output, False, "output")):
        if key is None:
            continue
        if find_device(devices, key, for_input=for_input) is None:
            return _error(f"no {what} device with key “{key}” (see `yousync devices`)")
    save_device_choice(settings, input_key=args.set_input, output_key=args.set_output)
    if args.set_input is not None or args.set_output is not None:
        settings.save(paths)

    rows = []
    for device in devices:
        for for_input in (True, False):
            if not (device.is_input if for_input else device.is_output):
                continue
            rows.append({
                "direction": "input" if for_input else "output", "key": device.key,
                "label": device.label, "hostapi": device.hostapi,
                "channels": device.max_input_channels if for_input else device.max_output_channels,
                "native_rate": int(device.default_samplerate),
                "rates": supported_sample_rates(device, for_input=for_input),
                "chosen": device.key == (settings.audio_input_device if for_input
                                         else settings.audio_output_device)})
    if args.json:
        print(json.dumps({"devices": rows, "input": settings.audio_input_device,
                          "output": settings.audio_output_device}, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("No audio devices found. Is a sound card connected and the sound system running?")
        return EXIT_ERROR
    for direction, title in (("input", "Microphones (inputs)"), ("output", "Speakers (outputs)")):
        print(f"{title}:")
        for row in (r for r in rows if r["direction"] == direction):
            mark = "*" if row["chosen"] else " "
            key = row["key"] or '""'
            rates = ", ".join(str(r) for r in row["rates"]) or "none"
            print(f"  {mark} {row['label']}\n      key {key}; {row['channels']} ch; "
                  f"native {row['native_rate']} Hz; rates {rates}")
    print('* = chosen. Choose with `yousync devices --set-input KEY --set-output KEY` '
          '("" = system default).')
    return 0


def cli_calibrate(args: argparse.Namespace) -> int:
    from yousync_desktop.audio.calibration import (LatencyCalibrator, pair_key,
                                                   store_calibration)
    from yousync_desktop.audio.duplex_engine import DuplexEngine, EngineConfig
    from yousync_desktop.audio.errors import AudioError

    paths, settings = _settings()
    config = EngineConfig.from_settings(settings)
    overrides = {}
    if args.input is not None:
        overrides["input_device"] = args.input
    if args.output is not None:
        overrides["output_device"] = args.output
    config = EngineConfig(**{**config.__dict__, **overrides})
    engine = DuplexEngine(config)
    mode = "acoustic" if args.acoustic else "loopback"
    try:
        engine.start()
        for message in engine.devices.messages:
            print(f"note: {message}", file=sys.stderr)
        if not args.json:
            print(f"Calibrating {engine.devices.input.label} ← {engine.devices.output.label} "
                  f"({mode}, {args.repeats} repeats)…", flush=True)
        result = LatencyCalibrator(engine, repeats=args.repeats, mode=mode,
                                   level_db=args.level_db).measure()
    except AudioError as exc:
        return _error(str(exc))
    finally:
        engine.stop()
    choice = engine.devices
    saved = result.stable and not args.no_save
    if saved:
        store_calibration(settings, choice, result, settings.audio_stream_latency_ms)
        settings.save(paths)
    if args.json:
        print(json.dumps({**result.to_json(), "pair": pair_key(choice.input.key,
                                                               choice.output.key),
                          "saved": saved}, ensure_ascii=False, indent=2))
    else:
        print(result.summary())
        for warning in result.warnings:
            print(f"warning: {warning}")
        if saved:
            print(f"Saved for {choice.input.label} → {choice.output.label}.")
        elif not result.stable:
            print("Not saved: the result is not reliable. Run `yousync calibrate` again.")
    return 0 if result.stable else EXIT_UNSTABLE


def register_cli(subparsers) -> None:
    """Add `devices` and `calibrate` to the `yousync` command."""
    devices = subparsers.add_parser("devices", help="list microphones and speakers; choose them")
    devices.add_argument("--set-input", metavar="KEY", help="use this input from now on")
    devices.add_argument("--set-output", metavar="KEY", help="use this output from now on")
    devices.add_argument("--json", action="store_true", help="machine-readable output")
    devices.set_defaults(func=cli_devices)

    calibrate = subparsers.add_parser(
        "calibrate", help="measure the round-trip latency of the chosen devices",
        description="Plays test sweeps and finds them in the input. Use a loopback cable (or a "
                    "sound server's monitor), or --acoustic with speakers and a microphone. The "
                    "result is saved for this input/output pair when it is stable "
                    f"(exit {EXIT_UNSTABLE} when it is not).")
    calibrate.add_argument("--input", metavar="KEY", help="input device (default: the chosen one)")
    calibrate.add_argument("--output", metavar="KEY",
                           help="output device (default: the chosen one)")
    calibrate.add_argument("--repeats", type=int, default=6)
    calibrate.add_argument("--acoustic", action="store_true",
                           help="speakers into the microphone instead of a loopback")
    calibrate.add_argument("--level-db", type=float, default=None,
                           help="test signal level in dBFS (default −6 loopback, −12 acoustic)")
    calibrate.add_argument("--no-save", action="store_true", help="measure only")
    calibrate.add_argument("--json", action="store_true", help="machine-readable output")
    calibrate.set_defaults(func=cli_calibrate)
