"""Plain data in the API's vocabulary. No Qt, no I/O."""

from yousync_desktop.domain.models import (
    DEFAULT_PRE_ROLL, DomainError, PitchPoint, Score, ScoreIssue, Script, Take, Token, Word, WordScore, format_timestamp,
    parse_timestamp, pitch_from_api, pitch_to_api, rank_for,
)

__all__ = ["DEFAULT_PRE_ROLL", "DomainError", "PitchPoint", "Score", "ScoreIssue", "Script", "Take",
           "Token", "Word", "WordScore", "format_timestamp", "parse_timestamp", "pitch_from_api", "pitch_to_api", "rank_for"]
