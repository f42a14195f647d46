"""Faults seen from the command line: a command failing in a way nobody foresaw prints one English
line and exits non-zero, never a traceback or SQL; the traceback goes to the log file (and to the
terminal only with --debug or YOUSYNC_DEBUG=1)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from yousync_desktop import cli, logs


def yousync(*args, env_extra=None):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "yousync_desktop", *args], capture_output=True,
                          text=True, env=env, timeout=120)


@pytest.fixture
def log_file_of(app_paths):
    """The log file the command writes (the data folder is redirected: <data>/logs)."""
    yield app_paths.log_dir / logs.LOG_FILE_NAME
    logs.shutdown_logging()  # in-process runs of cli.main set it up


def _boom(_args):
    raise ZeroDivisionError("division by zero deep inside a command")


def test_an_unexpected_exception_is_one_line_and_exit_1(app_paths, log_file_of, monkeypatch,
                                                       capsys):
    monkeypatch.setattr(cli, "cmd_list", _boom)
    monkeypatch.delenv("YOUSYNC_DEBUG", raising=False)
    assert cli.main(["list"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ("yousync: error: Something went wrong (ZeroDivisionError). Details "
                            f"are in {log_file_of}\n")
    logged = log_file_of.read_text(encoding="utf-8")
    assert "yousync list failed" in logged and "Traceback (most recent call last)" in logged
    assert "division by zero deep inside a command" in logged and "in _boom" in logged


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_debug_also_prints_the_traceback(app_paths, log_file_of, monkeypatch, capsys, how):
    monkeypatch.setattr(cli, "cmd_list", _boom)
    if how == "flag":
        monkeypatch.delenv("YOUSYNC_DEBUG", raising=False)
        argv = ["--debug", "list"]
    else:
        monkeypatch.setenv("YOUSYNC_DEBUG", "1")
        argv = ["list"]
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("yousync: error: Something went wrong (ZeroDivisionError).")
    assert "Traceback (most recent call last)" in err and "in _boom" in err


def test_a_database_that_cannot_be_opened_is_one_line_without_sql(app_paths, log_file_of):
    """A real fault in a real process: where the library's database should be, a folder."""
    app_paths.database.mkdir(parents=True)
    result = yousync("list")
    assert result.returncode != 0
    assert result.stderr.startswith("yousync: error: ") and result.stderr.count("\n") == 1
    for detail in ("Traceback", "SQL", "sqlite3.", "sqlalchemy"):
        assert detail not in result.stderr, result.stderr
    # Opening the library names this case before SQLite is asked (library/opening.py), so
    # there is no exception underneath to log: the log has the same line, and no SQL either.
    logged = log_file_of.read_text(encoding="utf-8")
    assert "is a folder, not a file" in logged and "OperationalError" not in logged


def test_a_damaged_database_is_one_line_without_sql(app_paths, log_file_of):
    app_paths.data_dir.mkdir(parents=True)
    app_paths.database.write_bytes(b"this is not an SQLite database. " * 256)
    result = yousync("list")
    assert result.returncode != 0
    assert result.stderr.startswith("yousync: error: ") and result.stderr.count("\n") == 1
    for detail in ("Traceback", "SQL", "sqlite3.", "sqlalchemy"):
        assert detail not in result.stderr, result.stderr
    logged = log_file_of.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged and "file is not a database" in logged


def test_a_refusal_the_command_foresaw_still_reads_as_before(app_paths, tmp_path):
    # The catch-all in main does not change what the commands themselves say.
    result = yousync("export-pack", "no-such-scene", str(tmp_path / "x.yspack"))
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "no scene 'no-such-scene'" in result.stderr
