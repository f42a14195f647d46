"""Benchmark of the quick score: does it order controlled takes correctly, and how fast is it?

`python -m benchmarks.score` prints one JSON object. For every demo line (benchmarks.corpus.takes)
each controlled take is scored against the actor's line (reference pitch: the pack's stored
contour, as the app passes it). Then, per dimension, every (better, worse) pair of takes OF THE SAME
LINE from the pair table below is checked: ordered correctly iff score(better) > score(worse).
Every good take is paired with every bad take of its line (voices cross: a high female good take
is compared with a low male monotone one), so a dimension that leaks the voice loses pairs. The
targets are on the main voice set; `extra_voices` repeats the ordering with four other voices.

Latency (measured first, in a fresh process): a 5 s line — the demo lines are 1–3 s, so two
lines of one pack are spliced into one of about 5 s of speech (`five_second_line`), with its
0.5 s pre-roll and 1 s post-roll — scored end to end with `quick_score` (wall clock,
`time.perf_counter`), cycling over its good takes. `p50_ms`/`p95_ms`: after WARMUP_RUNS,
LATENCY_RUNS retakes of the same line — the reference's prepared features come from the per-line
cache as they do in the app, everything about the take (resampling, features, pitch, warp
choice, DTW, scoring) is computed every time.
`first_take_of_a_line`: the same with the cache cleared before each run (the reference is
prepared inside the call). `first_call_in_process_ms`: the very first call (lazy imports,
filterbanks). The machine's load average is reported with them: the CPUs are shared.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import defaultdict
from dataclasses import replace

import numpy as np

from benchmarks.corpus.takes import EXTRA_VOICES, RATE, CorpusLine, load_corpus, shift_register
from yousync_desktop.analysis.pitch_track import PitchTrack
from yousync_desktop.analysis.quick_score import SHARED_REFERENCES, quick_score

# dimension -> (better condition, worse condition) pairs
PAIRS = {
    "pronunciation": [("good", "wrong_words"), ("good", "silence"), ("good", "noise")],
    "intonation": [("good", "monotone"), ("good", "silence"), ("good", "noise")],
    "timing": [("good", "shifted300"), ("good", "shifted600"), ("good", "slower25"),
               ("shifted300", "shifted600")],
    "overall": [("good", bad) for bad in ("wrong_words", "monotone", "shifted300", "shifted600",
                                          "slower25", "silence", "noise", "clipped")],
}
DIMENSION_FIELD = {"pronunciation": "pronunciation", "intonation": "intonation",
                   "timing": "timing", "overall": "overall_score"}
TARGET_ACCURACY = 0.95
TARGET_REGISTER_DELTA = 0.1    # |intonation(octave-down copy) − intonation(good take)|, every line
TARGET_P95_MS = 150.0
LATENCY_SECONDS = 5.0
LATENCY_RUNS = 60
FIRST_TAKE_RUNS = 20
WARMUP_RUNS = 5


def score_corpus(corpus: list[CorpusLine]) -> list[dict]:
    rows = []
    for line in corpus:
        pitch = line.reference_pitch
        for take in line.takes:
            result = quick_score(take.audio, RATE, line.reference, RATE, line.script,
                                 window_start=line.window_start, reference_pitch=pitch)
            score = result.score
            rows.append({"line": line.key, "condition": take.condition, "variant": take.variant,
                         "overall_score": score.overall_score, "pronunciation": score.pronunciation,
                         "intonation": score.intonation, "timing": score.timing,
                         "issues": score.issues})
    return rows


def register_invariance(corpus: list[CorpusLine]) -> dict:
    """Intonation must not depend on the register: each good take against a WORLD copy of itself
    an octave down (same melody, same envelope). Worst |difference| per line (issue 12)."""
    per_line, failures = {}, []
    for line in corpus:
        def intonation(audio):
            return quick_score(audio, RATE, line.reference, RATE, line.script,
                               window_start=line.window_start,
                               reference_pitch=line.reference_pitch).score.intonation
        worst = 0.0
        for take in line.takes:
            if take.condition != "good":
                continue
            original, lower = intonation(take.audio), intonation(shift_register(take.audio, 0.5))
            worst = max(worst, abs(original - lower))
            if abs(original - lower) > TARGET_REGISTER_DELTA:
                failures.append({"line": line.key, "voice": take.variant,
                                 "good": original, "octave_down": lower})
        per_line[line.key] = round(worst, 4)
    return {"worst_delta_per_line": per_line, "worst_delta": max(per_line.values()),
            "failures": failures}


def ordering(rows: list[dict]) -> dict:
    by_line: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        by_line[row["line"]][row["condition"]].append(row)
    out = {}
    for dimension, pairs in PAIRS.items():
        key = DIMENSION_FIELD[dimension]
        total = correct = 0
        per_pair = {}
        failures = []
        for better, worse in pairs:
            pair_total = pair_correct = 0
            for line, conditions in by_line.items():
                for a in conditions.get(better, []):
                    for b in conditions.get(worse, []):
                        pair_total += 1
                        if a[key] > b[key]:
                            pair_correct += 1
                        else:
                            failures.append(f"{line}: {better}/{a['variant']} {a[key]:.3f} <= "
                                            f"{worse}/{b['variant']} {b[key]:.3f}")
            per_pair[f"{better}>{worse}"] = {"pairs": pair_total, "correct": pair_correct}
            total += pair_total
            correct += pair_correct
        out[dimension] = {"accuracy": round(correct / total, 4) if total else None,
                          "pairs": total, "correct": correct, "by_pair": per_pair,
                          "failures": failures[:10]}
    return out


def condition_means(rows: list[dict]) -> dict:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["condition"]].append(row)
    return {condition: {dim: round(float(np.mean([r[DIMENSION_FIELD[dim]] for r in group])), 3)
                        for dim in DIMENSION_FIELD} | {"takes": len(group)}
            for condition, group in grouped.items()}


def five_second_line(corpus: list[CorpusLine]) -> tuple[CorpusLine, list[np.ndarray]]:
    """A line with about LATENCY_SECONDS of speech (the demo lines are 1–3 s): two lines of one
    pack spliced after the first one's last word, words and good takes spliced the same way."""
    pairs = [(a, b) for a in corpus for b in corpus
             if a.key.split("/")[0] == b.key.split("/")[0] and a.script.id < b.script.id]
    a, b = min(pairs, key=lambda p: abs(p[0].script.duration + p[1].script.duration
                                         + 0.3 - LATENCY_SECONDS))
    cut_a = a.script.end_time - a.window_start + 0.15        # in a's window
    cut_b = b.script.start_time - b.window_start - 0.15      # in b's window
    shift = (a.window_start + cut_a) - (b.window_start + cut_b)  # b's absolute times move by this

    def splice(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.concatenate((x[: int(round(cut_a * RATE))], y[int(round(cut_b * RATE)):]))

    words = list(a.script.words) + [replace(w, start_time=w.start_time + shift,
                                            end_time=w.end_time + shift) for w in b.script.words]
    script = replace(a.script, script=f"{a.script.script} {b.script.script}",
                     end_time=b.script.end_time + shift, words=words)
    pitch_b = b.reference_pitch
    keep_a = a.reference_pitch.times < a.window_start + cut_a
    keep_b = pitch_b.times >= b.window_start + cut_b
    pitch_a = a.reference_pitch
    pitch = PitchTrack(np.concatenate((pitch_a.times[keep_a], pitch_b.times[keep_b] + shift)),
                       np.concatenate((pitch_a.hz[keep_a], pitch_b.hz[keep_b])),
                       np.concatenate((pitch_a.confidence[keep_a], pitch_b.confidence[keep_b])))
    line = CorpusLine(f"{a.key}+{b.script.id}", script, a.window_start,
                      splice(a.reference, b.reference), pitch, ())
    good_b = {t.variant: t.audio for t in b.takes if t.condition == "good"}
    takes = [splice(t.audio, good_b[t.variant]) for t in a.takes if t.condition == "good"]
    return line, takes


def latency(corpus: list[CorpusLine]) -> dict:
    line, takes = five_second_line(corpus)
    reference = line.reference

    def run(index: int) -> float:
        start = time.perf_counter()
        quick_score(takes[index % len(takes)], RATE, reference, RATE, line.script,
                    window_start=line.window_start, reference_pitch=line.reference_pitch)
        return (time.perf_counter() - start) * 1000.0

    def summary(timings: list[float]) -> dict:
        return {"runs": len(timings), "p50_ms": round(float(np.percentile(timings, 50)), 1),
                "p95_ms": round(float(np.percentile(timings, 95)), 1),
                "max_ms": round(float(np.max(timings)), 1)}

    first_call = run(0)  # this process's first score: lazy imports, filterbanks, caches
    for i in range(WARMUP_RUNS):
        run(i)
    retake = summary([run(i) for i in range(LATENCY_RUNS)])
    first_take = []
    for i in range(FIRST_TAKE_RUNS):
        SHARED_REFERENCES.clear()  # a new line: its reference is prepared inside the call
        first_take.append(run(i))
    return {"line": line.key, "speech_seconds": round(line.script.duration, 2),
            "window_seconds": round(len(reference) / RATE, 2), **retake,
            "first_take_of_a_line": summary(first_take),
            "first_call_in_process_ms": round(first_call, 1),
            "load_average_1min": round(os.getloadavg()[0], 2), "cpus": os.cpu_count()}


def main() -> int:
    corpus = load_corpus()
    speed = latency(corpus)
    rows = score_corpus(corpus)
    accuracy = ordering(rows)
    extra_rows = score_corpus(load_corpus(voice_set="extra"))
    extra = ordering(extra_rows)
    targets = {dim: {"accuracy": accuracy[dim]["accuracy"], "target": TARGET_ACCURACY,
                     "met": (accuracy[dim]["accuracy"] or 0) >= TARGET_ACCURACY}
               for dim in PAIRS}
    targets["latency_p95_ms"] = {"value": speed["p95_ms"], "target": TARGET_P95_MS,
                                 "met": speed["p95_ms"] <= TARGET_P95_MS}
    register = register_invariance(corpus)
    targets["intonation_register_delta"] = {"value": register["worst_delta"],
                                            "target": TARGET_REGISTER_DELTA,
                                            "met": register["worst_delta"] <= TARGET_REGISTER_DELTA}
    result = {"benchmark": "score", "lines": len(corpus), "takes": len(rows),
              "ordering": accuracy, "condition_means": condition_means(rows),
              "extra_voices": {"voices": [v for v, _, _ in EXTRA_VOICES], "takes": len(extra_rows),
                               "ordering": {dim: {k: extra[dim][k] for k in
                                                  ("accuracy", "pairs", "correct", "failures")}
                                            for dim in extra},
                               "condition_means": condition_means(extra_rows)},
              "register_invariance": register, "latency": speed, "targets": targets,
              "all_targets_met": all(t["met"] for t in targets.values())}
    json.dump(result, sys.stdout, indent=1, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
