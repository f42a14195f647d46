"""The actor's vocal track of each demo scene: its lines spoken by eSpeak NG, each word timed from
the synthesiser's own word events, placed on the clip's timeline, and its pitch contour (pYIN)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import librosa
import numpy as np
import soundfile as sf
from scipy import signal

from tools.demo_scenes import PEAK_LIMIT, SAMPLE_RATE, GenerationError
from tools.demo_scenes.scenes import ActorVoice, DemoScene
from tools.speech import EVENT_END, EVENT_WORD, EspeakLibrary

LEAD_IN = 1.0  # silence before the first line and after the last one (seconds)
MIN_GAP, MAX_GAP = 0.6, 2.5  # allowed silence between two lines (seconds)
VOCAL_RMS_DBFS = -20.0  # loudness of the actor's speech (RMS over the spoken lines)
TRIM_DB = 40.0  # word edges: frames quieter than (loudest frame - TRIM_DB) count as silence

PITCH_HOP = 480  # 10 ms at 48 kHz
PITCH_FRAME = 4096

WORD_RE = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)*")


@dataclass
class SpokenLine:
    text: str
    translation: str
    audio: np.ndarray  # 48 kHz, starts at the first word's onset, ends at the last word's offset
    words: list[tuple[str, float, float]]  # (word, start, end) in seconds relative to ``audio``


def script_words(text: str) -> list[tuple[str, int]]:
    """Words as written (punctuation stripped, apostrophes kept) with their character offsets."""
    return [(m.group(0), m.start()) for m in WORD_RE.finditer(text)]


def frame_levels_db(audio: np.ndarray, sr: int, frame: float = 0.005) -> tuple[np.ndarray, int]:
    hop = max(1, int(round(frame * sr)))
    n = len(audio) // hop
    rms = np.sqrt(np.mean(audio[: n * hop].reshape(n, hop) ** 2, axis=1) + 1e-20)
    return 20 * np.log10(rms), hop


def trim_interval(levels_db: np.ndarray, hop: int, start: int, end: int,
                  floor_db: float) -> tuple[int, int]:
    """Shrink [start, end) (samples) to the frames louder than ``floor_db``."""
    f0, f1 = start // hop, max(start // hop + 1, -(-end // hop))
    loud = np.nonzero(levels_db[f0:f1] > floor_db)[0]
    if len(loud) == 0:
        raise GenerationError("a word interval holds no audible sound")
    return max(start, (f0 + loud[0]) * hop), min(end, (f0 + loud[-1] + 1) * hop)


def synthesize_line(tts: EspeakLibrary, text: str, translation: str,
                    voice: ActorVoice) -> SpokenLine:
    """Synthesise one line and time its words from eSpeak NG's own word events.

    A word starts at its ``espeakEVENT_WORD`` sample; it ends at the next event that marks a
    boundary (next word, clause end or pause) minus the silence before it, found by energy. The
    line is cut to [first word onset, last word offset] and resampled to 48 kHz.
    """
    audio, events = tts.synthesize(text, voice.name, speed=voice.rate, pitch=voice.pitch,
                                   pitch_range=voice.pitch_range)
    sr = tts.sample_rate
    words = script_words(text)
    by_offset = {offset: w for w, offset in words}

    starts: list[tuple[str, int]] = []
    boundaries: list[int] = [len(audio)]
    for ev_type, text_pos, length, sample in events:
        if ev_type == EVENT_WORD and length > 0 and (text_pos - 1) in by_offset:
            starts.append((by_offset[text_pos - 1], sample))
            boundaries.append(sample)
        elif ev_type in (EVENT_WORD, EVENT_END):  # zero-length word event = pause, END = clause end
            boundaries.append(sample)
    if [w for w, _ in starts] != [w for w, _ in words]:
        raise GenerationError(f"eSpeak word events do not match the words of {text!r}: {starts}")

    levels, hop = frame_levels_db(audio, sr)
    floor = levels.max() - TRIM_DB
    timed: list[tuple[str, int, int]] = []
    for word, start in starts:
        end = min(b for b in boundaries if b > start)
        s, e = trim_interval(levels, hop, start, end, floor)
        timed.append((word, s, e))

    first, last = timed[0][1], timed[-1][2]
    clip = audio[first:last].copy()
    fade = int(0.005 * sr)
    clip[:fade] *= np.linspace(0, 1, fade)
    clip[-fade:] *= np.linspace(1, 0, fade)
    g = math.gcd(SAMPLE_RATE, sr)
    clip48 = signal.resample_poly(clip, SAMPLE_RATE // g, sr // g)
    rel = [(w, (s - first) / sr, (e - first) / sr) for w, s, e in timed]
    return SpokenLine(text, translation, clip48, rel)


def build_vocal(scene: DemoScene, lines: list[SpokenLine]) -> tuple[np.ndarray, list[dict]]:
    """Place the lines on a clip-length track; return the track and the scripts (absolute times)."""
    n_total = int(round(scene.duration * SAMPLE_RATE))
    lead = int(round(LEAD_IN * SAMPLE_RATE))
    speech = sum(len(line.audio) for line in lines)
    free = n_total - 2 * lead - speech
    gap = free / max(1, len(lines) - 1)
    if not (MIN_GAP * SAMPLE_RATE <= gap <= MAX_GAP * SAMPLE_RATE):
        raise GenerationError(f"{scene.pack_id}: gap between lines would be "
                              f"{gap / SAMPLE_RATE:.2f} s; adjust the scene duration "
                              f"(speech is {speech / SAMPLE_RATE:.2f} s)")

    track = np.zeros(n_total)
    scripts, word_id, t0 = [], 1, scene.start_time
    offset = float(lead)
    for script_id, line in enumerate(lines, start=1):
        pos = int(round(offset))
        track[pos: pos + len(line.audio)] = line.audio
        base = pos / SAMPLE_RATE
        words = [{"id": word_id + i, "script_id": script_id,
                  "start_time": round(t0 + base + s, 3), "end_time": round(t0 + base + e, 3),
                  "word": w, "probability": 1.0}
                 for i, (w, s, e) in enumerate(line.words)]
        word_id += len(words)
        scripts.append({"id": script_id, "token_id": scene.token_id,
                        "start_time": words[0]["start_time"], "end_time": words[-1]["end_time"],
                        "script": line.text, "translation": line.translation, "words": words})
        offset = pos + len(line.audio) + gap

    # loudness: RMS over the spoken parts, capped so that peaks stay below PEAK_LIMIT
    spoken = np.concatenate([line.audio for line in lines])
    gain = 10 ** (VOCAL_RMS_DBFS / 20) / np.sqrt(np.mean(spoken ** 2))
    gain = min(gain, PEAK_LIMIT / np.max(np.abs(track)))
    return track * gain, scripts


def write_flac(path: Path, audio: np.ndarray) -> None:
    sf.write(str(path), audio.astype(np.float32), SAMPLE_RATE, format="FLAC", subtype="PCM_16")


def compute_pitch(vocal: np.ndarray, scene: DemoScene) -> list[dict]:
    fmin, fmax = scene.pitch_range_hz
    f0, _, _ = librosa.pyin(vocal.astype(np.float32), fmin=fmin, fmax=fmax, sr=SAMPLE_RATE,
                            frame_length=PITCH_FRAME, hop_length=PITCH_HOP, center=True)
    times = librosa.times_like(f0, sr=SAMPLE_RATE, hop_length=PITCH_HOP)
    out = []
    for t, hz in zip(times, f0):
        if t > scene.duration:
            break
        out.append({"time": round(scene.start_time + float(t), 3),
                    "hz": None if not np.isfinite(hz) else round(float(hz), 1)})
    return out

