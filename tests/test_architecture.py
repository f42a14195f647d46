"""House rule: only ui/ and app.py import Qt, so the core runs without a display and the server can
import the analysis engine. Checked on the source (every import statement) and at run time."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "yousync_desktop"
QT_MODULES = ("PySide6", "PyQt5", "PyQt6", "PySide2", "shiboken6", "pyqtgraph", "qtpy")


def _allowed(path: Path) -> bool:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] == "ui" or relative == Path("app.py")


def _qt_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found += [n for n in names if n.split(".")[0] in QT_MODULES]
    return found


def test_no_qt_imports_outside_ui_and_app():
    offenders = {str(p.relative_to(PACKAGE)): _qt_imports(p)
                 for p in PACKAGE.rglob("*.py") if not _allowed(p)}
    offenders = {k: v for k, v in offenders.items() if v}
    assert offenders == {}, f"Qt imported outside ui/ and app.py: {offenders}"


def test_the_check_itself_catches_an_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from PySide6.QtCore import QObject\nimport pyqtgraph as pg\n")
    assert _qt_imports(sample) == ["PySide6.QtCore", "pyqtgraph"]


def test_core_layers_load_without_qt():
    core = [f"yousync_desktop.{m}" for m in ("domain", "library", "library.scene_pack",
                                             "library.demo", "analysis", "audio", "practice",
                                             "practice.session", "practice.dub", "sync",
                                             "settings", "cli")]
    code = ("import sys\n"
            + "".join(f"import {m}\n" for m in core)
            + f"bad = [m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r}]\n"
            + "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True)
