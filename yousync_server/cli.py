"""`yousync-server`: serve, worker, migrate, import-pack FILE, create-admin EMAIL, and
analyze --line LINE.json --reference ACTOR.wav TAKE.wav (one take's result JSON, no server).

With nothing configured, `serve` runs on SQLite (WAL) and a local object folder in the platform
data folder (YOUSYNC_SERVER_DATA_DIR moves it) and installs the demo scenes on first start. A
configuration or start-up problem is one line on stderr and exit code 2; a refused pack or
another failure of a command is one line and exit code 1 (the traceback goes to the log).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from sqlalchemy.exc import OperationalError

from yousync_server import logs
from yousync_server.config import ConfigError, Settings, build_notifier, build_queue, \
    build_storage, load_settings

log = logging.getLogger("yousync_server.cli")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="yousync-server",
                                     description="The YouSync backend (HTTP API).")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP server")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1, YOUSYNC_HOST)")
    serve.add_argument("--port", type=int, help="port (default 8000, YOUSYNC_PORT)")
    worker = commands.add_parser("worker", help="run analysis jobs from the SQS queue")
    worker.add_argument("--threads", type=int, default=1, help="jobs at a time (default 1)")
    commands.add_parser("migrate", help="bring the database to the newest schema")
    pack = commands.add_parser("import-pack", help="add a scene pack (.yspack) to the catalogue")
    pack.add_argument("file", type=Path)
    admin = commands.add_parser("create-admin", help="make the account with this email an admin")
    admin.add_argument("email")
    analyze = commands.add_parser(
        "analyze", help="print one take's analysis JSON (the worker's code path, no server)")
    analyze.add_argument("--line", type=Path, required=True,
                         help="the line as the API's Script JSON (script, start_time, end_time, "
                              "words with absolute times)")
    analyze.add_argument("--reference", type=Path, required=True,
                         help="the actor's vocal; its sample 0 is --reference-start")
    analyze.add_argument("--reference-start", type=float,
                         help="absolute time of the reference's sample 0 (default: the line's "
                              "start_time)")
    analyze.add_argument("--window-start", type=float,
                         help="absolute time of the take's sample 0 (default: the line's "
                              "start_time)")
    analyze.add_argument("--latency-ms", type=float, default=0.0,
                         help="the take's calibrated round-trip latency to remove")
    analyze.add_argument("take", type=Path)
    return parser


def _database(settings: Settings):
    from yousync_server.db.engine import create_db_engine, upgrade_to_head

    engine = create_db_engine(settings.effective_database_url)
    try:
        upgrade_to_head(engine)
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        raise ConfigError(f"cannot open the database: {reason}") from None
    return engine


def _put_object(storage):
    """The pack importer's `put_object(key, path)`, with the content type players need."""
    import mimetypes

    def put(key: str, path: Path) -> None:
        storage.put_file(key, path, mimetypes.guess_type(key)[0])
    return put


def _demo_packs() -> list[Path]:
    from yousync_desktop.library.demo import bundled_demo_packs

    return bundled_demo_packs()


def cmd_migrate(settings: Settings) -> int:
    from yousync_server.db.engine import current_revision

    engine = _database(settings)
    print(f"database at revision {current_revision(engine)}")
    engine.dispose()
    return 0


def cmd_import_pack(settings: Settings, file: Path) -> int:
    from yousync_desktop.library.scene_pack import PackError
    from yousync_server.db.engine import session_factory
    from yousync_server.services.pack_import import import_scene_pack

    engine = _database(settings)
    try:
        result = import_scene_pack(session_factory(engine), _put_object(build_storage(settings)),
                                   settings.data_dir / "staging", file)
    except PackError as exc:
        print(f"yousync-server: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"{result.status}: token {result.key} {result.token_name}")
    return 0


def cmd_create_admin(settings: Settings, email: str) -> int:
    from yousync_server.db.engine import session_factory
    from yousync_server.services.auth import ensure_admin

    if "@" not in email:
        print(f"yousync-server: {email!r} is not an email address", file=sys.stderr)
        return 1
    engine = _database(settings)
    with session_factory(engine)() as session:
        user, created = ensure_admin(session, email)
        print(f"{'created' if created else 'updated'}: user {user.id} {user.email} is an admin")
    engine.dispose()
    return 0


def cmd_analyze(args) -> int:
    """The worker's `analyze(...)` on local files; the JSON goes to stdout."""
    import json

    from yousync_desktop.domain import Script, Token
    from yousync_server.worker.analysis import InvalidTake, TokenMedia, analyze

    try:
        script = Script.from_api(json.loads(args.line.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        print(f"yousync-server: cannot read the line {args.line}: {exc}", file=sys.stderr)
        return 1
    start = script.start_time if args.reference_start is None else args.reference_start
    token = Token.from_api({"id": script.token_id, "token_name": "", "actor_name": "",
                            "category": "", "start_time": start,
                            "end_time": max(start, script.end_time), "youtube_url": "",
                            "scripts": []})
    try:
        result = analyze(args.take, script, TokenMedia(token, args.reference),
                         window_start=args.window_start, latency_ms=args.latency_ms)
    except InvalidTake as exc:
        print(f"yousync-server: invalid_audio: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


def cmd_worker(settings: Settings, threads: int) -> int:
    """Consume the shared queue until SIGTERM/SIGINT; a job in progress finishes first (a worker
    killed outright loses nothing either: its message becomes visible again)."""
    import signal
    import threading

    from yousync_server.db.engine import create_db_engine, session_factory
    from yousync_server.queue import InProcessQueue
    from yousync_server.services.job_engine import JobWorker

    queue = build_queue(settings)
    if isinstance(queue, InProcessQueue):
        raise ConfigError("configuration error: a separate worker needs a shared queue: set "
                          "YOUSYNC_SQS_QUEUE_URL or YOUSYNC_SQS_QUEUE_NAME")
    # No migration here: many workers start at once; `serve` or `migrate` owns the schema.
    engine = create_db_engine(settings.effective_database_url)
    worker = JobWorker(session_factory(engine), build_storage(settings), queue,
                       threads=max(1, threads), deadline_s=settings.job_deadline_seconds,
                       ingest_deadline_s=settings.ingest_deadline_seconds)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    worker.start()
    log.info("worker started", extra={"threads": threads})
    stop.wait()
    log.info("worker stopping: finishing the job in progress")
    worker.close()
    engine.dispose()
    return 0


def cmd_serve(settings: Settings) -> int:
    import uvicorn

    from yousync_desktop.library.scene_pack import PackError
    from yousync_server.app import Engines, create_app
    from yousync_server.db.engine import session_factory
    from yousync_server.services.pack_import import install_demo_scenes_once

    engine = _database(settings)
    storage = build_storage(settings)
    if settings.install_demo_scenes:
        try:
            installed = install_demo_scenes_once(session_factory(engine), _put_object(storage),
                                                 settings.data_dir / "staging", _demo_packs())
        except PackError as exc:
            log.error("demo scenes not installed (tried again at the next start): %s", exc)
        else:
            if installed is not None:
                log.info("demo scenes installed",
                         extra={"tokens": [f"{r.key}:{r.token_name}" for r in installed]})
    engine.dispose()
    if not settings.oidc_audiences:
        log.warning("sign-in is off until YOUSYNC_OIDC_AUDIENCES names the OAuth client ids "
                    "to accept; browsing works without it")
    app = create_app(settings, Engines(storage=storage, queue=build_queue(settings),
                                       notifier=build_notifier(settings)))
    log.info("serving", extra={"data_dir": str(settings.data_dir),
                               "database": app.state.engine.dialect.name,
                               "url": f"http://{settings.host}:{settings.port}/"})
    # SIGTERM/SIGINT: uvicorn stops accepting, finishes in-flight requests (uploads included)
    # for up to the grace period, then runs the app's shutdown.
    server = uvicorn.Server(uvicorn.Config(
        app, host=settings.host, port=settings.port, log_config=None, proxy_headers=True,
        timeout_graceful_shutdown=30, access_log=True))
    server.run()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "analyze":   # local files only: needs no settings, database or storage
        logs.configure("WARNING")
        try:
            return cmd_analyze(args)
        except Exception as exc:  # noqa: BLE001 - one line for the operator, details in the log
            log.error("analysis failed", exc_info=exc)
            print(f"yousync-server: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
    overrides = {}
    if getattr(args, "host", None):
        overrides["host"] = args.host
    if getattr(args, "port", None) is not None:
        overrides["port"] = args.port
    try:
        settings = load_settings(**overrides)
        # One-shot commands print their outcome; their logs only speak up for problems.
        quiet = args.command != "serve" and settings.log_level in ("DEBUG", "INFO")
        logs.configure("WARNING" if quiet else settings.log_level)
        if args.command == "serve":
            return cmd_serve(settings)
        if args.command == "worker":
            return cmd_worker(settings, args.threads)
        if args.command == "migrate":
            return cmd_migrate(settings)
        if args.command == "import-pack":
            return cmd_import_pack(settings, args.file)
        return cmd_create_admin(settings, args.email)
    except ConfigError as exc:
        print(f"yousync-server: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - one line for the operator, details in the log
        log.error("command failed", exc_info=exc)
        print(f"yousync-server: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
