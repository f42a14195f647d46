"""Bringing the window that owns a library to the front, from a second instance.

The instance holding the library's lock listens on a local socket named after its data folder
(`WindowSummoner`); a second instance whose start-up screen says "the library is open in another
window" can ask it to show itself (`summon_owner`) instead of opening a read-only copy. Whether the
window really comes to the front is the window system's call (Wayland may only flash it).
"""

from __future__ import annotations

import hashlib
import os

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

SHOW = b"show\n"
CONNECT_TIMEOUT_MS = 500


def server_name(data_dir) -> str:
    """One name per data folder and user (two users' libraries never meet)."""
    digest = hashlib.sha256(os.path.abspath(data_dir).encode("utf-8")).hexdigest()[:16]
    user = os.environ.get("USER") or os.environ.get("USERNAME") or "user"
    return f"yousync-{user}-{digest}"


class WindowSummoner(QObject):
    """Held by the owning instance for as long as its window lives."""

    def __init__(self, window: QWidget, data_dir):
        super().__init__(window)
        self._window = window
        self.summoned = 0
        self._server = QLocalServer(self)
        name = server_name(data_dir)
        # A socket file left by a crashed owner would block the name; we hold the library's
        # lock, so whatever is there is stale.
        QLocalServer.removeServer(name)
        self._server.newConnection.connect(self._answer)
        self.listening = self._server.listen(name)

    def close(self) -> None:
        """Stop answering (removes the socket file)."""
        self._server.close()

    def _answer(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll()).startswith(SHOW.strip()):
            self.summoned += 1
            window = self._window
            if window.isMinimized():
                window.showNormal()
            else:
                window.show()
            window.raise_()
            window.activateWindow()
        socket.disconnectFromServer()


def owner_listening(data_dir) -> bool:
    """Whether an owning window answers for this data folder."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(data_dir))
    found = socket.waitForConnected(CONNECT_TIMEOUT_MS)
    socket.abort()
    return found


def summon_owner(data_dir) -> bool:
    """Ask the owning window to come to the front; False when none answered."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(data_dir))
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    socket.write(SHOW)
    sent = socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
    socket.disconnectFromServer()
    return sent
