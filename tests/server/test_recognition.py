"""The full analysis worker's recogniser, aligner and pronunciation judge on takes made by code:
eSpeak NG reading known words, deliberately wrong words, an out-of-dictionary name, Korean text,
silence, noise, a clipped take and a take far longer than its line. Bad takes end as a result with
low scores and an explanation, never a crash."""

from __future__ import annotations

import numpy as np
import pytest

from tools.speech import espeak_available, speak
from yousync_desktop.domain import Script, Token, Word
from yousync_server.worker import TokenMedia
from yousync_server.worker.analysis import analyze_samples
from yousync_server.worker.recognition import dictionary_form, match_words, shared

pytest.importorskip("pocketsphinx")
pytestmark = pytest.mark.skipif(not espeak_available(), reason="needs espeak-ng")
RATE = 16000
LEAD_S = 0.3


def take(text: str, voice: str = "en-us", speed: int = 160) -> np.ndarray:
    audio, _ = speak(text, voice, speed=speed, sample_rate=RATE)
    pad = np.zeros(int(LEAD_S * RATE))
    return np.concatenate([pad, audio, pad])


def test_dictionary_forms_and_word_matching():
    assert dictionary_form("I’ll,") == "i'll" and dictionary_form("—") == ""
    statuses, inserted = match_words(["may", "the", "force", "be", "with", "you"],
                                     ["may", "the", "horse", "be", "with", "you", "all"])
    assert statuses[2] == ("replaced", "horse") and statuses[0] == ("matched", "may")
    assert inserted == [6]
    statuses, _ = match_words(["i'll", "be", "back"], ["i'll", "back"])
    assert [s for s, _ in statuses] == ["matched", "missed", "matched"]


def test_known_words_align_in_order_inside_the_speech():
    words = "May the force be with you".split()
    audio = take(" ".join(words))
    onset = np.argmax(np.abs(audio) > 0.02) / RATE
    result = shared().recognise(audio, RATE, words)
    assert result.alignment_complete
    starts = [w.aligned.start for w in result.words]
    assert starts == sorted(starts)
    # the first word starts where the speech does (measured 77 ms late on this take: a soft /m/;
    # the boundary error over a corpus is benchmarks/analysis.py's business)
    assert abs(starts[0] - onset) < 0.1
    assert all(w.aligned.phones for w in result.words)
    assert result.transcript  # user_stt: something was heard, with times
    assert shared().recognise(take(" ".join(words)), RATE, words) == result  # deterministic


def test_a_different_sentence_fails_every_word():
    words = "May the force be with you".split()
    result = shared().recognise(take("Potatoes are purple on a rainy Tuesday"), RATE, words)
    from yousync_server.worker.pronunciation import judge
    assert all(v.text_status == "fail" for v in judge(result))


def test_out_of_dictionary_words_get_a_pronunciation_not_a_crash():
    words = ["Grogu,", "eat", "your", "oppa", "안녕"]
    result = shared().recognise(take("Grogu, eat your oppa"), RATE, words)
    by_word = {w.word: w for w in result.words}
    assert by_word["Grogu,"].pronounced_by_g2p and by_word["oppa"].pronounced_by_g2p
    assert by_word["Grogu,"].aligned is not None
    assert by_word["안녕"].aligned is None and "안녕" in result.notes[0]


# --- whole analyses of bad takes (the reference is an eSpeak "actor" with known word times) ---

@pytest.fixture(scope="module")
def line(tmp_path_factory):
    import soundfile
    text = "May the force be with you"
    audio = take(text, "en-us+m3", 150)
    folder = tmp_path_factory.mktemp("actor")
    soundfile.write(folder / "vocal.wav", audio, RATE)
    result = shared().recognise(audio, RATE, text.split())
    words = [Word(id=i, script_id=1, word=w.word, start_time=10.0 + w.aligned.start,
                  end_time=10.0 + w.aligned.end) for i, w in enumerate(result.words)]
    script = Script(id=1, token_id=1, start_time=10.0, end_time=10.0 + len(audio) / RATE,
                    script=text, words=words)
    token = Token.from_api({"id": 1, "token_name": "t", "actor_name": "a", "category": "드라마",
                            "start_time": 10.0, "end_time": script.end_time,
                            "s3_textgrid_url": None, "s3_pitch_url": None, "s3_bgvoice_url": None,
                            "youtube_url": "https://youtu.be/x", "scripts": []})
    return script, TokenMedia(token, folder / "vocal.wav"), audio


def analyse(line, audio):
    script, media, _ = line
    return analyze_samples(audio, RATE, script, media, window_start=script.start_time)


def test_a_good_take_beats_a_wrong_one(line):
    good = analyse(line, take(line[0].script, "en-us", 160))
    wrong = analyse(line, take("May the horse be with me", "en-us", 160))
    assert good["engine"] == "full" and good["alignment_complete"]
    assert good["overall_score"] > wrong["overall_score"]
    assert good["summary"]["passed_words"] > wrong["summary"]["passed_words"]
    word = good["word_analysis"][0]
    assert {"offset_ms", "gop", "phones", "recognised", "pitch_error_st"} <= set(word)
    assert good["learner_contour"] and good["user_stt"]["word_timestamps"]


@pytest.mark.parametrize("kind", ["silence", "noise", "clipped", "ten_times_longer",
                                  "another_language"])
def test_bad_takes_complete_with_low_scores_and_a_reason(line, kind):
    _, _, actor = line
    rng = np.random.default_rng(1)
    audio = {"silence": np.zeros(3 * RATE),
             "noise": rng.normal(0, 0.3, 3 * RATE),
             "clipped": np.clip(take(line[0].script) * 40, -1, 1),
             "ten_times_longer": np.concatenate([take(line[0].script), np.zeros(10 * len(actor))]),
             "another_language": take("포스가 함께 하기를 바랍니다", "ko", 150),
             }[kind]
    result = analyse(line, audio)
    assert 0.0 <= result["overall_score"] <= 1.0
    if kind in ("silence", "noise"):
        assert result["overall_score"] < 0.2 and result["issues"]
        assert all(w["text_status"] == "fail" for w in result["word_analysis"])
    if kind == "clipped":
        assert any(i["code"].startswith("clip") for i in result["issues"])
    if kind == "another_language":   # the same line in Korean: no English word is there
        assert result["summary"]["passed_words"] <= 1 and result["failure_analysis"]["explanations"]
    if kind == "ten_times_longer":
        assert result["engine"] == "full"
        assert any("longer than the line" in e
                   for e in result["failure_analysis"]["explanations"])


def test_the_command_line_prints_the_workers_result(line, tmp_path, capsys):
    import json

    import soundfile

    from yousync_server.cli import main
    script, media, _ = line
    line_json = tmp_path / "line.json"
    line_json.write_text(json.dumps({
        "id": script.id, "token_id": 1, "start_time": script.start_time,
        "end_time": script.end_time, "script": script.script,
        "words": [{"id": w.id, "script_id": 1, "word": w.word, "start_time": w.start_time,
                   "end_time": w.end_time} for w in script.words]}))
    take_wav = tmp_path / "take.wav"
    soundfile.write(take_wav, take(script.script), RATE)
    assert main(["analyze", "--line", str(line_json), "--reference", str(media.vocal_path),
                 str(take_wav)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result == analyse(line, soundfile.read(take_wav)[0])   # the worker's code path
    assert main(["analyze", "--line", str(line_json), "--reference", str(media.vocal_path),
                 str(line_json)]) == 1                              # not audio: one line, exit 1
    assert "invalid_audio" in capsys.readouterr().err
