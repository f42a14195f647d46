"""The background track (bgvoice) of each demo scene: music and ambience synthesised with numpy,
levelled and encoded to Ogg Vorbis."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf
from scipy import signal

from tools.demo_scenes import PEAK_LIMIT, SAMPLE_RATE
from tools.demo_scenes.ffmpeg import FFMPEG_BITEXACT, run_ffmpeg
from tools.demo_scenes.scenes import DemoScene

BG_RMS_DBFS = -26.0  # loudness of the background track


def midi_hz(note: float) -> float:
    return 440.0 * 2 ** ((note - 69) / 12)


def envelope(n: int, attack: float, release: float) -> np.ndarray:
    env = np.ones(n)
    a, r = min(n, int(attack * SAMPLE_RATE)), min(n, int(release * SAMPLE_RATE))
    if a:
        env[:a] = np.linspace(0, 1, a)
    if r:
        env[n - r:] *= np.linspace(1, 0, r)
    return env


def add_at(buf: np.ndarray, start: float, sound: np.ndarray) -> None:
    i = int(round(start * SAMPLE_RATE))
    if i >= len(buf):
        return
    sound = sound[: len(buf) - i]
    buf[i: i + len(sound)] += sound


def soft_tone(freq: float, dur: float, detune: float = 0.0015,
              harmonics=(1.0, 0.25, 0.08)) -> np.ndarray:
    """A warm pad voice: three slightly detuned copies of a few harmonics."""
    t = np.arange(int(dur * SAMPLE_RATE)) / SAMPLE_RATE
    out = np.zeros_like(t)
    for d in (-detune, 0.0, detune):
        for k, amp in enumerate(harmonics, start=1):
            out += amp * np.sin(2 * np.pi * freq * (1 + d) * k * t + k * d * 1000)
    return out / 3


def pluck(freq: float, dur: float, partials, decay: float) -> np.ndarray:
    """A struck/plucked tone: partials (ratio, amplitude) with decays that shorten with height."""
    t = np.arange(int(dur * SAMPLE_RATE)) / SAMPLE_RATE
    out = np.zeros_like(t)
    for ratio, amp in partials:
        out += amp * np.sin(2 * np.pi * freq * ratio * t) * np.exp(-t * ratio / decay)
    return out * envelope(len(t), 0.003, dur / 3)  # no click at either end


def reverb(x: np.ndarray, rng: np.random.Generator, seconds: float, wet: float) -> np.ndarray:
    n = int(seconds * SAMPLE_RATE)
    t = np.arange(n) / SAMPLE_RATE
    ir = rng.standard_normal(n) * np.exp(-t * 6.9 / seconds)  # -60 dB at the end
    ir = signal.sosfilt(signal.butter(2, 5000, "low", fs=SAMPLE_RATE, output="sos"), ir)
    ir /= np.sqrt(np.sum(ir ** 2))
    tail = signal.fftconvolve(x, ir)[: len(x)]
    return (1 - wet) * x + wet * tail


def bg_rain_pad(n: int, rng: np.random.Generator) -> np.ndarray:
    """Slow minor chord pad, a soft bass and sparse high notes over a rain bed."""
    dur = n / SAMPLE_RATE
    music = np.zeros(n)
    chords = [(57, 60, 64), (53, 57, 60, 64), (48, 52, 55, 60), (55, 59, 62)]  # Am Fmaj7 C G
    chord_len = 3.0
    k = 0
    while k * chord_len < dur:
        chord = chords[k % len(chords)]
        start = k * chord_len
        length = chord_len + 1.0
        for note in chord:
            music_note = (soft_tone(midi_hz(note), length)
                          * envelope(int(length * SAMPLE_RATE), 0.8, 1.2))
            add_at(music, start, 0.12 * music_note)
        bass = soft_tone(midi_hz(chord[0] - 12), length, harmonics=(1.0, 0.3))
        add_at(music, start, 0.22 * bass * envelope(len(bass), 0.05, 1.5))
        for j, note in enumerate((chord[-1] + 12, chord[1] + 12, chord[0] + 24)):  # sparse arpeggio
            add_at(music, start + 0.5 + j * 0.9,
                   0.06 * pluck(midi_hz(note), 2.0, [(1, 1.0), (2, 0.3), (3, 0.1)], 0.8))
        k += 1
    music = reverb(music, rng, 2.0, 0.35)

    noise = rng.standard_normal(n)
    rain = signal.sosfilt(signal.butter(2, [400, 7000], "band", fs=SAMPLE_RATE, output="sos"),
                          noise)
    rain *= 1 + 0.25 * np.sin(2 * np.pi * 0.13 * np.arange(n) / SAMPLE_RATE)
    drops = np.zeros(n)
    for _ in range(int(dur * 35)):  # individual drops on a window sill
        i = int(rng.integers(0, n - 2000))
        tt = np.arange(600) / SAMPLE_RATE
        drops[i: i + 600] += rng.uniform(0.3, 1.0) * rng.standard_normal(600) * np.exp(-tt / 0.004)
    drops = signal.sosfilt(signal.butter(2, 2500, "high", fs=SAMPLE_RATE, output="sos"), drops)
    rain = rain / np.std(rain) + 0.6 * drops / (np.std(drops) + 1e-12)
    return music / np.std(music) + 0.45 * rain / np.std(rain)


def bg_action_pulse(n: int, rng: np.random.Generator) -> np.ndarray:
    """128 bpm pulse: kick, driving bass ostinato, off-beat hats, claps and a tense string drone."""
    dur = n / SAMPLE_RATE
    beat = 60.0 / 128
    out = np.zeros(n)
    t_kick = np.arange(int(0.35 * SAMPLE_RATE)) / SAMPLE_RATE
    kick = (np.sin(2 * np.pi * np.cumsum(45 + 110 * np.exp(-t_kick / 0.04)) / SAMPLE_RATE)
            * np.exp(-t_kick / 0.09))
    hat_len = int(0.06 * SAMPLE_RATE)
    hp = signal.butter(2, 7000, "high", fs=SAMPLE_RATE, output="sos")
    bp = signal.butter(2, [1000, 5000], "band", fs=SAMPLE_RATE, output="sos")
    bass_lp = signal.butter(2, 700, "low", fs=SAMPLE_RATE, output="sos")
    pattern = [38, 38, 38, 41, 38, 38, 36, 38]  # D2 ostinato in eighths
    i = 0
    while i * beat / 2 < dur:
        t = i * beat / 2
        if i % 2 == 0:
            add_at(out, t, 0.9 * kick)
        else:
            hat = (signal.sosfilt(hp, rng.standard_normal(hat_len))
                   * np.exp(-np.arange(hat_len) / SAMPLE_RATE / 0.015))
            add_at(out, t, 0.25 * hat)
        if i % 4 == 2:  # clap on beats 2 and 4
            cl = int(0.2 * SAMPLE_RATE)
            clap = (signal.sosfilt(bp, rng.standard_normal(cl))
                    * np.exp(-np.arange(cl) / SAMPLE_RATE / 0.05))
            add_at(out, t, 0.35 * clap)
        f = midi_hz(pattern[i % len(pattern)])
        tb = np.arange(int(beat / 2 * SAMPLE_RATE)) / SAMPLE_RATE
        saw = sum(np.sin(2 * np.pi * f * k * tb) / k for k in range(1, 10))
        bass = signal.sosfilt(bass_lp, saw) * np.exp(-tb / 0.12) * envelope(len(tb), 0.002, 0.02)
        add_at(out, t, 0.28 * bass)
        i += 1
    t = np.arange(n) / SAMPLE_RATE
    drone = sum(soft_tone(midi_hz(m), dur, harmonics=(1.0, 0.35, 0.15)) for m in (50, 57, 65))
    swell = 0.5 + 0.5 * np.clip(t / dur, 0, 1)
    drone *= (0.8 + 0.2 * np.sin(2 * np.pi * 7 * t)) * swell
    out = out + 0.07 * drone
    return reverb(out, rng, 0.9, 0.15)


def bg_music_box(n: int, rng: np.random.Generator) -> np.ndarray:
    """A light music-box melody over a quiet major-seventh pad, with a long reverb."""
    dur = n / SAMPLE_RATE
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


def make_background(scene: DemoScene, path: Path, workdir: Path) -> np.ndarray:
    n = int(round(scene.duration * SAMPLE_RATE))
    rng = np.random.default_rng(scene.seed)
    audio = BACKGROUNDS[scene.background](n, rng)
    audio = audio - np.mean(audio)
    audio *= 10 ** (BG_RMS_DBFS / 20) / np.sqrt(np.mean(audio ** 2))
    audio *= envelope(n, 0.3, 0.8)
    peak = np.max(np.abs(audio))
    if peak > PEAK_LIMIT:
        audio *= PEAK_LIMIT / peak
    wav = workdir / "bgvoice.wav"
    sf.write(str(wav), audio.astype(np.float32), SAMPLE_RATE, subtype="FLOAT")
    run_ffmpeg(["-i", str(wav), "-c:a", "libvorbis", "-q:a", "3", "-ac", "1",
                "-ar", str(SAMPLE_RATE), "-flags:a", "+bitexact", *FFMPEG_BITEXACT, str(path)])
    return audio

