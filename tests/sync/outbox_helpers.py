"""Helpers for the outbox tests: a scene and a take in a real library, a worker process that can
be killed, and a loopback proxy that withholds the server's answers (the moment a process dies
after the server made the job but before the client heard of it)."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import numpy as np
import soundfile as sf

from yousync_desktop.domain import Token

SCENE = {"id": 7, "token_name": "Stand-in scene", "actor_name": "Actor", "start_time": 10.0,
         "end_time": 14.0, "pitch": None,
         "scripts": [{"id": 3, "token_id": 7, "start_time": 10.5, "end_time": 12.0,
                      "script": "Looking for", "words": []}]}


def add_scene(library, detail: dict = SCENE) -> int:
    token = Token.from_api(detail)
    return library.add_scene(token, pack_id=f"server-{token.id}", content_hash="0" * 64,
                             staged_media={})


def add_take(library, token_key: int, script_id: int, folder: Path, *,
             samples: np.ndarray | None = None, sample_rate: int = 48000,
             window_start: float = 10.0):
    if samples is None:
        t = np.arange(int(sample_rate * 1.5)) / sample_rate
        samples = 0.2 * np.sin(2 * np.pi * 220 * t)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"take-{script_id}-{len(list(folder.iterdir()))}.wav"
    sf.write(path, samples, sample_rate, subtype="PCM_16")
    return library.add_take(token_key, script_id, path, sample_rate=sample_rate,
                            duration=len(samples) / sample_rate,
                            metadata={"window_start": window_start})


class WithholdingProxy:
    """A TCP forwarder on loopback: requests reach the server; while `withhold` is set, the
    server's answers are read and kept back (`answered` is set when one arrived), so the client
    waits for an answer the server has already given."""

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.withhold = threading.Event()
        self.answered = threading.Event()
        self.held = bytearray()
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            threading.Thread(target=self._pump, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, True), daemon=True).start()

    def _pump(self, source, target, answers: bool):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if answers and self.withhold.is_set():
                    self.held.extend(data)
                    self.answered.set()
                    continue
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        self._closed = True
        self._listener.close()
