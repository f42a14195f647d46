"""The YouSync vocabulary as plain dataclasses, reading and writing the API's JSON shapes.

Shapes follow docs/yousync-api.md §3.0 (Token, TokenDetail, Script, Word, pitch) and, in scores.py,
§4.4/§4.5 (analysis result, scores). Times are always absolute seconds of the source video (the
token's timeline); `Token.clip_offset` is the one conversion to clip-relative time.

Parsing is lenient where the public backend is (any Word field may be null, `pitch` may be null)
and strict about types: a wrong type raises `DomainError` naming the field (the readers in
json_values.py). The scores and the timestamp helpers are re-exported here, so they stay
importable from this module as well as from `yousync_desktop.domain`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from yousync_desktop.domain.errors import DomainError
from yousync_desktop.domain.json_values import (
    as_int, as_list, as_number, as_object, as_str, format_timestamp, parse_timestamp, required,
)
from yousync_desktop.domain.scores import RANK_THRESHOLDS, Score, ScoreIssue, WordScore, rank_for

__all__ = ["DEFAULT_PRE_ROLL", "RANK_THRESHOLDS", "DomainError", "PitchPoint", "Score",
           "ScoreIssue", "Script", "Take", "Token", "Word", "WordScore", "format_timestamp",
           "parse_timestamp", "pitch_from_api", "pitch_to_api", "rank_for"]


# --- catalogue -----------------------------------------------------------------------------------

@dataclass
class Word:
    id: int
    script_id: int
    word: str | None
    start_time: float | None
    end_time: float | None
    probability: float | None = None

    @classmethod
    def from_api(cls, data: Any, where: str = "word") -> "Word":
        data = as_object(data, where)
        return cls(
            id=as_int(required(data, "id", where), f"{where}.id"),
            script_id=as_int(required(data, "script_id", where), f"{where}.script_id"),
            word=as_str(data.get("word"), f"{where}.word", nullable=True),
            start_time=as_number(data.get("start_time"), f"{where}.start_time", nullable=True),
            end_time=as_number(data.get("end_time"), f"{where}.end_time", nullable=True),
            probability=as_number(data.get("probability"), f"{where}.probability", nullable=True),
        )

    def to_api(self) -> dict:
        return {"id": self.id, "script_id": self.script_id, "start_time": self.start_time,
                "end_time": self.end_time, "word": self.word, "probability": self.probability}


@dataclass
class Script:
    """One line of dialogue; times are absolute seconds of the source video."""

    id: int
    token_id: int
    start_time: float
    end_time: float
    script: str
    translation: str | None = None
    words: list[Word] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return self.end_time - self.start_time

    @classmethod
    def from_api(cls, data: Any, where: str = "script") -> "Script":
        data = as_object(data, where)
        words = as_list(data.get("words") or [], f"{where}.words")
        return cls(
            id=as_int(required(data, "id", where), f"{where}.id"),
            token_id=as_int(required(data, "token_id", where), f"{where}.token_id"),
            start_time=as_number(required(data, "start_time", where), f"{where}.start_time"),
            end_time=as_number(required(data, "end_time", where), f"{where}.end_time"),
            script=as_str(required(data, "script", where), f"{where}.script"),
            translation=as_str(data.get("translation"), f"{where}.translation", nullable=True),
            words=[Word.from_api(w, f"{where}.words[{i}]") for i, w in enumerate(words)],
        )

    def to_api(self) -> dict:
        return {"id": self.id, "token_id": self.token_id, "start_time": self.start_time,
                "end_time": self.end_time, "script": self.script, "translation": self.translation,
                "words": [w.to_api() for w in self.words]}


@dataclass(frozen=True)
class PitchPoint:
    time: float           # absolute seconds
    hz: float | None      # None = unvoiced

    @classmethod
    def from_api(cls, data: Any, where: str = "pitch") -> "PitchPoint":
        data = as_object(data, where)
        return cls(time=as_number(required(data, "time", where), f"{where}.time"),
                   hz=as_number(data.get("hz"), f"{where}.hz", nullable=True))

    def to_api(self) -> dict:
        return {"time": self.time, "hz": self.hz}


def pitch_from_api(data: Any, where: str = "pitch") -> list[PitchPoint] | None:
    if data is None:
        return None
    return [PitchPoint.from_api(p, f"{where}[{i}]") for i, p in enumerate(as_list(data, where))]


def pitch_to_api(points: list[PitchPoint] | None) -> list[dict] | None:
    return None if points is None else [p.to_api() for p in points]


@dataclass
class Token:
    """A scene clip: `start_time`..`end_time` of the source video. With `scripts` and `pitch` it is
    the API's TokenDetail."""

    id: int
    token_name: str
    actor_name: str
    start_time: float
    end_time: float
    category: str | None = None
    youtube_url: str | None = None
    thumbnail_url: str | None = None
    view_count: int = 0
    s3_textgrid_url: str | None = None
    s3_pitch_url: str | None = None
    s3_bgvoice_url: str | None = None
    bgvoice_url: str | None = None
    video_url: str | None = None   # our server's additive field (§7.13)
    vocal_url: str | None = None   # our server's additive field (§7.13)
    pitch: list[PitchPoint] | None = None
    scripts: list[Script] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return self.end_time - self.start_time

    def clip_offset(self, absolute_time: float) -> float:
        """Seconds into the clip's media (bgvoice, vocal, video) for an absolute video time."""
        return absolute_time - self.start_time

    @classmethod
    def from_api(cls, data: Any, where: str = "token") -> "Token":
        data = as_object(data, where)

        def opt_str(key: str) -> str | None:
            return as_str(data.get(key), f"{where}.{key}", nullable=True)

        scripts = as_list(data.get("scripts") or [], f"{where}.scripts")
        return cls(
            id=as_int(required(data, "id", where), f"{where}.id"),
            token_name=as_str(required(data, "token_name", where), f"{where}.token_name"),
            actor_name=as_str(required(data, "actor_name", where), f"{where}.actor_name"),
            start_time=as_number(required(data, "start_time", where), f"{where}.start_time"),
            end_time=as_number(required(data, "end_time", where), f"{where}.end_time"),
            category=opt_str("category"),
            youtube_url=opt_str("youtube_url"),
            thumbnail_url=opt_str("thumbnail_url"),
            view_count=as_int(data.get("view_count") or 0, f"{where}.view_count"),
            s3_textgrid_url=opt_str("s3_textgrid_url"),
            s3_pitch_url=opt_str("s3_pitch_url"),
            s3_bgvoice_url=opt_str("s3_bgvoice_url"),
            bgvoice_url=opt_str("bgvoice_url"),
            video_url=opt_str("video_url"),
            vocal_url=opt_str("vocal_url"),
            pitch=pitch_from_api(data.get("pitch"), f"{where}.pitch"),
            scripts=[Script.from_api(s, f"{where}.scripts[{i}]") for i, s in enumerate(scripts)],
        )

    def to_api(self, *, detail: bool = True) -> dict:
        """The Token shape, or TokenDetail with `detail=True` (scripts, pitch, bgvoice_url)."""
        out: dict[str, Any] = {
            "id": self.id, "token_name": self.token_name, "actor_name": self.actor_name,
            "category": self.category, "start_time": self.start_time, "end_time": self.end_time,
            "youtube_url": self.youtube_url, "thumbnail_url": self.thumbnail_url,
            "view_count": self.view_count, "s3_textgrid_url": self.s3_textgrid_url,
            "s3_pitch_url": self.s3_pitch_url, "s3_bgvoice_url": self.s3_bgvoice_url,
        }
        if detail:
            out["bgvoice_url"] = self.bgvoice_url
            if self.video_url is not None:
                out["video_url"] = self.video_url
            if self.vocal_url is not None:
                out["vocal_url"] = self.vocal_url
            out["pitch"] = pitch_to_api(self.pitch)
            out["scripts"] = [s.to_api() for s in self.scripts]
        return out


# --- takes ---------------------------------------------------------------------------------------

DEFAULT_PRE_ROLL = 0.5  # seconds recorded before a line starts


@dataclass
class Take:
    """One recording of one script. `audio_path` is relative to the library's media folder.
    The take's sample 0 is at absolute time `window_start(script)`: the audio engine records it in
    `metadata["window_start"]` (line start minus pre-roll, latency already corrected)."""

    token_key: int          # the library's key of the token (not the API id)
    script_id: int          # the API id of the script within that token
    audio_path: str
    sample_rate: int
    duration: float
    created_at: datetime
    id: int | None = None
    starred: bool = False
    latency_ms: float | None = None
    metadata: dict = field(default_factory=dict)
    score: Score | None = None

    def window_start(self, script: Script) -> float:
        recorded = self.metadata.get("window_start")
        if isinstance(recorded, (int, float)) and math.isfinite(recorded):
            return float(recorded)
        return script.start_time - DEFAULT_PRE_ROLL
