"""Offline speech recognition and forced alignment of a take, with pocketsphinx ≥ 5, whose wheel
carries the en-us acoustic model, CMUdict and a 3-gram language model: nothing is downloaded.

Two passes over the same 16 kHz samples (see ../shared/docs/speech-recognition-notes.md):
- free recognition with the generic language model → `user_stt` (what was heard, word times);
- forced alignment of the script's words (`set_align_text`, `compallsen=True`), which gives each
  script word its start/end on the take and, because every frame's senone scores are normalised by
  that frame's best senone over all senones, a goodness of pronunciation (GOP): ln(ascore) / frames
  is the canonical phones' log-likelihood against a free senone loop, per frame. A second, phone
  level pass gives the same per phone.
The script is then matched against the transcript by edit distance: each script word is matched,
replaced (with what was heard) or missed, and extra words heard are listed as inserted.

Pitfalls handled (measured, see the notes): `seg()` is None when the alignment cannot reach the end
of the text; a partial path can silently omit the last words (so the aligned sequence is checked
word by word); the phone pass can fail where the word pass succeeded; `ascore` underflows to 0 for
very bad words (GOP = -inf). Decoders are not thread-safe: one lock per recogniser."""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from scipy.signal import resample_poly

from yousync_server.worker.g2p import espeak_arpabet

SAMPLE_RATE = 16000
FRAME_S = 0.01
NON_WORDS = re.compile(r"^(<.*>|\[.*\])$")   # <s> </s> <sil> [NOISE] …
VARIANT = re.compile(r"\(\d+\)$")             # the(2) → the
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


class RecogniserUnavailable(RuntimeError):
    """pocketsphinx is not installed (the server extra): the caller falls back to the quick score."""


@dataclass(frozen=True)
class HeardWord:
    """A word of the free transcript; times in seconds from the take's first sample."""
    word: str
    start: float
    end: float
    confidence: float


@dataclass(frozen=True)
class PhoneScore:
    phone: str
    start: float
    end: float
    gop: float          # nat per frame; 0 is as good as the best senone, -inf unmatchable


@dataclass(frozen=True)
class AlignedWord:
    start: float
    end: float
    gop: float          # nat per frame over the word's frames
    phones: tuple[PhoneScore, ...] = ()


@dataclass(frozen=True)
class ScriptWordResult:
    word: str                       # as the script writes it
    token: str                      # the dictionary form ("" for punctuation-only words)
    status: str                     # "matched" | "replaced" | "missed" (against the transcript)
    heard: str | None               # what the transcript has in its place
    aligned: AlignedWord | None     # None: the forced alignment did not place this word
    pronounced_by_g2p: bool = False


@dataclass
class Recognition:
    words: list[ScriptWordResult]
    transcript: list[HeardWord]
    inserted: list[HeardWord]
    alignment_complete: bool        # every alignable script word was placed
    analysed_seconds: float
    engine: str = "pocketsphinx"
    notes: list[str] = field(default_factory=list)


def dictionary_form(word: str) -> str:
    """How the dictionary spells a script word: lower case, outer punctuation gone, inner
    apostrophes and hyphens kept ("I'll," → "i'll")."""
    word = word.translate(APOSTROPHES).lower()
    return re.sub(r"^[^\w']+|[^\w']+$", "", word).strip("'")


DITHER_LSB = 2.0   # a faint noise floor: stretches of digital zero make the aligner fail outright
PAD_S = 0.3        # silence added before and after: a take that starts on its first word fails
                   # to align without it (measured on a trimmed eSpeak take)


def seconds(frame: int) -> float:
    """A decoder frame index as seconds from the take's first sample (the padding removed)."""
    return max(0.0, frame * FRAME_S - PAD_S)


def to_16k(audio: np.ndarray, rate: int) -> np.ndarray:
    audio = np.asarray(audio, dtype=np.float64)
    if rate != SAMPLE_RATE:
        common = math.gcd(int(rate), SAMPLE_RATE)
        audio = resample_poly(audio, SAMPLE_RATE // common, int(rate) // common)
    return audio


def to_pcm16k(audio: np.ndarray, rate: int) -> bytes:
    """16-bit mono 16 kHz little-endian bytes, as the decoders take them, with a fixed-seed
    dither and PAD_S of silence at both ends (measured: a take with exact-zero silence failed to align; the same with a noise floor
    two bits deep aligned) so the same take always gives the same result."""
    audio = to_16k(audio, rate)
    pad = np.zeros(int(PAD_S * SAMPLE_RATE))
    samples = np.concatenate([pad, np.clip(audio, -1.0, 1.0) * 32767.0, pad])
    samples += np.random.default_rng(0).normal(0.0, DITHER_LSB, len(samples))
    return np.clip(samples, -32768, 32767).astype("<i2").tobytes()


class Recogniser:
    """Holds the two decoders (about 0.4 s to load, so keep one per process: `shared()`).
    `transcriber` (audio at 16 kHz → heard words), when given, makes the transcript instead of
    pocketsphinx's free pass (whisper_transcript.py); the engine name says which ran."""

    def __init__(self, transcriber: Callable[[np.ndarray], list[HeardWord]] | None = None,
                 transcriber_name: str = ""):
        try:
            from pocketsphinx import Decoder
        except ImportError as exc:
            raise RecogniserUnavailable(f"pocketsphinx is not installed ({exc})") from None
        self._lock = threading.Lock()
        self._free = Decoder(samprate=SAMPLE_RATE, loglevel="FATAL")
        self._aligner = Decoder(samprate=SAMPLE_RATE, loglevel="FATAL", lm=None, compallsen=True)
        self._added: set[str] = set()
        self._transcriber = transcriber
        self.engine = (f"{transcriber_name}+pocketsphinx" if transcriber is not None
                       else "pocketsphinx")
        # The front end (noise tracker, cepstral mean) adapts from one utterance to the next, so
        # the same take scored after another gave other words. Every utterance starts from a
        # fresh front end and the model's initial mean: the same take gives the same result.
        self._initial_cmn = {id(d): d.get_cmn() for d in (self._free, self._aligner)}

    def recognise(self, audio: np.ndarray, rate: int, script_words: list[str]) -> Recognition:
        pcm = to_pcm16k(audio, rate)
        tokens = [dictionary_form(w) for w in script_words]
        with self._lock:
            by_g2p = [self._ensure_in_dictionary(t) for t in tokens]
            alignable = [t for t, how in zip(tokens, by_g2p) if t and how is not None]
            if self._transcriber is not None:
                transcript = self._timed_by_aligner(pcm, self._transcriber(to_16k(audio, rate)))
            else:
                transcript = self._transcribe(pcm)
            aligned, complete = self._align(pcm, alignable)
        placed = iter(aligned)
        per_token: list[AlignedWord | None] = [
            next(placed) if t and how is not None else None for t, how in zip(tokens, by_g2p)]
        statuses, inserted = match_words(tokens, [h.word for h in transcript])
        words = [ScriptWordResult(word=w, token=t, status=status, heard=heard,
                                  aligned=al, pronounced_by_g2p=bool(how))
                 for w, t, (status, heard), al, how
                 in zip(script_words, tokens, statuses, per_token, by_g2p)]
        notes = [f"No pronunciation could be found for: {', '.join(w for w, t, h in zip(script_words, tokens, by_g2p) if t and h is None)}."] \
            if any(t and h is None for t, h in zip(tokens, by_g2p)) else []
        return Recognition(words=words, transcript=transcript,
                           inserted=[transcript[i] for i in inserted],
                           alignment_complete=complete, analysed_seconds=len(pcm) / 2 / SAMPLE_RATE - 2 * PAD_S,
                           notes=notes, engine=self.engine)

    # --- the dictionary ---------------------------------------------------------------------

    def _ensure_in_dictionary(self, token: str) -> bool | None:
        """False: in CMUdict; True: added from the G2P step; None: no pronunciation (or no
        letters at all)."""
        if not token:
            return None
        if token in self._added:
            return True
        if self._aligner.lookup_word(token) is not None:
            return False
        phones = espeak_arpabet(token)
        if phones is None:
            return None
        for decoder in (self._aligner, self._free):
            decoder.add_word(token, " ".join(phones), True)
        self._added.add(token)
        return True

    # --- the two passes ---------------------------------------------------------------------

    def _start(self, decoder) -> None:
        decoder.reinit_feat()
        decoder.set_cmn(self._initial_cmn[id(decoder)])
        decoder.start_utt()

    def _transcribe(self, pcm: bytes) -> list[HeardWord]:
        decoder = self._free
        self._start(decoder)
        decoder.process_raw(pcm, full_utt=True)
        decoder.end_utt()
        heard = []
        for seg in decoder.seg() or []:
            if NON_WORDS.match(seg.word):
                continue
            heard.append(HeardWord(VARIANT.sub("", seg.word), seconds(seg.start_frame),
                                   seconds(seg.end_frame + 1), round(float(seg.prob), 4)))
        return heard

    def _timed_by_aligner(self, pcm: bytes, heard: list[HeardWord]) -> list[HeardWord]:
        """The transcriber's words with the aligner's times (Whisper's are about 100 ms off);
        its own times stay when the alignment cannot place them all."""
        tokens = [h.word for h in heard]
        if not tokens or any(self._ensure_in_dictionary(t) is None for t in tokens):
            return heard
        placed, complete = self._align(pcm, tokens, phones=False)
        if not complete:
            return heard
        return [HeardWord(h.word, p.start, p.end, h.confidence) for h, p in zip(heard, placed)]

    def _align(self, pcm: bytes, tokens: list[str], *, phones: bool = True
               ) -> tuple[list[AlignedWord | None], bool]:
        """One entry per token (None where the alignment did not place it) and whether the
        whole text was placed."""
        if not tokens:
            return [], True
        decoder = self._aligner
        try:
            decoder.set_align_text(" ".join(tokens))
            self._start(decoder)
            decoder.process_raw(pcm, full_utt=True)
            decoder.end_utt()
            segments = [s for s in (decoder.seg() or []) if not NON_WORDS.match(s.word)]
        except RuntimeError:
            segments = []
        placed: list[AlignedWord | None] = [None] * len(tokens)
        cursor = 0
        for seg in segments:   # in order; a partial path stops early, it never reorders
            name = VARIANT.sub("", seg.word)
            while cursor < len(tokens) and tokens[cursor] != name:
                cursor += 1
            if cursor == len(tokens):
                break
            frames = seg.end_frame - seg.start_frame + 1
            gop = math.log(seg.ascore) / frames if seg.ascore > 0 else -math.inf
            placed[cursor] = AlignedWord(seconds(seg.start_frame), seconds(seg.end_frame + 1), gop)
            cursor += 1
        complete = all(p is not None for p in placed)
        if complete and phones:
            placed = self._with_phones(pcm, placed)
        return placed, complete

    def _with_phones(self, pcm: bytes, placed: list[AlignedWord]) -> list[AlignedWord]:
        """The phone pass. Its scores are in the decoder's log units; each phone is put on the
        word's nat scale (word GOP × the phone's share of the word's score), so phone and word
        GOP read the same. On the measured 3–7 % of takes where it fails, words keep no phones."""
        decoder = self._aligner
        try:
            decoder.set_alignment()
            self._start(decoder)
            decoder.process_raw(pcm, full_utt=True)
            decoder.end_utt()
            # The alignment's iterators are single-pass views into C memory (iterating one twice
            # crashes the process): copy every phone out once.
            entries = [[(p.name, p.start, p.duration, p.score) for p in w]
                       for w in decoder.get_alignment() if not NON_WORDS.match(w.name)]
        except RuntimeError:
            return placed
        if len(entries) != len(placed):
            return placed
        out = []
        for word, entry in zip(placed, entries):
            total = sum(score for _, _, _, score in entry)
            frames = sum(duration for _, _, duration, _ in entry) or 1
            phones = []
            for name, start, duration, score in entry:
                share = score / total if total else 0.0
                gop = (word.gop * frames * share / max(duration, 1)
                       if math.isfinite(word.gop) else -math.inf)
                phones.append(PhoneScore(name, seconds(start), seconds(start + duration),
                                         round(gop, 3)))
            out.append(AlignedWord(word.start, word.end, word.gop, tuple(phones)))
        return out


def match_words(script: list[str], heard: list[str]
                ) -> tuple[list[tuple[str, str | None]], list[int]]:
    """Edit-distance alignment of the script's tokens to the heard words: per script word
    (status, heard word) and the indices of heard words that match no script word (inserted).
    Punctuation-only script words ("") count as matched: there is nothing to say."""
    n, m = len(script), len(heard)
    cost = np.zeros((n + 1, m + 1), dtype=np.int32)
    cost[:, 0] = np.arange(n + 1)
    cost[0, :] = np.arange(m + 1)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            same = script[i - 1] == heard[j - 1] or not script[i - 1]
            cost[i, j] = min(cost[i - 1, j - 1] + (0 if same else 1),
                             cost[i - 1, j] + (0 if not script[i - 1] else 1), cost[i, j - 1] + 1)
    statuses: list[tuple[str, str | None]] = [("missed", None)] * n
    inserted: list[int] = []
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0:
            same = script[i - 1] == heard[j - 1] or not script[i - 1]
            if cost[i, j] == cost[i - 1, j - 1] + (0 if same else 1):
                statuses[i - 1] = ("matched" if same else "replaced", heard[j - 1])
                i, j = i - 1, j - 1
                continue
        if i > 0 and cost[i, j] == cost[i - 1, j] + (0 if not script[i - 1] else 1):
            statuses[i - 1] = ("matched", None) if not script[i - 1] else ("missed", None)
            i -= 1
        else:
            inserted.append(j - 1)
            j -= 1
    return statuses, sorted(inserted)


_SHARED: Recogniser | None = None
_SHARED_LOCK = threading.Lock()


def shared() -> Recogniser:
    """The process's recogniser, loaded on first use (raises RecogniserUnavailable): Whisper's
    transcript when the `asr` extra is installed, pocketsphinx for alignment and GOP always."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            from yousync_server.worker import whisper_transcript
            whisper = whisper_transcript.whisper_or_none()
            _SHARED = Recogniser(whisper, whisper_transcript.ENGINE if whisper else "")
        return _SHARED
