"""Where each line of a scene stands for the learner: not recorded, recorded, scored, synced."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from yousync_desktop.domain import Script, Take


class LineStatus(str, Enum):
    NOT_RECORDED = "not_recorded"
    RECORDED = "recorded"     # takes exist, none scored yet
    SCORED = "scored"         # a quick (local) score exists
    SYNCED = "synced"         # the server's full analysis came back


@dataclass(frozen=True)
class LineSummary:
    index: int
    script: Script
    status: LineStatus
    take_count: int
    best_score: float | None     # the best sync rate among the line's takes
    starred_take_id: int | None  # the take the learner kept (goes into "my dub")


def summarize_line(index: int, script: Script, takes: list[Take]) -> LineSummary:
    scores = [t.score for t in takes if t.score is not None]
    if any(s.source == "server" for s in scores):
        status = LineStatus.SYNCED
    elif scores:
        status = LineStatus.SCORED
    elif takes:
        status = LineStatus.RECORDED
    else:
        status = LineStatus.NOT_RECORDED
    starred = next((t.id for t in takes if t.starred), None)
    return LineSummary(index=index, script=script, status=status, take_count=len(takes),
                       best_score=max((s.sync_rate for s in scores), default=None),
                       starred_take_id=starred)


def take_for_dub(takes: list[Take]) -> Take | None:
    """The take that represents a line in the learner's dub: the starred one, else the best
    scored one, else the newest."""
    if not takes:
        return None
    starred = [t for t in takes if t.starred]
    if starred:
        return starred[0]
    scored = [t for t in takes if t.score is not None]
    if scored:
        return max(scored, key=lambda t: (t.score.sync_rate, t.id or 0))
    return max(takes, key=lambda t: t.id or 0)
