"""A take's scores in the API's JSON shapes (docs/yousync-api.md §4.4/§4.5): the per-word
analysis, the issues with their codes, and the web client's rank."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yousync_desktop.domain.errors import DomainError
from yousync_desktop.domain.json_values import as_list, as_number, as_object, as_str, required


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
        data = as_object(data, where)
        time_match = data.get("time_match")
        if time_match is not None and not isinstance(time_match, bool):
            raise DomainError("domain.not_boolean", where=f"{where}.time_match", value=time_match)
        return cls(
            word=as_str(data.get("word"), f"{where}.word", nullable=True),
            word_score=as_number(data.get("word_score"), f"{where}.word_score", nullable=True),
            text_status=as_str(data.get("text_status"), f"{where}.text_status", nullable=True),
            time_match=time_match,
            overlap_ratio=as_number(data.get("overlap_ratio"), f"{where}.overlap_ratio",
                                    nullable=True),
            mfcc_similarity=as_number(data.get("mfcc_similarity"), f"{where}.mfcc_similarity",
                                      nullable=True),
            timing_offset_ms=as_number(data.get("timing_offset_ms"), f"{where}.timing_offset_ms",
                                       nullable=True),
            pitch_error_semitones=as_number(data.get("pitch_error_semitones"),
                                            f"{where}.pitch_error_semitones", nullable=True),
        )

    def to_api(self) -> dict:
        return {k: getattr(self, k) for k in self._API_KEYS if getattr(self, k) is not None}


def _word_scores(data: dict, where: str) -> list[WordScore]:
    """The `word_analysis` list of a server analysis or a stored score."""
    items = as_list(data.get("word_analysis") or [], f"{where}.word_analysis")
    return [WordScore.from_api(w, f"{where}.word_analysis[{i}]") for i, w in enumerate(items)]


@dataclass(frozen=True)
class ScoreIssue:
    """One thing wrong with a take, as a code and its numbers, so the UI can say it in the
    learner's language; `text` is the English sentence (what the API's `issues` list holds)."""

    code: str
    text: str
    params: dict = field(default_factory=dict)  # str → number or text, as the sentence uses them

    @classmethod
    def from_json(cls, data: Any, where: str) -> "ScoreIssue":
        data = as_object(data, where)
        params = as_object(data.get("params") or {}, f"{where}.params")
        for key, value in params.items():
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                raise DomainError("domain.not_number_or_text", where=f"{where}.params.{key}")
        return cls(code=as_str(required(data, "code", where), f"{where}.code"),
                   text=as_str(required(data, "text", where), f"{where}.text"), params=dict(params))

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
        data = as_object(data, where)
        words = _word_scores(data, where)

        def mean(values: list[float]) -> float | None:
            return sum(values) / len(values) if values else None

        overall = as_number(data.get("overall_score"), f"{where}.overall_score", nullable=True)
        return cls(
            overall_score=overall if overall is not None else 0.0,
            pronunciation=mean([w.word_score or 0.0 for w in words]),
            intonation=mean([w.mfcc_similarity or 0.0 for w in words]),
            timing=mean([1.0 if w.text_status == "pass" else 0.0 for w in words]),
            words=words, source="server", raw=data,
        )

    @classmethod
    def from_json(cls, data: Any, where: str = "score") -> "Score":
        data = as_object(data, where)
        return cls(
            overall_score=as_number(required(data, "overall_score", where),
                                    f"{where}.overall_score"),
            pronunciation=as_number(data.get("pronunciation"), f"{where}.pronunciation",
                                    nullable=True),
            intonation=as_number(data.get("intonation"), f"{where}.intonation", nullable=True),
            timing=as_number(data.get("timing"), f"{where}.timing", nullable=True),
            words=_word_scores(data, where),
            issues=[as_str(s, f"{where}.issues[{i}]")
                    for i, s in enumerate(as_list(data.get("issues") or [], f"{where}.issues"))],
            source=as_str(data.get("source") or "quick", f"{where}.source"),
            raw=data.get("raw") if isinstance(data.get("raw"), dict) else None,
            issue_details=[ScoreIssue.from_json(d, f"{where}.issue_details[{i}]") for i, d in
                           enumerate(as_list(data.get("issue_details") or [],
                                             f"{where}.issue_details"))],
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

