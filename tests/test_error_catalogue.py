"""Errors are data (docs/architecture.md): every code a learner may see has a finished Korean
sentence with the same placeholders, and every coded error the package builds names a code its
class declares, checked on the source so a typo fails here rather than in front of a user."""

from __future__ import annotations

import ast
import importlib
import pickle
import string
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import yousync_desktop
from yousync_desktop import errors
from yousync_desktop.settings import resources_dir

PACKAGE = Path(yousync_desktop.__file__).resolve().parent
# Not imported: the Qt shell (its words live in the .ts by other means), the entry point that runs
# the CLI when imported, and Alembic's scripts, which run migrations when imported.
NOT_IMPORTED = ("ui", "app.py", "__main__.py", "library/migrations")


def _core_modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if any(relative.as_posix() == skip or relative.as_posix().startswith(skip + "/")
               for skip in NOT_IMPORTED):
            continue
        parts = relative.with_suffix("").parts
        parts = parts[:-1] if parts[-1] == "__init__" else parts
        names.append(".".join(("yousync_desktop", *parts)))
    return names


def _error_classes() -> list[type[errors.CodedError]]:
    for name in _core_modules():
        importlib.import_module(name)
    return sorted(errors.all_error_classes(), key=lambda cls: (cls.__module__, cls.__qualname__))


ERROR_CLASSES = _error_classes()
CODES = [(cls, code) for cls in ERROR_CLASSES for code in cls.messages]


def _korean_errors() -> dict[str, ET.Element]:
    tree = ET.parse(resources_dir() / "translations" / "yousync_ko.ts")
    return {message.find("source").text: message.find("translation")
            for context in tree.getroot().iter("context")
            if context.findtext("name") == errors.ERRORS_CONTEXT
            for message in context.iter("message")}


def _fields(template: str) -> set[tuple[str, str, str | None]]:
    """Each placeholder with its format spec and conversion ("{duration:.1f}", "{name!r}")."""
    return {(field, spec, conversion)
            for _text, field, spec, conversion in string.Formatter().parse(template)
            if field is not None}


# --- the Korean catalogue ------------------------------------------------------------------------

def test_the_whole_package_was_searched():
    found = {cls.__name__ for cls in ERROR_CLASSES}
    assert {"DomainError", "AudioFileError", "MediaError", "LibraryError", "PackError",
            "DubError", "PracticeError"} <= found
    # A base that is only there to be caught (AudioError) declares no codes of its own; every
    # class that can be raised does.
    raisable = [cls for cls in ERROR_CLASSES if not cls.__subclasses__()]
    assert all(cls.messages for cls in raisable), "a coded error class without messages"
    assert {"AudioDeviceError", "CalibrationError", "PlaybackFileError"} <= found


@pytest.mark.parametrize("cls, code", CODES,
                         ids=[f"{cls.__name__}-{code}" for cls, code in CODES])
def test_every_code_has_a_finished_korean_sentence(cls, code):
    template = cls.messages[code]
    translation = _korean_errors().get(template)
    assert translation is not None, (
        f"{cls.__name__} {code!r}: {template!r} is not in yousync_ko.ts (context "
        f"{errors.ERRORS_CONTEXT!r}); run tools/update_translations.sh and translate it")
    korean = (translation.text or "").strip()
    assert korean and translation.get("type") is None, f"{code!r} is not translated yet"
    assert errors.placeholders(korean) == errors.placeholders(template), code
    # Same format specs and conversions too, so a duration or a quoted name looks the same.
    assert _fields(korean) == _fields(template), code


# --- codes in the source -------------------------------------------------------------------------

FOREIGN_MODULES = {"sqlite3", "sqlalchemy", "exc", "os", "zipfile", "json", "soundfile"}


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        base = call.func.value
        # sqlite3.DatabaseError and the like are other libraries' classes of the same name.
        if isinstance(base, ast.Name) and base.id in FOREIGN_MODULES:
            return None
        return call.func.attr
    return None


def code_problems(source: str, where: str, classes: list[type[errors.CodedError]]) -> list[str]:
    """Every call of a coded error class in `source` (raised, or built to be carried as a cause)
    whose first argument is not a string literal naming a code of that class; and every
    `messages` entry not marked with QT_TRANSLATE_NOOP("errors", "<literal>"), which
    tools/update_translations.sh would not find."""
    by_name: dict[str, list[type[errors.CodedError]]] = {}
    for cls in classes:
        by_name.setdefault(cls.__name__, []).append(cls)
    problems = []
    for node in ast.walk(ast.parse(source, where)):
        if isinstance(node, ast.ClassDef) and node.name in by_name:
            problems += _catalogue_problems(node, where)
        if not isinstance(node, ast.Call) or _called_name(node) not in by_name:
            continue
        name = _called_name(node)
        at = f"{where}:{node.lineno} {name}"
        candidates = by_name[name]
        if len(candidates) > 1:
            problems.append(f"{at}: more than one coded error class is called {name}")
            continue
        first = node.args[0] if node.args else None
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            problems.append(f"{at}: the code must be a string literal")
        elif first.value not in candidates[0].messages:
            problems.append(f"{at}: {first.value!r} is not one of its codes")
    return problems


def _catalogue_problems(node: ast.ClassDef, where: str) -> list[str]:
    problems = []
    for statement in node.body:
        targets = (statement.targets if isinstance(statement, ast.Assign)
                   else [statement.target] if isinstance(statement, ast.AnnAssign) else [])
        if not any(isinstance(t, ast.Name) and t.id == "messages" for t in targets):
            continue
        if not isinstance(statement.value, ast.Dict):
            problems.append(f"{where}:{statement.lineno} {node.name}.messages is not a dict")
            continue
        for value in statement.value.values:
            marked = (isinstance(value, ast.Call) and _called_name(value) == "QT_TRANSLATE_NOOP"
                      and len(value.args) == 2
                      and all(isinstance(a, ast.Constant) and isinstance(a.value, str)
                              for a in value.args)
                      and value.args[0].value == errors.ERRORS_CONTEXT)
            if not marked:
                problems.append(f"{where}:{value.lineno} {node.name}.messages: a template not "
                                f"marked QT_TRANSLATE_NOOP({errors.ERRORS_CONTEXT!r}, \"...\")")
    return problems


def test_every_coded_error_in_the_package_names_a_declared_code():
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        problems += code_problems(path.read_text(encoding="utf-8"),
                                  str(path.relative_to(PACKAGE)), ERROR_CLASSES)
    assert problems == []


def test_the_code_check_itself_catches_mistakes():
    # A stand-in, not a CodedError subclass, so it never joins errors.all_error_classes().
    sample_error = type("SampleError", (), {"messages": {"sample.known": "known {x}"}})

    source = '''
class SampleError(CodedError):
    messages = {"sample.known": QT_TRANSLATE_NOOP("errors", "known {x}"),
                "sample.bare": "not marked"}

raise SampleError("sample.known", x=1)
raise SampleError("sample.knwon", x=1)
raise module.SampleError(f"sample.{kind}")
outcome = Outcome(error=SampleError("sample.missing"))
raise ValueError("not coded, not checked")
'''
    problems = code_problems(source, "sample.py", [sample_error])
    assert len(problems) == 4, problems
    assert "sample.py:4 SampleError.messages: a template not marked" in problems[0]
    assert problems[1:] == ["sample.py:7 SampleError: 'sample.knwon' is not one of its codes",
                            "sample.py:8 SampleError: the code must be a string literal",
                            "sample.py:9 SampleError: 'sample.missing' is not one of its codes"]


# --- nested errors -------------------------------------------------------------------------------

def test_a_nested_cause_reads_in_the_english_sentence_and_survives_pickling():
    from yousync_desktop.library.media_probe import MediaError
    from yousync_desktop.library.scene_pack import PackError

    cause = MediaError("media.bad_video_size", name="clip.mp4", width=4, height=3)
    error = PackError("pack.bad_media", reason=cause)
    assert str(error) == "clip.mp4: implausible video size 4x3"
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, str(copy), copy.params["reason"].code) == (
        "pack.bad_media", str(error), "media.bad_video_size")
