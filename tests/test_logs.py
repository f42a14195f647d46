"""The log file: where it lives, what reaches it (uncaught exceptions on any thread, task failures
with their tracebacks), and the one line an exception without a code gets instead."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import tempfile
import threading

import pytest
from sqlalchemy import create_engine, text

from yousync_desktop import logs
from yousync_desktop.errors import CodedError
from yousync_desktop.library.db_errors import DatabaseError
from yousync_desktop.logs import (
    UnexpectedError, as_coded_error, install_excepthooks, log_file, setup_logging,
    technical_details,
)
from yousync_desktop.settings import AppPaths
from yousync_desktop.settings_schema import SettingsError
from yousync_desktop.tasks import ThreadedTaskManager


@pytest.fixture
def logged(tmp_path):
    """The log set up in a throwaway folder, as the app does it; taken down afterwards."""
    file = setup_logging(tmp_path / "logs")
    yield file
    logs.shutdown_logging()


def _text(file) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return file.read_text(encoding="utf-8")


def test_the_log_folder_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("YOUSYNC_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("YOUSYNC_LOG_DIR", raising=False)
    assert AppPaths.from_environment().log_dir == tmp_path / "data" / "logs"
    monkeypatch.setenv("YOUSYNC_LOG_DIR", str(tmp_path / "elsewhere"))
    assert AppPaths.from_environment().log_dir == tmp_path / "elsewhere"
    assert AppPaths(tmp_path / "d", tmp_path / "c").log_dir == tmp_path / "d" / "logs"


def test_the_log_is_a_rotating_file_in_the_folder(logged, tmp_path):
    assert logged == tmp_path / "logs" / "yousync.log" == log_file()
    handlers = [h for h in logging.getLogger().handlers
                if isinstance(h, logging.handlers.RotatingFileHandler)]
    assert len(handlers) == 1 and handlers[0].maxBytes > 0 and handlers[0].backupCount > 0
    logging.getLogger("yousync_desktop.anything").info("hello from a test")
    assert "hello from a test" in _text(logged)
    assert "YouSync Desktop" in _text(logged)  # each start says which version wrote what follows


def test_a_log_folder_that_cannot_be_made_falls_back_to_a_private_temporary_one(tmp_path,
                                                                                 monkeypatch):
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    (tmp_path / "in-the-way").write_text("a file where the log folder should be")
    try:
        file = setup_logging(tmp_path / "in-the-way" / "logs")
        assert file is not None and file.parent.parent == tmp_path / "tmp"
        assert file.parent.name.startswith("yousync-logs-")
    finally:
        logs.shutdown_logging()


def test_with_no_folder_at_all_warnings_go_to_stderr_in_one_line(tmp_path, monkeypatch, capsys):
    (tmp_path / "in-the-way").write_text("a file where the folders should be")
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path / "in-the-way"))
    try:
        assert setup_logging(tmp_path / "in-the-way" / "logs") is None and log_file() is None
        try:
            raise ValueError("broken")
        except ValueError as error:
            logs.log_unexpected(error)
        err = capsys.readouterr().err
        assert err == "yousync: ERROR: unexpected error: ValueError: broken\n"
    finally:
        logs.shutdown_logging()


def test_setting_up_the_same_folder_twice_keeps_one_handler(logged, tmp_path):
    assert setup_logging(tmp_path / "logs") == logged
    assert sum(isinstance(h, logging.handlers.RotatingFileHandler)
               for h in logging.getLogger().handlers) == 1


def test_an_uncaught_exception_goes_to_the_log_with_its_traceback(logged, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back afterwards
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    told = []
    install_excepthooks(on_unexpected=told.append)

    def buggy_slot():
        raise ValueError("a bug in a slot")

    try:
        buggy_slot()
    except ValueError as error:
        sys.excepthook(type(error), error, error.__traceback__)
    assert isinstance(told[0], ValueError)
    text = _text(logged)
    assert "uncaught exception" in text and "Traceback (most recent call last)" in text
    assert "buggy_slot" in text and "ValueError: a bug in a slot" in text


def test_an_exception_that_ends_a_thread_goes_to_the_log(logged, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    install_excepthooks()

    def worker():
        raise RuntimeError("the worker died")

    thread = threading.Thread(target=worker, name="doomed-worker")
    thread.start()
    thread.join()
    text = _text(logged)
    assert "uncaught exception in thread doomed-worker" in text
    assert "RuntimeError: the worker died" in text and "in worker" in text


def test_task_failures_reach_the_log_with_their_traceback(logged):
    manager = ThreadedTaskManager()
    seen = []

    def broken_import(_task):
        raise KeyError("manifest")

    try:
        manager.run(broken_import, label="nobody listens")
        manager.run(broken_import, on_failure=seen.append, label="shown to the learner")
        manager.wait_idle()
    finally:
        manager.shutdown()
    text = _text(logged)
    assert "background task failed" in text  # no callback: tasks._report_unhandled
    assert "task 'shown to the learner' failed" in text  # shown in one line: detail kept here
    assert text.count("in broken_import") == 2
    assert isinstance(seen[0], KeyError)


def test_an_exception_without_a_code_is_one_line_that_points_to_the_log(logged):
    error = ValueError("secret detail\nSELECT * FROM takes")
    line = as_coded_error(error)
    assert isinstance(line, UnexpectedError)
    assert str(line) == "Something went wrong (ValueError). Details are in the log."
    assert str(as_coded_error(error, name_log_file=True)) == (
        f"Something went wrong (ValueError). Details are in {logged}")
    coded = SettingsError("settings.unknown", name="x")
    assert as_coded_error(coded) is coded


def test_a_database_failure_is_said_without_its_sql(tmp_path):
    database = tmp_path / "library.sqlite3"
    database.write_bytes(b"this is not a database" * 100)
    engine = create_engine(f"sqlite:///{database}")
    with pytest.raises(Exception) as caught:
        with engine.connect() as connection:
            connection.execute(text("SELECT title FROM tokens WHERE id = :id"), {"id": 7})
    assert "SELECT" in str(caught.value)  # what SQLAlchemy would have put on the screen
    said = as_coded_error(caught.value)
    assert isinstance(said, DatabaseError) and said.code == "database.damaged"
    assert "SELECT" not in str(said) and "\n" not in str(said)
    assert said.__cause__ is caught.value  # the detail stays attached for the log


def test_the_technical_details_hold_type_text_traceback_and_log_path(logged):
    try:
        {}["track"]
    except KeyError as error:
        details = technical_details(error, context="Import failed")
    assert "Import failed" in details
    assert "builtins.KeyError: 'track'" in details
    assert "Traceback (most recent call last)" in details
    assert f"log: {logged}" in details


def test_the_technical_details_of_a_coded_error_name_its_code():
    details = technical_details(SettingsError("settings.unknown", name="x"))
    assert "code: settings.unknown" in details and "Traceback" not in details
    assert isinstance(SettingsError("settings.unknown", name="x"), CodedError)
