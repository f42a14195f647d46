"""Errors in the learner's language: a core error's code and parameters, worded in ui/."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from yousync_desktop.errors import ERRORS_CONTEXT, CodedError, fill


def describe_error(error: BaseException | str) -> str:
    """One line in the UI's language: a coded error's translated sentence; a plain string as it
    is; anything else (a bug) as its type and text rather than hidden."""
    if isinstance(error, str):
        return error
    if isinstance(error, CodedError):
        params = {k: describe_error(v) if isinstance(v, CodedError) else v
                  for k, v in error.params.items()}
        return fill(QCoreApplication.translate(ERRORS_CONTEXT, error.template), params)
    if type(error).__module__.startswith("yousync_desktop."):
        return str(error)  # one of our errors not yet given a code: its English sentence
    return f"{type(error).__name__}: {error}"
