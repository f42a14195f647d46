"""`DomainError`: API JSON that does not fit the domain's shapes (raised by the readers in
json_values.py and by scores.py)."""

from __future__ import annotations

from yousync_desktop.errors import CodedError, QT_TRANSLATE_NOOP


class DomainError(CodedError, ValueError):
    """JSON that does not fit the API's shapes. `where` names the offending field (a path such as
    "token.scripts[0].start_time"), `value` the value found there."""

    messages = {
        "domain.missing_field": QT_TRANSLATE_NOOP("errors", "{where}: missing field '{key}'"),
        "domain.not_integer": QT_TRANSLATE_NOOP("errors",
                                                "{where}: expected an integer, got {value!r}"),
        "domain.not_number": QT_TRANSLATE_NOOP("errors",
                                               "{where}: expected a finite number, got {value!r}"),
        "domain.not_string": QT_TRANSLATE_NOOP("errors",
                                               "{where}: expected a string, got {value!r}"),
        "domain.not_boolean": QT_TRANSLATE_NOOP("errors",
                                                "{where}: expected true/false, got {value!r}"),
        "domain.not_object": QT_TRANSLATE_NOOP("errors", "{where}: expected an object"),
        "domain.not_list": QT_TRANSLATE_NOOP("errors", "{where}: expected a list"),
        "domain.not_number_or_text": QT_TRANSLATE_NOOP("errors",
                                                       "{where}: expected a number or text"),
        "domain.ends_before_start": QT_TRANSLATE_NOOP(
            "errors", "{where}: ends at {end} s, not after its start at {start} s"),
    }
