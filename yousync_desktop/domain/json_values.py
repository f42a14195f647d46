"""Typed readers for the API's JSON values, and its timestamp format.

Each `as_…` reader returns the value with its type checked, or raises `DomainError` naming the
field (`where`, a path such as "token.scripts[2].start_time") so a bad payload says what was wrong
where; `nullable=True` lets null through as None. `required` does the same for a missing key.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import Any

from yousync_desktop.domain.errors import DomainError


def required(obj: dict, key: str, where: str) -> Any:
    if key not in obj:
        raise DomainError("domain.missing_field", where=where, key=key)
    return obj[key]


def as_int(value: Any, where: str, *, nullable: bool = False) -> int | None:
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError("domain.not_integer", where=where, value=value)
    return value


def as_number(value: Any, where: str, *, nullable: bool = False) -> float | None:
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise DomainError("domain.not_number", where=where, value=value)
    return float(value)


def as_str(value: Any, where: str, *, nullable: bool = False) -> str | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise DomainError("domain.not_string", where=where, value=value)
    return value


def as_object(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise DomainError("domain.not_object", where=where)
    return value


def as_list(value: Any, where: str) -> list:
    if not isinstance(value, list):
        raise DomainError("domain.not_list", where=where)
    return value


def parse_timestamp(value: str | None) -> datetime | None:
    """API timestamps are ISO-8601, usually without a zone (read as UTC); be lenient (§2.4)."""
    if value is None:
        return None
    text = value.strip().replace("Z", "+00:00")
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def format_timestamp(value: datetime) -> str:
    return value.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds")
