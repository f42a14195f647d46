"""Controlled takes for the quick-score benchmark: for each demo line, takes whose faults are known.

Each line of the demo scene packs (`resources/demo_scenes/*.yspack`) is the "actor"; the takes are
made here with eSpeak NG in other voices and placed on the same window the app records
(`PRE_ROLL` before the line, `POST_ROLL` after it), so that each condition changes one thing:

| condition     | how it is made                                                           |
|---------------|--------------------------------------------------------------------------|
| `good`        | the line's text by another voice (main set: low male, high female, mid), |
|               | its rate tuned so it lasts 1.0, 1.05 or 0.95 × the actor's line, speech  |
|               | onset placed at the actor's line start                                   |
| `wrong_words` | a different sentence of similar length (first voices of the set), same   |
|               | rates and placement                                                      |
| `monotone`    | each good take resynthesised with WORLD on a flat f0 (its voiced median)  |
| `shifted300`, `shifted600` | each good take placed 300 / 600 ms late                     |
| `slower25`    | each good voice with its rate tuned to last 1.25 × its good take         |
| `silence`     | only the microphone's noise floor                                        |
| `noise`       | white and pink noise at speech level                                     |
| `clipped`     | each good take × 8, clipped to ±1                                        |

Two voice sets: "main" (GOOD_VOICES, the benchmark's targets) and "extra" (EXTRA_VOICES, four
more voices, reported separately). Every take has the same small noise floor as a real
microphone (seeded), is 48 kHz mono float32, and has sample 0 at `line.window_start`. Generated
audio is cached under `CACHE_DIR/VERSION/<set>/`; bump `VERSION` whenever anything here changes.
eSpeak NG output is deterministic for a given version of the program; noise comes from fixed
seeds.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy import signal

from benchmarks.corpus import cache_root
from tools.speech import resample, speak
from yousync_desktop.analysis.pitch_track import PitchTrack
from yousync_desktop.domain import Script, Token

VERSION = "takes-v3"
REPO = Path(__file__).resolve().parents[2]
PACKS = sorted((REPO / "resources" / "demo_scenes").glob("*.yspack"))
CACHE_DIR = cache_root()

RATE = 48_000
PRE_ROLL = 0.5
POST_ROLL = 1.0
SPEECH_RMS_DBFS = -20.0
NOISE_FLOOR_DBFS = -70.0

# Voices for the good takes: (espeak voice, pitch 0–99, duration relative to the actor's line).
# One sits about an octave below the female actors, one well above the male actor.
GOOD_VOICES = (
    ("en-us+m1", 40, 1.00),
    ("en-us+f4", 75, 1.05),
    ("en-gb+m2", 50, 0.95),
)
# A second set, reported separately by the benchmark: other voices, including eSpeak's Klatt
# synthesiser, whose spectra differ most from the actors'. They were looked at while the design
# was chosen (so they are a check, not a clean held-out set); the thresholds weren't fitted to them.
EXTRA_VOICES = (
    ("en+m7", 30, 1.00),
    ("en-gb-x-rp+f2", 60, 0.97),
    ("en-us+klatt", 45, 1.03),
    ("en-gb-scotland+m4", 55, 1.00),
)
VOICE_SETS = {"main": GOOD_VOICES, "extra": EXTRA_VOICES}
WRONG_WORDS_VOICES = {"main": 2, "extra": 4}  # the first N voices of the set say other words
ACTOR_RATES = {"demo-rainy-promise": 140, "demo-rooftop-chase": 175, "demo-starlight-musicbox": 135}

# Sentences for the wrong-words takes; each line gets the one closest to it in length.
DISTRACTORS = (
    "Pass the salt.",
    "Turn left at the bank.",
    "My cat sleeps on the blue chair.",
    "The train to Boston leaves at noon today.",
    "Please bring two apples and some bread for lunch.",
    "Nobody could find the keys to the old red truck.",
    "Water boils faster on a windy mountain top.",
    "Buy milk!",
)

CONDITIONS = ("good", "wrong_words", "monotone", "shifted300", "shifted600", "slower25",
              "silence", "noise", "clipped")


@dataclass(frozen=True)
class ControlledTake:
    condition: str
    variant: str            # the voice or noise colour it was made with
    audio: np.ndarray       # RATE, mono float32, sample 0 = the line's window_start


@dataclass(frozen=True)
class CorpusLine:
    key: str                # "<pack id>/<script id>"
    script: Script          # absolute times
    window_start: float     # absolute time of sample 0 of the reference and of every take
    reference: np.ndarray   # the actor's vocal over the window, RATE
    reference_pitch: PitchTrack  # the pack's stored contour, absolute times
    takes: tuple[ControlledTake, ...]

    @property
    def window_duration(self) -> float:
        return len(self.reference) / RATE


# --- speech --------------------------------------------------------------------------------------

def espeak_speech(text: str, voice: str = "en-us", rate_wpm: int = 160,
                  pitch: int = 50) -> np.ndarray:
    """eSpeak NG speech at RATE, trimmed to the audible part (edges below -40 dB of its loudest
    10 ms) and scaled to SPEECH_RMS_DBFS."""
    speech, native = speak(text, voice, speed=rate_wpm, pitch=pitch, amplitude=150)
    speech = resample(_trim(speech, native), native, RATE)  # this order made the cached corpus
    return _to_level(speech, SPEECH_RMS_DBFS).astype(np.float32)


def speech_lasting(text: str, voice: str, pitch: int, seconds: float,
                   first_guess_wpm: int) -> tuple[np.ndarray, int]:
    """eSpeak speech whose audible part lasts about `seconds` (voices differ in their intrinsic
    pace, so the rate is corrected from the measured duration), and the rate used."""
    rate = first_guess_wpm
    for _ in range(3):
        speech = espeak_speech(text, voice, rate, pitch)
        duration = len(speech) / RATE
        if abs(duration / seconds - 1.0) < 0.02:
            break
        rate = int(np.clip(round(rate * duration / seconds), 80, 450))
    return espeak_speech(text, voice, rate, pitch), rate


def _trim(audio: np.ndarray, rate: int) -> np.ndarray:
    hop = max(1, rate // 100)
    n = len(audio) // hop
    level = 20 * np.log10(np.sqrt(np.mean(audio[: n * hop].reshape(n, hop) ** 2, axis=1)) + 1e-12)
    loud = np.nonzero(level > level.max() - 40.0)[0]
    return audio[loud[0] * hop: (loud[-1] + 1) * hop]


def _to_level(audio: np.ndarray, dbfs: float) -> np.ndarray:
    rms = np.sqrt(np.mean(audio ** 2)) + 1e-12
    return audio * (10 ** (dbfs / 20) / rms)


def flatten_pitch(speech: np.ndarray, rate: int = RATE) -> np.ndarray:
    """The same speech on a flat f0 (the median of its voiced frames), resynthesised with WORLD."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pyworld

    x = speech.astype(np.float64)
    # WORLD's default f0 floor (71 Hz) loses the low male voice; 50 Hz keeps it.
    coarse, times = pyworld.dio(x, rate, f0_floor=50.0, f0_ceil=600.0)
    f0 = pyworld.stonemask(x, coarse, times, rate)
    fft_size = pyworld.get_cheaptrick_fft_size(rate, 50.0)
    sp = pyworld.cheaptrick(x, f0, times, rate, f0_floor=50.0, fft_size=fft_size)
    ap = pyworld.d4c(x, f0, times, rate, fft_size=fft_size)
    flat = np.where(f0 > 0, np.median(f0[f0 > 0]), 0.0)
    y = pyworld.synthesize(flat, sp, ap, rate)[: len(x)]
    return _to_level(y, SPEECH_RMS_DBFS).astype(np.float32)


def shift_register(speech: np.ndarray, factor: float, rate: int = RATE) -> np.ndarray:
    """The same speech with every f0 value multiplied by `factor` (0.5: an octave down), the
    spectral envelope kept, resynthesised with WORLD: the same melody in another register."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pyworld

    x = speech.astype(np.float64)
    coarse, times = pyworld.dio(x, rate, f0_floor=50.0, f0_ceil=600.0)
    f0 = pyworld.stonemask(x, coarse, times, rate)
    fft_size = pyworld.get_cheaptrick_fft_size(rate, 40.0)
    sp = pyworld.cheaptrick(x, f0, times, rate, f0_floor=40.0, fft_size=fft_size)
    ap = pyworld.d4c(x, f0, times, rate, fft_size=fft_size)
    y = pyworld.synthesize(f0 * factor, sp, ap, rate)[: len(x)]
    return np.pad(y, (0, len(x) - len(y))).astype(np.float32)


def noise_floor(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(n) * 10 ** (NOISE_FLOOR_DBFS / 20)).astype(np.float32)


def pink_noise(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    spectrum = np.fft.rfft(rng.standard_normal(n))
    spectrum /= np.sqrt(np.maximum(np.arange(len(spectrum)), 1))
    return np.fft.irfft(spectrum, n)


def place(speech: np.ndarray, n: int, at_seconds: float, seed: int) -> np.ndarray:
    """`speech` starting `at_seconds` into an `n`-sample take with a microphone noise floor."""
    take = noise_floor(n, seed)
    start = int(round(at_seconds * RATE))
    part = speech[: max(0, n - start)]
    take[start: start + len(part)] += part
    return take


# --- the corpus ----------------------------------------------------------------------------------

def read_pack(path: Path) -> tuple[Token, np.ndarray]:
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        vocal, rate = sf.read(io.BytesIO(archive.read(manifest["media"]["vocal"])), dtype="float32")
    token = Token.from_api(manifest["token"])
    if rate != RATE:
        vocal = signal.resample_poly(vocal, RATE, rate).astype(np.float32)
    return token, vocal


def _distractor(text: str) -> str:
    others = [d for d in DISTRACTORS if d.lower() != text.lower()]
    return min(others, key=lambda d: (abs(len(d) - len(text)), d))


def _seed(*parts: object) -> int:
    return int.from_bytes(hashlib.sha256(repr(parts).encode()).digest()[:4], "little")


def _make_takes(pack_id: str, script: Script, window_start: float, n: int,
                voice_set: str) -> list[ControlledTake]:
    at = script.start_time - window_start
    actor_rate = ACTOR_RATES.get(pack_id, 150)
    takes: list[ControlledTake] = []

    def add(condition: str, variant: str, audio: np.ndarray) -> None:
        takes.append(ControlledTake(condition, variant, audio.astype(np.float32)))

    voices = VOICE_SETS[voice_set]
    rates = {}
    for voice, pitch, factor in voices:
        seed = _seed(pack_id, script.id, voice)
        good, rates[voice] = speech_lasting(script.script, voice, pitch, factor * script.duration,
                                            actor_rate)
        add("good", voice, place(good, n, at, seed))
        add("monotone", voice, place(flatten_pitch(good), n, at, seed))
        add("shifted300", voice, place(good, n, at + 0.3, seed))
        add("shifted600", voice, place(good, n, at + 0.6, seed))
        slower, _ = speech_lasting(script.script, voice, pitch, 1.25 * len(good) / RATE,
                                   int(round(rates[voice] * 0.8)))
        add("slower25", voice, place(slower, n, at, seed))
        add("clipped", voice, np.clip(place(good, n, at, seed) * 8.0, -1.0, 1.0))
    for voice, pitch, _factor in voices[:WRONG_WORDS_VOICES[voice_set]]:
        wrong = espeak_speech(_distractor(script.script), voice, rates[voice], pitch)
        add("wrong_words", voice, place(wrong, n, at, _seed(pack_id, script.id, voice, "wrong")))
    floor_seed = _seed(pack_id, script.id, "floor", voice_set)
    add("silence", "floor", noise_floor(n, floor_seed))
    white = np.random.default_rng(_seed(pack_id, script.id, "white", voice_set)).standard_normal(n)
    add("noise", "white", noise_floor(n, floor_seed) + _to_level(white, SPEECH_RMS_DBFS - 3))
    pink = pink_noise(n, _seed(pack_id, script.id, "pink", voice_set))
    add("noise", "pink", noise_floor(n, floor_seed) + _to_level(pink, SPEECH_RMS_DBFS - 3))
    return takes


def actor_line(pack: Path, script_id: int) -> CorpusLine:
    """One demo line as the app would score it, without takes: the actor's vocal over the
    recording window and the pack's stored pitch contour."""
    token, vocal = read_pack(pack)
    script = next(s for s in token.scripts if s.id == script_id)
    return _actor_line(pack.stem, token, vocal, script)


def _actor_line(pack_id: str, token: Token, vocal: np.ndarray, script: Script) -> CorpusLine:
    window_start = script.start_time - PRE_ROLL
    first = int(round(token.clip_offset(window_start) * RATE))
    n = int(round((script.duration + PRE_ROLL + POST_ROLL) * RATE))
    reference = np.zeros(n, dtype=np.float32)
    segment = vocal[max(0, first): first + n]
    reference[max(0, -first): max(0, -first) + len(segment)] = segment
    points = [p for p in (token.pitch or []) if window_start <= p.time < window_start + n / RATE]
    return CorpusLine(f"{pack_id}/{script.id}", script, window_start, reference,
                      PitchTrack.from_points(points), ())


def load_corpus(max_lines: int | None = None, voice_set: str = "main") -> list[CorpusLine]:
    """Every line of every demo pack with its controlled takes in the voices of `voice_set`
    ("main" or "extra"), generated once, then cached."""
    lines: list[CorpusLine] = []
    for pack in PACKS:
        token, vocal = read_pack(pack)
        for script in token.scripts:
            if max_lines is not None and len(lines) >= max_lines:
                return lines
            line = _actor_line(pack.stem, token, vocal, script)
            folder = CACHE_DIR / VERSION / voice_set / pack.stem / str(script.id)
            meta_path = folder / "takes.json"
            if meta_path.exists():
                meta = json.loads(meta_path.read_text())
                takes = tuple(ControlledTake(t["condition"], t["variant"],
                                             np.load(folder / t["file"]).astype(np.float32))
                              for t in meta["takes"])
            else:
                takes = tuple(_make_takes(pack.stem, script, line.window_start,
                                          len(line.reference), voice_set))
                folder.mkdir(parents=True, exist_ok=True)
                entries = []
                for i, take in enumerate(takes):
                    name = f"{i:02d}-{take.condition}-{take.variant}.npy"
                    np.save(folder / name, take.audio)
                    entries.append({"condition": take.condition, "variant": take.variant,
                                    "file": name})
                # Written last: a run interrupted half-way regenerates the line next time.
                meta_path.write_text(json.dumps({"key": line.key, "takes": entries}, indent=1))
            lines.append(replace(line, takes=takes))
    return lines


if __name__ == "__main__":
    sizes = {name: sum(len(c.takes) for c in load_corpus(voice_set=name)) for name in VOICE_SETS}
    print(json.dumps({"lines": len(load_corpus()), "takes": sizes,
                      "cache": str(CACHE_DIR / VERSION)}))
