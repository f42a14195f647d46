"""Where the details go: a rotating log file in the platform's log folder.

The learner reads one line in their language; everything a developer needs to find the cause (the
exception's type and text, its traceback, SQL) goes here. `setup_logging(paths.log_dir)` is called
once by the app (app.py) and by the command line (cli.py); `install_excepthooks()` sends exceptions
nobody caught — on the main thread or any other — to the log with their traceback. Background
tasks whose failure reaches no callback are logged by tasks.py on the same loggers.

`UnexpectedError` is the one line for an exception that is not a `CodedError` (a bug, or a library
failing in a way nobody foresaw): "Something went wrong (ValueError). Details are in the log."
`technical_details(error)` is what the UI's "Copy details" puts on the clipboard.

No Qt here.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import platform
import sys
import tempfile
import threading
import traceback
from pathlib import Path
from typing import Callable

from yousync_desktop import __version__
from yousync_desktop.errors import QT_TRANSLATE_NOOP, CodedError

LOG_FILE_NAME = "yousync.log"
# Five files of 1 MB: weeks of normal use, and a runaway loop cannot fill the disk.
MAX_LOG_BYTES = 1_000_000
LOG_BACKUPS = 4
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

log = logging.getLogger(__name__)

_handler: logging.Handler | None = None
_log_file: Path | None = None
_log_dir: Path | None = None


class UnexpectedError(CodedError):
    """The one line for an exception that carries no code of its own."""

    messages = {
        "app.unexpected": QT_TRANSLATE_NOOP(
            "errors", "Something went wrong ({kind}). Details are in the log."),
        "app.unexpected_see_file": QT_TRANSLATE_NOOP(
            "errors", "Something went wrong ({kind}). Details are in {log_file}"),
    }

    @classmethod
    def about(cls, error: BaseException) -> "UnexpectedError":
        """The sentence for `error`, naming the log file when there is one."""
        kind = type(error).__name__
        if _log_file is not None:
            return cls("app.unexpected_see_file", kind=kind, log_file=str(_log_file))
        return cls("app.unexpected", kind=kind)


def setup_logging(log_dir: Path, *, level: int = logging.INFO) -> Path | None:
    """Send the package's log (and every other library's, at `level` and above) to a rotating
    file in `log_dir`; returns the file, or None when no folder could take it (then the log goes
    to stderr, so it is never silently lost). Calling it again moves the log to the new folder
    (tests do)."""
    global _handler, _log_file, _log_dir
    if _handler is not None and _log_dir == Path(log_dir):
        return _log_file  # the command line set it up before starting the app
    shutdown_logging()
    root = logging.getLogger()
    handler, file = _file_handler(Path(log_dir))
    if handler is None:
        # stderr rather than nothing; only warnings, and without tracebacks, which are never
        # shown on the command line.
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
        handler.setFormatter(_WithoutTraceback("yousync: %(levelname)s: %(message)s"))
    else:
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    _handler, _log_file, _log_dir = handler, file, Path(log_dir)
    log.info("YouSync Desktop %s (Python %s, %s), pid %d", __version__,
             platform.python_version(), platform.platform(), os.getpid())
    return file


def shutdown_logging() -> None:
    """Stop writing the log file set up by `setup_logging` (tests; the app keeps it to exit)."""
    global _handler, _log_file, _log_dir
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
    _handler, _log_file, _log_dir = None, None, None


class _WithoutTraceback(logging.Formatter):
    """One line per record: the message without the traceback attached to it."""

    def format(self, record: logging.LogRecord) -> str:
        record = logging.makeLogRecord(record.__dict__)
        record.exc_info = record.exc_text = record.stack_info = None
        return " ".join(super().format(record).split())


def _file_handler(log_dir: Path) -> tuple[logging.Handler | None, Path | None]:
    # The platform's folder first; when it cannot be written (read-only home, a file in the
    # way) a private folder in the temporary directory keeps the details somewhere findable.
    fallback = Path(tempfile.gettempdir()) / f"yousync-logs-{_user_id()}"
    for folder in (log_dir, fallback):
        file = folder / LOG_FILE_NAME
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handler = logging.handlers.RotatingFileHandler(
                file, maxBytes=MAX_LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
        except OSError:
            continue
        return handler, file
    return None, None


def _user_id() -> str:
    getuid = getattr(os, "getuid", None)
    return str(getuid()) if getuid is not None else os.environ.get("USERNAME", "user")


def log_file() -> Path | None:
    """The file the log is written to now (None before `setup_logging`, or when it fell back
    to stderr)."""
    return _log_file


def log_unexpected(error: BaseException, what: str = "unexpected error") -> None:
    """Write `error` with its traceback to the log."""
    logging.getLogger("yousync_desktop").error(
        "%s: %s", what, _one_line(error), exc_info=(type(error), error, error.__traceback__))


def install_excepthooks(on_unexpected: Callable[[BaseException], None] | None = None) -> None:
    """Exceptions that reach the top of the main thread (sys.excepthook; PySide6 hands exceptions
    raised in slots to it too) or of any other thread (threading.excepthook) go to the log with
    their traceback. `on_unexpected(error)` is then called for those on the main thread (the app
    says one line in the window); KeyboardInterrupt keeps Python's usual behaviour."""

    def main_thread_hook(kind, error, trace) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        if error.__traceback__ is None:
            error = error.with_traceback(trace)
        log_unexpected(error, "uncaught exception")
        if on_unexpected is not None:
            try:
                on_unexpected(error)
            except Exception:  # noqa: BLE001 - telling must never raise out of the hook
                log.exception("could not tell the learner about an uncaught exception")

    def thread_hook(hook_args: threading.ExceptHookArgs) -> None:
        if hook_args.exc_type is SystemExit:
            return
        error = hook_args.exc_value
        if error is None:
            error = hook_args.exc_type()
        name = hook_args.thread.name if hook_args.thread is not None else "?"
        log_unexpected(error, f"uncaught exception in thread {name}")

    sys.excepthook = main_thread_hook
    threading.excepthook = thread_hook


def technical_details(error: BaseException | None, *, context: str = "") -> str:
    """What a developer needs, as plain text: version, the exception's type and text, its
    traceback (and its causes') when it has one, and where the log is."""
    lines = [f"YouSync Desktop {__version__} (Python {platform.python_version()}, "
             f"{platform.platform()})"]
    if context:
        lines.append(context)
    if error is not None:
        lines.append(f"{type(error).__module__}.{type(error).__qualname__}: {error}")
        if isinstance(error, CodedError):
            lines.append(f"code: {error.code}")
        if error.__traceback__ is not None or error.__cause__ is not None \
                or error.__context__ is not None:
            lines.append("".join(traceback.format_exception(error)).rstrip())
    lines.append(f"log: {_log_file}" if _log_file is not None else "log: (not written)")
    return "\n".join(lines)


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text[:500]}"


def as_coded_error(error: BaseException, *, name_log_file: bool = False) -> CodedError:
    """The error as the learner reads it: a coded error as it is; a failure of the library's
    database as its DatabaseError (never its SQL); anything else as UnexpectedError, naming the
    log file when `name_log_file` (the command line; the window has "Copy details")."""
    if isinstance(error, CodedError):
        return error
    from yousync_desktop.library.db_errors import database_error

    mapped = database_error(error)
    if mapped is not None:
        return mapped
    if name_log_file:
        return UnexpectedError.about(error)
    return UnexpectedError("app.unexpected", kind=type(error).__name__)
