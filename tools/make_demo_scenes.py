#!/usr/bin/env python3
"""Generate the demo scene packs (``*.yspack``) that ship with YouSync Desktop.

Run from the repository root::

    python tools/make_demo_scenes.py [--out resources/demo_scenes]

It makes three scene packs in the format of ``docs/scene-pack.md`` (a ZIP with ``manifest.json``
and ``media/``), built entirely from material made here, no third-party media:

* the actor's vocal is speech synthesised with eSpeak NG (driven through ``libespeak-ng`` with
  ctypes, so that every word's start comes from the synthesiser's own word events);
* the background track (bgvoice) is music and ambience synthesised with numpy;
* the clip video is rendered frame by frame with numpy and encoded with ffmpeg/libx264;
* the thumbnail is a frame of the clip; the pitch contour is librosa's pYIN on the vocal track.

Requirements: Python 3 with numpy, scipy, librosa and soundfile; the eSpeak NG shared library
(``libespeak-ng.so.1``, Debian package ``libespeak-ng1``) and ``ffmpeg`` built with libx264 and
libvorbis. Every random choice uses a fixed seed and the archives are written with fixed member
order and timestamps, so re-running the script with the same tool versions yields identical packs.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import librosa
import numpy as np
import soundfile as sf
from scipy import signal

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script: make `tools` importable

from tools.speech import EVENT_END, EVENT_WORD, EspeakLibrary, SpeechError, espeak_library  # noqa: E402

# --------------------------------------------------------------------------------------------
# Scene definitions (the content of the packs)
# --------------------------------------------------------------------------------------------

SCENES = [
    {
        "pack_id": "demo-rainy-promise",
        "token_id": 9001,
        "token_name": "비 오는 밤의 약속",
        "actor_name": "Mina Park",
        "category": "드라마",
        "start_time": 61.0,  # absolute seconds in the (fictional) source video
        "duration": 12.5,  # clip length in seconds (a multiple of 0.5 s: whole frames at 24 fps)
        "voice": {"name": "en-us+f3", "rate": 140, "pitch": 48, "range": 60},
        "pitch_range_hz": (110.0, 500.0),
        "background": "rain_pad",
        "video": "rainy_night",
        "thumbnail_at": 5.0,
        "seed": 9001,
        "lines": [
            ("You came back.", "돌아왔네요."),
            ("I waited here every night, you know.", "매일 밤 여기서 기다렸어요."),
            ("Don't say you're sorry.", "미안하다는 말은 하지 마요."),
            ("Just promise me you'll stay this time.", "이번엔 곁에 있겠다고 약속해 줘요."),
        ],
    },
    {
        "pack_id": "demo-rooftop-chase",
        "token_id": 9002,
        "token_name": "옥상 추격전",
        "actor_name": "Daniel Reyes",
        "category": "액션",
        "start_time": 1342.0,
        "duration": 11.5,
        "voice": {"name": "en-us+m3", "rate": 175, "pitch": 35, "range": 45},
        "pitch_range_hz": (60.0, 300.0),
        "background": "action_pulse",
        "video": "rooftop_chase",
        "thumbnail_at": 4.0,
        "seed": 9002,
        "lines": [
            ("Get down! They found us.", "엎드려! 놈들이 우릴 찾아냈어."),
            ("We have thirty seconds to reach the roof.", "옥상까지 30초 안에 가야 해."),
            ("Stay behind me, and don't look back.", "내 뒤에 붙어. 뒤돌아보지 말고."),
            ("Go, go, go!", "가, 가, 어서!"),
        ],
    },
    {
        "pack_id": "demo-starlight-musicbox",
        "token_id": 9003,
        "token_name": "별빛 숲의 오르골",
        "actor_name": "Grace Holloway",
        "category": "판타지",
        "start_time": 245.5,
        "duration": 12.0,
        "voice": {"name": "en+f2", "rate": 135, "pitch": 85, "range": 80},
        "pitch_range_hz": (120.0, 600.0),
        "background": "music_box",
        "video": "starlit_forest",
        "thumbnail_at": 6.0,
        "seed": 9003,
        "lines": [
            ("Listen. Can you hear the music?", "들어 봐. 음악 소리 들려?"),
            ("The stars only sing when someone believes.", "별들은 누군가 믿어 줄 때만 노래해."),
            ("Close your eyes, and make a wish.", "눈을 감고 소원을 빌어."),
        ],
    },
]

# --------------------------------------------------------------------------------------------
# Technical constants
# --------------------------------------------------------------------------------------------

SR = 48_000  # sample rate of every audio track
FPS = 24
VIDEO_W, VIDEO_H = 640, 360
VIDEO_CRF = 30
THUMB_W, THUMB_H = 320, 180

LEAD_IN = 1.0  # silence before the first line and after the last one (seconds)
MIN_GAP, MAX_GAP = 0.6, 2.5  # allowed silence between two lines (seconds)
VOCAL_RMS_DBFS = -20.0  # loudness of the actor's speech (RMS over the spoken lines)
BG_RMS_DBFS = -26.0  # loudness of the background track
PEAK_LIMIT = 0.89  # about -1 dBFS
TRIM_DB = 40.0  # word edges: frames quieter than (loudest frame - TRIM_DB) count as silence

PITCH_HOP = 480  # 10 ms at 48 kHz
PITCH_FRAME = 4096

ZIP_DATE = (2026, 1, 1, 0, 0, 0)
FORMAT_NAME = "yousync-scene-pack"
FORMAT_VERSION = 1
CATEGORIES = ("액션", "애니메이션", "코미디", "로맨스", "판타지", "드라마")

MEDIA = {
    "video": "media/clip.mp4",
    "bgvoice": "media/bgvoice.ogg",
    "vocal": "media/vocal.flac",
    "thumbnail": "media/thumbnail.jpg",
}

WORD_RE = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)*")


class GenerationError(RuntimeError):
    pass


# --------------------------------------------------------------------------------------------
# External tools
# --------------------------------------------------------------------------------------------

def require_ffmpeg() -> str:
    path = shutil.which("ffmpeg")
    if not path:
        raise GenerationError("ffmpeg not found on PATH (needs libx264 and libvorbis; "
                              "Debian/Ubuntu: apt-get install ffmpeg)")
    return path


def run_ffmpeg(args: list[str], stdin: bytes | None = None) -> None:
    cmd = [require_ffmpeg(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args]
    proc = subprocess.run(cmd, input=stdin, capture_output=True)
    if proc.returncode != 0:
        raise GenerationError(f"ffmpeg failed ({proc.returncode}): {' '.join(cmd)}\n"
                              f"{proc.stderr.decode(errors='replace')}")


# Keep the output stable between runs: no timestamps, encoder strings or random stream serials.
FFMPEG_BITEXACT = ["-fflags", "+bitexact", "-map_metadata", "-1"]


# --------------------------------------------------------------------------------------------
# Vocal track and word timings
# --------------------------------------------------------------------------------------------

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


def trim_interval(levels_db: np.ndarray, hop: int, start: int, end: int, floor_db: float) -> tuple[int, int]:
    """Shrink [start, end) (samples) to the frames louder than ``floor_db``."""
    f0, f1 = start // hop, max(start // hop + 1, -(-end // hop))
    loud = np.nonzero(levels_db[f0:f1] > floor_db)[0]
    if len(loud) == 0:
        raise GenerationError("a word interval holds no audible sound")
    return max(start, (f0 + loud[0]) * hop), min(end, (f0 + loud[-1] + 1) * hop)


def synthesize_line(tts: EspeakLibrary, text: str, translation: str, voice: dict) -> SpokenLine:
    """Synthesise one line and time its words from eSpeak NG's own word events.

    A word starts at its ``espeakEVENT_WORD`` sample; it ends at the next event that marks a
    boundary (next word, clause end or pause) minus the silence before it, found by energy. The
    line is cut to [first word onset, last word offset] and resampled to 48 kHz.
    """
    audio, events = tts.synthesize(text, voice["name"], speed=voice["rate"], pitch=voice["pitch"],
                                   pitch_range=voice["range"])
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
    g = math.gcd(SR, sr)
    clip48 = signal.resample_poly(clip, SR // g, sr // g)
    rel = [(w, (s - first) / sr, (e - first) / sr) for w, s, e in timed]
    return SpokenLine(text, translation, clip48, rel)


def build_vocal(scene: dict, lines: list[SpokenLine]) -> tuple[np.ndarray, list[dict]]:
    """Place the lines on a clip-length track; return the track and the scripts (absolute times)."""
    n_total = int(round(scene["duration"] * SR))
    lead = int(round(LEAD_IN * SR))
    speech = sum(len(line.audio) for line in lines)
    free = n_total - 2 * lead - speech
    gap = free / max(1, len(lines) - 1)
    if not (MIN_GAP * SR <= gap <= MAX_GAP * SR):
        raise GenerationError(f"{scene['pack_id']}: gap between lines would be {gap / SR:.2f} s; "
                              f"adjust the scene duration (speech is {speech / SR:.2f} s)")

    track = np.zeros(n_total)
    scripts, word_id, t0 = [], 1, scene["start_time"]
    offset = float(lead)
    for script_id, line in enumerate(lines, start=1):
        pos = int(round(offset))
        track[pos: pos + len(line.audio)] = line.audio
        base = pos / SR
        words = [{"id": word_id + i, "script_id": script_id,
                  "start_time": round(t0 + base + s, 3), "end_time": round(t0 + base + e, 3),
                  "word": w, "probability": 1.0}
                 for i, (w, s, e) in enumerate(line.words)]
        word_id += len(words)
        scripts.append({"id": script_id, "token_id": scene["token_id"],
                        "start_time": words[0]["start_time"], "end_time": words[-1]["end_time"],
                        "script": line.text, "translation": line.translation, "words": words})
        offset = pos + len(line.audio) + gap

    # loudness: RMS over the spoken parts, capped so that peaks stay below PEAK_LIMIT
    spoken = np.concatenate([line.audio for line in lines])
    gain = 10 ** (VOCAL_RMS_DBFS / 20) / np.sqrt(np.mean(spoken ** 2))
    gain = min(gain, PEAK_LIMIT / np.max(np.abs(track)))
    return track * gain, scripts


def write_flac(path: Path, audio: np.ndarray) -> None:
    sf.write(str(path), audio.astype(np.float32), SR, format="FLAC", subtype="PCM_16")


# --------------------------------------------------------------------------------------------
# Pitch contour
# --------------------------------------------------------------------------------------------

def compute_pitch(vocal: np.ndarray, scene: dict) -> list[dict]:
    fmin, fmax = scene["pitch_range_hz"]
    f0, _, _ = librosa.pyin(vocal.astype(np.float32), fmin=fmin, fmax=fmax, sr=SR,
                            frame_length=PITCH_FRAME, hop_length=PITCH_HOP, center=True)
    times = librosa.times_like(f0, sr=SR, hop_length=PITCH_HOP)
    out = []
    for t, hz in zip(times, f0):
        if t > scene["duration"]:
            break
        out.append({"time": round(scene["start_time"] + float(t), 3),
                    "hz": None if not np.isfinite(hz) else round(float(hz), 1)})
    return out


# --------------------------------------------------------------------------------------------
# Background track (bgvoice): synthesised music and ambience
# --------------------------------------------------------------------------------------------

def midi_hz(note: float) -> float:
    return 440.0 * 2 ** ((note - 69) / 12)


def envelope(n: int, attack: float, release: float) -> np.ndarray:
    env = np.ones(n)
    a, r = min(n, int(attack * SR)), min(n, int(release * SR))
    if a:
        env[:a] = np.linspace(0, 1, a)
    if r:
        env[n - r:] *= np.linspace(1, 0, r)
    return env


def add_at(buf: np.ndarray, start: float, sound: np.ndarray) -> None:
    i = int(round(start * SR))
    if i >= len(buf):
        return
    sound = sound[: len(buf) - i]
    buf[i: i + len(sound)] += sound


def soft_tone(freq: float, dur: float, detune: float = 0.0015, harmonics=(1.0, 0.25, 0.08)) -> np.ndarray:
    """A warm pad voice: three slightly detuned copies of a few harmonics."""
    t = np.arange(int(dur * SR)) / SR
    out = np.zeros_like(t)
    for d in (-detune, 0.0, detune):
        for k, amp in enumerate(harmonics, start=1):
            out += amp * np.sin(2 * np.pi * freq * (1 + d) * k * t + k * d * 1000)
    return out / 3


def pluck(freq: float, dur: float, partials, decay: float) -> np.ndarray:
    """A struck/plucked tone: partials (ratio, amplitude) with decays that shorten with height."""
    t = np.arange(int(dur * SR)) / SR
    out = np.zeros_like(t)
    for ratio, amp in partials:
        out += amp * np.sin(2 * np.pi * freq * ratio * t) * np.exp(-t * ratio / decay)
    return out * envelope(len(t), 0.003, dur / 3)  # no click at either end


def reverb(x: np.ndarray, rng: np.random.Generator, seconds: float, wet: float) -> np.ndarray:
    n = int(seconds * SR)
    t = np.arange(n) / SR
    ir = rng.standard_normal(n) * np.exp(-t * 6.9 / seconds)  # -60 dB at the end
    ir = signal.sosfilt(signal.butter(2, 5000, "low", fs=SR, output="sos"), ir)
    ir /= np.sqrt(np.sum(ir ** 2))
    tail = signal.fftconvolve(x, ir)[: len(x)]
    return (1 - wet) * x + wet * tail


def bg_rain_pad(n: int, rng: np.random.Generator) -> np.ndarray:
    """Slow minor chord pad, a soft bass and sparse high notes over a rain bed."""
    dur = n / SR
    music = np.zeros(n)
    chords = [(57, 60, 64), (53, 57, 60, 64), (48, 52, 55, 60), (55, 59, 62)]  # Am Fmaj7 C G
    chord_len = 3.0
    k = 0
    while k * chord_len < dur:
        chord = chords[k % len(chords)]
        start = k * chord_len
        length = chord_len + 1.0
        for note in chord:
            music_note = soft_tone(midi_hz(note), length) * envelope(int(length * SR), 0.8, 1.2)
            add_at(music, start, 0.12 * music_note)
        bass = soft_tone(midi_hz(chord[0] - 12), length, harmonics=(1.0, 0.3))
        add_at(music, start, 0.22 * bass * envelope(len(bass), 0.05, 1.5))
        for j, note in enumerate((chord[-1] + 12, chord[1] + 12, chord[0] + 24)):  # sparse arpeggio
            add_at(music, start + 0.5 + j * 0.9,
                   0.06 * pluck(midi_hz(note), 2.0, [(1, 1.0), (2, 0.3), (3, 0.1)], 0.8))
        k += 1
    music = reverb(music, rng, 2.0, 0.35)

    noise = rng.standard_normal(n)
    rain = signal.sosfilt(signal.butter(2, [400, 7000], "band", fs=SR, output="sos"), noise)
    rain *= 1 + 0.25 * np.sin(2 * np.pi * 0.13 * np.arange(n) / SR)
    drops = np.zeros(n)
    for _ in range(int(dur * 35)):  # individual drops on a window sill
        i = int(rng.integers(0, n - 2000))
        tt = np.arange(600) / SR
        drops[i: i + 600] += rng.uniform(0.3, 1.0) * rng.standard_normal(600) * np.exp(-tt / 0.004)
    drops = signal.sosfilt(signal.butter(2, 2500, "high", fs=SR, output="sos"), drops)
    rain = rain / np.std(rain) + 0.6 * drops / (np.std(drops) + 1e-12)
    return music / np.std(music) + 0.45 * rain / np.std(rain)


def bg_action_pulse(n: int, rng: np.random.Generator) -> np.ndarray:
    """128 bpm pulse: kick, driving bass ostinato, off-beat hats, claps and a tense string drone."""
    dur = n / SR
    beat = 60.0 / 128
    out = np.zeros(n)
    t_kick = np.arange(int(0.35 * SR)) / SR
    kick = np.sin(2 * np.pi * np.cumsum(45 + 110 * np.exp(-t_kick / 0.04)) / SR) * np.exp(-t_kick / 0.09)
    hat_len = int(0.06 * SR)
    hp = signal.butter(2, 7000, "high", fs=SR, output="sos")
    bp = signal.butter(2, [1000, 5000], "band", fs=SR, output="sos")
    bass_lp = signal.butter(2, 700, "low", fs=SR, output="sos")
    pattern = [38, 38, 38, 41, 38, 38, 36, 38]  # D2 ostinato in eighths
    i = 0
    while i * beat / 2 < dur:
        t = i * beat / 2
        if i % 2 == 0:
            add_at(out, t, 0.9 * kick)
        else:
            hat = signal.sosfilt(hp, rng.standard_normal(hat_len)) * np.exp(-np.arange(hat_len) / SR / 0.015)
            add_at(out, t, 0.25 * hat)
        if i % 4 == 2:  # clap on beats 2 and 4
            cl = int(0.2 * SR)
            clap = signal.sosfilt(bp, rng.standard_normal(cl)) * np.exp(-np.arange(cl) / SR / 0.05)
            add_at(out, t, 0.35 * clap)
        f = midi_hz(pattern[i % len(pattern)])
        tb = np.arange(int(beat / 2 * SR)) / SR
        saw = sum(np.sin(2 * np.pi * f * k * tb) / k for k in range(1, 10))
        bass = signal.sosfilt(bass_lp, saw) * np.exp(-tb / 0.12) * envelope(len(tb), 0.002, 0.02)
        add_at(out, t, 0.28 * bass)
        i += 1
    t = np.arange(n) / SR
    drone = sum(soft_tone(midi_hz(m), dur, harmonics=(1.0, 0.35, 0.15)) for m in (50, 57, 65))
    swell = 0.5 + 0.5 * np.clip(t / dur, 0, 1)
    drone *= (0.8 + 0.2 * np.sin(2 * np.pi * 7 * t)) * swell
    out = out + 0.07 * drone
    return reverb(out, rng, 0.9, 0.15)


def bg_music_box(n: int, rng: np.random.Generator) -> np.ndarray:
    """A light music-box melody over a quiet major-seventh pad, with a long reverb."""
    dur = n / SR
    step = 60.0 / 92 / 2  # eighth notes at 92 bpm
    melody = [76, 79, 81, 79, 76, 74, 72, 74, 76, 79, 84, 83, 81, 79, 76, 79,
              77, 81, 84, 81, 79, 76, 74, 76, 72, 76, 79, 81, 79, 74, 72, None]
    partials = [(1.0, 1.0), (2.0, 0.18), (3.0, 0.07), (4.16, 0.05), (5.43, 0.03)]
    out = np.zeros(n)
    i = 0
    while i * step < dur:
        note = melody[i % len(melody)]
        if note is not None:
            vel = 0.8 + 0.2 * rng.random()
            add_at(out, i * step, 0.2 * vel * pluck(midi_hz(note), 1.6, partials, 0.9))
        i += 1
    chords = [(60, 64, 67, 71), (57, 60, 64, 67), (53, 57, 60, 64), (55, 59, 62, 67)]
    bar = 8 * step
    k = 0
    while k * bar < dur:
        length = bar + 1.0
        for note in chords[k % len(chords)]:
            tone = soft_tone(midi_hz(note - 12), length, harmonics=(1.0, 0.1))
            add_at(out, k * bar, 0.05 * tone * envelope(len(tone), 1.0, 1.0))
        k += 1
    return reverb(out, rng, 2.5, 0.4)


BACKGROUNDS = {"rain_pad": bg_rain_pad, "action_pulse": bg_action_pulse, "music_box": bg_music_box}


def make_background(scene: dict, path: Path, workdir: Path) -> np.ndarray:
    n = int(round(scene["duration"] * SR))
    rng = np.random.default_rng(scene["seed"])
    audio = BACKGROUNDS[scene["background"]](n, rng)
    audio = audio - np.mean(audio)
    audio *= 10 ** (BG_RMS_DBFS / 20) / np.sqrt(np.mean(audio ** 2))
    audio *= envelope(n, 0.3, 0.8)
    peak = np.max(np.abs(audio))
    if peak > PEAK_LIMIT:
        audio *= PEAK_LIMIT / peak
    wav = workdir / "bgvoice.wav"
    sf.write(str(wav), audio.astype(np.float32), SR, subtype="FLOAT")
    run_ffmpeg(["-i", str(wav), "-c:a", "libvorbis", "-q:a", "3", "-ac", "1", "-ar", str(SR),
                "-flags:a", "+bitexact", *FFMPEG_BITEXACT, str(path)])
    return audio


# --------------------------------------------------------------------------------------------
# Clip video: frames rendered with numpy, encoded with libx264
# --------------------------------------------------------------------------------------------

YY, XX = np.mgrid[0:VIDEO_H, 0:VIDEO_W].astype(np.float32)


def vertical_gradient(stops: list[tuple[float, tuple[int, int, int]]]) -> np.ndarray:
    """Background image from (y fraction, rgb) colour stops."""
    ys = np.linspace(0, 1, VIDEO_H)
    pos = [p for p, _ in stops]
    col = np.stack([np.interp(ys, pos, [c[ch] for _, c in stops]) for ch in range(3)], axis=1)
    return np.broadcast_to(col[:, None, :], (VIDEO_H, VIDEO_W, 3)).astype(np.float32).copy()


def add_glow(img: np.ndarray, cx: float, cy: float, radius: float, color, strength: float,
             disk: bool = False) -> None:
    """Add a soft blob (gaussian) or a soft-edged disk (bokeh) of light, in a bounding box only."""
    reach = radius * (1.3 if disk else 3.0)
    x0, x1 = max(0, int(cx - reach)), min(VIDEO_W, int(cx + reach) + 1)
    y0, y1 = max(0, int(cy - reach)), min(VIDEO_H, int(cy + reach) + 1)
    if x0 >= x1 or y0 >= y1:
        return
    d2 = (XX[y0:y1, x0:x1] - cx) ** 2 + (YY[y0:y1, x0:x1] - cy) ** 2
    if disk:
        a = np.clip((radius - np.sqrt(d2)) / (0.25 * radius), 0, 1)
    else:
        a = np.exp(-d2 / (2 * radius ** 2))
    img[y0:y1, x0:x1] += (strength * a)[..., None] * np.asarray(color, np.float32)


def frames_rainy_night(duration: float, rng: np.random.Generator):
    """Night street through a window: drifting bokeh lights, a street lamp, falling rain."""
    base = vertical_gradient([(0, (6, 10, 26)), (0.6, (14, 24, 44)), (1, (24, 30, 40))])
    palette = [(255, 170, 80), (255, 90, 70), (90, 200, 220), (240, 228, 200), (255, 200, 120)]
    n_bokeh = 26
    bx = rng.uniform(0, VIDEO_W, n_bokeh)
    by = rng.uniform(60, 300, n_bokeh)
    br = rng.uniform(12, 42, n_bokeh)
    bc = [palette[i] for i in rng.integers(0, len(palette), n_bokeh)]
    bphase = rng.uniform(0, 2 * np.pi, n_bokeh)
    n_drops = 260
    dx0 = rng.uniform(0, VIDEO_W + 80, n_drops)
    dy0 = rng.uniform(0, VIDEO_H, n_drops)
    dspeed = rng.uniform(420, 820, n_drops)
    dlen = rng.uniform(14, 34, n_drops)
    dbright = rng.uniform(0.25, 0.6, n_drops)
    steps = np.linspace(0, 1, 24)
    vignette = np.clip(1.25 - 0.9 * (((XX - 320) / 420) ** 2 + ((YY - 180) / 260) ** 2), 0.25, 1)[..., None]
    for f in range(int(round(duration * FPS))):
        t = f / FPS
        img = base.copy()
        for i in range(n_bokeh):  # the camera pans slowly to the right
            x = (bx[i] - 9 * t * (br[i] / 25)) % (VIDEO_W + 100) - 50
            pulse = 0.55 + 0.35 * np.sin(0.9 * t + bphase[i])
            add_glow(img, x, by[i], br[i], bc[i], 0.35 * pulse, disk=True)
        add_glow(img, 540, 40, 70, (255, 190, 110), 0.35 + 0.03 * np.sin(11 * t))  # street lamp
        rain = np.zeros((VIDEO_H, VIDEO_W), np.float32)
        y_head = (dy0 + dspeed * t) % (VIDEO_H + 40) - 20
        ys = y_head[:, None] - steps[None, :] * dlen[:, None]
        xs = dx0[:, None] - 0.18 * ys - 40  # slanted by the wind
        ok = (ys >= 0) & (ys < VIDEO_H) & (xs >= 0) & (xs < VIDEO_W)
        w = np.broadcast_to(dbright[:, None] * (1 - 0.7 * steps[None, :]), ys.shape)
        np.add.at(rain, (ys[ok].astype(int), xs[ok].astype(int)), w[ok])
        img += np.minimum(rain, 1.0)[..., None] * np.array([150, 170, 200], np.float32)
        yield np.clip(img * vignette, 0, 255).astype(np.uint8)


def skyline(rng: np.random.Generator, length: int, hmin: int, hmax: int, wmin: int, wmax: int):
    """Heights (per pixel column) and building ids of a random, wrap-around row of buildings."""
    heights, ids, x, b = np.zeros(length), np.zeros(length, int), 0, 0
    while x < length:
        w = int(rng.integers(wmin, wmax))
        heights[x: x + w] = rng.integers(hmin, hmax)
        ids[x: x + w] = b
        x, b = x + w + int(rng.integers(0, 6)), b + 1
    return heights, ids


def frames_rooftop_chase(duration: float, rng: np.random.Generator):
    """Dusk city: three parallax layers of skyline rushing past, sweeping searchlights."""
    base = vertical_gradient([(0, (34, 16, 64)), (0.45, (140, 50, 90)), (0.72, (255, 130, 60)),
                              (1, (255, 170, 90))])
    add_glow(base, 430, 250, 60, (255, 220, 150), 0.8)  # low sun
    length = 4096
    layers = []
    for (hmin, hmax, wmin, wmax, speed, color) in [
            (120, 240, 30, 80, 35, (110, 48, 80)),
            (70, 190, 40, 100, 110, (58, 22, 50)),
            (40, 110, 60, 160, 300, (14, 8, 20))]:
        h, ids = skyline(rng, length, hmin, hmax, wmin, wmax)
        lit = rng.random(ids.max() + 1) < 0.55
        layers.append((h, ids, lit, speed, np.array(color, np.float32)))
    cols = np.arange(VIDEO_W)
    for f in range(int(round(duration * FPS))):
        t = f / FPS
        img = base.copy()
        for beam, (x_src, phase, rate) in enumerate([(170, 0.0, 0.7), (500, 2.0, 0.55)]):
            angle = -np.pi / 2 + 0.6 * np.sin(rate * t * 2 * np.pi / 2.2 + phase)
            ang = np.arctan2(YY - VIDEO_H, XX - x_src)
            a = np.exp(-((ang - angle) / 0.05) ** 2) * np.clip((VIDEO_H - YY) / VIDEO_H, 0, 1)
            img += (0.35 * a)[..., None] * np.array([255, 240, 210], np.float32)
        for li, (h, ids, lit, speed, color) in enumerate(layers):
            idx = ((cols + speed * t).astype(int)) % length
            top = VIDEO_H - h[idx]
            mask = YY >= top[None, :]
            img[mask] = color
            if li == 1:  # lit windows on the middle layer
                wx = ((cols + speed * t).astype(int) % 14) < 6
                win = mask & (YY.astype(int) % 18 < 8) & wx[None, :] & lit[ids[idx]][None, :]
                win &= YY > top[None, :] + 10
                img[win] = (255, 200, 110)
        shake = int(round(2 * np.sin(37 * t)))  # a little handheld shake
        img = img[np.clip(np.arange(VIDEO_H) + shake, 0, VIDEO_H - 1)]
        yield np.clip(img, 0, 255).astype(np.uint8)


def frames_starlit_forest(duration: float, rng: np.random.Generator):
    """Night forest: twinkling stars, a drifting aurora, a moon and floating fireflies."""
    base = vertical_gradient([(0, (8, 6, 30)), (0.7, (36, 22, 72)), (1, (50, 30, 80))])
    add_glow(base, 510, 70, 26, (250, 245, 220), 1.0)  # moon
    add_glow(base, 510, 70, 80, (160, 150, 220), 0.25)
    n_stars = 200
    sx = rng.integers(0, VIDEO_W, n_stars)
    sy = rng.integers(0, 260, n_stars)
    sb = rng.uniform(80, 230, n_stars)
    sw = rng.uniform(1.5, 5.0, n_stars)
    sp = rng.uniform(0, 2 * np.pi, n_stars)
    # pine tree silhouettes along the bottom
    trees = np.zeros((VIDEO_H, VIDEO_W), bool)
    for _ in range(34):
        cx, hgt = rng.uniform(-20, VIDEO_W + 20), rng.uniform(60, 150)
        width = hgt * rng.uniform(0.3, 0.45)
        top = VIDEO_H - 20 - hgt
        trees |= (YY > top) & (np.abs(XX - cx) < (YY - top) / hgt * width / 2 * (1 + 0.12 * np.sin(YY * 0.35)))
    trees |= YY > VIDEO_H - 24 + 4 * np.sin(XX / 60)
    n_flies = 34
    fx, fy = rng.uniform(0, VIDEO_W, n_flies), rng.uniform(200, 340, n_flies)
    fa, fb = rng.uniform(20, 60, n_flies), rng.uniform(10, 30, n_flies)
    fw, fp = rng.uniform(0.2, 0.6, n_flies), rng.uniform(0, 2 * np.pi, n_flies)
    aurora_color = np.array([70, 255, 170], np.float32)
    aurora_tint = np.array([200, 90, 255], np.float32)
    x = XX[0]
    for f in range(int(round(duration * FPS))):
        t = f / FPS
        img = base.copy()
        stars = np.zeros((VIDEO_H, VIDEO_W), np.float32)
        stars[sy, sx] = sb * (0.55 + 0.45 * np.sin(sw * t + sp))
        img += np.minimum(stars, 255)[..., None]
        centre = 95 + 25 * np.sin(0.009 * x + 0.5 * t) + 10 * np.sin(0.023 * x - 0.8 * t)
        band = np.exp(-((YY - centre[None, :]) / 26) ** 2) * (0.55 + 0.45 * np.sin(0.03 * x + 1.1 * t))[None, :]
        mix = (0.5 + 0.5 * np.sin(0.004 * x + 0.3 * t))[None, :, None]
        img += (0.32 * band)[..., None] * (aurora_color * mix + aurora_tint * (1 - mix))
        img[trees] = (6, 5, 16)
        for i in range(n_flies):  # fireflies drift and blink in front of the trees
            px = (fx[i] + fa[i] * np.sin(fw[i] * t + fp[i]) + 6 * t) % VIDEO_W
            py = fy[i] + fb[i] * np.sin(1.7 * fw[i] * t + 2 * fp[i]) - 4 * t
            blink = 0.5 + 0.5 * np.sin(2.3 * t + 3 * fp[i])
            add_glow(img, px, py, 4.5, (255, 220, 120), 0.9 * blink)
        yield np.clip(img, 0, 255).astype(np.uint8)


VIDEOS = {"rainy_night": frames_rainy_night, "rooftop_chase": frames_rooftop_chase,
          "starlit_forest": frames_starlit_forest}


def render_video(scene: dict, path: Path) -> None:
    rng = np.random.default_rng(scene["seed"] + 100)
    frames = VIDEOS[scene["video"]](scene["duration"], rng)
    raw = b"".join(frame.tobytes() for frame in frames)
    run_ffmpeg(["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{VIDEO_W}x{VIDEO_H}",
                "-r", str(FPS), "-i", "-",
                "-c:v", "libx264", "-preset", "medium", "-crf", str(VIDEO_CRF), "-pix_fmt", "yuv420p",
                "-threads", "2", "-movflags", "+faststart", "-an", "-flags:v", "+bitexact",
                *FFMPEG_BITEXACT, str(path)], stdin=raw)


def make_thumbnail(scene: dict, video: Path, path: Path) -> None:
    run_ffmpeg(["-ss", f"{scene['thumbnail_at']:.3f}", "-i", str(video), "-frames:v", "1",
                "-vf", f"scale={THUMB_W}:{THUMB_H}", "-q:v", "4", "-flags:v", "+bitexact",
                *FFMPEG_BITEXACT, str(path)])


# --------------------------------------------------------------------------------------------
# Manifest and pack
# --------------------------------------------------------------------------------------------

def build_manifest(scene: dict, scripts: list[dict], pitch: list[dict]) -> dict:
    t0 = scene["start_time"]
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "pack_id": scene["pack_id"],
        "token": {
            "id": scene["token_id"],
            "token_name": scene["token_name"],
            "actor_name": scene["actor_name"],
            "category": scene["category"],
            "start_time": t0,
            "end_time": round(t0 + scene["duration"], 3),
            "youtube_url": None,
            "thumbnail_url": None,
            "view_count": 0,
            "pitch": pitch,
            "scripts": scripts,
        },
        "media": dict(MEDIA),
    }


def validate_manifest(m: dict) -> None:
    """The manifest rules of docs/scene-pack.md, plus this generator's own layout rules."""
    def check(cond: bool, msg: str) -> None:
        if not cond:
            raise GenerationError(f"{m.get('pack_id')}: {msg}")

    tol = 0.05
    check(m["format"] == FORMAT_NAME and m["format_version"] == FORMAT_VERSION, "format")
    check(re.fullmatch(r"[A-Za-z0-9._-]{1,100}", m["pack_id"]) is not None, "pack_id")
    tok = m["token"]
    t0, t1 = tok["start_time"], tok["end_time"]
    check(t0 < t1 and 10.0 <= t1 - t0 <= 16.0, "clip length")
    check(tok["category"] in CATEGORIES, "category")
    scripts = tok["scripts"]
    check(3 <= len(scripts) <= 6, "3-6 scripts")
    check(len({s["id"] for s in scripts}) == len(scripts), "script ids unique")
    all_words = [w for s in scripts for w in s["words"]]
    check(len({w["id"] for w in all_words}) == len(all_words), "word ids unique")
    check(scripts[0]["start_time"] - t0 >= 0.5 - 1e-9, "lead-in >= 0.5 s")
    check(t1 - scripts[-1]["end_time"] >= 0.5 - 1e-9, "tail >= 0.5 s")
    for prev, s in zip(scripts, scripts[1:]):
        check(s["start_time"] - prev["end_time"] >= 0.4 - 1e-9, "gap between lines >= 0.4 s")
    for s in scripts:
        check(s["token_id"] == tok["id"], "script token_id")
        check(t0 <= s["start_time"] < s["end_time"] <= t1, f"script {s['id']} inside the clip")
        check(s["translation"] and s["script"], "script text")
        words = s["words"]
        check([w["word"] for w in words] == [w for w, _ in script_words(s["script"])],
              f"words of script {s['id']} match its text")
        for prev, w in zip([None] + words, words):
            check(w["script_id"] == s["id"], "word script_id")
            check(w["start_time"] < w["end_time"], f"word {w['id']} start < end")
            check(s["start_time"] - tol <= w["start_time"] and w["end_time"] <= s["end_time"] + tol,
                  f"word {w['id']} inside its script")
            if prev is not None:
                check(prev["end_time"] <= w["start_time"], f"word {w['id']} ordered")
    pitch = tok["pitch"]
    times = [p["time"] for p in pitch]
    check(all(a < b for a, b in zip(times, times[1:])), "pitch times strictly increasing")
    check(t0 - tol <= times[0] and times[-1] <= t1 + tol, "pitch inside the clip")
    check(all(p["hz"] is None or 20 <= p["hz"] <= 2000 for p in pitch), "pitch hz range")
    check(sum(p["hz"] is not None for p in pitch) > 50, "pitch has voiced frames")


def write_pack(path: Path, manifest: dict, media_dir: Path) -> None:
    """Deterministic ZIP: sorted names, fixed timestamps and attributes."""
    members = {"manifest.json": json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"}
    for rel in manifest["media"].values():
        members[rel] = (media_dir / Path(rel).name).read_bytes()
    tmp = path.with_suffix(path.suffix + ".tmp")
    with zipfile.ZipFile(tmp, "w") as zf:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.create_system = 3  # unix
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED if name.endswith(".json") else zipfile.ZIP_STORED
            zf.writestr(info, members[name], compresslevel=9)
    tmp.replace(path)


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------

def make_scene(scene: dict, tts: EspeakLibrary, out_dir: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix=f"{scene['pack_id']}-") as tmp:
        work = Path(tmp)
        media = work / "media"
        media.mkdir()
        lines = [synthesize_line(tts, en, ko, scene["voice"]) for en, ko in scene["lines"]]
        vocal, scripts = build_vocal(scene, lines)
        write_flac(media / "vocal.flac", vocal)
        pitch = compute_pitch(vocal, scene)
        make_background(scene, media / "bgvoice.ogg", work)
        render_video(scene, media / "clip.mp4")
        make_thumbnail(scene, media / "clip.mp4", media / "thumbnail.jpg")
        manifest = build_manifest(scene, scripts, pitch)
        validate_manifest(manifest)
        out = out_dir / f"{scene['pack_id']}.yspack"
        write_pack(out, manifest, media)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "resources" / "demo_scenes",
                        help="output directory (default: resources/demo_scenes)")
    args = parser.parse_args(argv)
    try:
        require_ffmpeg()
        tts = espeak_library()
        args.out.mkdir(parents=True, exist_ok=True)
        for scene in SCENES:
            path = make_scene(scene, tts, args.out)
            print(f"{path}  {path.stat().st_size / 1e6:.2f} MB  {scene['token_name']} "
                  f"({scene['category']}, {scene['actor_name']}, {len(scene['lines'])} lines)")
    except (GenerationError, SpeechError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
