"""House rule: only ui/ and app.py import Qt, so the core runs without a display and the server can
import the analysis engine. The server package (yousync_server) is held to the same rule as a
whole: it may import the desktop's core, never Qt, and never the desktop's ui/ or app.py.

Checked two ways on every module of the package: statically (each import statement anywhere in a
core file, and the module-level imports of other package modules followed transitively, so a core
module cannot reach Qt through ui/ or app.py) and at run time (every core module imported in a
fresh interpreter, which then must hold no Qt module, whatever third-party library it went
through). The one exception is the command line's entry point, which starts the app inside the
function that handles `yousync` with no subcommand. Both checks are run once on a copy of the package with a planted violation, to show they
fail when they should.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "yousync_desktop"
PACKAGE_NAME = "yousync_desktop"
SERVER = PACKAGE.parent / "yousync_server"
QT_MODULES = ("PySide6", "PyQt5", "PyQt6", "PySide2", "shiboken6", "pyqtgraph", "qtpy")
# (module, what it may import inside a function): the CLI starts the GUI app on demand.
DEFERRED_ENTRY_POINTS = {("yousync_desktop.cli", "yousync_desktop.app")}


def _module_name(package: Path, path: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_qt_side(package: Path, path: Path) -> bool:
    relative = path.relative_to(package)
    return relative.parts[0] == "ui" or relative == Path("app.py")


def _modules(package: Path) -> dict[str, Path]:
    """Every module but `__main__` (importing it runs the app) and Alembic's migration scripts
    (run by Alembic, not imported)."""
    return {_module_name(package, p): p for p in package.rglob("*.py")
            if p.name != "__main__.py" and "migrations" not in p.relative_to(package).parts}


def _walk_module_level(tree: ast.AST):
    """The nodes that run when the module is imported (not inside functions)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                stack.append(child)


def _imports(path: Path, module: str, *, module_level_only: bool = False) -> list[str]:
    """Every module named by an import statement in the file (relative ones resolved)."""
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in (_walk_module_level(tree) if module_level_only else ast.walk(tree)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[:len(base) - node.level + (1 if is_package else 0)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append(target)
            found += [f"{target}.{alias.name}" for alias in node.names]
    return found


def static_violations(package: Path, server: Path | None = None) -> dict[str, list[str]]:
    """Core modules that import Qt, or reach ui/ or app.py (hence Qt) through the package. With
    `server`, the server's modules instead, followed into the desktop package they import."""
    modules = _modules(package)
    qt_side = {name for name, path in modules.items() if _is_qt_side(package, path)}
    checked = None
    if server is not None:
        checked = _modules(server)
        modules = {**modules, **checked}
    graph = {name: _imports(path, name, module_level_only=True)
             for name, path in modules.items()}
    violations: dict[str, list[str]] = {}
    for name, path in (checked or modules).items():
        if checked is None and _is_qt_side(package, path):
            continue
        bad = [f"{name} imports {imported}" for imported in _imports(path, name)
               if imported.split(".")[0] in QT_MODULES
               or (imported in qt_side and (name, imported) not in DEFERRED_ENTRY_POINTS)]
        seen, stack = {name}, [name]
        while stack:
            current = stack.pop()
            for imported in graph.get(current, []):
                if imported.split(".")[0] in QT_MODULES:
                    bad.append(f"{current} imports {imported}")
                elif imported in qt_side:
                    bad.append(f"{current} imports {imported}")
                elif imported in modules and imported not in seen:
                    seen.add(imported)
                    stack.append(imported)
        if bad:
            violations[name] = sorted(set(bad))
    return violations


def runtime_violations(package: Path, *, whole: bool = False) -> str:
    """Import every core module (`whole`: every module) in a fresh interpreter; '' when no Qt
    module got loaded."""
    core = sorted(name for name, path in _modules(package).items()
                  if (whole or not _is_qt_side(package, path)) and "migrations" not in name)
    code = ("import importlib, sys\n"
            f"for name in {core!r}:\n"
            "    importlib.import_module(name)\n"
            f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r})\n"
            "print(' '.join(bad))\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=package.parent,
                            capture_output=True, text=True, timeout=300,
                            env={"PYTHONPATH": str(package.parent), "PATH": "/usr/bin:/bin",
                                 "PYTHONNOUSERSITE": "1"})
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip()


def test_no_core_module_reaches_qt_by_its_imports():
    assert static_violations(PACKAGE) == {}


def test_every_core_module_loads_without_qt():
    assert runtime_violations(PACKAGE) == ""


def test_the_checks_catch_a_core_module_that_imports_qt(tmp_path):
    copy = tmp_path / PACKAGE_NAME
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    # Directly: a library module imports PySide6.
    direct = copy / "library" / "thumbnails.py"
    direct.write_text("from PySide6.QtGui import QImage\n")
    # Indirectly: a domain module imports a ui module (which imports Qt).
    indirect = copy / "domain" / "colours.py"
    indirect.write_text("from yousync_desktop.ui.style import app_icon\n")

    # Inside a function: still a core module reaching for the UI.
    deferred = copy / "practice" / "nag.py"
    deferred.write_text("def nag():\n    from yousync_desktop.ui.main_window import MainWindow\n")

    violations = static_violations(copy)
    assert violations[f"{PACKAGE_NAME}.practice.nag"] == [
        f"{PACKAGE_NAME}.practice.nag imports {PACKAGE_NAME}.ui.main_window"]
    assert f"{PACKAGE_NAME}.library.thumbnails" in violations
    assert violations[f"{PACKAGE_NAME}.domain.colours"] == [
        f"{PACKAGE_NAME}.domain.colours imports {PACKAGE_NAME}.ui.style"]
    assert "PySide6" in runtime_violations(copy).split()


def test_the_walk_covers_every_module():
    names = set(_modules(PACKAGE))
    # A few that a package-level import would never load on its own.
    for expected in ("yousync_desktop.practice.session", "yousync_desktop.audio.duplex_engine",
                     "yousync_desktop.library.scene_pack", "yousync_desktop.services",
                     "yousync_desktop.tasks", "yousync_desktop.cli"):
        assert expected in names


def test_the_server_never_reaches_qt():
    assert static_violations(PACKAGE, server=SERVER) == {}
    assert runtime_violations(SERVER, whole=True) == ""


def test_the_server_check_catches_a_server_module_that_reaches_the_desktop_ui(tmp_path):
    copy = tmp_path / "yousync_server"
    shutil.copytree(SERVER, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "services" / "preview.py").write_text(
        "from yousync_desktop.ui.main_window import MainWindow\n")
    violations = static_violations(PACKAGE, server=copy)
    assert violations == {"yousync_server.services.preview": [
        "yousync_server.services.preview imports yousync_desktop.ui.main_window"]}


def test_the_shared_contract_is_pydantic_only():
    """Both sides import sync/contract.py (with its job shapes, contract_jobs.py): they must not
    drag in the server's or the UI's world — only each other."""
    modules = {"yousync_desktop.sync.contract", "yousync_desktop.sync.contract_jobs"}
    for module in modules:
        path = PACKAGE / "sync" / f"{module.rsplit('.', 1)[1]}.py"
        imported = {name for name in _imports(path, module)
                    if not name.startswith(tuple(modules))}
        assert {name.split(".")[0] for name in imported} <= {
            "__future__", "datetime", "typing", "pydantic"}, (module, imported)
