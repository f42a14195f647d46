"""Pronunciation per word and phone, from the recognition's two passes (recognition.py).

- Goodness of pronunciation (GOP) is the forced alignment's log-likelihood of the canonical phones
  against a free senone loop, per frame (nat/frame, ≤ 0; recognition.py explains why the aligner's
  `compallsen` makes it exactly that). On clear speech a well-said word sits around -5, a wrong
  word below about -7 (measured, ../shared/docs/speech-recognition-notes.md §4).
- The transcript is Whisper's when the `asr` extra is installed (whisper_transcript.py), else
  pocketsphinx's free pass, which is too weak a witness on its own (benchmarks/README.md).
- GOP alone is a poor judge of a word: it depends on the word itself ("may" scores -12 even when
  said well). So `text_status` needs both witnesses: a word fails when the transcript lacks it AND
  its GOP is below GOP_FAIL, or when the aligner could not place it at all (the take does not
  contain the line's words in order). Either witness alone passes a word: a coach would not mark
  a word wrong on one uncertain hint.
- The word score (0–1) is half "was it heard" and half the GOP on a logistic ramp centred on
  GOP_FAIL, so a heard word with a weak GOP still scores about 0.5–0.7, and an unheard word with a
  good GOP scores about 0.3–0.5.
Thresholds come from synthetic speech: re-fit them on recorded learner takes."""

from __future__ import annotations

import math
from dataclasses import dataclass

from yousync_server.worker.recognition import Recognition, ScriptWordResult

GOP_FAIL = -6.7        # nat/frame: below this an unheard word fails; the notes' held-out
                       # threshold (§4: -6.7 to -7.8 across splits), not tuned on our benchmark
GOP_RAMP = 1.5         # nat/frame: the logistic's width around GOP_FAIL


@dataclass(frozen=True)
class WordPronunciation:
    word: str
    text_status: str                 # "pass" | "fail"
    score: float                     # 0–1
    gop: float | None                # nat/frame; None when the word was not aligned
    heard: str | None
    reason: str | None               # why it failed, in a coach's words


def gop_score(gop: float | None) -> float:
    """GOP on a 0–1 ramp: 0.5 at GOP_FAIL, about 0.9 at a typical good word (-4)."""
    if gop is None or not math.isfinite(gop):
        return 0.0
    return 1.0 / (1.0 + math.exp(-(gop - GOP_FAIL) / GOP_RAMP))


def judge_word(result: ScriptWordResult, alignment_complete: bool) -> WordPronunciation:
    if not result.token:   # punctuation only: nothing to pronounce
        return WordPronunciation(result.word, "pass", 1.0, None, None, None)
    heard = result.status == "matched"
    gop = result.aligned.gop if result.aligned is not None else None
    score = 0.5 * float(heard) + 0.5 * gop_score(gop)
    if heard:
        status, reason = "pass", None
    elif result.aligned is None:
        status = "fail"
        reason = ("The take doesn't follow the line here, so this word couldn't be found."
                  if not alignment_complete else "This word couldn't be found in the take.")
    elif gop is not None and gop < GOP_FAIL:
        status = "fail"
        reason = (f'Heard "{result.heard}" instead.' if result.status == "replaced" and
                  result.heard else "This word wasn't clearly said.")
    else:
        status, reason = "pass", None
    return WordPronunciation(result.word, status, round(score, 4),
                             None if gop is None else (round(gop, 3) if math.isfinite(gop)
                                                       else -99.0),
                             result.heard, reason)


def judge(recognition: Recognition) -> list[WordPronunciation]:
    return [judge_word(w, recognition.alignment_complete) for w in recognition.words]


def phones_json(result: ScriptWordResult) -> list[dict]:
    """Per phone: ARPAbet name, times (s from the take's start), GOP and its 0–1 score."""
    if result.aligned is None:
        return []
    return [{"phone": p.phone, "start": round(p.start, 3), "end": round(p.end, 3),
             "gop": p.gop if math.isfinite(p.gop) else -99.0, "score": round(gop_score(p.gop), 4)}
            for p in result.aligned.phones]
