"""The worker: analyze() scores a real eSpeak take against a demo scene's real vocal track and word
times (the contract's §4.4 shape, real numbers), and the job runner takes every job to a terminal
state with the right progress, result and failure reason."""

from __future__ import annotations

import functools
import json
import shutil
import threading
import zipfile
from pathlib import Path

import pytest

from tools.speech import espeak_available, speak_to_wav
from yousync_desktop.domain import Token
from yousync_server.queue import InProcessQueue
from yousync_server.storage import LocalStorage, StorageError
from yousync_server.worker import JobRunner, JobSources, JobView, TokenMedia, analyze, consumer_for

pytestmark = pytest.mark.skipif(not espeak_available(), reason="needs espeak-ng")
ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "resources" / "demo_scenes" / "demo-rainy-promise.yspack"
WORD_KEYS = {"word", "text_status", "time_match", "overlap_ratio", "mfcc_similarity", "word_score"}


@functools.cache
def scene(folder: str) -> tuple[Token, Path]:
    with zipfile.ZipFile(PACK) as pack:
        manifest = json.loads(pack.read("manifest.json"))
        vocal = Path(folder) / "vocal.flac"
        vocal.write_bytes(pack.read(manifest["media"]["vocal"]))
    return Token.from_api(manifest["token"]), vocal


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scene")
    token, vocal = scene(str(folder))
    line = token.scripts[0]
    takes = {"same_words": speak_to_wav(folder / "same.wav", line.script, "en-us+m3", speed=150),
             "other_words": speak_to_wav(folder / "other.wav", "Potatoes are purple on Tuesday",
                                         "en-us+m3", speed=150),
             "garbage": folder / "garbage.wav"}
    takes["garbage"].write_bytes(b"RIFF\x00\x00\x00\x00WAVEnot really audio")
    return token, TokenMedia(token, vocal, token.pitch), takes


def test_analyze_gives_the_contract_shape_with_real_numbers(demo):
    token, media, takes = demo
    line = token.scripts[0]
    good = analyze(takes["same_words"], line, media)
    bad = analyze(takes["other_words"], line, media)

    for result in (good, bad):
        assert [w["word"] for w in result["word_analysis"]] == [w.word for w in line.words]
        for word in result["word_analysis"]:
            assert WORD_KEYS <= set(word)
            assert word["text_status"] in ("pass", "fail") and isinstance(word["time_match"], bool)
            assert 0.0 <= word["word_score"] <= 1.0 and 0.0 <= word["mfcc_similarity"] <= 1.0
        summary = result["summary"]
        assert summary["total_words"] == len(line.words)
        assert summary["passed_words"] == sum(w["text_status"] == "pass"
                                              for w in result["word_analysis"])
        assert summary["text_accuracy"] == pytest.approx(summary["passed_words"] / len(line.words),
                                                         abs=1e-4)
        assert {"stt_failures", "time_failures", "mfcc_low_quality"} <= set(
            result["failure_analysis"])
        assert result["engine"] == "full" and result["user_stt"]["word_timestamps"]
    # The same words in another voice beat other words: the numbers come from the take.
    assert good["overall_score"] > bad["overall_score"] + 0.2
    assert good["pronunciation"] > bad["pronunciation"] + 0.1
    assert bad["failure_analysis"]["stt_failures"]
    assert analyze(takes["same_words"], line, media) == good  # deterministic


def test_without_the_recogniser_the_quick_score_runs_and_says_so(demo, monkeypatch):
    from yousync_server.worker import recognition

    def unavailable():
        raise recognition.RecogniserUnavailable("pocketsphinx is not installed")

    monkeypatch.setattr(recognition, "shared", unavailable)
    token, media, takes = demo
    result = analyze(takes["same_words"], token.scripts[0], media)
    assert result["engine"] == "quick_score"
    assert result["user_stt"] == {"text": "", "word_timestamps": []}  # no recogniser ran
    assert "pocketsphinx" in result["engine_note"]


# --- the runner, with in-memory sources ---

class FakeJobs:
    """The app's side of JobSources, in memory: jobs, a storage folder, the state history."""

    def __init__(self, token: Token, media: TokenMedia, storage: LocalStorage):
        self.token, self.media, self.storage = token, media, storage
        self.jobs: dict[str, JobView] = {}
        self.history: dict[str, list[tuple]] = {}
        self.results: dict[str, dict] = {}
        self.lock = threading.Lock()

    def add(self, job: JobView, take: Path | None) -> None:
        if take is not None:
            self.storage.put_file(job.take_key, take)
        self.jobs[job.job_id] = job

    def get_job(self, job_id):
        return self.jobs.get(job_id)

    def fetch_take(self, job, folder):
        return self.storage.download_to(job.take_key, folder / "take")

    def get_script(self, script_id):
        return next(s for s in self.token.scripts if s.id == script_id)

    def get_token_media(self, token_id, folder):
        return self.media

    def set_state(self, job_id, update):
        with self.lock:
            job = self.jobs[job_id]
            if job.status in ("completed", "failed"):
                return None  # a terminal job is never overwritten
            self.jobs[job_id] = JobView(**{**job.__dict__, "status": update.status})
            self.history.setdefault(job_id, []).append(
                (update.status, update.progress, update.reason))
            if update.result is not None:
                self.results[job_id] = update.result
            return {"job_id": job_id, "status": update.status, "progress": update.progress}

    def sources(self, **overrides) -> JobSources:
        values = dict(get_job=self.get_job, fetch_take=self.fetch_take, get_script=self.get_script,
                      get_token_media=self.get_token_media, set_state=self.set_state)
        values.update(overrides)
        return JobSources(**values)


@pytest.fixture
def jobs(demo, tmp_path):
    token, media, _ = demo
    return FakeJobs(token, media, LocalStorage(tmp_path / "objects", base_url="http://t",
                                               secret=b"s"))


def script_job(job_id: str, script_id: int = 1, status: str = "processing") -> JobView:
    return JobView(job_id, "script", status, script_id=script_id, token_id=9001,
                   take_key=f"audio/{job_id}_take.wav")


def test_a_script_job_goes_70_90_100_with_the_result_and_its_script(jobs, demo):
    _, _, takes = demo
    jobs.add(script_job("a" * 32), takes["same_words"])
    published = []
    runner = JobRunner(jobs.sources(on_change=published.append))
    assert runner.run("a" * 32) == "completed"
    assert jobs.history["a" * 32] == [("processing", 70, None), ("processing", 90, None),
                                      ("completed", 100, None)]
    result = jobs.results["a" * 32]
    assert result["script_id"] == 1 and result["job_id"] == "a" * 32
    assert result["result"]["overall_score"] > 0.5
    assert [p["progress"] for p in published] == [70, 90, 100]
    # Redelivered after completion: acknowledged, not redone.
    assert runner.run("a" * 32) == "already_done"
    assert len(jobs.history["a" * 32]) == 3
    assert runner.run("gone") == "missing"


@pytest.mark.parametrize("case, reason", [
    ("garbage take", "invalid_audio"),
    ("take missing from storage", "storage_error"),
    ("storage down", "storage_error"),
    ("no vocal track", "analysis_unavailable"),
    ("analysis crashes", "analysis_error"),
    ("analysis hangs", "analysis_timeout"),
])
def test_every_failure_ends_failed_at_0_with_its_reason(jobs, demo, case, reason):
    _, media, takes = demo
    job_id = "b" * 32
    overrides = {}
    options = {}
    release = threading.Event()
    take = takes["same_words"]
    if case == "garbage take":
        take = takes["garbage"]
    elif case == "take missing from storage":
        take = None
    elif case == "storage down":
        def down(job, folder):
            raise StorageError("connection refused")
        overrides["fetch_take"] = down
    elif case == "no vocal track":
        overrides["get_token_media"] = lambda token_id, folder: TokenMedia(media.token, None)
    elif case == "analysis crashes":
        def crash(*args, **kwargs):
            raise ZeroDivisionError("bug")
        options["analyze_take"] = crash
    elif case == "analysis hangs":
        def hang(*args, **kwargs):
            release.wait(60)
            return {"late": True}
        options.update(analyze_take=hang, deadline_s=0.5)
    jobs.add(script_job(job_id), take)
    try:
        assert JobRunner(jobs.sources(**overrides), **options).run(job_id) == "failed"
    finally:
        release.set()
    status, progress, got_reason = jobs.history[job_id][-1]
    assert (status, progress, got_reason) == ("failed", 0, reason)
    assert job_id not in jobs.results


def test_a_token_job_scores_each_line_of_a_whole_clip_take(jobs, demo, tmp_path):
    token, _, takes = demo
    # A whole-clip "take": the actor's own vocal, so every line is there at its time.
    clip = tmp_path / "clip.flac"
    shutil.copy(demo[1].vocal_path, clip)
    jobs.add(JobView("c" * 32, "token", "processing", token_id=token.id,
                     take_key="audio/c_clip.flac"), clip)
    assert JobRunner(jobs.sources()).run("c" * 32) == "completed"
    assert [h[0] for h in jobs.history["c" * 32]] == ["processing", "queued_for_analysis",
                                                     "completed"]
    result = jobs.results["c" * 32]
    assert [line["script_id"] for line in result["lines"]] == [s.id for s in sorted(
        token.scripts, key=lambda s: s.start_time)]
    assert result["overall_score"] > 0.7  # the actor matches themself


def test_queue_consumer_runs_jobs_to_completion_exactly_once(jobs, demo):
    _, _, takes = demo
    queue = InProcessQueue()
    runner = JobRunner(jobs.sources())
    consumer = consumer_for(queue, runner, visibility_s=30, wait_s=0)
    jobs.add(script_job("d" * 32), takes["same_words"])
    queue.enqueue("d" * 32, {"kind": "script"})
    queue.enqueue("d" * 32, {"kind": "script"})      # delivered twice
    while consumer.run_once():
        pass
    assert [h[0] for h in jobs.history["d" * 32]].count("completed") == 1
    assert queue.status() == {"messages_available": "0", "messages_in_flight": "0"}
