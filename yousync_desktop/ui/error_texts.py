"""An error in the learner's language, in one line.

The core raises `CodedError`s (yousync_desktop/errors.py): a code, its parameters and an English
template. Here the template is translated in the "errors" context of the loaded QTranslator and
filled in. A parameter that is itself an error is worded the same way, so a refused scene pack
whose reason is a broken media file reads in Korean from end to end; a tuple or list parameter is
each item worded and joined with "; " (the core's FailureList prints it the same way in English).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from yousync_desktop.errors import ERRORS_CONTEXT, CodedError, fill


def describe_error(error: BaseException | str) -> str:
    """One line for the learner: a coded error in the UI language, a string as it is, and any
    other exception (a bug) as its type and text rather than hidden."""
    if isinstance(error, str):
        text = error
    elif isinstance(error, CodedError):
        template = QCoreApplication.translate(ERRORS_CONTEXT, error.template)
        text = fill(template, {key: _describe_param(value) for key, value in error.params.items()})
    else:
        text = f"{type(error).__name__}: {error}"
    return " ".join(text.splitlines())  # a cause's own text (a library's message) may span lines


def _describe_param(value: Any) -> Any:
    if isinstance(value, (CodedError, str)):
        return describe_error(value)
    if isinstance(value, BaseException):
        # A cause that is not coded (an OSError behind a take that was not saved): its own text,
        # as the English sentence shows it. The outer sentence already says what failed.
        return describe_error(str(value))
    if isinstance(value, (tuple, list)):
        return "; ".join(str(_describe_param(item)) for item in value)
    return value  # numbers keep their type, so "{duration:.1f}" still formats
