"""The "my dub" mix and the "hear it fixed" preview. `python -m benchmarks.mix` prints one JSON object.

Corpus, made here from fixed inputs (no cache needed: it builds in about a second):
- a 30 s scene: the demo pack `demo-rainy-promise` (12.5 s, 4 lines) looped to 30 s, its lines
  repeated with the loop (9 lines that fit); bgvoice and vocal from the pack (48 kHz);
- 6 takes, for lines 1–6: eSpeak NG (`en-us+f4`, pitch 60, rate fitted to the line) in a window
  from 0.5 s before the line to 1 s after it, over a seeded −60 dBFS noise floor, at levels from
  −18 to +12 dB around −20 dBFS RMS and at 48, 44.1 and 16 kHz;
- a 5 s take for the preview: eSpeak NG speech padded to 5 s, warped with a map that is 20 %
  slower at the start (take plays at 1.2×) and 10 % faster at the end (0.9×).
How every number is measured: benchmarks/README.mix.md.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_name, "1")  # CPU seconds of one core, comparable between runs

import io  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
import zipfile  # noqa: E402
from pathlib import Path  # noqa: E402

import librosa  # noqa: E402
import numpy as np  # noqa: E402
import pyloudnorm  # noqa: E402
import soundfile  # noqa: E402
from scipy.signal import correlate, resample_poly  # noqa: E402

from benchmarks.corpus.takes import espeak_speech, speech_lasting  # noqa: E402
from yousync_desktop.analysis.audio_io import load_mono, resample  # noqa: E402
from yousync_desktop.analysis.mixing import (MixTake, mix_scene_to_file,  # noqa: E402
                                             render_dub_mix)
from yousync_desktop.analysis.time_warp import warp_to_reference  # noqa: E402
from yousync_desktop.domain import Script, Token  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PACK = REPO / "resources" / "demo_scenes" / "demo-rainy-promise.yspack"
RATE = 48_000
SCENE_SECONDS = 30.0
PRE_ROLL, POST_ROLL = 0.5, 1.0
TAKE_VOICE, TAKE_PITCH, TAKE_FIRST_WPM = "en-us+f4", 60, 150
TAKE_LEVELS_DB = (-12.0, -6.0, 0.0, 6.0, -18.0, 12.0)       # around eSpeak's −20 dBFS RMS
TAKE_RATES = (48_000, 44_100, 48_000, 16_000, 48_000, 44_100)
NOISE_FLOOR_DBFS = -60.0
SEED = 20240611

PREVIEW_SECONDS = 5.0
PREVIEW_TEXT = "Just promise me you will stay this time, and never leave me waiting in the rain."
# (take s, reference s): the first 2.4 s of take play in 2.0 s (1.2x), the rest at 0.9x.
PREVIEW_MAP = np.array([(0.0, 0.0), (2.4, 2.0), (5.0, 2.0 + 2.6 / 0.9)])
PITCH_TONE_HZ = 150.0

WARMUP_RUNS, TIMED_RUNS = 2, 7
TARGETS = {"mix_30s_median_s": 1.0, "preview_5s_median_s": 1.0, "peak_dbfs": -1.0,
           "placement_error_samples": 0, "loudness_error_lu": 1.0, "warp_pitch_cents": 10.0,
           "warp_timing_error_ms": 10.0}


# --- corpus --------------------------------------------------------------------------------------

def _read_pack() -> tuple[Token, np.ndarray, np.ndarray]:
    with zipfile.ZipFile(PACK) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        media = {kind: soundfile.read(io.BytesIO(archive.read(manifest["media"][kind])),
                                      dtype="float32") for kind in ("bgvoice", "vocal")}
    for audio, rate in media.values():
        assert rate == RATE and audio.ndim == 1, "the demo packs are 48 kHz mono"
    return Token.from_api(manifest["token"]), media["bgvoice"][0], media["vocal"][0]


def build_scene() -> tuple[Token, np.ndarray, np.ndarray]:
    """The demo scene looped to SCENE_SECONDS, with its lines repeated at every loop."""
    pack, bgvoice, vocal = _read_pack()
    n = int(SCENE_SECONDS * RATE)
    loops = int(np.ceil(n / len(bgvoice)))
    scripts = []
    for loop in range(loops):
        shift = loop * len(bgvoice) / RATE
        for script in pack.scripts:
            if script.end_time + shift <= pack.start_time + SCENE_SECONDS:
                scripts.append(Script(id=len(scripts) + 1, token_id=pack.id,
                                      start_time=script.start_time + shift,
                                      end_time=script.end_time + shift, script=script.script))
    token = Token(id=pack.id, token_name=pack.token_name, actor_name=pack.actor_name,
                  start_time=pack.start_time, end_time=pack.start_time + SCENE_SECONDS,
                  scripts=scripts)
    return token, np.tile(bgvoice, loops)[:n], np.tile(vocal, loops)[:n]


def _noise(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(n) * 10 ** (NOISE_FLOOR_DBFS / 20)).astype(np.float32)


def build_takes(token: Token) -> list[MixTake]:
    takes = []
    for index, (level_db, rate) in enumerate(zip(TAKE_LEVELS_DB, TAKE_RATES)):
        script = token.scripts[index]
        speech, _ = speech_lasting(script.script, TAKE_VOICE, TAKE_PITCH, script.duration,
                                   TAKE_FIRST_WPM)
        n = int(round((PRE_ROLL + script.duration + POST_ROLL) * RATE))
        take = _noise(n, SEED + index)
        start = int(PRE_ROLL * RATE)
        part = speech[: n - start] * np.float32(10 ** (level_db / 20))
        take[start: start + len(part)] += part
        takes.append(MixTake(script.id, resample(take, RATE, rate), rate,
                             script.start_time - PRE_ROLL))
    return takes


def marker(rate: int) -> np.ndarray:
    """A 20 ms Hann-windowed 1–4 kHz chirp: sharp autocorrelation, survives resampling."""
    t = np.arange(int(0.02 * rate)) / rate
    chirp = np.sin(2 * np.pi * (1000 * t + 0.5 * (3000 / 0.02) * t ** 2))
    return (0.5 * np.hanning(len(t)) * chirp).astype(np.float32)


def build_preview_take() -> np.ndarray:
    speech = espeak_speech(PREVIEW_TEXT, TAKE_VOICE, 170, TAKE_PITCH)
    take = _noise(int(PREVIEW_SECONDS * RATE), SEED + 100)
    start = int(0.3 * RATE)
    part = speech[: len(take) - start]
    take[start: start + len(part)] += part
    return take


# --- measurements --------------------------------------------------------------------------------

def timed(run, runs: int = TIMED_RUNS) -> dict:
    for _ in range(WARMUP_RUNS):
        run()
    wall, cpu = [], []
    for _ in range(runs):
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        run()
        wall.append(time.perf_counter() - wall_start)
        cpu.append(time.process_time() - cpu_start)
    return {"runs": runs, "median_s": round(float(np.median(wall)), 4),
            "max_s": round(float(np.max(wall)), 4), "cpu_median_s": round(float(np.median(cpu)), 4)}


def dbfs(value: float) -> float:
    return round(float(20 * np.log10(max(value, 1e-12))), 3)


def true_peak(audio: np.ndarray) -> float:
    return float(np.abs(resample_poly(audio.astype(np.float64), 4, 1)).max())


def loudness(audio: np.ndarray) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(pyloudnorm.Meter(RATE).integrated_loudness(audio.astype(np.float64)))


def clip_sample(token: Token, absolute_time: float) -> int:
    return int(round(token.clip_offset(absolute_time) * RATE))


def placement(token: Token, bgvoice: np.ndarray, vocal: np.ndarray) -> dict:
    """A marker take per rate on line 2, found in the full mix by cross-correlation."""
    script = token.scripts[1]
    errors = {}
    for rate in (48_000, 44_100, 16_000):
        take = _noise(int((PRE_ROLL + script.duration + POST_ROLL) * rate), SEED + rate)
        at = int(round((PRE_ROLL + 0.3) * rate))   # a whole number of samples at every rate
        chirp = marker(rate)
        take[at: at + len(chirp)] += chirp
        mix = render_dub_mix(token, bgvoice, vocal, RATE,
                             [MixTake(script.id, take, rate, script.start_time - PRE_ROLL)])
        correlation = correlate(mix, marker(RATE), mode="valid", method="fft")
        found = int(np.argmax(np.abs(correlation)))
        expected = (clip_sample(token, script.start_time - PRE_ROLL)
                    + int(round((PRE_ROLL + 0.3) * RATE)))
        errors[str(rate)] = found - expected
    return {"error_samples_by_take_rate": errors,
            "max_abs_error_samples": max(abs(e) for e in errors.values())}


def loudness_match(token: Token, vocal: np.ndarray, takes: list[MixTake]) -> dict:
    """Each take's contribution to the mix against the actor's vocal, over the line."""
    only_takes = render_dub_mix(token, np.zeros_like(vocal), vocal, RATE, takes,
                                keep_actor_elsewhere=False)
    lines = {}
    for take, level in zip(takes, TAKE_LEVELS_DB):
        script = next(s for s in token.scripts if s.id == take.script_id)
        region = slice(clip_sample(token, script.start_time), clip_sample(token, script.end_time))
        lines[str(script.id)] = {"take_level_db": level, "take_rate": take.sample_rate,
                                 "difference_lu": round(loudness(only_takes[region])
                                                        - loudness(vocal[region]), 3)}
    return {"lines": lines,
            "max_abs_difference_lu": max(abs(v["difference_lu"]) for v in lines.values())}


def warp_checks() -> dict:
    """Pitch: a 150 Hz harmonic tone through the preview map, median f0 (YIN) out / in.
    Timing: a 220 Hz burst from take 0.5 s to 4.5 s; its edges against the map's times."""
    t = np.arange(int(PREVIEW_SECONDS * RATE)) / RATE
    tone = sum(np.sin(2 * np.pi * PITCH_TONE_HZ * k * t) / k for k in range(1, 6))
    tone = (0.3 * tone / np.abs(tone).max()).astype(np.float32)
    warped = warp_to_reference(tone, RATE, PREVIEW_MAP)

    def median_f0(audio: np.ndarray) -> float:
        f0 = librosa.yin(audio[int(0.2 * RATE): -int(0.2 * RATE)], fmin=80, fmax=400, sr=RATE,
                         frame_length=4096)
        return float(np.median(f0))

    ratio = median_f0(warped) / median_f0(tone)
    burst = np.zeros_like(tone)
    inside = slice(int(0.5 * RATE), int(4.5 * RATE))
    burst[inside] = 0.5 * np.sin(2 * np.pi * 220 * t[inside])
    out = warp_to_reference(burst, RATE, PREVIEW_MAP)
    frame = int(0.001 * RATE)
    n = len(out) // frame
    envelope = np.abs(out[: n * frame]).reshape(n, frame).max(axis=1)
    loud = np.nonzero(envelope > 0.5 * envelope.max())[0]
    edges = np.array([loud[0], loud[-1] + 1]) * frame / RATE
    mapped = np.interp([0.5, 4.5], PREVIEW_MAP[:, 0], PREVIEW_MAP[:, 1])
    edge_errors_ms = (edges - mapped) * 1000
    length_error_ms = (len(out) / RATE - PREVIEW_MAP[-1, 1]) * 1000
    return {"pitch_ratio_median": round(ratio, 5),
            "pitch_error_cents": round(1200 * float(np.log2(ratio)), 2),
            "burst_edge_errors_ms": [round(float(e), 2) for e in edge_errors_ms],
            "length_error_ms": round(float(length_error_ms), 2),
            "max_abs_timing_error_ms": round(float(max(np.abs(edge_errors_ms).max(),
                                                       abs(length_error_ms))), 2)}


def file_level(token: Token, bgvoice: np.ndarray, vocal: np.ndarray,
               takes: list[MixTake]) -> dict:
    """End to end from files as the CLI runs it: decode OGG/FLAC and WAV takes, mix, write WAV."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # The looped scene has no file of its own: write it in the pack's formats.
        soundfile.write(folder / "bgvoice.ogg", bgvoice, RATE, format="OGG", subtype="VORBIS")
        soundfile.write(folder / "vocal.flac", vocal, RATE)
        triples = []
        for take in takes:
            path = folder / f"take-{take.script_id}.wav"
            soundfile.write(path, take.audio, take.sample_rate)
            triples.append((take.script_id, path, take.window_start))
        out = folder / "mix.wav"

        def run() -> None:
            mix_scene_to_file(token, folder / "bgvoice.ogg", folder / "vocal.flac", triples, out)

        timing = timed(run, runs=3)
        written, rate = load_mono(out)
    return timing | {"rate": rate, "seconds": round(len(written) / rate, 3),
                     "peak_dbfs": dbfs(float(np.abs(written).max()))}


def main() -> int:
    token, bgvoice, vocal = build_scene()
    takes = build_takes(token)
    preview_take = build_preview_take()

    mix = render_dub_mix(token, bgvoice, vocal, RATE, takes)
    hot = render_dub_mix(token, bgvoice, vocal, RATE, takes, loudness_match=False)
    mix_timing = timed(lambda: render_dub_mix(token, bgvoice, vocal, RATE, takes))
    preview_timing = timed(lambda: warp_to_reference(preview_take, RATE, PREVIEW_MAP))
    where = placement(token, bgvoice, vocal)
    matched = loudness_match(token, vocal, takes)
    warp = warp_checks()
    files = file_level(token, bgvoice, vocal, takes)

    peaks = {"mix_sample_peak_dbfs": dbfs(float(np.abs(mix).max())),
             "mix_true_peak_dbfs": dbfs(true_peak(mix)),
             "unmatched_hot_takes_sample_peak_dbfs": dbfs(float(np.abs(hot).max())),
             "unmatched_hot_takes_true_peak_dbfs": dbfs(true_peak(hot)),
             "hottest_take_peak_dbfs": dbfs(max(float(np.abs(t.audio).max()) for t in takes))}
    worst_peak = max(peaks["mix_sample_peak_dbfs"], peaks["unmatched_hot_takes_sample_peak_dbfs"])
    targets = {
        "mix_30s_median_s": {"value": mix_timing["median_s"]},
        "preview_5s_median_s": {"value": preview_timing["median_s"]},
        "peak_dbfs": {"value": worst_peak},
        "placement_error_samples": {"value": where["max_abs_error_samples"]},
        "loudness_error_lu": {"value": matched["max_abs_difference_lu"]},
        "warp_pitch_cents": {"value": abs(warp["pitch_error_cents"])},
        "warp_timing_error_ms": {"value": warp["max_abs_timing_error_ms"]},
    }
    for name, entry in targets.items():
        entry["target"] = TARGETS[name]
        entry["met"] = bool(entry["value"] <= TARGETS[name])
    result = {
        "benchmark": "mix",
        "scene": {"pack": PACK.stem, "seconds": SCENE_SECONDS, "rate": RATE,
                  "lines": len(token.scripts), "takes": len(takes),
                  "take_rates": sorted(set(TAKE_RATES))},
        "timing": {"mix_30s": mix_timing, "preview_5s": preview_timing,
                   "mix_30s_from_files": files},
        "peaks": peaks, "placement": where, "loudness": matched, "warp": warp,
        "targets": targets, "all_targets_met": all(t["met"] for t in targets.values()),
    }
    json.dump(result, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
