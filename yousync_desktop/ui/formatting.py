"""How times read on screen. Plain Python so it can be tested without a display."""

from __future__ import annotations

import unicodedata


def format_duration(seconds: float) -> str:
    """A scene's length as m:ss, rounded to the nearest second (12.6 → "0:13")."""
    total = max(0, round(seconds))
    return f"{total // 60}:{total % 60:02d}"


def format_clip_time(seconds: float) -> str:
    """A moment inside a clip as m:ss.s (62.04 → "1:02.0"). Takes clip-relative seconds: convert
    absolute video times with `Token.clip_offset` first."""
    tenths = round(abs(seconds) * 10)
    sign = "-" if seconds < 0 and tenths else ""
    return f"{sign}{tenths // 600}:{(tenths % 600) / 10:04.1f}"


def search_key(text: str) -> str:
    """Text folded for matching what a learner types: case-insensitive, and Hangul typed as
    decomposed jamo (macOS file names, some IMEs) matches the composed syllables."""
    return unicodedata.normalize("NFC", text).casefold().strip()
