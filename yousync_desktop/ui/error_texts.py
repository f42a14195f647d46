"""An error in the learner's language, in one line — never SQL, parameters or a traceback.

The core raises `CodedError`s (yousync_desktop/errors.py): a code, its parameters and an English
template. Here the template is translated in the "errors" context of the loaded QTranslator and
filled in. A parameter that is itself an error is worded the same way, so a refused scene pack
whose reason is a broken media file reads in Korean from end to end; a tuple or list parameter is
each item worded and joined with "; " (the core's FailureList prints it the same way in English).

An exception without a code is worded by `logs.as_coded_error`: a database failure as what
happened to the library, anything else as "Something went wrong (ValueError). Details are in the
log." The detail is in the log file and behind the error dialog's "Copy details"
(ui/error_dialog.py).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from yousync_desktop.errors import ERRORS_CONTEXT, CodedError, fill
from yousync_desktop.logs import as_coded_error


def describe_error(error: BaseException | str) -> str:
    """One line for the learner: a coded error in the UI language, a string as it is, and any
    other exception as what it was about (see the module doc)."""
    if isinstance(error, str):
        text = error
    else:
        coded = as_coded_error(error)
        template = QCoreApplication.translate(ERRORS_CONTEXT, coded.template)
        text = fill(template, {key: _describe_param(value) for key, value in coded.params.items()})
    return " ".join(text.splitlines())  # a cause's own text (a library's message) may span lines


def _describe_param(value: Any) -> Any:
    if isinstance(value, (CodedError, str)):
        return describe_error(value)
    if isinstance(value, OSError):
        # A cause such as a full disk behind a take that was not saved: the system's own words
        # ("[Errno 28] No space left on device") say it best. The outer sentence says what failed.
        return describe_error(str(value))
    if isinstance(value, BaseException):
        return describe_error(value)  # a database failure, or a bug: its one line, no detail
    if isinstance(value, (tuple, list)):
        return "; ".join(str(_describe_param(item)) for item in value)
    return value  # numbers keep their type, so "{duration:.1f}" still formats
