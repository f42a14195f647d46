"""The app's look: one accent colour, a font that has Hangul, and resources/style.qss."""

from __future__ import annotations

import sys

from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from yousync_desktop.settings import resources_dir

ACCENT_COLOR = "#5B4BDB"

# First available wins; the rest are fallbacks for glyphs the first one lacks (Hangul above all).
# Windows and macOS system fonts already fall back to Malgun Gothic / Apple SD Gothic Neo, but a
# bare Linux desktop (or Qt's offscreen platform) may pick a font with no Hangul at all.
_UI_FAMILIES = {
    "linux": ["Noto Sans", "Noto Sans CJK KR", "NanumGothic", "UnDotum", "Baekmuk Gulim",
              "DejaVu Sans"],
    "win32": ["Segoe UI", "Malgun Gothic"],
    "darwin": [".AppleSystemUIFont", "Apple SD Gothic Neo"],
}


def app_icon() -> QIcon:
    return QIcon(str(resources_dir() / "icons" / "yousync.svg"))


def ui_font_families(platform: str = sys.platform) -> list[str]:
    wanted = _UI_FAMILIES.get(platform, _UI_FAMILIES["linux"])
    available = set(QFontDatabase.families())
    return [family for family in wanted if family in available]


def apply_style(app: QApplication) -> None:
    families = ui_font_families()
    if families:
        font = QFont(app.font())
        font.setFamilies(families)
        if sys.platform.startswith("linux") and font.pointSizeF() < 10:
            font.setPointSizeF(10)  # Hangul is hard to read at the 9 pt Qt picks on bare Linux
        app.setFont(font)
    style_sheet = resources_dir() / "style.qss"
    if style_sheet.is_file():
        app.setStyleSheet(style_sheet.read_text(encoding="utf-8").replace("@accent", ACCENT_COLOR))
