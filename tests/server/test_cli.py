"""`yousync-server` as an operator runs it: one-line errors, packs refused as the desktop refuses
them, create-admin, and `serve` with no configuration — a real uvicorn process on loopback that
installs the demo scenes, serves working media links and stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from yousync_desktop.library.demo import bundled_demo_packs

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args, data_dir: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith("YOUSYNC_") and k != "DATABASE_URL"}
    environment.update({"YOUSYNC_SERVER_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)})
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "yousync_server.cli", *args], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=120)


def test_migrate_then_configuration_errors_are_one_line(tmp_path):
    done = run_cli("migrate", data_dir=tmp_path)
    assert done.returncode == 0 and "0001" in done.stdout
    for env, name in (({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
                      ({"YOUSYNC_PORT": "eighty"}, "YOUSYNC_PORT"),
                      ({"YOUSYNC_JWT_SECRET": "short"}, "YOUSYNC_JWT_SECRET")):
        failed = run_cli("migrate", data_dir=tmp_path, env=env)
        assert failed.returncode == 2, failed.stderr
        lines = failed.stderr.strip().splitlines()
        assert len(lines) == 1 and name in lines[0] and "configuration error" in lines[0]
    unreachable = run_cli("migrate", data_dir=tmp_path, env={
        "DATABASE_URL": "postgresql+psycopg://nobody@/none?host=/nonexistent"})
    assert unreachable.returncode == 2
    assert len(unreachable.stderr.strip().splitlines()) == 1
    assert "cannot open the database" in unreachable.stderr


def test_import_pack_adds_once_and_refuses_hostile_packs_in_one_line(tmp_path):
    pack = bundled_demo_packs()[0]
    added = run_cli("import-pack", str(pack), data_dir=tmp_path)
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("added: token 1 ")
    again = run_cli("import-pack", str(pack), data_dir=tmp_path)
    assert again.stdout.startswith("unchanged: token 1 ")
    assert (tmp_path / "objects" / "catalogue").is_dir()

    evil = tmp_path / "evil.yspack"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("manifest.json", "{}")
        archive.writestr("../../escape.txt", "gotcha")
    not_zip = tmp_path / "notes.yspack"
    not_zip.write_text("hello")
    for bad, words in ((evil, "unsafe path"), (not_zip, "not a scene pack"),
                       (tmp_path / "missing.yspack", "file not found")):
        refused = run_cli("import-pack", str(bad), data_dir=tmp_path)
        assert refused.returncode == 1
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1 and words in lines[0], refused.stderr
    assert not (tmp_path / "escape.txt").exists()
    staging = tmp_path / "staging"
    assert not staging.exists() or not any(staging.iterdir())


def test_create_admin(tmp_path):
    made = run_cli("create-admin", "Boss@Example.com", data_dir=tmp_path)
    assert made.returncode == 0 and "boss@example.com is an admin" in made.stdout
    again = run_cli("create-admin", "boss@example.com", data_dir=tmp_path)
    assert again.stdout.startswith("updated: user 1")
    assert run_cli("create-admin", "nobody", data_dir=tmp_path).returncode == 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_with_no_configuration_serves_the_demo_scenes(tmp_path):
    port = _free_port()
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith("YOUSYNC_") and k != "DATABASE_URL"}
    environment.update({"YOUSYNC_SERVER_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)})
    stderr = open(tmp_path / "stderr.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "yousync_server.cli", "serve", "--port",
                                str(port)], cwd=ROOT, env=environment, stderr=stderr,
                               stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, (tmp_path / "stderr.log").read_text()[-2000:]
            time.sleep(0.1)
        tokens = httpx.get(f"{base}/api/tokens/").json()
        assert len(tokens) == 3
        detail = httpx.get(f"{base}/api/tokens/{tokens[0]['id']}").json()
        assert len(detail["scripts"]) >= 1 and detail["scripts"][0]["words"]
        assert detail["pitch"]
        for field in ("bgvoice_url", "video_url", "vocal_url"):
            media = httpx.get(detail[field])
            assert media.status_code == 200 and len(media.content) > 1000, field
        thumbnail = httpx.get(tokens[0]["thumbnail_url"], follow_redirects=True)
        assert thumbnail.status_code == 200
        assert thumbnail.content[:4] in (b"\x89PNG", b"\xff\xd8\xff\xdb", b"\xff\xd8\xff\xe0")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            stderr.close()
    # Uvicorn re-raises the SIGTERM it caught once shutdown is done, as service managers expect.
    assert code in (0, -signal.SIGTERM)
    lines = (tmp_path / "stderr.log").read_text().strip().splitlines()
    records = [json.loads(line) for line in lines]  # every log line is one JSON object
    assert any(r["message"] == "demo scenes installed" for r in records)
    assert any(r["message"] == "server stopped" for r in records)  # the app's shutdown ran
    assert records[-1]["message"].startswith("Finished server process")
