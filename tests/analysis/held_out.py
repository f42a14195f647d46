"""Lines and learners for the quick-score tests that the score was NOT tuned on.

The score's thresholds and curves (analysis/scoring/) were chosen on benchmarks/corpus/takes.py:
the 11 lines of the three demo packs (actors en-us+f3, en-us+m3, en+f2), learners en-us+m1,
en-us+f4, en-gb+m2 (main set) and en+m7, en-gb-x-rp+f2, en-us+klatt, en-gb-scotland+m4 (extra
set; the pronunciation ramp's numbers are quoted from these 7 voices on the demo lines), pitches
30–75, durations 0.95–1.05 × the actor's, and the DISTRACTORS sentences as wrong words. The tests
used the demo line "I waited here every night, you know." with en-us+m3 and en-us+f4 before.

Here everything the learner says and who says it is new: two sentences none of those use, spoken
by actors in two other eSpeak NG accents and variants, dubbed by learners in further accents and
variants, at other pitches and durations, with other wrong words. The choices were fixed before
any of them was scored.

The actor's word times: eSpeak NG's command line reports no word events, so the sentence is also
synthesised with long pauses between words (`-g`), where each word is the sound between two
pauses; the time the pauses added is then taken out again (equally per pause: they are equal).
For the two sentences here, the starts and ends found this way are within 51 ms of the
synthesiser's own word events (its C API, as tools/make_demo_scenes.py reads them). A sentence
where eSpeak NG runs two words together (no pause between them) or pauses at a comma is refused.

eSpeak NG is called through the project's one helper (tools/speech.py), as the learners are
(through benchmarks.corpus.takes.speech_lasting).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from scipy import signal

from benchmarks.corpus.takes import (POST_ROLL, PRE_ROLL, RATE, SPEECH_RMS_DBFS, CorpusLine,
                                     speech_lasting)
from yousync_desktop.analysis.offline_pitch import offline_pitch
from yousync_desktop.analysis.pitch_track import PitchTrack
from tools.speech import speak
from yousync_desktop.domain import Script, Word

LEVEL_FRAME = 0.005        # seconds per loudness frame when finding the words
SILENT_BELOW_PEAK_DB = 40.0  # as the demo packs' word edges (tools/make_demo_scenes.py, TRIM_DB)
WORD_PAUSE = 25            # eSpeak NG's -g: pause between words, 10 ms units at its default rate


@dataclass(frozen=True)
class Voice:
    name: str              # eSpeak NG voice and variant
    pitch: int             # eSpeak NG -p, 0–99
    duration_factor: float = 1.0  # how long the learner takes, relative to the actor's line


@dataclass(frozen=True)
class HeldOutCase:
    key: str
    text: str
    actor: Voice
    actor_wpm: int
    start_time: float      # the line's start on the (imaginary) token's timeline
    learner: Voice         # says the line in most tests
    high_learner: Voice    # a voice in or above the actor's register, for the melody tests
    wrong_words: str       # another sentence of about the same length


CASES = {
    "female-actor": HeldOutCase(
        key="female-actor", text="Every lantern by the harbour went dark tonight.",
        actor=Voice("en-gb-x-gbclan+f1", 62), actor_wpm=145, start_time=40.0,
        learner=Voice("en-gb-x-gbcwmd+m6", 28, 0.96),
        high_learner=Voice("en-029+f5", 82, 1.04),
        wrong_words="Grandmother keeps her letters inside a tin box."),
    "male-actor": HeldOutCase(
        key="male-actor", text="Follow the river until you reach the mill.",
        actor=Voice("en-us-nyc+m5", 35), actor_wpm=170, start_time=112.25,
        learner=Voice("en-gb-x-rp+f5", 70, 1.03),
        high_learner=Voice("en-gb-x-rp+f5", 70, 1.03),
        wrong_words="Maybe the neighbours heard a dog barking."),
}


def actor_line(case: HeldOutCase) -> CorpusLine:
    """The case's actor line as the app scores it: the vocal over the recording window (PRE_ROLL
    before the line, POST_ROLL after it, sample 0 at `window_start`), the words' times, and the
    contour the app stores for a pack that ships none (offline pitch)."""
    audio, times = _spoken_with_word_times(case.text, case.actor, case.actor_wpm)
    start = case.start_time
    words = [Word(id=index + 1, script_id=1, word=word, start_time=round(start + first, 3),
                  end_time=round(start + last, 3))
             for index, (word, first, last) in enumerate(times)]
    script = Script(id=1, token_id=7001, start_time=words[0].start_time,
                    end_time=words[-1].end_time, script=case.text, words=words)
    window_start = script.start_time - PRE_ROLL
    reference = np.zeros(int(round((script.duration + PRE_ROLL + POST_ROLL) * RATE)), np.float32)
    at = int(round(PRE_ROLL * RATE))
    reference[at: at + len(audio)] = audio[: len(reference) - at]
    pitch = PitchTrack.from_points(offline_pitch(reference, RATE).to_points(offset=window_start))
    return CorpusLine(f"held-out/{case.key}", script, window_start, reference, pitch, ())


def learner_speech(text: str, voice: Voice, seconds: float) -> np.ndarray:
    """`text` in `voice`, lasting `voice.duration_factor` × `seconds` (RATE, speech level)."""
    return speech_lasting(text, voice.name, voice.pitch, voice.duration_factor * seconds, 150)[0]


def _spoken_with_word_times(text: str, voice: Voice, wpm: int
                            ) -> tuple[np.ndarray, list[tuple[str, float, float]]]:
    """The sentence at RATE from its first sound to its last, and (word, start, end) seconds."""
    words = re.findall(r"[\w']+", text)
    plain, native = _espeak(text, voice, wpm, word_pause=0)
    paused, _ = _espeak(text, voice, wpm, word_pause=WORD_PAUSE)
    plain_sound, hop = _sound_frames(plain, native)
    paused_sound, _ = _sound_frames(paused, native)
    first, last = _first_and_last(plain_sound)
    pauses = _pauses(paused_sound, len(words) - 1, text)
    p_first, p_last = _first_and_last(paused_sound)
    added = ((p_last - p_first) - (last - first)) / max(1, len(pauses))  # frames a pause added
    edges = [p_first] + [edge for pause in pauses for edge in pause] + [p_last + 1]
    times = []
    for index, word in enumerate(words):
        start = (edges[2 * index] - p_first - index * added) * hop / native
        end = (edges[2 * index + 1] - p_first - index * added) * hop / native
        times.append([word, start, end])
    for before, after in zip(times, times[1:]):
        before[2] = min(before[2], after[1])  # estimates can overlap by a few ms
    times[-1][2] = (last + 1 - first) * hop / native

    clip = plain[first * hop: (last + 1) * hop].copy()
    fade = int(0.005 * native)
    clip[:fade] *= np.linspace(0.0, 1.0, fade)
    clip[-fade:] *= np.linspace(1.0, 0.0, fade)
    common = np.gcd(RATE, native)
    clip = signal.resample_poly(clip, RATE // common, native // common)
    clip *= 10 ** (SPEECH_RMS_DBFS / 20) / (np.sqrt(np.mean(clip ** 2)) + 1e-12)
    return clip.astype(np.float32), [(w, round(s, 3), round(e, 3)) for w, s, e in times]


def _espeak(text: str, voice: Voice, wpm: int, word_pause: int) -> tuple[np.ndarray, int]:
    audio, rate = speak(text, voice.name, speed=wpm, pitch=voice.pitch, word_gap=word_pause)
    return audio.astype(np.float64), rate


def _sound_frames(audio: np.ndarray, rate: int) -> tuple[np.ndarray, int]:
    """Per LEVEL_FRAME: louder than SILENT_BELOW_PEAK_DB under the loudest frame?"""
    hop = int(round(LEVEL_FRAME * rate))
    n = len(audio) // hop
    level = 20 * np.log10(np.sqrt(np.mean(audio[: n * hop].reshape(n, hop) ** 2, axis=1)) + 1e-12)
    return level > level.max() - SILENT_BELOW_PEAK_DB, hop


def _first_and_last(sound: np.ndarray) -> tuple[int, int]:
    loud = np.nonzero(sound)[0]
    return int(loud[0]), int(loud[-1])


def _pauses(sound: np.ndarray, count: int, text: str) -> list[tuple[int, int]]:
    """The `count` longest silent stretches inside the sentence, in order: (first silent frame,
    first sound frame after it). They must be alike (each one pause of `-g`) and clearly longer
    than any other silence (a stop's closure), or eSpeak NG ran words together; a much longer
    one is a comma's pause on top of ours, which the plain sentence has too."""
    if count == 0:
        return []
    first, last = _first_and_last(sound)
    runs = []  # (length, first silent frame, first sound frame after it)
    index = first
    while index <= last:
        if sound[index]:
            index += 1
            continue
        end = index
        while not sound[end]:
            end += 1
        runs.append((end - index, index, end))
        index = end
    runs.sort(reverse=True)
    chosen, rest = runs[:count], runs[count:]
    lengths = [length for length, _, _ in chosen]
    typical = float(np.median(lengths)) if lengths else 0.0
    if len(chosen) < count or not 0.7 * typical <= min(lengths) <= max(lengths) <= 1.3 * typical \
            or (rest and rest[0][0] > 0.5 * min(lengths)):
        raise ValueError(f"eSpeak NG ran words of {text!r} together or paused at a comma; "
                         f"choose another sentence "
                         f"(pauses found, 5 ms frames: {lengths}, next: {rest[:1]})")
    return [(start, end) for _, start, end in sorted(chosen, key=lambda run: run[1])]
