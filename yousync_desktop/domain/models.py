"""The YouSync vocabulary as plain dataclasses, reading and writing the API's JSON shapes.

Shapes follow docs/yousync-api.md §3.0 (Token, TokenDetail, Script, Word, pitch) and §4.4/§4.5
(analysis result, scores). Times are always absolute seconds of the source video (the token's
timeline); `Token.clip_offset` is the one conversion to clip-relative time.

Parsing is lenient where the public backend is (any Word field may be null, `pitch` may be null)
and strict about types: a wrong type raises `DomainError` naming the field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from yousync_desktop.domain.errors import DomainError


# --- small typed readers -------------------------------------------------------------------------

def _req(obj: dict, key: str, where: str) -> Any:
    if key not in obj:
        raise DomainError("domain.missing_field", where=where, key=key)
    return obj[key]


def _int(value: Any, where: str, *, nullable: bool = False) -> int | None:
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError("domain.not_integer", where=where, value=value)
    return value


def _num(value: Any, where: str, *, nullable: bool = False) -> float | None:
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise DomainError("domain.not_number", where=where, value=value)
    return float(value)


def _str(value: Any, where: str, *, nullable: bool = False) -> str | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise DomainError("domain.not_string", where=where, value=value)
    return value


def _obj(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise DomainError("domain.not_object", where=where)
    return value


def _list(value: Any, where: str) -> list:
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
        data = _obj(data, where)
        return cls(
            id=_int(_req(data, "id", where), f"{where}.id"),
            script_id=_int(_req(data, "script_id", where), f"{where}.script_id"),
            word=_str(data.get("word"), f"{where}.word", nullable=True),
            start_time=_num(data.get("start_time"), f"{where}.start_time", nullable=True),
            end_time=_num(data.get("end_time"), f"{where}.end_time", nullable=True),
            probability=_num(data.get("probability"), f"{where}.probability", nullable=True),
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
        data = _obj(data, where)
        words = _list(data.get("words") or [], f"{where}.words")
        return cls(
            id=_int(_req(data, "id", where), f"{where}.id"),
            token_id=_int(_req(data, "token_id", where), f"{where}.token_id"),
            start_time=_num(_req(data, "start_time", where), f"{where}.start_time"),
            end_time=_num(_req(data, "end_time", where), f"{where}.end_time"),
            script=_str(_req(data, "script", where), f"{where}.script"),
            translation=_str(data.get("translation"), f"{where}.translation", nullable=True),
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
        data = _obj(data, where)
        return cls(time=_num(_req(data, "time", where), f"{where}.time"),
                   hz=_num(data.get("hz"), f"{where}.hz", nullable=True))

    def to_api(self) -> dict:
        return {"time": self.time, "hz": self.hz}


def pitch_from_api(data: Any, where: str = "pitch") -> list[PitchPoint] | None:
    if data is None:
        return None
    return [PitchPoint.from_api(p, f"{where}[{i}]") for i, p in enumerate(_list(data, where))]


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
        data = _obj(data, where)

        def opt_str(key: str) -> str | None:
            return _str(data.get(key), f"{where}.{key}", nullable=True)

        scripts = _list(data.get("scripts") or [], f"{where}.scripts")
        return cls(
            id=_int(_req(data, "id", where), f"{where}.id"),
            token_name=_str(_req(data, "token_name", where), f"{where}.token_name"),
            actor_name=_str(_req(data, "actor_name", where), f"{where}.actor_name"),
            start_time=_num(_req(data, "start_time", where), f"{where}.start_time"),
            end_time=_num(_req(data, "end_time", where), f"{where}.end_time"),
            category=opt_str("category"),
            youtube_url=opt_str("youtube_url"),
            thumbnail_url=opt_str("thumbnail_url"),
            view_count=_int(data.get("view_count") or 0, f"{where}.view_count"),
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


# --- takes and scores ----------------------------------------------------------------------------

RANK_THRESHOLDS = (("S", 0.95), ("A", 0.85), ("B", 0.70))


def rank_for(sync_rate: float) -> str:
    """The web client's rank from a 0–1 sync rate: S ≥ 0.95, A ≥ 0.85, B ≥ 0.70, else C."""
    for rank, threshold in RANK_THRESHOLDS:
        if sync_rate >= threshold:
            return rank
    return "C"


@dataclass
class WordScore:
    """One entry of the analysis's `word_analysis` (§4.4); every field may be missing upstream."""

    word: str | None
    word_score: float | None = None
    text_status: str | None = None        # "pass" / "fail"
    time_match: bool | None = None
    overlap_ratio: float | None = None
    mfcc_similarity: float | None = None
    timing_offset_ms: float | None = None  # quick score only: learner minus actor
    pitch_error_semitones: float | None = None  # quick score only

    _API_KEYS = ("word", "text_status", "time_match", "overlap_ratio", "mfcc_similarity",
                 "word_score", "timing_offset_ms", "pitch_error_semitones")

    @classmethod
    def from_api(cls, data: Any, where: str = "word_analysis") -> "WordScore":
        data = _obj(data, where)
        time_match = data.get("time_match")
        if time_match is not None and not isinstance(time_match, bool):
            raise DomainError("domain.not_boolean", where=f"{where}.time_match", value=time_match)
        return cls(
            word=_str(data.get("word"), f"{where}.word", nullable=True),
            word_score=_num(data.get("word_score"), f"{where}.word_score", nullable=True),
            text_status=_str(data.get("text_status"), f"{where}.text_status", nullable=True),
            time_match=time_match,
            overlap_ratio=_num(data.get("overlap_ratio"), f"{where}.overlap_ratio", nullable=True),
            mfcc_similarity=_num(data.get("mfcc_similarity"), f"{where}.mfcc_similarity",
                                 nullable=True),
            timing_offset_ms=_num(data.get("timing_offset_ms"), f"{where}.timing_offset_ms",
                                  nullable=True),
            pitch_error_semitones=_num(data.get("pitch_error_semitones"),
                                       f"{where}.pitch_error_semitones", nullable=True),
        )

    def to_api(self) -> dict:
        return {k: getattr(self, k) for k in self._API_KEYS if getattr(self, k) is not None}


@dataclass(frozen=True)
class ScoreIssue:
    """One thing wrong with a take, as a code and its numbers, so the UI can say it in the
    learner's language; `text` is the English sentence (what the API's `issues` list holds)."""

    code: str
    text: str
    params: dict = field(default_factory=dict)  # str → number or text, as the sentence uses them

    @classmethod
    def from_json(cls, data: Any, where: str) -> "ScoreIssue":
        data = _obj(data, where)
        params = _obj(data.get("params") or {}, f"{where}.params")
        for key, value in params.items():
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                raise DomainError("domain.not_number_or_text", where=f"{where}.params.{key}")
        return cls(code=_str(_req(data, "code", where), f"{where}.code"),
                   text=_str(_req(data, "text", where), f"{where}.text"), params=dict(params))

    def to_json(self) -> dict:
        return {"code": self.code, "text": self.text, "params": dict(self.params)}


@dataclass
class Score:
    """A take's analysis in the API's language. `source` says who made it: "quick" (local, offline)
    or "server" (the full analysis). The three dimensions are 0–1; `sync_rate` is their mean."""

    overall_score: float
    pronunciation: float | None = None
    intonation: float | None = None
    timing: float | None = None
    words: list[WordScore] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    source: str = "quick"
    raw: dict | None = None  # the full server result, kept verbatim
    # The same issues with codes and numbers (quick scores; the server sends sentences only).
    issue_details: list[ScoreIssue] = field(default_factory=list)

    @property
    def sync_rate(self) -> float:
        parts = [p for p in (self.pronunciation, self.intonation, self.timing) if p is not None]
        return sum(parts) / len(parts) if parts else self.overall_score

    @property
    def rank(self) -> str:
        return rank_for(self.sync_rate)

    @classmethod
    def from_api_result(cls, data: Any, where: str = "result") -> "Score":
        """Read a server analysis (§4.4, the object at `Job.result.result`) into the UI's scores,
        with the web client's formulas (§4.5): pronunciation = mean word_score, intonation = mean
        mfcc_similarity, timing = share of words that passed recognition; missing counts as 0."""
        data = _obj(data, where)
        words = [WordScore.from_api(w, f"{where}.word_analysis[{i}]")
                 for i, w in enumerate(_list(data.get("word_analysis") or [], f"{where}.word_analysis"))]

        def mean(values: list[float]) -> float | None:
            return sum(values) / len(values) if values else None

        overall = _num(data.get("overall_score"), f"{where}.overall_score", nullable=True)
        return cls(
            overall_score=overall if overall is not None else 0.0,
            pronunciation=mean([w.word_score or 0.0 for w in words]),
            intonation=mean([w.mfcc_similarity or 0.0 for w in words]),
            timing=mean([1.0 if w.text_status == "pass" else 0.0 for w in words]),
            words=words, source="server", raw=data,
        )

    @classmethod
    def from_json(cls, data: Any, where: str = "score") -> "Score":
        data = _obj(data, where)
        return cls(
            overall_score=_num(_req(data, "overall_score", where), f"{where}.overall_score"),
            pronunciation=_num(data.get("pronunciation"), f"{where}.pronunciation", nullable=True),
            intonation=_num(data.get("intonation"), f"{where}.intonation", nullable=True),
            timing=_num(data.get("timing"), f"{where}.timing", nullable=True),
            words=[WordScore.from_api(w, f"{where}.word_analysis[{i}]")
                   for i, w in enumerate(_list(data.get("word_analysis") or [], f"{where}.word_analysis"))],
            issues=[_str(s, f"{where}.issues[{i}]") for i, s in enumerate(_list(data.get("issues") or [], f"{where}.issues"))],
            source=_str(data.get("source") or "quick", f"{where}.source"),
            raw=data.get("raw") if isinstance(data.get("raw"), dict) else None,
            issue_details=[ScoreIssue.from_json(d, f"{where}.issue_details[{i}]") for i, d in
                           enumerate(_list(data.get("issue_details") or [], f"{where}.issue_details"))],
        )

    def to_json(self) -> dict:
        out = {"overall_score": self.overall_score, "pronunciation": self.pronunciation,
               "intonation": self.intonation, "timing": self.timing, "rank": self.rank,
               "word_analysis": [w.to_api() for w in self.words], "issues": list(self.issues),
               "source": self.source}
        if self.issue_details:
            out["issue_details"] = [issue.to_json() for issue in self.issue_details]
        if self.raw is not None:
            out["raw"] = self.raw
        return out


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
