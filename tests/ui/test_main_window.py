"""The main window as a learner uses it: demo scenes on first start, searching, filtering, the detail
pane, import / export / delete, switching the language and a window that remembers its size."""

from __future__ import annotations

import re
import zipfile

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from yousync_desktop.settings import Settings

WAIT_MS = 60_000


def visible_titles(window) -> list[str]:
    return [scene.token_name for scene in window.browser.visible_scenes()]


def shown_scene(qtbot, window):
    """The selected scene once its lines are read (in the background; its title shows at once)."""
    qtbot.waitUntil(lambda: window.detail.scene() is not None, timeout=WAIT_MS)
    return window.detail.scene()


def clip_time(seconds: float) -> str:
    """m:ss.s written out independently of the code under test."""
    minutes, rest = divmod(round(seconds * 10), 600)
    return f"{minutes}:{rest // 10:02d}.{rest % 10}"


def type_search(qtbot, window, text: str) -> None:
    """Type as a learner would: key presses for Latin text, and for Hangul what a Korean input
    method sends (a commit string), since syllables are composed by the IME, not by keys."""
    box = window.browser.search_box
    box.clear()
    if text.isascii():
        qtbot.keyClicks(box, text)
    else:
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(box, event)
    assert box.text() == text


# --- first start ---------------------------------------------------------------------------------

def test_first_start_installs_the_demo_scenes_in_the_background(windows, qtbot, app_paths,
                                                                demo_tokens):
    window = windows.open(wait_until_idle=False)
    # The window is up before the import is done, and says what it is doing.
    assert window.is_busy()
    assert window.busy_label.text() == "Installing demo scenes…"
    assert window.busy_bar.isVisibleTo(window)

    qtbot.waitUntil(lambda: window.browser.scene_model.rowCount() == 3, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=WAIT_MS)
    assert sorted(visible_titles(window)) == sorted(t["token_name"] for t in demo_tokens)
    assert not window.busy_bar.isVisibleTo(window)
    assert Settings.load(app_paths).demo_scenes_installed


def test_demo_scenes_are_not_installed_twice(windows, app_paths):
    first = windows.open()
    windows.close(first)
    again = windows.open(wait_until_idle=False)
    assert not again.is_busy()
    assert again.browser.scene_model.rowCount() == 3


def test_cards_show_actor_category_length_and_line_count(window, demo_tokens):
    by_title = {s.token_name: s for s in window.browser.scene_model.scenes()}
    for token in demo_tokens:
        scene = by_title[token["token_name"]]
        assert scene.actor_name == token["actor_name"]
        assert scene.category == token["category"]
        assert scene.line_count == len(token["scripts"])
        row = window.browser.scene_model.row_for_key(scene.key)
        summary = window.browser.scene_model.index(row).data(Qt.ItemDataRole.ToolTipRole)
        assert f"{len(token['scripts'])} lines" in summary
        assert re.search(r"\b\d+:\d\d\b", summary)


# --- search and filter ---------------------------------------------------------------------------

def test_search_by_actor_is_live_and_case_insensitive(window, qtbot, demo_tokens):
    for token in demo_tokens:
        type_search(qtbot, window, token["actor_name"].lower())
        assert visible_titles(window) == [token["token_name"]]
        # The detail pane follows: it never shows a scene the list hides.
        assert window.detail.title.text() == token["token_name"]
        assert shown_scene(qtbot, window).token.token_name == token["token_name"]


def test_search_by_korean_title_fragment(window, qtbot, demo_tokens):
    title = demo_tokens[0]["token_name"]
    fragment = max(title.split(), key=len)  # a Hangul word of the title
    expected = sorted(t["token_name"] for t in demo_tokens if fragment in t["token_name"])
    type_search(qtbot, window, fragment)
    assert sorted(visible_titles(window)) == expected
    assert title in expected and len(expected) < 3


def test_a_search_without_matches_says_so(window, qtbot):
    type_search(qtbot, window, "zzz no such scene")
    assert visible_titles(window) == []
    assert window.browser.empty_label.isVisibleTo(window)
    assert window.browser.empty_label.text() == "No scene matches"
    assert window.detail.scene() is None
    assert not window.export_action.isEnabled() and not window.delete_action.isEnabled()

    window.browser.search_box.clear()
    assert len(visible_titles(window)) == 3
    assert not window.browser.empty_label.isVisibleTo(window)


def test_category_filter(window, demo_tokens):
    box = window.browser.category_box
    categories = [box.itemText(i) for i in range(1, box.count())]
    assert box.itemText(0) == "All categories"
    assert categories == sorted({t["category"] for t in demo_tokens})

    for category in categories:
        box.setCurrentIndex(box.findData(category))
        expected = sorted(t["token_name"] for t in demo_tokens if t["category"] == category)
        assert sorted(visible_titles(window)) == expected
    box.setCurrentIndex(0)
    assert len(visible_titles(window)) == 3


def test_search_and_category_combine(window, qtbot, demo_tokens):
    token = demo_tokens[0]
    other_category = next(t["category"] for t in demo_tokens if t["category"] != token["category"])
    window.browser.category_box.setCurrentIndex(window.browser.category_box.findData(other_category))
    type_search(qtbot, window, token["actor_name"])
    assert visible_titles(window) == []


# --- the detail pane -----------------------------------------------------------------------------

def test_selecting_a_scene_shows_its_lines_with_clip_times_and_translations(window, qtbot,
                                                                          demo_tokens):
    for token in demo_tokens:
        key = next(s.key for s in window.browser.scene_model.scenes()
                   if s.token_name == token["token_name"])
        assert window.browser.select_scene(key)
        assert window.detail.title.text() == token["token_name"]
        assert window.detail.actor.text() == token["actor_name"]
        assert window.detail.category.text() == token["category"]
        assert not window.detail.thumbnail.pixmap().isNull()

        assert shown_scene(qtbot, window).key == key
        model = window.detail.lines_model
        table = [[model.index(row, column).data() for column in range(3)]
                 for row in range(model.rowCount())]
        expected = [[clip_time(s["start_time"] - token["start_time"]), s["script"],
                     s["translation"] or ""] for s in token["scripts"]]
        assert table == expected
        assert expected[0][0] != clip_time(token["scripts"][0]["start_time"])  # really relative


def test_the_empty_library_explains_how_to_add_scenes(windows, app_paths):
    settings = Settings.load(app_paths)
    settings.demo_scenes_installed = True  # as if the learner had deleted them all
    settings.save(app_paths)
    window = windows.open()
    assert window.browser.scene_model.rowCount() == 0
    assert window.browser.empty_label.isVisibleTo(window)
    assert window.browser.empty_label.text() == "No scenes yet — File ▸ Import scene pack…"
    assert window.detail.scene() is None


# --- import, export, delete ----------------------------------------------------------------------

def test_import_export_delete_round_trip(window, qtbot, tmp_path, monkeypatch):
    scene = shown_scene(qtbot, window)
    title = scene.token.token_name
    pack = tmp_path / "exported.yspack"

    window.export_scene(scene.key, title, pack)
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=WAIT_MS)
    with zipfile.ZipFile(pack) as archive:
        assert "manifest.json" in archive.namelist()

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    window.confirm_and_delete_scene()
    assert title in visible_titles(window)

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.confirm_and_delete_scene()
    qtbot.waitUntil(lambda: title not in visible_titles(window), timeout=WAIT_MS)
    assert len(window.library.list_scenes()) == 2
    assert shown_scene(qtbot, window).token.token_name != title

    window.import_pack(pack)
    assert window.busy_label.text() == "Importing exported.yspack…"
    # The list shows the scene as soon as the library says it was added; the import's own
    # outcome (select it, say so) follows when the task has delivered it.
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=WAIT_MS)
    assert title in visible_titles(window)
    assert window.detail.title.text() == title  # the imported scene is selected
    assert shown_scene(qtbot, window).token.token_name == title
    assert window.statusBar().currentMessage() == f"Imported “{title}”"


def test_a_broken_pack_is_refused_with_a_message(window, qtbot, tmp_path):
    bad = tmp_path / "broken.yspack"
    bad.write_bytes(b"this is not a zip archive")
    window.import_pack(bad)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox) is not None, timeout=WAIT_MS)
    box = window.findChild(QMessageBox)
    assert box.text() == "Could not import broken.yspack."
    assert "not a scene pack" in box.informativeText()
    assert "\n" not in box.informativeText()
    box.close()
    assert window.browser.scene_model.rowCount() == 3


# --- keyboard, language, window layout -----------------------------------------------------------

def test_ctrl_f_focuses_the_search_box(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.detail.lines_table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.browser.search_box.hasFocus())


def test_switching_to_korean_retranslates_the_open_window(window, qtbot, app_paths):
    window.open_preferences()
    dialog = window.preferences_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.language_box.setCurrentIndex(dialog.language_box.findData("ko"))
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    qtbot.waitUntil(lambda: window.file_menu.title() == "파일(&F)")
    assert window.import_action.text() == "장면 팩 가져오기(&I)…"
    assert window.browser.search_box.placeholderText() == "제목 또는 배우 검색"
    assert window.browser.category_box.itemText(0) == "모든 장르"
    assert window.detail.lines_model.headerData(0, Qt.Orientation.Horizontal) == "시간"
    lines = len(shown_scene(qtbot, window).token.scripts)
    assert window.detail.facts.text().endswith(f"대사 {lines}개")
    assert Settings.load(app_paths).language == "ko"

    window.set_language("en")
    qtbot.waitUntil(lambda: window.file_menu.title() == "&File")
    assert window.browser.category_box.itemText(0) == "All categories"
    assert Settings.load(app_paths).language == "en"


def test_the_saved_language_is_used_at_the_next_start(windows, qtbot, app_paths):
    settings = Settings.load(app_paths)
    settings.language = "ko"
    settings.save(app_paths)
    window = windows.open()
    assert window.help_menu.title() == "도움말(&H)"
    assert window.ui_language.current == "ko"


def test_window_size_is_remembered(windows, qtbot):
    # Smaller than the offscreen platform's 800x600 screen: restoreGeometry() fits windows to it.
    size = (700, 520)
    first = windows.open()
    assert (first.width(), first.height()) != size
    first.resize(*size)
    qtbot.waitUntil(lambda: (first.width(), first.height()) == size)
    windows.close(first)

    second = windows.open()
    assert (second.width(), second.height()) == size


@pytest.mark.parametrize("language, file_menu", [("en", "&File"), ("ko", "파일(&F)")])
def test_render_screenshot(app_paths, tmp_path, qapp, language, file_menu, monkeypatch):
    from PySide6.QtGui import QImage

    from yousync_desktop import app
    from yousync_desktop.ui.main_window import MainWindow

    grabbed = {}
    original_grab = MainWindow.grab

    def grab_and_inspect(window, *args):
        grabbed["file_menu"] = window.file_menu.title()
        grabbed["lines"] = window.detail.lines_model.rowCount()
        return original_grab(window, *args)

    monkeypatch.setattr(MainWindow, "grab", grab_and_inspect)
    out = app.render_screenshot(tmp_path / "shot.png", language=language, width=1000, height=700,
                                scene_index=1)
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1000, 700)
    assert len({image.pixel(x, y) for x in range(0, 1000, 25) for y in range(0, 700, 25)}) > 50
    assert grabbed["file_menu"] == file_menu and grabbed["lines"] >= 3
    # A scratch library: the user's folders (here the test's) are never touched, and the language
    # used for the shot does not stay installed.
    assert not app_paths.data_dir.exists() and not app_paths.settings_file.exists()
    assert QApplication.instance().translate("MainWindow", "&File") == "&File"
