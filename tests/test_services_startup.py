"""AppServices at start: it holds the library's lock for its whole life, does its start-up writes
(daily backup, tidying, crash recovery) only under it, and lets go when closed."""

from __future__ import annotations

import pytest

from yousync_desktop.library import LibraryOpenError
from yousync_desktop.library.backups import list_backups
from yousync_desktop.library.locks import LibraryLock
from yousync_desktop.services import AppServices


def test_the_lock_is_held_for_the_life_of_the_services(app_paths):
    services = AppServices.build(app_paths)
    try:
        assert services.owns_library and not services.read_only
        assert not LibraryLock(app_paths.data_dir).try_acquire()
        with pytest.raises(LibraryOpenError) as raised:
            AppServices.build(app_paths)
        assert raised.value.code == "library.in_use"
    finally:
        services.close()
    again = AppServices.build(app_paths)  # closed: the next one may have it
    again.close()


def test_start_makes_the_daily_backup_once(app_paths):
    services = AppServices.build(app_paths)
    try:
        services.start()
        services.start()
        assert [b.reason for b in list_backups(app_paths)] == ["daily"]
    finally:
        services.close()


def test_read_only_services_hold_no_lock_and_write_nothing_at_start(app_paths):
    AppServices.build(app_paths).close()
    holder = LibraryLock(app_paths.data_dir)
    assert holder.try_acquire()  # another window owns it
    try:
        services = AppServices.build(app_paths, read_only=True)
        try:
            assert services.lock is None and services.read_only and not services.owns_library
            services.start()
            assert services.recovered_takes == [] and list_backups(app_paths) == []
            assert not services.incoming_dir.exists()
        finally:
            services.close()
    finally:
        holder.release()


def test_a_library_that_fails_to_open_lets_go_of_the_lock(app_paths):
    app_paths.data_dir.mkdir(parents=True)
    app_paths.database.write_bytes(b"this is no database" * 300)
    with pytest.raises(LibraryOpenError):
        AppServices.build(app_paths)
    lock = LibraryLock(app_paths.data_dir)
    assert lock.try_acquire()
    lock.release()
