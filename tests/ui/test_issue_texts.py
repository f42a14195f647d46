"""The score's issues in the learner's language: every issue the quick score can raise has a
template in the UI with the same sentence and placeholders, and a Korean one."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil

import numpy as np

import yousync_desktop.analysis.scoring as scoring_package
import yousync_desktop.analysis.take_quality as take_quality_module
from yousync_desktop.analysis.quick_score import quick_score
from yousync_desktop.domain import Score, ScoreIssue, Script, Word
from yousync_desktop.ui.i18n import UiLanguage
from yousync_desktop.ui.practice.issue_texts import IssueTexts
from yousync_desktop.ui.practice.score_panel import ScorePanel


def issues_in_quick_score() -> dict[str, set[str]]:
    """code → the English sentences the quick score gives it, read from the `issue(...)` calls in
    every module of analysis/scoring/ and in take_quality.py."""
    scoring_modules = [importlib.import_module(f"{scoring_package.__name__}.{info.name}")
                       for info in pkgutil.iter_modules(scoring_package.__path__)]
    found: dict[str, set[str]] = {}
    for module in (*scoring_modules, take_quality_module):
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "issue":
                code, english = (ast.literal_eval(arg) for arg in node.args[:2])
                found.setdefault(code, set()).add(english)
    return found


def test_every_issue_of_the_quick_score_has_the_same_sentence_in_the_ui(qapp):
    raised = issues_in_quick_score()
    assert len(raised) >= 20
    templates = IssueTexts()._templates()
    for code, sentences in raised.items():
        assert code in templates, code
        # One sentence per code; "unreadable" has two wordings of the same problem.
        assert templates[code] in sentences, (code, templates[code], sentences)
    assert set(templates) == set(raised)


def test_a_real_score_reads_in_korean(qapp):
    rate = 16000
    words = [Word(id=1, script_id=1, word="hello", start_time=10.2, end_time=10.6)]
    script = Script(id=1, token_id=1, start_time=10.2, end_time=10.6, script="hello",
                    words=words)
    silence = np.zeros(rate, dtype=np.float32)
    t = np.arange(rate) / rate
    actor = (0.3 * np.sin(2 * np.pi * 180 * t) * (np.abs(t - 0.4) < 0.2)).astype(np.float32)
    score = quick_score(silence, rate, actor, rate, script, window_start=10.0).score
    [issue] = score.issue_details
    assert issue.code == "silent" and score.issues == [issue.text]
    assert Score.from_json(score.to_json()).issue_details == score.issue_details

    panel = ScorePanel()
    language = UiLanguage(qapp)
    try:
        language.apply("ko")
        panel.show_score(score)
        assert panel.issues.text() == "• 목소리가 녹음되지 않았습니다. 테이크가 무음이에요. 마이크를 확인하세요."
        late = ScoreIssue("started_late", "You started 0.42 s late.", {"seconds": 0.42})
        panel.show_score(Score(overall_score=0.5, issues=[late.text], issue_details=[late]))
        assert panel.issues.text() == "• 0.42초 늦게 시작했어요."
        # A server's sentences carry no codes: shown as sent.
        panel.show_score(Score(overall_score=0.5, issues=["Speak louder."], source="server"))
        assert panel.issues.text() == "• Speak louder."
    finally:
        language.uninstall()
    panel.show_score(Score(overall_score=0.5, issues=[late.text], issue_details=[late]))
    assert panel.issues.text() == "• You started 0.42 s late."
