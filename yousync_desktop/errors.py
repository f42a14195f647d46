"""Errors as data: a code and its parameters from the core, words from whoever shows them.

Every error a learner may see derives from `CodedError`. Its subclass declares the English
sentence for each code it raises (the `messages` catalogue, next to the code that raises it)::

    class PackError(CodedError):
        messages = {
            "pack.unsafe_path": QT_TRANSLATE_NOOP("errors", "Unsafe path in the archive: {name}"),
        }

    raise PackError("pack.unsafe_path", name=name)

`str(error)` is the English sentence (the CLI and the logs print it). The Qt UI words the same
code in the learner's language: `ui/error_texts.py` translates the template in the "errors"
context and fills in the parameters. `QT_TRANSLATE_NOOP` below does nothing at run time; it is the
marker `pyside6-lupdate` looks for, so `tools/update_translations.sh` (which also reads the core
catalogues) puts every template into the Korean catalogue without the core importing Qt.
"""

from __future__ import annotations

import string
from typing import Any, ClassVar, Mapping

ERRORS_CONTEXT = "errors"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate finds
    """Marks `text` for translation in `context`; returns it unchanged."""
    return text


def fill(template: str, params: Mapping[str, Any]) -> str:
    """The template with its parameters; a template whose placeholders don't match (a broken
    translation) comes back with the parameters listed rather than raising."""
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError, AttributeError):
        listed = ", ".join(f"{k}={v}" for k, v in params.items())
        return f"{template} ({listed})" if listed else template


def placeholders(template: str) -> set[str]:
    """The names a template fills in ("{name}", "{size:.1f}" → {"name", "size"})."""
    return {field.split(".")[0].split("[")[0]
            for _text, field, _spec, _conv in string.Formatter().parse(template) if field}


class CodedError(Exception):
    """An error the user may see: `code` says what went wrong, `params` fill its sentence.

    Subclasses set `messages` (code → English template). Raising with a code the class does not
    know is a programming error and fails at once, so a typo never reaches a user as a blank.
    """

    messages: ClassVar[Mapping[str, str]] = {}

    def __init__(self, code: str, /, **params: Any):
        if code not in self.messages:
            raise KeyError(f"{type(self).__name__} has no message for code {code!r}")
        self.code = code
        self.params = params
        super().__init__(fill(self.messages[code], params))

    @property
    def template(self) -> str:
        """The English template of this error's code (the source text translations key on)."""
        return self.messages[self.code]

    def __reduce__(self):  # picklable across processes, like any exception with args
        return (_rebuild, (type(self), self.code, self.params))


def _rebuild(cls: type[CodedError], code: str, params: dict) -> CodedError:
    return cls(code, **params)


def all_error_classes() -> list[type[CodedError]]:
    """Every CodedError subclass imported so far (tests import the whole package first)."""
    found: list[type[CodedError]] = []
    pending = list(CodedError.__subclasses__())
    while pending:
        cls = pending.pop()
        if cls not in found:
            found.append(cls)
            pending.extend(cls.__subclasses__())
    return found


def english(error: BaseException) -> str:
    """One line for the CLI and the logs: a coded error's sentence, or the exception's type and
    text for anything else (a bug, said as what it was rather than hidden)."""
    if isinstance(error, CodedError):
        return str(error)
    return f"{type(error).__name__}: {error}"
