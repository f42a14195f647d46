"""Choosing the UI language, the Korean catalogue being complete, and fonts that have Hangul."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtGui import QFontDatabase, QFontMetrics

from yousync_desktop.settings import resources_dir
from yousync_desktop.ui.formatting import format_clip_time, format_duration, search_key
from yousync_desktop.ui.i18n import UiLanguage, effective_language


@pytest.mark.parametrize("setting, system, expected", [
    ("system", QLocale("ko_KR"), "ko"),
    ("system", QLocale("en_US"), "en"),
    ("system", QLocale("ja_JP"), "en"),
    ("ko", QLocale("en_US"), "ko"),
    ("en", QLocale("ko_KR"), "en"),
])
def test_effective_language(setting, system, expected):
    assert effective_language(setting, system) == expected


def test_every_string_has_a_korean_translation():
    tree = ET.parse(resources_dir() / "translations" / "yousync_ko.ts")
    messages = list(tree.getroot().iter("message"))
    assert len(messages) > 40
    unfinished = [m.find("source").text for m in messages
                  if m.find("translation").get("type") in ("unfinished", "vanished", "obsolete")
                  or not (m.find("translation").text or "").strip()]
    assert unfinished == []


def test_korean_translator_installs_and_uninstalls(qapp):
    language = UiLanguage(qapp)
    assert language.apply("ko") == "ko"
    assert QCoreApplication.translate("SceneBrowser", "All categories") == "모든 장르"
    # Qt's own strings (standard buttons) come along.
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "취소"
    language.uninstall()
    assert QCoreApplication.translate("SceneBrowser", "All categories") == "All categories"


def test_the_app_font_has_hangul(qapp):
    from yousync_desktop.ui.style import apply_style

    if not any("CJK KR" in f or "Nanum" in f for f in QFontDatabase.families()):
        pytest.skip("no Hangul font installed on this machine")
    apply_style(qapp)
    assert QFontMetrics(qapp.font()).inFontUcs4(ord("한"))
    assert QFontMetrics(qapp.font()).inFontUcs4(ord("A"))


def test_time_formats():
    assert format_duration(12.5) == "0:12"  # round half to even: 12.5 -> 12
    assert format_duration(12.6) == "0:13"
    assert format_duration(125) == "2:05"
    assert format_clip_time(1.0) == "0:01.0"
    assert format_clip_time(62.04) == "1:02.0"
    assert format_clip_time(59.96) == "1:00.0"


def test_search_key_folds_case_and_hangul_composition():
    decomposed = "\u1112\u1161\u11ab"  # 한 as jamo
    assert search_key(decomposed) == "한"
    assert search_key(" Mina PARK ") == "mina park"
