import hashlib

import pytest
from sqlalchemy import text

from tests.library.pack_factory import valid_spec


@pytest.fixture
def spec(pack_media):
    return valid_spec(pack_media)


def library_fingerprint(library) -> str:
    """Every row of every table plus every file (path and bytes) under the data folder, except the
    SQLite files themselves, whose bytes change with WAL checkpoints but not with content."""
    digest = hashlib.sha256()
    with library.engine.connect() as connection:
        for table in ("tokens", "scripts", "takes", "scores", "alembic_version"):
            for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY 1")):
                digest.update(repr(tuple(row)).encode())
    for path in sorted(library.paths.data_dir.rglob("*")):
        if path.name.startswith("library.sqlite3"):
            continue
        digest.update(str(path.relative_to(library.paths.data_dir)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def fingerprint():
    return library_fingerprint
