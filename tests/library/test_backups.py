"""Automatic backups: SQLite's online backup API into <data>/backups, checked, the last 5 kept,
at most daily, always before a migration; restoring and setting aside never delete a file."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from yousync_desktop.library import Library, LibraryOpenError, backups, db

T0 = datetime(2026, 3, 1, 9, 0, 0, tzinfo=timezone.utc)


def scene_count(database) -> int:
    connection = sqlite3.connect(database)
    try:
        return connection.execute("SELECT count(*) FROM tokens").fetchone()[0]
    finally:
        connection.close()


def test_a_backup_is_a_checked_self_contained_copy(library, app_paths):
    backup = backups.back_up(app_paths, "daily", now=T0)
    assert backup.path == app_paths.data_dir / "backups" / "library-20260301T090000Z-daily.sqlite3"
    connection = sqlite3.connect(backup.path)
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
        db.head_revision(),)
    connection.close()
    assert backups.latest_backup(app_paths) == backup


def test_daily_means_at_most_once_a_day_and_only_the_last_five_are_kept(library, app_paths):
    assert backups.back_up_if_due(app_paths, now=T0) is not None
    assert backups.back_up_if_due(app_paths, now=T0 + timedelta(hours=23)) is None
    for day in range(1, 8):
        assert backups.back_up_if_due(app_paths, now=T0 + timedelta(days=day)) is not None
    kept = backups.list_backups(app_paths)
    assert [b.taken_at for b in kept] == [T0 + timedelta(days=d) for d in (7, 6, 5, 4, 3)]


def test_two_backups_in_one_second_both_stay(library, app_paths):
    first = backups.back_up(app_paths, "before-upgrade", now=T0)
    second = backups.back_up(app_paths, "before-upgrade", now=T0)
    assert first.path != second.path
    assert [b.path for b in backups.list_backups(app_paths)] == [second.path, first.path]


def test_restore_sets_the_current_file_aside_and_puts_the_backup_in_place(library, app_paths,
                                                                          spec, tmp_path):
    from yousync_desktop.library.scene_pack import import_pack

    backup = backups.back_up(app_paths, "daily", now=T0)
    import_pack(library, spec.write(tmp_path / "s.yspack"))
    library.close()
    assert scene_count(app_paths.database) == 1
    aside = backups.restore(app_paths, backup)
    assert aside.name.startswith("library-set-aside-") and scene_count(aside) == 1
    assert scene_count(app_paths.database) == 0


def test_set_aside_keeps_the_wal_with_its_database(app_paths, tmp_path):
    app_paths.data_dir.mkdir(parents=True)
    connection = sqlite3.connect(app_paths.database)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA wal_autocheckpoint = 0")
    connection.execute("CREATE TABLE t (x)")
    connection.execute("INSERT INTO t VALUES (42)")
    connection.commit()
    copies = {side: (app_paths.data_dir / f"library.sqlite3{side}").read_bytes()
              for side in ("", "-wal")}
    connection.close()  # (closing checkpoints; the copies above are the crash-time files)
    for side, data in copies.items():
        (app_paths.data_dir / f"library.sqlite3{side}").write_bytes(data)
    aside = backups.set_aside(app_paths, now=T0)
    assert not app_paths.database.exists()
    assert sqlite3.connect(aside).execute("SELECT x FROM t").fetchall() == [(42,)]


def test_a_migration_is_preceded_by_a_backup_and_a_failed_one_changes_nothing(
        app_paths, monkeypatch):
    Library(app_paths).close()
    before = app_paths.database.read_bytes()
    # This version pretends to know a newer revision its migration then fails to reach.
    newer = f"{int(db.head_revision()) + 1:04d}"
    known = db.known_revisions() | {newer}
    monkeypatch.setattr(db, "head_revision", lambda: newer)
    monkeypatch.setattr(db, "known_revisions", lambda: known)

    def failing_upgrade(_engine):
        raise RuntimeError("the migration broke")

    monkeypatch.setattr(db, "upgrade_to_head", failing_upgrade)
    with pytest.raises(LibraryOpenError) as raised:
        Library(app_paths)
    assert raised.value.code == "library.migration_failed"
    assert str(raised.value) == (
        "The library could not be upgraded to this version of YouSync and was left as it was "
        f"(a backup made just before is in {app_paths.data_dir / 'backups'}).")
    [backup] = backups.list_backups(app_paths)
    assert backup.reason == "before-upgrade"
    assert app_paths.database.read_bytes() == before
